"""PostgreSQL clusters that a test starts and stops itself (never the machine's own on 5432).

initdb refuses to run as root, so as root every server command runs as the `postgres` user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries on the machine (Debian keeps them out of PATH)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def require_postgres_bin() -> Path:
    """The binaries, or skip with the reason (a failure where CI requires every service)."""
    found = postgres_bin()
    if found is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        reason = "needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup): apt-get install postgresql"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


class Workdir:
    """A temporary folder the postgres user may write to, removed afterwards."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="simpul-pg-"))
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.path, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str | Path, timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run([*self.as_postgres, *map(str, command)], cwd=self.path, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Cluster:
    def __init__(self, workdir: Workdir, bindir: Path, name: str, port: int) -> None:
        self.workdir, self.bin, self.port = workdir, bindir, port
        self.data = workdir.path / name
        self.log = workdir.path / f"{name}.log"
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def configure(self, **settings: str | int) -> None:
        lines = [f"{key} = '{value}'" if isinstance(value, str) else f"{key} = {value}"
                 for key, value in settings.items()]
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n".join(lines) + "\n")

    def start(self) -> None:
        self.workdir.run(self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "start")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*self.workdir.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                            "-w", "stop"], capture_output=True, timeout=60)

    def sql(self, statement: str, database: str = "postgres") -> str:
        result = subprocess.run([str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                                 "-d", database, "-At", "-c", statement], capture_output=True, text=True, timeout=30)
        if result.returncode != 0:
            raise AssertionError(f"psql on {self.port}: {result.stderr}")
        return result.stdout.strip()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def port_is_free(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0
