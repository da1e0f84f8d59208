"""Consent for a child whose father is the perpetrator (issue 10): the mother consents. The parent-perpetrator
fact stops only the person consenting, never the other parent (UU 27/2022 Pasal 25: parent and/or guardian)."""

import pytest
from django.urls import reverse

from cases import services
from core.models import AuditEvent
from tests.conftest import client_for, register_case


def consent_url(case):
    return reverse("cases:consent", args=[case.pk])


def test_the_mother_consents_when_the_father_is_the_perpetrator(caseworker, regions):
    case = register_case(caseworker, victim_age=11)
    client = client_for(caseworker)
    response = client.post(consent_url(case), {
        "victim": case.victims.get().pk, "scopes": ["layanan"], "given_by": "orang_tua",
        "given_by_name": "Ibu Sintetis", "parent_is_perpetrator": "on", "form_version": "IC-2026-1"})
    assert response.status_code == 302
    consent = case.consents.get()
    assert consent.given_by == "orang_tua" and consent.given_by_name == "Ibu Sintetis"
    assert consent.is_effective and not consent.needs_approval
    page = client.get(response["Location"]).content.decode()
    assert "Persetujuan tercatat." in page
    assert AuditEvent.objects.filter(action="consent.record").count() == 1


def test_a_parent_who_is_the_perpetrator_cannot_consent_and_the_form_says_why(caseworker, regions):
    case = register_case(caseworker, victim_age=11)
    response = client_for(caseworker).post(consent_url(case), {
        "victim": case.victims.get().pk, "scopes": ["layanan"], "given_by": "orang_tua",
        "given_by_name": "Ayah Sintetis", "parent_is_perpetrator": "on", "giver_is_perpetrator": "on",
        "form_version": "IC-2026-1"})
    page = response.content.decode()
    assert response.status_code == 200 and not case.consents.exists()
    assert "Orang tua atau wali yang menjadi pelaku tidak dapat memberi persetujuan." in page
    assert 'value="Ayah Sintetis"' in page  # what was typed stays


def test_which_parent_consented_is_written_when_a_parent_is_the_perpetrator(caseworker, regions):
    case = register_case(caseworker, victim_age=11)
    with pytest.raises(services.CaseError, match="Tuliskan nama orang tua"):
        services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan"],
                                given_by="orang_tua", form_version="IC-2026-1", parent_is_perpetrator=True)


def test_a_guardian_who_is_the_perpetrator_cannot_consent(caseworker, regions):
    case = register_case(caseworker, victim_age=11)
    with pytest.raises(services.CaseError, match="wali yang menjadi pelaku"):
        services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan"],
                                given_by="wali", given_by_name="Paman Sintetis", form_version="IC-2026-1",
                                giver_is_perpetrator=True)
