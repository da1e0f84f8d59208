"""Fault tests with the real parts (issue 11, point 1): a Celery worker (prefork pool and its beat, as deployed)
on a Redis of the test's own and the PostgreSQL test database, reports requested by a separate Django process as
the web would. The process rendering a report is killed with SIGKILL, as the out-of-memory killer would; Redis
is restarted without persistence, losing the queued jobs, and is down when a report is requested. Every report
still ends done: one version, one file, one notice, one e-mail."""

import hashlib
import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from inbox.models import Notification
from reports.models import Report
from tests.reports import faults

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

LEASE = 40  # seconds: long enough for a (slowed) render on a busy machine, short enough to wait for


@pytest.fixture
def reader(official):
    official.email = "pejabat@contoh.simpul.test"
    official.save(update_fields=["email"])
    return official


@pytest.fixture(autouse=True)
def _services():
    faults.require(test_database=True)


@pytest.fixture
def env(tmp_path, redis) -> dict[str, str]:
    # No scheduled reports (their catch-up would add reports of its own); heal every second; a short lease.
    return faults.worker_env(
        directory=tmp_path, database_url=faults.tests_database_url(), redis_url=redis.url,
        REPORT_LEASE_SECONDS=str(LEASE), REPORT_TASK_TIME_LIMIT=str(LEASE), REPORT_TASK_SOFT_TIME_LIMIT=str(LEASE - 5),
        REPORT_HEAL_CHECK_SECONDS="1", REPORT_SCHEDULE_KINDS="")


def request_report(env: dict[str, str], user, period: str) -> int:
    return int(faults.django(
        "from agencies.models import User; from reports import services; "
        f"print(services.report_request(actor=User.objects.get(pk={user.pk}), kind='bulanan', "
        f"period_code='{period}').pk)", env))


def pdfs(tmp_path) -> list:
    return sorted(path for path in (tmp_path / "var" / "private").rglob("*") if path.is_file())


def notices(report_id: int) -> int:
    return Notification.objects.filter(kind=Notification.Kind.REPORT_READY,
                                       link=f"/laporan/berkas/{report_id}/").count()


def done(*report_ids: int):
    return lambda: Report.objects.filter(pk__in=report_ids, status=Report.Status.DONE).count() == len(report_ids)


@pytest.mark.parametrize("killed", ["the pool process", "the whole worker"])
def test_a_worker_killed_while_rendering_leaves_the_report_done_once_within_the_lease(
        killed, reader, regions, env, workers, tmp_path):
    # The render step is slowed (REPORT_RENDER_DELAY_SECONDS) so that the kill lands while it renders.
    worker = workers(env, REPORT_RENDER_DELAY_SECONDS="8")
    report_id = request_report(env, reader, "2026-10")
    faults.wait_for(lambda: f"report {report_id}: rendering" in worker.text(), seconds=120, what=worker.tail)
    running = Report.objects.get(pk=report_id)
    assert running.status == Report.Status.RUNNING
    pid = int(running.leased_by.rsplit(":", 1)[1])
    assert pid != worker.process.pid  # the pool process making the report, as the OOM killer would pick
    if killed == "the pool process":
        os.kill(pid, signal.SIGKILL)  # the worker's main process starts another pool process by itself
    else:
        os.killpg(worker.process.pid, signal.SIGKILL)  # main process, pool and beat at once
        worker.process.wait()
        worker = workers(env, REPORT_RENDER_DELAY_SECONDS="8")  # as systemd restarts a failed unit
    killed_at = timezone.now()

    faults.wait_for(done(report_id), seconds=LEASE + 150, what=worker.tail)
    report = Report.objects.get(pk=report_id)
    requeue = AuditEvent.objects.get(action="report.requeue", object_id=str(report_id))
    # Put back once the killed run's lease had lapsed (never while the run might have been alive), promptly.
    assert running.lease_expires_at <= requeue.at <= running.lease_expires_at + timedelta(seconds=15)
    assert requeue.at - killed_at <= timedelta(seconds=LEASE + 15)
    assert requeue.details["reason"] == "lease"
    assert (report.version, report.attempts, report.recoveries) == (1, 2, 1)
    assert Report.objects.count() == 1
    [pdf] = pdfs(tmp_path)
    assert pdf.name == "laporan-bulanan-2026-10-publikasi-v1.pdf"
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == report.sha256
    assert notices(report_id) == 1
    assert AuditEvent.objects.filter(action="report.generate", object_id=str(report_id)).count() == 1
    faults.wait_for(lambda: faults.emails(tmp_path), seconds=30, what="the e-mail")
    time.sleep(2)  # a second e-mail, if any, would have been written by now
    assert len(faults.emails(tmp_path)) == 1
    assert worker.alive()


def test_jobs_lost_in_a_redis_restart_or_never_sent_are_sent_by_the_next_tick(reader, regions, redis, env,
                                                                             workers, tmp_path):
    # No worker yet: the job of the first report waits in Redis ...
    lost = request_report(env, reader, "2026-10")
    # On a loaded machine the send may miss its (bounded) broker timeout: then the report is marked unsent, which
    # the heal job must also recover. Either way its job is not going to run by itself.
    try:
        faults.wait_for(lambda: redis.queued("reports") == 1, seconds=10, what="the job in Redis")
    except AssertionError:
        assert Report.objects.filter(pk=lost, queued_at__isnull=True).exists(), "neither queued nor marked unsent"
    # ... and is lost when Redis goes down (no persistence). A report requested while it is down is saved,
    # queued, its job not sent.
    redis.crash()
    unsent = request_report(env, reader, "2026-09")
    assert Report.objects.filter(pk=unsent, status=Report.Status.QUEUED, queued_at__isnull=True).exists()
    redis.start()
    assert redis.queued("reports") == 0

    # A job queued for 5 s without starting counts as lost here (15 minutes by default). One of the two then
    # waits behind the other's render and may be sent once more meanwhile: harmless, the second job finds the
    # report done or leased, and the report is made once.
    worker = workers(env, REPORT_QUEUE_LOST_SECONDS="5")
    faults.wait_for(done(lost, unsent), seconds=180, what=worker.tail)
    for report_id in (lost, unsent):
        report = Report.objects.get(pk=report_id)
        assert (report.version, report.attempts) == (1, 1)
        assert notices(report_id) == 1
        assert AuditEvent.objects.filter(action="report.requeue", object_id=str(report_id),
                                         details__reason="queue").exists()
        assert AuditEvent.objects.filter(action="report.generate", object_id=str(report_id)).count() == 1
    assert len(pdfs(tmp_path)) == 2
    faults.wait_for(lambda: len(faults.emails(tmp_path)) >= 2, seconds=30, what="the e-mails")
    time.sleep(2)
    assert len(faults.emails(tmp_path)) == 2
