"""Deadlines: the periodic job marks overdue referrals, escalates after the second limit, and never notifies
twice; e-mails leave after commit and carry no identifying data."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases import deadlines
from config.schedule import BEAT_SCHEDULE
from core import services as core_services
from core import workdays
from core.models import AuditEvent, CalendarOverride
from inbox.models import Notification
from referrals import services
from referrals.models import Referral
from referrals.tasks import referral_deadlines_task
from tests.conftest import client_for
from tests.referrals.conftest import VICTIM_NAME, VICTIM_PHONE, send, with_email


def _after(referral, **delta):
    return referral.sent_at + timedelta(**delta)


def test_overdue_referral_is_marked_and_notified_once(referral, caseworker, police_officer, supervisor):
    assert services.referral_deadlines_check(now=_after(referral, hours=23)) == {"overdue": 0, "escalated": 0}
    assert services.referral_deadlines_check(now=_after(referral, hours=25)) == {"overdue": 1, "escalated": 0}
    assert services.referral_deadlines_check(now=_after(referral, hours=26)) == {"overdue": 0, "escalated": 0}
    referral.refresh_from_db()
    assert referral.overdue_at == _after(referral, hours=25)
    overdue = Notification.objects.filter(kind="terlambat")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["pendamping_uji", "polisi_uji"]
    assert AuditEvent.objects.filter(action="referral.overdue").count() == 1
    assert not Notification.objects.filter(recipient=supervisor).exists()  # not yet escalated


def test_unanswered_after_the_second_limit_is_escalated_to_the_senders_supervisor(referral, supervisor):
    assert services.referral_deadlines_check(now=_after(referral, hours=49)) == {"overdue": 1, "escalated": 1}
    assert services.referral_deadlines_check(now=_after(referral, hours=60)) == {"overdue": 0, "escalated": 0}
    assert Notification.objects.filter(recipient=supervisor, kind="eskalasi").count() == 1
    assert Referral.objects.get().escalated_at == _after(referral, hours=49)


def test_answered_referrals_are_left_alone(referral, police_officer):
    services.referral_accept(referral=referral, actor=police_officer)
    assert services.referral_deadlines_check(now=_after(referral, days=30)) == {"overdue": 0, "escalated": 0}
    assert not Notification.objects.filter(kind__in=["terlambat", "eskalasi"]).exists()


def test_the_beat_schedule_runs_the_deadline_task_every_ten_minutes():
    entry = BEAT_SCHEDULE["referral-deadlines"]
    assert entry["task"] == referral_deadlines_task.name
    assert float(entry["schedule"]) == 600


def test_emails_leave_after_commit_and_carry_no_identifying_data(consented_case, caseworker, police_agency,
                                                                 police_officer, django_capture_on_commit_callbacks):
    with_email(police_officer, "polisi@contoh.simpul.test")
    with_email(caseworker, "pendamping@contoh.simpul.test")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        referral = send(caseworker, consented_case, police_agency, share_identity=True)
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_deadlines_check(now=_after(referral, hours=25))
    assert [m.to for m in mail.outbox] == [["polisi@contoh.simpul.test"], ["pendamping@contoh.simpul.test"],
                                           ["polisi@contoh.simpul.test"]]
    assert referral.number in mail.outbox[0].body and "/rujukan/" in mail.outbox[0].body
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (VICTIM_NAME, VICTIM_PHONE, referral.victim.survivor_code, consented_case.number):
            assert secret not in text


@pytest.mark.parametrize("urgency", ["darurat", "segera", "biasa"])
def test_an_overdue_referral_shows_in_the_inbox_before_the_job_runs(consented_case, caseworker, police_agency,
                                                                    police_officer, urgency):
    from referrals.selectors import inbox_counts

    referral = send(caseworker, consented_case, police_agency, urgency=urgency)
    assert not referral.is_overdue(now=timezone.now())
    assert referral.is_overdue(now=referral.due_at + timedelta(minutes=1))
    assert inbox_counts(user=police_officer)["terlambat"] == 0


# --- The working-day calendar changes: stored deadlines follow ------------------------------------------

def test_a_cuti_bersama_added_by_the_administrator_moves_open_deadlines(consented_case, caseworker, police_agency,
                                                                       hospital, nurse, sysadmin):
    open_referral = send(caseworker, consented_case, police_agency, urgency="biasa")
    answered = send(caseworker, consented_case, hospital, urgency="biasa")
    services.referral_accept(referral=answered, actor=nurse)
    before = {r.pk: (r.due_at, r.escalate_at) for r in Referral.objects.all()}
    follow_up_before = deadlines.case_deadlines(consented_case)[0].due_at
    # The next working day lies in every window that starts today: the SKB makes it a cuti bersama.
    day = workdays.next_working_day(timezone.localdate())

    response = client_for(sysadmin).post("/kalender-kerja/", {"day": day.isoformat(), "kind": "libur",
                                                              "reason": "Cuti bersama (SKB 3 Menteri)"})
    assert response.status_code == 302

    open_referral.refresh_from_db()
    assert open_referral.due_at == workdays.add_working_days(open_referral.sent_at, 3) > before[open_referral.pk][0]
    assert open_referral.escalate_at == workdays.add_working_days(open_referral.due_at, 3)
    assert Referral.objects.get(pk=answered.pk).due_at == before[answered.pk][0]  # answered: history stays
    # The case's follow-up deadline follows the same calendar, on the deadlines page too.
    follow_up = deadlines.case_deadlines(consented_case)[0]
    assert follow_up.kind == "tindak_lanjut" and follow_up.due_at > follow_up_before
    page = client_for(caseworker).get("/kasus/tenggat/").content.decode()
    assert timezone.localtime(follow_up.due_at).strftime("%d-%m-%Y %H:%M") in page
    assert timezone.localtime(follow_up_before).strftime("%d-%m-%Y %H:%M") not in page
    # Audited as a count, without the survivor's data.
    recompute = AuditEvent.objects.get(action="calendar.recompute")
    assert recompute.details == {"day": day.isoformat(), "listener": "referrals.answer_deadlines", "moved": 1}
    assert VICTIM_NAME not in str(recompute.details) + recompute.object_label

    core_services.calendar_override_remove(override=CalendarOverride.objects.get(), actor=sysadmin)
    open_referral.refresh_from_db()
    assert (open_referral.due_at, open_referral.escalate_at) == before[open_referral.pk]
