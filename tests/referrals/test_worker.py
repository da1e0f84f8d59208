"""Integration with the real parts: a Celery worker with its beat, consuming from Redis and writing to
PostgreSQL, runs the referral deadline job from config/schedule.py every second. An overdue referral is
marked and notified (in-app and by e-mail) exactly once, however many times the job runs."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.models import AuditEvent
from inbox.models import Notification
from referrals.models import Referral
from tests.referrals.conftest import new_case, record_sharing_consent, send, with_email
from tests.reports import faults

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_TASK = "referrals.tasks.referral_deadlines_task"


def _require_services() -> None:
    reason = ""
    if connection.vendor != "postgresql":
        reason = ("needs PostgreSQL (DATABASE_URL): with SQLite the worker process cannot share the in-memory "
                  "test database")
    elif not settings.REDIS_URL:
        reason = "needs Redis (REDIS_URL) as the Celery broker"
    if reason:
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1" or os.environ.get("SIMPUL_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def worker(tmp_path):
    """Start `celery -A config worker -B` against the test database, beat firing the deadline job every second."""
    _require_services()
    from config import celery_app

    celery_app.control.purge()  # nothing left over from an earlier run
    log = tmp_path / "worker.log"
    mail_dir = tmp_path / "mail"
    env = {**os.environ, "DATABASE_URL": faults.tests_database_url(), "REDIS_URL": settings.REDIS_URL,
           "REFERRAL_DEADLINE_CHECK_SECONDS": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir),
           "DB_CONN_MAX_AGE": "0",
           # No scheduled reports: the reports heal job would make last period's reports in this worker.
           "REPORT_SCHEDULE_KINDS": ""}
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-B", "--pool=solo",
             "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield {"log": log, "mail": mail_dir, "process": process}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _runs(log: Path) -> int:
    """How many times the worker has finished the deadline job (Celery logs each success)."""
    lines = log.read_text().splitlines()
    return sum(1 for line in lines if f"Task {DEADLINE_TASK}[" in line and " succeeded in " in line)


def test_overdue_referral_is_marked_and_notified_exactly_once(worker, caseworker, police_agency, police_officer,
                                                               regions):
    with_email(caseworker, "pendamping@contoh.simpul.test")
    with_email(police_officer, "polisi@contoh.simpul.test")
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)
    referral = send(caseworker, case, police_agency, urgency="segera")
    # 25 hours pass unanswered: the 24-hour answer time is over, the escalation limit (another 24 h) is not.
    shift = timedelta(hours=25)
    Referral.objects.filter(pk=referral.pk).update(sent_at=referral.sent_at - shift, due_at=referral.due_at - shift,
                                                   escalate_at=referral.escalate_at - shift)

    faults.wait_for(lambda: Referral.objects.get(pk=referral.pk).overdue_at is not None, seconds=90,
          what=f"the worker to mark the referral overdue; log:\n{worker['log'].read_text()[-3000:]}")
    marked_after = _runs(worker["log"])
    # Let beat fire the job at least three more times over the same data.
    faults.wait_for(lambda: _runs(worker["log"]) >= marked_after + 3, seconds=60, what="three more runs of the job")
    faults.wait_for(lambda: len(faults.emails(worker["mail"].parent)) >= 3, seconds=30, what="the e-mails")
    time.sleep(1.5)  # any duplicate e-mail would have been written by now

    overdue = Notification.objects.filter(params__number=referral.number, kind="terlambat")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == ["pendamping_uji", "polisi_uji"]
    assert AuditEvent.objects.filter(action="referral.overdue", object_id=str(referral.pk)).count() == 1
    assert Referral.objects.get(pk=referral.pk).escalated_at is None
    assert not overdue.filter(emailed_at__isnull=True).exists()
    emails = faults.emails(worker["mail"].parent)
    late = [m for m in emails if "melewati batas waktu" in m]
    assert len(late) == 2, emails  # one to the caseworker, one to the police officer, never again
    assert len([m for m in emails if "Rujukan baru" in m]) == 1  # the police officer's e-mail about the new referral
    assert all("Korban Sintetis" not in m and referral.victim.survivor_code not in m for m in emails)
    assert worker["process"].poll() is None, "the worker died"
