"""Self-healing reports, in-process: leases, the heal job, the catch-up of scheduled reports and the retry
button, driven through the services and pages with the clock moved past a lease. A run "killed" here is a run
that took its lease and never came back, which is the row a killed worker leaves. The same paths with a real
worker killed by SIGKILL, Redis restarted and PostgreSQL stopped are in test_selfheal_worker.py and
test_selfheal_database.py."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from config.schedule import BEAT_SCHEDULE
from core.models import AuditEvent
from inbox.models import Notification
from reports import services
from reports.models import Report
from reports.tasks import report_heal_task
from tests.conftest import assert_hidden, client_for

WITA = timezone.get_default_timezone()
NOW = datetime(2026, 11, 10, 9, 0, tzinfo=WITA)
pytestmark = pytest.mark.usefixtures("eager_celery", "private_media")


@pytest.fixture
def unscheduled(settings):
    """No periodic reports, so the heal job's catch-up makes none of its own (the tests below look at one)."""
    settings.CELERY_BEAT_SCHEDULE = {}


@pytest.fixture
def reader(official):
    official.email = "pejabat@contoh.simpul.test"
    official.save(update_fields=["email"])
    return official


def files(media) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def notices(report: Report) -> int:
    return Notification.objects.filter(kind=Notification.Kind.REPORT_READY,
                                       link=f"/laporan/berkas/{report.pk}/").count()


def requeues(report: Report, reason: str) -> int:
    return AuditEvent.objects.filter(action="report.requeue", object_id=str(report.pk),
                                     details__reason=reason).count()


def killed_run(actor, **request) -> Report:
    """A report whose run started (it took the lease) and whose worker was then killed."""
    report = services.report_request(actor=actor, kind="bulanan", period_code="2026-10", queue=False, **request)
    assert services.report_claim(report_id=report.pk) is not None
    report.refresh_from_db()
    return report


def heal(captured, at: datetime) -> dict:
    with time_machine.travel(at, tick=False), captured(execute=True):
        return report_heal_task.delay().get()


def test_a_run_whose_worker_died_is_queued_again_once_its_lease_lapses_and_made_once(
        reader, regions, unscheduled, settings, private_media, mailoutbox, django_capture_on_commit_callbacks):
    lease = timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    with time_machine.travel(NOW, tick=False):
        report = killed_run(reader)
    assert (report.status, report.attempts, report.lease_expires_at) == ("berjalan", 1, NOW + lease)

    # While the lease runs, the run may still be alive: the heal job and a second delivery of the job wait.
    assert heal(django_capture_on_commit_callbacks, NOW + lease - timedelta(seconds=1))["requeued"] == 0
    with time_machine.travel(NOW + lease - timedelta(seconds=1), tick=False):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("berjalan", 1)

    assert heal(django_capture_on_commit_callbacks, NOW + lease + timedelta(seconds=1))["requeued"] == 1
    report.refresh_from_db()
    assert (report.status, report.version, report.attempts, report.recoveries) == ("selesai", 1, 2, 1)
    assert Report.objects.count() == 1
    assert files(private_media) == ["reports/2026/laporan-bulanan-2026-10-publikasi-v1.pdf"]
    assert report.file.open("rb").read(4) == b"%PDF"
    assert notices(report) == 1 and len(mailoutbox) == 1
    assert requeues(report, "lease") == 1
    # Later ticks find nothing to do.
    assert heal(django_capture_on_commit_callbacks, NOW + 3 * lease) == {
        "caught_up": 0, "requeued": 0, "resent": 0, "retried": 0}
    assert notices(report) == 1 and len(mailoutbox) == 1


def test_a_run_that_lost_its_lease_can_no_longer_finish_the_report(
        reader, regions, unscheduled, settings, private_media, django_capture_on_commit_callbacks):
    # A run that stalled past its lease (not dead, only slow) wakes up after the heal job gave the report to
    # another run, which finished it. The stalled run must not overwrite the file or notify again.
    lease = timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    with time_machine.travel(NOW, tick=False):
        report = services.report_request(actor=reader, kind="bulanan", period_code="2026-10", queue=False)
        stalled = services.report_claim(report_id=report.pk)
    heal(django_capture_on_commit_callbacks, NOW + lease + timedelta(seconds=1))
    report.refresh_from_db()
    assert report.status == "selesai"
    with pytest.raises(services.LeaseLost):
        services._renew(report.pk, stalled)
    with pytest.raises(services.LeaseLost):
        services._complete(report_id=report.pk, token=stalled, pdf=b"%PDF-1.7 stalled", summary={}, seconds=1.0)
    after = Report.objects.get(pk=report.pk)
    assert (after.sha256, after.file.name) == (report.sha256, report.file.name)
    assert after.file.open("rb").read() != b"%PDF-1.7 stalled"
    assert files(private_media) == [report.file.name]
    assert notices(report) == 1
    assert AuditEvent.objects.filter(action="report.generate", object_id=str(report.pk)).count() == 1


