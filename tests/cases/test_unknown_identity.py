"""A victim whose identity is not yet known (issue 10): a SAPA 129 hotline report about an unnamed child is
registered with an estimated age, and the case page says what is still missing until the worker completes it."""

from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Region
from cases import services
from cases.models import Case
from cases.presenters import identity_missing
from tests.cases.test_intake_views import intake_data, post_intake
from tests.conftest import client_for, register_case

UNNAMED = {"korban-0-name": "", "korban-0-nik": "", "korban-0-identity_unknown": "on", "korban-0-age": "7",
           "korban-0-age_estimated": "on", "intake_channel": "telepon"}


def test_a_hotline_report_about_an_unnamed_child_is_registered(caseworker, regions):
    response = post_intake(caseworker, intake_data(perpetrators=0) | UNNAMED)
    assert response.status_code == 302, response.content.decode()[:3000]
    victim = Case.objects.get().victims.get()
    assert victim.name == "" and victim.identity_unknown and victim.age_estimated
    assert victim.age_at_incident == 7 and victim.is_child and victim.age_group == "6-12"


def test_without_a_name_the_box_must_say_that_the_identity_is_unknown(caseworker, regions):
    data = intake_data(perpetrators=0) | UNNAMED | {"korban-0-identity_unknown": ""}
    page = post_intake(caseworker, data).content.decode()
    assert not Case.objects.exists()
    assert "Isi nama korban, atau centang &quot;Identitas belum diketahui&quot;." in page
    with pytest.raises(services.CaseError, match="catat identitasnya belum diketahui"):
        register_case(caseworker, victims=[services.VictimData(name=" ", sex="P", age=7, violence_types=["fisik"])])


def test_the_case_page_lists_what_is_still_missing(caseworker, regions):
    post_intake(caseworker, intake_data(perpetrators=0) | UNNAMED)
    case = Case.objects.get()
    page = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Belum lengkap: nama, NIK, tanggal lahir (usia perkiraan), alamat." in page
    assert 'href="#identitas"' in page and "7 (perkiraan)" in page
    assert "Identitas belum diketahui" in page  # in the identity section, where the name would be


def test_a_complete_identity_lists_nothing_missing(caseworker, regions):
    kecamatan = Region.objects.get(code="73.22.03")
    case = register_case(caseworker, victims=[services.VictimData(
        name="Korban Sintetis", sex="P", nik="7322010101120001", birth_date=date(2012, 1, 1),
        address_kecamatan=kecamatan, violence_types=["fisik"])])
    victim = case.victims.get()
    assert identity_missing(victim) == [] and not victim.age_estimated
    page = client_for(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Belum lengkap:" not in page


def test_an_estimated_age_is_dropped_when_the_birth_date_is_known(caseworker, regions):
    case = register_case(caseworker, victims=[services.VictimData(
        name="Korban Sintetis", sex="P", birth_date=date(2012, 1, 1), age_estimated=True, violence_types=["fisik"])])
    assert not case.victims.get().age_estimated
    assert identity_missing(case.victims.get()) == ["NIK", "alamat"]
