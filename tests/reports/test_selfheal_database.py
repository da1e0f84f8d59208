"""Fault test with the real parts (issue 11, point 1): the scheduled monthly report fires while PostgreSQL is
down, and is made by the heal job's next tick once the database is back. The test runs a PostgreSQL cluster of
its own (port 5451, a fresh database migrated as on a new install), a Redis of its own and a Celery worker with
its beat; it stops only its own cluster."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.utils import timezone

from reports.periods import Period
from tests.reports import faults

pytestmark = pytest.mark.celery_worker  # no test database: everything happens in the test's own cluster


@pytest.fixture
def cluster():
    faults.require(own_postgres=True)
    cluster = faults.PostgresCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


def rows(cluster: faults.PostgresCluster, sql: str) -> list[tuple]:
    with psycopg2.connect(cluster.url("simpul")) as db, db.cursor() as cursor:
        cursor.execute(sql)
        result = cursor.fetchall()
    db.close()
    return result


def reports(cluster: faults.PostgresCluster) -> list[tuple]:
    return rows(cluster, "SELECT kind, period, edition, trigger, status, version FROM reports_report "
                         "ORDER BY edition")


def failures(worker: faults.Worker, task: str) -> int:
    """How many runs of the task the worker logged as failed for want of the database."""
    return sum(1 for line in worker.text().splitlines()
               if f"Task {task}[" in line and "raised unexpected: OperationalError" in line)


def test_a_scheduled_run_missed_while_the_database_is_down_is_made_by_the_next_tick(cluster, redis, workers,
                                                                                   tmp_path):
    admin = psycopg2.connect(cluster.url())
    admin.autocommit = True
    admin.cursor().execute("CREATE DATABASE simpul")
    admin.close()
    env = faults.worker_env(directory=tmp_path, database_url=cluster.url("simpul"), redis_url=redis.url,
                            REPORT_SCHEDULE_KINDS="bulanan", REPORT_HEAL_CHECK_SECONDS="2")
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=faults.ROOT, env=env,
                   check=True, timeout=600)

    cluster.stop()
    worker = workers(env)
    # Beat sends the monthly job (as at 02:00 on the first of the month) while the database is down.
    subprocess.run([str(Path(sys.executable).parent / "celery"), "-A", "config", "call",
                    "reports.tasks.report_schedule_task", "--args", '["bulanan"]'],
                   cwd=faults.ROOT, env=env, check=True, capture_output=True, timeout=120)
    faults.wait_for(lambda: failures(worker, "reports.tasks.report_schedule_task") == 1, seconds=120,
                    what=worker.tail)
    # The heal job's ticks fail the same way while the database is down.
    faults.wait_for(lambda: failures(worker, "reports.tasks.report_heal_task") >= 1, seconds=60, what=worker.tail)

    cluster.start()
    # The last complete month, as the heal job reckons it (the schedule fires at 02:00 WITA on the first).
    due = Period.last_complete("bulanan", (timezone.localtime() - timedelta(hours=2)).date()).code
    faults.wait_for(lambda: [r[4] for r in reports(cluster)] == ["selesai", "selesai"], seconds=240,
                    what=lambda: f"{reports(cluster)}; {worker.tail()}")
    assert reports(cluster) == [("bulanan", due, "internal", "jadwal", "selesai", 1),
                                ("bulanan", due, "publikasi", "jadwal", "selesai", 1)]
    # Made by the heal job's catch-up (marked late), each once.
    assert rows(cluster, "SELECT object_label, details->>'late' FROM core_auditevent "
                         "WHERE action = 'report.schedule' ORDER BY object_label") == [
        (f"LAP-bulanan-{due}-internal-v1", "true"), (f"LAP-bulanan-{due}-publikasi-v1", "true")]
    assert len(list((tmp_path / "var" / "private" / "reports").rglob("*.pdf"))) == 2
