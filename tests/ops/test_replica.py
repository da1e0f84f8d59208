"""Past one machine: with DATABASE_REPLICA_URL the dashboard's statistics are read from a real PostgreSQL
streaming replica while writes (and the session and user lookups) go to the primary; with the replica down
the dashboard is served from the primary.

The test starts its own primary (port 5441) and a replica made with `pg_basebackup -R` (port 5442); both log
every statement, which is how it sees which server answered what. The machine's PostgreSQL is not touched.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ops.clusters import Cluster, Workdir, port_is_free, require_postgres_bin, wait_for

pytestmark = pytest.mark.ops

ROOT = Path(__file__).resolve().parents[2]
PRIMARY_PORT, REPLICA_PORT = 5441, 5442

# Run in a fresh Django process with the router configured from the environment: an official is created
# (writes), then opens the dashboard between two marker statements sent to both servers.
SCENARIO = """
import sys
import django
django.setup()
from django.db import connections
from django.test import Client
from agencies import services
from agencies.models import Role
from core.codes import AgencyType

tag = sys.argv[1]
agency = services.agency_create(actor=None, name=f"DP3AP2KB {tag}", agency_type=AgencyType.UPTD_PPA)
official = services.user_create(actor=None, username=f"pejabat_{tag}", password="Replika-Sandi-2026",
                                role=Role.OFFICIAL, agency=agency)
client = Client()
client.force_login(official)
def mark(text):
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(f"SELECT 'simpul-{tag}-{text}'")
        except Exception:
            pass  # the replica is down in the fallback run
mark("begin")
response = client.get("/laporan/")
mark("end")
print("STATUS", response.status_code)
"""


def _between(log: str, tag: str) -> str:
    begin, end = f"simpul-{tag}-begin", f"simpul-{tag}-end"
    assert begin in log and end in log, f"markers missing from the log:\n{log[-3000:]}"
    return log[log.index(begin):log.index(end)]


def _statements(log: str) -> list[str]:
    return [line.split("statement: ", 1)[1] for line in log.splitlines() if "statement: " in line]


def _dashboard(primary: Cluster, replica: Cluster, tag: str) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"{primary.url}/simpul",
           "DATABASE_REPLICA_URL": f"{replica.url}/simpul", "DB_CONN_MAX_AGE": "0", "REDIS_URL": ""}
    result = subprocess.run([sys.executable, "-c", SCENARIO, tag], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert "STATUS 200" in result.stdout, result.stdout + result.stderr


def test_dashboard_reads_from_the_streaming_replica_and_writes_go_to_the_primary():
    bindir = require_postgres_bin()
    for port in (PRIMARY_PORT, REPLICA_PORT):
        assert port_is_free(port), f"port {port} is taken: is an earlier run of this test still going?"
    workdir = Workdir()
    primary = Cluster(workdir, bindir, "primary", PRIMARY_PORT)
    replica = Cluster(workdir, bindir, "replica", REPLICA_PORT)
    try:
        workdir.run(bindir / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync")
        primary.configure(port=PRIMARY_PORT, listen_addresses="127.0.0.1", unix_socket_directories=str(workdir.path),
                          wal_level="replica", max_wal_senders=4, hot_standby="on", log_statement="all",
                          fsync="off", full_page_writes="off")
        with open(primary.data / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        primary.start()
        primary.sql("CREATE DATABASE simpul")
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "DATABASE_URL": f"{primary.url}/simpul", "DATABASE_REPLICA_URL": ""}, timeout=120)
        assert migrate.returncode == 0, migrate.stderr

        workdir.run(bindir / "pg_basebackup", "-h", "127.0.0.1", "-p", PRIMARY_PORT, "-U", "postgres",
                    "-D", replica.data, "-R", "-X", "stream", "--checkpoint=fast")
        replica.configure(port=REPLICA_PORT)
        replica.start()
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"  # a standby, read-only, fed by the primary

        _dashboard(primary, replica, "replica")
        on_replica = _statements(_between(replica.log_text(), "replica"))
        on_primary = _statements(_between(primary.log_text(), "replica"))
        # The dashboard's aggregates (cases, victims) were answered by the replica, none by the primary ...
        assert sum('"cases_victim"' in s for s in on_replica) >= 5, on_replica
        assert not any('"cases_victim"' in s or '"cases_case"' in s for s in on_primary), on_primary
        # ... while the login session and the user were read from the primary, where they were just written.
        assert any('"django_session"' in s for s in on_primary) and any('"agencies_user"' in s for s in on_primary)
        assert not any('"django_session"' in s for s in on_replica)
        # The official was written to the primary, never to the replica, and streamed to the replica.
        assert any(s.startswith('INSERT INTO "agencies_user"') for s in _statements(primary.log_text()))
        assert not any(s.startswith(("INSERT", "UPDATE", "DELETE")) for s in _statements(replica.log_text()))
        wait_for(lambda: replica.sql("SELECT count(*) FROM agencies_user WHERE username = 'pejabat_replica'",
                                     "simpul") == "1", seconds=20, what="the official to reach the replica")

        # Replica down: the same page is served, its statistics from the primary.
        replica.stop()
        _dashboard(primary, replica, "fallback")
        on_primary = _statements(_between(primary.log_text(), "fallback"))
        assert sum('"cases_victim"' in s for s in on_primary) >= 5, on_primary
    finally:
        replica.stop()
        primary.stop()
        workdir.remove()
