"""The processes the fault tests start, break and stop themselves: a Redis of their own (port 6381 for the
reports, 6385 for the outbox), Celery workers (with their beat) and a PostgreSQL cluster on port 5451. Never the
machine's shared Redis or PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_PORT = 6381
POSTGRES_PORT = 5451
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def require(*, test_database: bool = False, own_postgres: bool = False) -> None:
    """Skip without the parts a fault test needs; in CI (SIMPUL_REQUIRE_SERVICES=1) a skip is a failure."""
    reason = ""
    if shutil.which("redis-server") is None:
        reason = "needs redis-server to start a Redis of its own"
    elif test_database and connection.vendor != "postgresql":
        reason = ("needs PostgreSQL (DATABASE_URL): with SQLite the worker process cannot share the in-memory "
                  "test database")
    elif own_postgres and not (POSTGRES_BIN / "initdb").exists():
        reason = f"needs PostgreSQL's server binaries in {POSTGRES_BIN} to start a cluster of its own"
    elif own_postgres and (os.geteuid() != 0 or shutil.which("runuser") is None):
        reason = "needs root and runuser to run a PostgreSQL cluster of its own as the postgres user"
    if reason:
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def wait_for(condition, *, seconds: float, what) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what() if callable(what) else what}")


def tests_database_url() -> str:
    db = connection.settings_dict  # NAME is the test database's once pytest-django has created it
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Redis:
    """A Redis of our own, without persistence: stopping it loses every queued job, as a restart would."""

    def __init__(self, directory: Path, port: int = REDIS_PORT) -> None:
        self.directory, self.port = directory, port
        self.process: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, seconds=20, what=f"Redis on port {self.port}")

    def answers(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False

    def queued(self, queue: str = "celery") -> int:
        import redis

        return redis.Redis(port=self.port).llen(queue)

    def crash(self) -> None:
        """Killed at once: whatever it held is gone."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Worker:
    """`celery -A config worker -B`: a prefork pool (as in production) and its beat, on our Redis."""

    def __init__(self, directory: Path, env: dict[str, str], name: str = "worker") -> None:
        self.directory, self.env, self.name = directory, env, name
        self.log = directory / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a") as output:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-B", "--pool=prefork",
                 "--concurrency=1", "--loglevel=INFO", f"--hostname={self.name}@%h",
                 f"--schedule={self.directory / f'{self.name}-beat-schedule'}", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=self.env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)

    def text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def tail(self) -> str:
        return f"worker log:\n{self.text()[-4000:]}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)  # a warm shutdown: the main process stops its pool and beat
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def worker_env(*, directory: Path, database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """The worker's environment: our database and Redis, files and e-mails in the test's directory."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": database_url,
            "REDIS_URL": redis_url, "SIMPUL_VAR_DIR": str(directory / "var"), "DB_CONN_MAX_AGE": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(directory / "mail"), **settings}


def django(code: str, env: dict[str, str]) -> str:
    """Run Python in a fresh Django process (as a web request would, in its own process) and return its output."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def emails(directory: Path) -> list[str]:
    mail = directory / "mail"
    if not mail.exists():
        return []
    return [part for path in sorted(mail.iterdir()) for part in path.read_text().split("-" * 79)
            if "Subject:" in part]


class PostgresCluster:
    """A PostgreSQL cluster of our own (initdb in a temporary directory, port 5451), to stop and start."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="simpul-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"

    def _as_postgres(self, *args: str, timeout: int = 120) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True,
                       timeout=timeout, cwd=self.directory)

    def create(self) -> None:
        self._as_postgres(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                          "-E", "UTF8", "--no-sync")
        self.start()

    def start(self) -> None:
        self._as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
                          "-w", "-o", f"-p {POSTGRES_PORT} -k {self.directory} -c listen_addresses=127.0.0.1 "
                                      "-c fsync=off", "start")

    def stop(self) -> None:
        self._as_postgres(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{POSTGRES_PORT}/{name}"

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop()
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.directory, ignore_errors=True)
