"""Production settings: DEBUG=0 is strict and `check --deploy` is clean given a proper environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SIMPUL_BACKUP_KEY",
                      "SIMPUL_FIELD_KEYS", "SIMPUL_BLIND_INDEX_KEY"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean_env, **env},
        timeout=120,
    )


def test_startup_without_secret_key_fails_with_a_clear_message():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="simpul.example.go.id")
    assert result.returncode != 0
    assert "DEBUG is off, so Simpul needs SECRET_KEY" in result.stderr


def test_startup_without_allowed_hosts_fails_with_a_clear_message():
    result = _manage("check", DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "needs ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean_in_a_proper_production_environment():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k3y-" + "aZ9_qW8-eR7" * 6,
        ALLOWED_HOSTS="simpul.luwuutarakab.go.id",
        SIMPUL_BACKUP_KEY="x4uOChF1ZB1wbVtMUrN4kEJWGe_0DNpmtCrzMCzjTAM=",
        SIMPUL_FIELD_KEYS=secrets.token_urlsafe(32),
        SIMPUL_BLIND_INDEX_KEY=secrets.token_urlsafe(32),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_backups_have_no_key():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="0", SECRET_KEY="k3y-" + "aZ9_qW8-eR7" * 6,
                     ALLOWED_HOSTS="simpul.luwuutarakab.go.id", SIMPUL_BACKUP_KEY="")
    assert result.returncode != 0
    assert "simpul.W001" in result.stderr and "SIMPUL_BACKUP_KEY is not set" in result.stderr
