"""A real Celery worker (in a thread, on the configured broker: Redis in CI, in-memory locally) makes a
requested report: the path production takes, with the job queued after commit."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from config.celery import app as celery_app
from reports import services
from reports.models import Report


def _close_worker_connections(**kwargs) -> None:
    # The worker thread opens its own database connection; left open, PostgreSQL refuses to drop the
    # test database at the end of the run ("being accessed by other users").
    connections.close_all()


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_requested_report(official, regions, private_media):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            report = services.report_request(actor=official, kind="bulanan", period_code="2026-10")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                report.refresh_from_db()
                if report.is_finished:
                    break
                time.sleep(0.2)
    finally:
        celery_app.conf.task_always_eager = before
        task_postrun.disconnect(_close_worker_connections)
    assert (report.status, report.attempts) == (Report.Status.DONE, 1)
    assert report.file.open("rb").read(4) == b"%PDF"