def test_a_queued_report_whose_job_was_lost_or_never_sent_is_sent_by_the_next_tick(
        reader, regions, unscheduled, settings, django_capture_on_commit_callbacks):
    lost_after = timedelta(seconds=settings.REPORT_QUEUE_LOST_SECONDS)
    with time_machine.travel(NOW, tick=False):
        # Queued without a job: as after Redis restarted without persistence, its message gone.
        lost = services.report_request(actor=reader, kind="bulanan", period_code="2026-10", queue=False)
        # The broker was down when this one was requested: it was never sent, and the row says so.
        unsent = services.report_request(actor=reader, kind="bulanan", period_code="2026-09", queue=False)
        Report.objects.filter(pk=unsent.pk).update(queued_at=None)
    assert heal(django_capture_on_commit_callbacks, NOW + timedelta(seconds=30))["resent"] == 1
    assert Report.objects.get(pk=unsent.pk).status == "selesai"
    assert Report.objects.get(pk=lost.pk).status == "antre"  # a busy worker may simply not have reached it yet
    assert heal(django_capture_on_commit_callbacks, NOW + lost_after + timedelta(seconds=1))["resent"] == 1
    lost.refresh_from_db()
    assert (lost.status, lost.attempts) == ("selesai", 1)
    assert requeues(lost, "queue") == 1 and notices(lost) == 1


def test_a_report_whose_run_keeps_dying_is_failed_instead_of_queued_for_ever(
        official, regions, unscheduled, settings, django_capture_on_commit_callbacks):
    # Each run exhausts the worker's memory: the job is queued again, the next run dies the same way.
    settings.REPORT_MAX_RECOVERIES = 1
    lease = timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    with time_machine.travel(NOW, tick=False):
        report = killed_run(official)
    with time_machine.travel(NOW + lease + timedelta(seconds=1), tick=False):
        assert services.reports_heal()["requeued"] == 1  # its job is sent (not run here) ...
        assert services.report_claim(report_id=report.pk) is not None  # ... and that run dies too
    with time_machine.travel(NOW + 2 * lease + timedelta(seconds=2), tick=False):
        assert services.reports_heal()["requeued"] == 0
    report.refresh_from_db()
    assert (report.status, report.attempts, report.recoveries) == ("gagal", 2, 1)
    assert "terhenti 2 kali" in report.failure_reason
    page = client_for(official).get(f"/laporan/berkas/{report.pk}/").content.decode()
    assert "Laporan gagal dibuat." in page and "Coba lagi" in page


def test_the_heal_job_makes_a_scheduled_report_whose_run_never_happened(
        regions, settings, django_capture_on_commit_callbacks):
    # Beat fired at 02:00 on 1 November while the database was down: no October report exists at all.
    settings.CELERY_BEAT_SCHEDULE = {"report-monthly": BEAT_SCHEDULE["report-monthly"]}
    with time_machine.travel(datetime(2026, 11, 1, 1, 59, tzinfo=WITA), tick=False):
        # Before 02:00 the last due report is September's (queued here, not made: no worker in this test).
        assert services.reports_heal()["caught_up"] == 2
    assert set(Report.objects.values_list("period", flat=True)) == {"2026-09"}
    assert heal(django_capture_on_commit_callbacks, datetime(2026, 11, 1, 2, 5, tzinfo=WITA))["caught_up"] == 2
    reports = Report.objects.filter(period="2026-10").order_by("edition")
    assert [(r.edition, r.trigger, r.status, r.version) for r in reports] == [
        ("internal", "jadwal", "selesai", 1), ("publikasi", "jadwal", "selesai", 1)]
    assert AuditEvent.objects.filter(action="report.schedule", details__late=True,
                                     object_label__contains="2026-10").count() == 2
    # The beat job itself, late or doubled, makes nothing more.
    with time_machine.travel(datetime(2026, 11, 1, 2, 6, tzinfo=WITA), tick=False):
        assert services.report_schedule(kind="bulanan") == []
    assert heal(django_capture_on_commit_callbacks, datetime(2026, 11, 2, 9, tzinfo=WITA))["caught_up"] == 0
    assert Report.objects.filter(period="2026-10").count() == 2


