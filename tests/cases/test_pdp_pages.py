"""Pages of UU 27/2022 PDP duties: legal hold, data-subject requests and the printable export (case team only,
404 for everyone else), and the breach register with its 3x24-hour deadline on the Tenggat page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import BreachRecord, DataSubjectRequest
from core.models import AuditEvent
from tests.conftest import assert_hidden, client_for, register_case

NOBODY = ["police_officer", "official", "sysadmin", "outsider"]


@pytest.fixture
def case(personas, regions):
    caseworker = personas["caseworker"]
    return register_case(caseworker, assigned_worker=caseworker, victims=[services.VictimData(
        name="Rina Hartati", sex="P", age=30, violence_types=["fisik"], nik="7322034101900002",
        phone="0812000111")])


def test_the_case_team_prints_one_persons_data_and_the_print_is_audited(personas, case):
    victim = case.victims.get()
    url = reverse("cases:subject_data_print", args=[case.pk, victim.pk])
    for persona in ("caseworker", "supervisor"):
        response = client_for(personas[persona]).get(url)
        assert response.status_code == 200
        assert "Rina Hartati" in response.content.decode() and "7322034101900002" in response.content.decode()
    assert AuditEvent.objects.filter(action="case.subject_data_print", object_label=case.number).count() == 2


@pytest.mark.parametrize("persona", NOBODY)
def test_everyone_outside_the_case_team_gets_404_on_the_new_case_pages(personas, case, persona):
    victim = case.victims.get()
    client = client_for(personas[persona])
    for url in (reverse("cases:subject_data_print", args=[case.pk, victim.pk]),
                reverse("cases:subject_request", args=[case.pk]), reverse("cases:legal_hold", args=[case.pk])):
        assert_hidden(client.get(url))
        assert_hidden(client.post(url, {"reason": "x", "kind": "akses", "received_on": "2026-12-01",
                                        "status": "diterima"}))
    assert not DataSubjectRequest.objects.exists()
    assert not case.__class__.objects.filter(legal_hold_at__isnull=False).exists()


def test_a_victim_of_another_case_is_not_printed_through_this_one(personas, case):
    other = register_case(personas["caseworker"], assigned_worker=personas["caseworker"])
    url = reverse("cases:subject_data_print", args=[case.pk, other.victims.get().pk])
    assert_hidden(client_for(personas["caseworker"]).get(url))


def test_the_caseworker_logs_a_request_and_sees_it_on_the_case_page(personas, case):
    client = client_for(personas["caseworker"])
    response = client.post(reverse("cases:subject_request", args=[case.pk]), {
        "kind": "perbaikan", "received_on": "2026-12-01", "status": "dipenuhi", "answered_on": "2026-12-03"})
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Perbaikan data" in page and "03-12-2026" in page


def test_the_caseworker_cannot_set_a_legal_hold_and_the_supervisor_can(personas, case):
    url = reverse("cases:legal_hold", args=[case.pk])
    assert_hidden(client_for(personas["caseworker"]).get(url))
    client = client_for(personas["supervisor"])
    assert client.post(url, {"reason": "Sidang banding"}).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ditahan untuk keperluan hukum" in page and "Sidang banding" in page
    assert client.post(url, {"reason": "Putusan inkrah"}).status_code == 302
    case.refresh_from_db()
    assert case.legal_hold_at is None
    assert list(AuditEvent.objects.filter(object_label=case.number, action__startswith="case.legal_hold")
                .values_list("action", "reason").order_by("id")) == [
        ("case.legal_hold_set", "Sidang banding"), ("case.legal_hold_clear", "Putusan inkrah")]


def test_an_open_breach_shows_its_3x24_hour_deadline_on_the_tenggat_page_until_notified(personas, db):
    supervisor = personas["supervisor"]
    discovered = timezone.now() - timedelta(hours=80)
    client = client_for(supervisor)
    response = client.post(reverse("cases:breaches"), {
        "discovered_at": timezone.localtime(discovered).strftime("%Y-%m-%dT%H:%M"),
        "description": "Laptop kantor hilang", "affected_count": 12})
    assert response.status_code == 302
    breach = BreachRecord.objects.get()
    due = timezone.localtime(breach.discovered_at + timedelta(hours=72)).strftime("%d-%m-%Y %H:%M")
    tenggat = client.get(reverse("cases:deadlines")).content.decode()
    assert "Pemberitahuan kebocoran data pribadi" in tenggat and due in tenggat and "Lewat tenggat" in tenggat
    client.post(reverse("cases:breaches"), {"notified": breach.pk})
    assert "Pemberitahuan kebocoran data pribadi" not in client.get(reverse("cases:deadlines")).content.decode()


@pytest.mark.parametrize("persona", ["caseworker", "police_officer", "official"])
def test_the_breach_register_is_for_supervisors_and_administrators_only(personas, persona, db):
    assert_hidden(client_for(personas[persona]).get(reverse("cases:breaches")))
    assert client_for(personas["sysadmin"]).get(reverse("cases:breaches")).status_code == 200


def test_a_supervisor_cannot_mark_another_agencys_breach(personas, db):
    breach = services.breach_record(actor=personas["supervisor"], discovered_at=timezone.now(),
                                    description="Surel salah kirim", affected_count=1)
    other = personas["outsider"]
    other.role = "supervisor"
    other.save()
    assert_hidden(client_for(other).post(reverse("cases:breaches"), {"notified": breach.pk}))
    breach.refresh_from_db()
    assert breach.notified_at is None
