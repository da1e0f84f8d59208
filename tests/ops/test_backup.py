"""Backups that restore: a case with attachments is backed up, restored by `manage.py restore` in a fresh
process onto a FRESH database and an empty file folder, and the restored Simpul has the same rows in every
table, the same files byte for byte, and serves the attachment to the caseworker.

On PostgreSQL (CI) the restore goes into a new database on the same server, created and dropped here; on
SQLite into a new database file. The archive is useless without its key, and damage or truncation is refused.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cases import services as case_services
from core.backup import BackupError, backup_create, backup_restore, backups_prune, generate_key, row_counts
from core.models import AuditEvent
from tests.conftest import register_case

pytestmark = [pytest.mark.ops, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(300_000)
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(1_500_000)  # with the PDF, more than one 1 MiB encryption frame

# Runs against the restored database and folder, in a fresh process: row counts and file checksums first,
# then the caseworker downloads the attachment through the app.
INSPECT = """
import hashlib, json, sys
import django
django.setup()
from django.test import Client
from agencies.models import User
from core.backup import private_root, row_counts
counts = row_counts()
root = private_root()
files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
         for p in sorted(root.rglob("*")) if p.is_file()}
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
caseworker = User.objects.get(username="pendamping_uji")
client = Client()
client.force_login(caseworker)
# Signed in with the second factor (after the counts above: the device row is this check's own).
session = client.session
session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=caseworker, name="ponsel uji").persistent_id
session.save()
response = client.get(sys.argv[1])
body = b"".join(response.streaming_content) if response.status_code == 200 else b""
print(json.dumps({"counts": counts, "files": files, "status": response.status_code,
                  "download": hashlib.sha256(body).hexdigest(), "type": response.get("Content-Type")}))
"""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def private_root(settings, tmp_path) -> Path:
    root = tmp_path / "source" / "private"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    settings.MEDIA_ROOT = root
    settings.BACKUP_KEY = generate_key()
    settings.BACKUP_DIR = tmp_path / "backups"
    return root


@pytest.fixture
def fresh_database(tmp_path):
    """Environment for a process that sees only a new, empty database and an empty SIMPUL_VAR_DIR."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SIMPUL_VAR_DIR=str(tmp_path / "restored"), REDIS_URL="")
    if connection.vendor != "postgresql":
        yield env  # a new SQLite file in the new SIMPUL_VAR_DIR
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    env["DATABASE_URL"] = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    try:
        yield env
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _checksums(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)


def test_backup_restores_onto_a_fresh_database_and_folder_with_equal_rows_files_and_a_working_download(
        private_root, fresh_database, caseworker, regions, settings):
    case = register_case(caseworker)
    document = case_services.attachment_add(case=case, actor=caseworker, document_type="visum",
                                            upload=SimpleUploadedFile("visum.pdf", PDF))
    case_services.attachment_add(case=case, actor=caseworker, document_type="lainnya",
                                 upload=SimpleUploadedFile("foto.png", PNG))

    archive = backup_create()
    source_counts, source_files = row_counts(), _checksums(private_root)
    assert len(source_files) == 2 and source_counts["cases_attachment"] == 2
    assert AuditEvent.objects.filter(action="backup.create", object_label=archive.name).exists()
    # Encrypted: neither the files nor the database's text can be found in the archive.
    sealed = archive.read_bytes()
    assert PDF[:4000] not in sealed and PNG[8:4000] not in sealed and b"cases_attachment" not in sealed

    env = {**fresh_database, "SIMPUL_BACKUP_KEY": settings.BACKUP_KEY}
    restore = _manage(env, "restore", str(archive))
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert "all matching the archive" in restore.stdout

    url = f"/kasus/{case.pk}/lampiran/{document.pk}/"
    inspect = subprocess.run([sys.executable, "-c", INSPECT, url], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
    assert inspect.returncode == 0, inspect.stderr
    restored = json.loads(inspect.stdout.strip().splitlines()[-1])
    # Every table has the same rows, apart from the audit record of the restore itself.
    expected = {**source_counts, "core_auditevent": source_counts["core_auditevent"] + 1}
    assert restored["counts"] == expected
    assert restored["files"] == source_files
    assert restored["status"] == 200 and restored["type"] == "application/pdf"
    assert restored["download"] == hashlib.sha256(PDF).hexdigest()

    # A second restore onto the now filled database is refused, saying why.
    again = _manage(env, "restore", str(archive))
    assert again.returncode != 0 and "is not empty" in again.stderr


def test_an_archive_is_refused_with_another_key_damaged_or_cut_short(private_root, caseworker, settings, tmp_path):
    private_root.mkdir(parents=True)
    (private_root / "catatan.pdf").write_bytes(PDF)
    archive = backup_create()
    target = tmp_path / "empty-private"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(target)}}}

    with pytest.raises(BackupError, match="another SIMPUL_BACKUP_KEY"):
        backup_restore(archive=archive, key=generate_key())
    with pytest.raises(BackupError, match="not empty"):  # the test database is not empty
        backup_restore(archive=archive)

    from core import backup

    data = archive.read_bytes()
    damaged = tmp_path / "damaged.tar.enc"
    damaged.write_bytes(data[:200] + bytes([data[200] ^ 1]) + data[201:])
    cut = tmp_path / "cut.tar.enc"
    cut.write_bytes(data[:-100])
    key = backup.load_key()
    for path, message in ((damaged, "damaged or was altered"), (cut, "truncated")):
        with open(path, "rb") as raw, pytest.raises(BackupError, match=message):
            reader = backup.DecryptingReader(raw, key)
            while reader.read(65536):
                pass
            reader.finish()
    assert not target.exists()


def test_the_nightly_job_writes_a_backup_and_keeps_only_the_newest(private_root, caseworker, settings):
    from config.schedule import BEAT_SCHEDULE
    from core.tasks import backup_nightly_task

    assert BEAT_SCHEDULE["backup-nightly"]["task"] == backup_nightly_task.name
    settings.BACKUP_DIR.mkdir(parents=True)
    for day in range(1, 6):  # five older archives
        (settings.BACKUP_DIR / f"simpul-backup-202611{day:02d}-010000.tar.enc").write_bytes(b"old")
    settings.BACKUP_KEEP = 3

    name = backup_nightly_task.delay().get()

    kept = sorted(path.name for path in settings.BACKUP_DIR.glob("simpul-backup-*"))
    assert kept == ["simpul-backup-20261104-010000.tar.enc", "simpul-backup-20261105-010000.tar.enc", name]
    assert backups_prune(keep=0) == []  # 0 keeps everything