def test_a_failed_scheduled_report_is_tried_again_later_and_a_failed_request_waits_for_its_button(
        official, regions, unscheduled, settings, tmp_path, django_capture_on_commit_callbacks):
    broken = tmp_path / "not-a-directory"
    broken.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(broken)}}}
    with time_machine.travel(NOW, tick=False):
        reports = [*services.report_schedule(kind="bulanan"),
                   services.report_request(actor=official, kind="bulanan", period_code="2026-09", queue=False)]
        for report in reports:  # each run fails (Celery's own retries would fail the same way)
            with pytest.raises(OSError):
                services.report_generate(report_id=report.pk)
    scheduled, _internal, requested = (Report.objects.get(pk=report.pk) for report in reports)
    assert (scheduled.status, scheduled.attempts, requested.status) == ("gagal", 1, "gagal")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "ok")}}}
    retry_after = timedelta(minutes=settings.REPORT_CATCH_UP_RETRY_MINUTES)
    assert heal(django_capture_on_commit_callbacks, NOW + retry_after - timedelta(minutes=1))["retried"] == 0
    assert heal(django_capture_on_commit_callbacks, NOW + retry_after + timedelta(minutes=1))["retried"] == 2
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.version, scheduled.attempts) == ("selesai", 1, 2)
    assert Report.objects.get(pk=requested.pk).status == "gagal"  # someone asked for it: they see it failed


# --- The retry button ---------------------------------------------------------------------------------------

def retry(client, captured, report: Report, at: datetime):
    with time_machine.travel(at, tick=False), captured(execute=True):
        return client.post(f"/laporan/berkas/{report.pk}/coba-lagi/", follow=True)


def status_page(client, report: Report, at: datetime) -> str:
    with time_machine.travel(at, tick=False):
        return client.get(f"/laporan/berkas/{report.pk}/status/").content.decode()


def test_the_retry_button_restarts_a_report_stuck_in_the_queue(official, regions, unscheduled,
                                                               django_capture_on_commit_callbacks):
    client = client_for(official)
    with time_machine.travel(NOW, tick=False):
        report = services.report_request(actor=official, kind="bulanan", period_code="2026-10", queue=False)
    assert "Coba lagi" not in status_page(client, report, NOW + timedelta(seconds=20))  # just queued
    page = status_page(client, report, NOW + timedelta(minutes=5))
    assert "Laporan ini belum mulai dibuat." in page and "Coba lagi" in page
    retry(client, django_capture_on_commit_callbacks, report, NOW + timedelta(minutes=5))
    report.refresh_from_db()
    assert (report.status, report.version, report.attempts) == ("selesai", 1, 1)
    assert AuditEvent.objects.get(action="report.retry", actor=official).details == {"from": "antre"}


def test_the_retry_button_restarts_a_report_whose_run_stopped_but_never_doubles_a_live_run(
        official, regions, unscheduled, settings, django_capture_on_commit_callbacks):
    client = client_for(official)
    lease = timedelta(seconds=settings.REPORT_LEASE_SECONDS)
    with time_machine.travel(NOW, tick=False):
        report = killed_run(official)
    # The lease is live: the run may be rendering. The page shows progress, and a retry is refused.
    page = status_page(client, report, NOW + timedelta(seconds=30))
    assert "progress-bar" in page and "Coba lagi" not in page
    answer = retry(client, django_capture_on_commit_callbacks, report, NOW + timedelta(seconds=30))
    assert "Laporan sedang dibuat." in answer.content.decode()
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("berjalan", 1)
    # The lease lapsed: the run stopped. The page says so and the button makes the report.
    page = status_page(client, report, NOW + lease + timedelta(seconds=5))
    assert "Proses pembuatan laporan ini terhenti." in page and "Coba lagi" in page
    retry(client, django_capture_on_commit_callbacks, report, NOW + lease + timedelta(seconds=5))
    report.refresh_from_db()
    assert (report.status, report.version, report.attempts) == ("selesai", 1, 2)
    answer = retry(client, django_capture_on_commit_callbacks, report, NOW + lease + timedelta(seconds=9))
    assert "Laporan ini sudah selesai dibuat." in answer.content.decode()
    assert Report.objects.get(pk=report.pk).attempts == 2


def test_the_retry_button_is_hidden_outside_the_report_readers(official, supervisor, caseworker, regions,
                                                              unscheduled):
    internal = killed_run(supervisor, edition="internal")
    for client in (client_for(official), client_for(caseworker)):
        assert_hidden(client.post(f"/laporan/berkas/{internal.pk}/coba-lagi/"))
    internal.refresh_from_db()
    assert (internal.status, internal.attempts) == ("berjalan", 1)


def test_the_lease_must_outlive_the_hard_time_limit(settings):
    call_command("check")
    settings.REPORT_LEASE_SECONDS = settings.REPORT_TASK_TIME_LIMIT - 1
    with pytest.raises(SystemCheckError, match="REPORT_LEASE_SECONDS must be at least REPORT_TASK_TIME_LIMIT"):
        call_command("check")
