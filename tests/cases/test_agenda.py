"""The agenda (cases.agenda): items added and marked done by the case team only, the worker's Agenda page with
overdue entries marked in words and a pinned query budget, reminders told once through the inbox (bell and
e-mail), and a plan line shown done when a partner gave the service through a referral."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from cases import agenda, services
from cases.models import AgendaItem, AgendaReminder, PlannedService
from cases.selectors import planned_services_with_delivery
from cases.services import CaseError
from core import codes, workdays
from core.models import AuditEvent
from inbox.models import Notification
from referrals import services as referral_services
from tests.conftest import assert_hidden, client_for, make_agency, make_user, register_case

NOTE = "Kunjungan ke rumah Ibu Sintetis"  # a note may name someone: it must stay on the case page
# Measured 6: the session, the user, the agenda items, the plan lines, and the navbar's agency and bell; a
# supervisor's page 7 (+1: the workers of the worker filter).
AGENDA_BUDGET = 8  # +1: the second factor's device (django-otp)


@pytest.fixture
def case(caseworker, regions):
    return register_case(caseworker, assigned_worker=caseworker)


def later(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def add(case, actor, *, days=3, kind=codes.AgendaKind.MONITORING_VISIT, **extra) -> AgendaItem:
    return agenda.agenda_item_add(case=case, actor=actor, kind=kind, due_on=later(days), **extra)


def planned_line(case, actor, *, provider_agency=None, provider_user=None, service="kesehatan", days=5):
    services.case_identify(case=case, actor=actor, case_type="ampk", risk_level="sedang", responsibility="kabupaten")
    services.assessment_record(case=case, actor=actor, risk_level="sedang", needs=["need_health"])
    return services.planned_service_add(case=case, actor=actor, service=service, due_on=later(days),
                                        provider_agency=provider_agency, provider_user=provider_user)


# --- Services ----------------------------------------------------------------------------------------------

def test_the_worker_adds_an_item_and_marks_it_done_both_audited(case, caseworker):
    item = add(case, caseworker, note=NOTE, due_time=timezone.datetime(2026, 1, 1, 9, 30).time())
    assert item.assignee == caseworker and item.done_at is None
    agenda.agenda_item_done(item=item, actor=caseworker)
    item.refresh_from_db()
    assert item.done_at is not None and item.done_by == caseworker
    events = list(AuditEvent.objects.filter(object_id=str(case.pk), action__startswith="case.agenda")
                  .order_by("id").values_list("action", "details"))
    assert [action for action, _details in events] == ["case.agenda_add", "case.agenda_done"]
    assert NOTE not in str(events)  # the note never enters the unchangeable audit trail
    with pytest.raises(CaseError, match="sudah ditandai selesai"):
        agenda.agenda_item_done(item=item, actor=caseworker)


def test_the_supervisor_adds_for_a_colleague_and_outsiders_are_refused(case, caseworker, supervisor, outsider,
                                                                        police_officer, uptd):
    item = add(case, supervisor, kind=codes.AgendaKind.COURT, assignee=caseworker)
    assert item.assignee == caseworker
    colleague = make_user("pendamping_lain", Role.CASEWORKER, uptd)  # same agency, not on this case
    for stranger in (outsider, police_officer, colleague):
        with pytest.raises(CaseError, match="Hanya tim kasus"):
            add(case, stranger)
        with pytest.raises(CaseError, match="Hanya tim kasus"):
            agenda.agenda_item_done(item=item, actor=stranger)
    with pytest.raises(CaseError, match="lembaga yang menangani"):
        add(case, caseworker, assignee=outsider)
    assert AgendaItem.objects.count() == 1 and AgendaItem.objects.get().done_at is None


def test_rules_of_an_item(case, caseworker):
    with pytest.raises(CaseError, match="rencana intervensi"):  # one owner for a plan target: the plan
        add(case, caseworker, kind=codes.AgendaKind.SERVICE_TARGET)
    with pytest.raises(CaseError, match="sebelum pengaduan"):
        add(case, caseworker, days=-30)
    with pytest.raises(CaseError, match="paling lambat"):
        add(case, caseworker, days=3 * 366)


# --- Pages ---------------------------------------------------------------------------------------------------

def test_outsiders_get_404_on_every_agenda_page(case, caseworker, personas, uptd):
    item = add(case, caseworker)
    colleague = make_user("pendamping_lain", Role.CASEWORKER, uptd)
    for user in (personas["outsider"], personas["police_officer"], personas["official"], personas["sysadmin"],
                 colleague, None):
        client = client_for(user)
        assert_hidden(client.get(reverse("cases:agenda_add", args=[case.pk])))
        assert_hidden(client.post(reverse("cases:agenda_add", args=[case.pk]),
                                  {"kind": "sidang", "due_on": later(2).isoformat()}))
        assert_hidden(client.post(reverse("cases:agenda_done", args=[case.pk, item.pk])))
        if user is not None and user.role != Role.CASEWORKER:  # no case work: no agenda page at all
            assert_hidden(client.get(reverse("agenda")))
    assert AgendaItem.objects.count() == 1 and AgendaItem.objects.get().done_at is None
    # Caseworkers off the case (another agency's, or a colleague's) have an agenda without it.
    for user in (personas["outsider"], colleague):
        assert case.number not in client_for(user).get(reverse("agenda")).content.decode()


def test_the_worker_adds_and_ticks_off_from_the_case_page(case, caseworker):
    client = client_for(caseworker)
    form = client.get(reverse("cases:agenda_add", args=[case.pk]))
    assert form.status_code == 200 and 'name="kind"' in form.content.decode()
    response = client.post(reverse("cases:agenda_add", args=[case.pk]), {
        "kind": "kunjungan_pemantauan", "due_on": later(1).isoformat(), "due_time": "10:00", "note": NOTE})
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    item = AgendaItem.objects.get()
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Kunjungan pemantauan" in page and NOTE in page and "10:00 WITA" in page and "Tandai selesai" in page
    assert client.post(reverse("cases:agenda_done", args=[case.pk, item.pk])).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Selesai" in page and "Tandai selesai" not in page


def test_a_form_error_says_what_is_missing_and_keeps_what_was_typed(case, caseworker):
    response = client_for(caseworker).post(reverse("cases:agenda_add", args=[case.pk]),
                                           {"kind": "", "due_on": later(2).isoformat(), "note": "cek surat"})
    body = response.content.decode()
    assert response.status_code == 200 and "Belum tersimpan" in body and "cek surat" in body
    assert not AgendaItem.objects.exists()


def test_the_agenda_page_marks_overdue_in_words_and_hides_notes(case, caseworker, supervisor):
    soon = add(case, caseworker, days=2, note=NOTE)
    late = add(case, caseworker, days=1, kind=codes.AgendaKind.COURT)
    AgendaItem.objects.filter(pk=late.pk).update(due_on=later(-2))  # fell due two days ago
    line = planned_line(case, caseworker, provider_user=caseworker, days=4)
    client = client_for(caseworker)
    body = client.get(reverse("agenda")).content.decode()
    assert "Terlambat 2 hari" in body and "1 agenda terlambat." in body and "Akan datang" in body
    assert "Target layanan: Kesehatan" in body and case.number in body
    assert NOTE not in body
    overdue = client.get(reverse("agenda"), {"period": "terlambat"}).content.decode()
    assert "Sidang" in overdue and "Kunjungan pemantauan" not in overdue
    # Done items and delivered plan lines leave the agenda.
    agenda.agenda_item_done(item=soon, actor=caseworker)
    services.service_delivery_record(case=case, victim=case.victims.get(), actor=caseworker, service="kesehatan",
                                     delivered_on=timezone.localdate(), planned=line, provider_user=caseworker)
    body = client.get(reverse("agenda")).content.decode()
    assert "Kunjungan pemantauan" not in body and "Target layanan" not in body and "Sidang" in body
    # The supervisor sees the unit's agenda.
    assert "Sidang" in client_for(supervisor).get(reverse("agenda")).content.decode()


def test_this_week_shows_this_week_only():
    monday = date(2026, 12, 7)
    assert agenda._due_filter(agenda.Period.WEEK, monday + timedelta(days=3)) == {
        "due_on__gte": monday, "due_on__lte": monday + timedelta(days=6)}


def _queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agenda"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["caseworker", "supervisor"])
def test_the_agenda_page_runs_a_fixed_number_of_queries(personas, regions, persona, django_assert_max_num_queries):
    caseworker, user = personas["caseworker"], personas[persona]
    client = client_for(user)
    first = register_case(caseworker, assigned_worker=caseworker)
    add(first, caseworker)
    planned_line(first, caseworker, provider_user=caseworker)
    workdays.holidays_of(timezone.localdate().year)  # the calendar's cache warm, as on a served page
    one = _queries(client)
    for i in range(10):
        case = register_case(caseworker, assigned_worker=caseworker)
        for days in range(1, 6):
            add(case, caseworker, days=days + i)
    assert AgendaItem.objects.count() == 51
    many = _queries(client)
    assert one == many == _queries(client, period="minggu", page=2)
    with django_assert_max_num_queries(AGENDA_BUDGET):
        client.get(reverse("agenda"), {"period": "terlambat"})


# --- Reminders -----------------------------------------------------------------------------------------------

def test_reminders_are_told_once_per_stage_to_the_assignee_in_app_and_by_email(
        case, caseworker, supervisor, django_capture_on_commit_callbacks):
    caseworker.email = "pendamping@example.org"
    caseworker.save(update_fields=["email"])
    run_day = workdays.next_working_day(timezone.localdate())
    due = workdays.next_working_day(run_day)
    item = agenda.agenda_item_add(case=case, actor=supervisor, kind=codes.AgendaKind.MEDIATION_CHECK, due_on=due,
                                  note=NOTE)
    far = agenda.agenda_item_add(case=case, actor=supervisor, kind=codes.AgendaKind.COURT,
                                 due_on=workdays.next_working_day(due) + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert agenda.agenda_reminders_send(today=run_day) == {"due": 1, "overdue": 0}
    assert agenda.agenda_reminders_send(today=run_day) == {"due": 0, "overdue": 0}  # a second run tells no one
    notice = Notification.objects.get()
    assert notice.recipient == caseworker and notice.link.endswith(f"/kasus/{case.pk}/#agenda")
    assert notice.text == (f"Agenda kasus {case.number}: Pemeriksaan kesepakatan mediasi, jatuh tempo "
                           f"{due.strftime('%d-%m-%Y')}.")
    assert [m.to for m in mail.outbox] == [["pendamping@example.org"]]
    assert NOTE not in mail.outbox[0].body and "Korban Sintetis" not in mail.outbox[0].body
    # The day after it fell due: one overdue notice, once.
    after = due + timedelta(days=1)
    assert agenda.agenda_reminders_send(today=after) == {"due": 0, "overdue": 1}
    assert agenda.agenda_reminders_send(today=after) == {"due": 0, "overdue": 0}
    assert list(Notification.objects.order_by("id").values_list("kind", flat=True)) == [
        "agenda_jatuh_tempo", "agenda_terlambat"]
    assert not AgendaReminder.objects.filter(item=far).exists()
    # Done: no more reminders.
    agenda.agenda_item_done(item=item, actor=caseworker)
    assert agenda.agenda_reminders_send(today=after + timedelta(days=1)) == {"due": 0, "overdue": 0}


def test_a_plan_target_reminds_the_case_worker_until_it_is_delivered(case, caseworker):
    line = planned_line(case, caseworker, provider_user=caseworker, days=1)
    run_day = line.due_on - timedelta(days=1)
    assert agenda.agenda_reminders_send(today=run_day)["due"] == 1
    notice = Notification.objects.get()
    assert notice.recipient == caseworker and "Target layanan (Kesehatan)" in notice.text
    services.service_delivery_record(case=case, victim=case.victims.get(), actor=caseworker, service="kesehatan",
                                     delivered_on=timezone.localdate(), planned=line, provider_user=caseworker)
    assert agenda.agenda_reminders_send(today=line.due_on + timedelta(days=1)) == {"due": 0, "overdue": 0}


def test_the_reminder_job_is_scheduled():
    from cases.tasks import agenda_reminders_task
    from config.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["agenda-reminders"]["task"] == agenda_reminders_task.name


# --- The plan row: done when a partner gave the service through a referral ----------------------------------

@pytest.fixture
def hospital(db):
    return make_agency("RSUD Uji", codes.AgencyType.HOSPITAL, [codes.Service.HEALTH])


@pytest.fixture
def nurse(hospital):
    return make_user("perawat_uji", Role.PARTNER, hospital)


def _referral(case, caseworker, hospital):
    victim = case.victims.get()
    services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan", "berbagi"],
                            given_by="orang_tua", given_by_name="Orang Tua Sintetis", form_version="PDP-2026-1",
                            sharing_agency_types=[codes.AgencyType.HOSPITAL])
    return referral_services.referral_send(actor=caseworker, case=case, victim=victim, receiving_agency=hospital,
                                           services=["kesehatan"], urgency="segera", reason="Pemeriksaan.")


def _line(line: PlannedService) -> PlannedService:
    return planned_services_with_delivery(PlannedService.objects.filter(pk=line.pk)).get()


def test_a_partners_completed_referral_marks_the_plan_row_done(case, caseworker, hospital, nurse):
    line = planned_line(case, caseworker, provider_agency=hospital)
    other = services.planned_service_add(case=case, actor=caseworker, service="bantuan_hukum",
                                         due_on=later(9), provider_user=caseworker)
    referral = _referral(case, caseworker, hospital)
    referral_services.referral_accept(referral=referral, actor=nurse)
    assert not _line(line).is_delivered
    client = client_for(caseworker)
    assert "Target layanan: Kesehatan" in client.get(reverse("agenda")).content.decode()
    referral_services.referral_complete(referral=referral, actor=nurse, outcome="Pemeriksaan selesai.")
    assert _line(line).is_delivered and not _line(other).is_delivered
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Selesai, diberikan lembaga mitra lewat rujukan" in page
    agenda_page = client.get(reverse("agenda")).content.decode()
    assert "Target layanan: Kesehatan" not in agenda_page and "Target layanan: Bantuan Hukum" in agenda_page


def test_a_service_the_partner_records_marks_the_plan_row_done(case, caseworker, hospital, nurse):
    line = planned_line(case, caseworker, provider_agency=hospital)
    referral = _referral(case, caseworker, hospital)
    referral_services.referral_accept(referral=referral, actor=nurse)
    referral_services.referral_record_service(referral=referral, actor=nurse, service="kesehatan",
                                              delivered_on=timezone.localdate())
    assert _line(line).is_delivered and _line(line).by_partner and _line(line).delivered == 0
    assert agenda.agenda_reminders_send(today=line.due_on) == {"due": 0, "overdue": 0}


def test_a_mediation_with_a_follow_up_date_puts_the_agreement_check_on_the_agenda(caseworker, regions):
    from tests.cases.test_mediation import mediate, ready_for_mediation

    case = ready_for_mediation(register_case(caseworker, victim_age=32, violence_types=["penelantaran"],
                                             assigned_worker=caseworker), caseworker)
    mediation = mediate(case, caseworker)
    item = AgendaItem.objects.get(case=case)
    assert (item.kind, item.due_on, item.assignee) == (codes.AgendaKind.MEDIATION_CHECK, mediation.follow_up_on,
                                                       caseworker)
    assert "Pemeriksaan kesepakatan mediasi" in client_for(caseworker).get(reverse("agenda")).content.decode()


def test_retention_blanks_the_notes_of_the_agenda(caseworker, supervisor, regions, settings):
    from tests.cases.test_retention import NOW, RECEIVED

    settings.SIMPUL_RETENTION_YEARS = 10
    case = register_case(caseworker, received_at=RECEIVED, occurred_on=RECEIVED.date() - timedelta(days=3),
                         assigned_worker=caseworker)
    item = agenda.agenda_item_add(case=case, actor=caseworker, kind=codes.AgendaKind.MONITORING_VISIT,
                                  due_on=RECEIVED.date() + timedelta(days=7), note=NOTE)
    services.closure_request(case=case, actor=caseworker, reason="Selesai.", at=RECEIVED + timedelta(days=30))
    services.closure_approve(case=case, actor=supervisor, at=RECEIVED + timedelta(days=31))
    assert services.cases_anonymise_due(actor=None, now=NOW) == [case.number]
    item.refresh_from_db()
    assert item.note == "" and item.kind == codes.AgendaKind.MONITORING_VISIT


def test_a_reminder_follows_the_case_to_its_new_worker(case, caseworker, supervisor, uptd):
    item = add(case, caseworker, days=1)
    newcomer = make_user("pendamping_baru", Role.CASEWORKER, uptd)
    services.case_assign(case=case, actor=supervisor, worker=newcomer)
    agenda.agenda_reminders_send(today=item.due_on)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["pendamping_baru"]


def test_the_supervisor_narrows_the_agenda_to_one_worker(case, caseworker, supervisor, uptd):
    other_worker = make_user("pendamping_lain", Role.CASEWORKER, uptd)
    other = register_case(supervisor, assigned_worker=other_worker)
    add(case, caseworker, kind=codes.AgendaKind.COURT)
    add(other, supervisor, kind=codes.AgendaKind.MONITORING_VISIT)
    client = client_for(supervisor)
    both = client.get(reverse("agenda")).content.decode()
    assert case.number in both and other.number in both
    narrowed = client.get(reverse("agenda"), {"worker": other_worker.pk}).content.decode()
    assert other.number in narrowed and case.number not in narrowed
    # A caseworker has no such filter: their agenda is their cases'.
    assert 'name="worker"' not in client_for(caseworker).get(reverse("agenda")).content.decode()
