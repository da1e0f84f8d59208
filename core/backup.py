"""Backups of the database and every private file together, encrypted (`manage.py backup`, `manage.py restore`).

An archive is one encrypted stream (AES-256-GCM in 1 MiB frames, key SIMPUL_BACKUP_KEY) of a tar holding:

    backup.json       format, database engine, time
    database.pgdump   pg_dump --format=custom (PostgreSQL), or database.sqlite3 (SQLite's online backup API)
    files/...         every file under the private root: case attachments, PATBM photos, report PDFs
    manifest.json     the row count of every table and the size and SHA-256 of every file

The database is dumped before the files are read: a file is written before the row that names it, so every
row in the dump finds its file in the archive. A restore goes onto an empty database and an empty private
folder only, and checks the row counts and checksums against the manifest before it says it is done.

django-dbbackup was weighed and not used: it encrypts with GPG keyrings rather than a key from the
environment, and backs up the database and the media as two separate archives.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from core.audit import SYSTEM_ACTOR, audit_record

FORMAT = 1
ARCHIVE_GLOB = "simpul-backup-*.tar.enc"
MAGIC = b"SIMPUL-BACKUP-1\n"
FRAME = 1024 * 1024
_LAST, _MORE = 1, 0


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what to do."""


# --- the key ------------------------------------------------------------------------------------------

def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def load_key(text: str | None = None) -> bytes:
    text = (settings.BACKUP_KEY if text is None else text).strip()
    if not text:
        raise BackupError("SIMPUL_BACKUP_KEY is not set. Generate one with `manage.py backup --generate-key` and "
                          "keep a copy away from the server: without it no backup can be restored.")
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError("SIMPUL_BACKUP_KEY must be 32 random bytes in URL-safe base64 "
                          "(`manage.py backup --generate-key` makes one).")
    return key


def _key_id(key: bytes) -> bytes:
    """Names the key in the archive, so a restore with another key fails with a clear message."""
    return hashlib.sha256(b"simpul-backup-key-id" + key).digest()[:8]


# --- encryption: frames of AES-256-GCM, the last one marked, so truncation and reordering are detected ------

class EncryptingWriter:
    def __init__(self, raw, key: bytes) -> None:
        self.raw, self.aead = raw, AESGCM(key)
        self.prefix = secrets.token_bytes(7)
        self.header = MAGIC + _key_id(key) + self.prefix
        self.raw.write(self.header)
        self.buffer = bytearray()
        self.counter = 0

    def _frame(self, data: bytes, flag: int) -> None:
        nonce = self.prefix + struct.pack(">IB", self.counter, flag)
        sealed = self.aead.encrypt(nonce, data, self.header)
        self.raw.write(struct.pack(">BI", flag, len(sealed)) + sealed)
        self.counter += 1

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > FRAME:
            self._frame(bytes(self.buffer[:FRAME]), _MORE)
            del self.buffer[:FRAME]
        return len(data)

    def close(self) -> None:
        self._frame(bytes(self.buffer), _LAST)
        self.buffer.clear()


class DecryptingReader:
    def __init__(self, raw, key: bytes) -> None:
        self.raw, self.aead = raw, AESGCM(key)
        head = raw.read(len(MAGIC) + 8 + 7)
        if not head.startswith(MAGIC):
            raise BackupError("This file is not a Simpul backup.")
        if head[len(MAGIC):len(MAGIC) + 8] != _key_id(key):
            raise BackupError("This backup was made with another SIMPUL_BACKUP_KEY.")
        self.header, self.prefix = head, head[-7:]
        self.buffer = bytearray()
        self.counter, self.ended = 0, False

    def _next_frame(self) -> None:
        head = self.raw.read(5)
        if len(head) < 5:
            raise BackupError("The backup file is truncated (its last part is missing).")
        flag, length = struct.unpack(">BI", head)
        sealed = self.raw.read(length)
        if len(sealed) < length:
            raise BackupError("The backup file is truncated (its last part is missing).")
        try:
            plain = self.aead.decrypt(self.prefix + struct.pack(">IB", self.counter, flag), sealed, self.header)
        except InvalidTag as error:
            raise BackupError("The backup file is damaged or was altered.") from error
        self.counter += 1
        self.buffer += plain
        self.ended = flag == _LAST

    def read(self, size: int = -1) -> bytes:
        while not self.ended and (size < 0 or len(self.buffer) < size):
            self._next_frame()
        size = len(self.buffer) if size < 0 else min(size, len(self.buffer))
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def finish(self) -> None:
        """Read to the marked last frame: an archive cut short anywhere is refused."""
        while not self.ended:
            self._next_frame()
        if self.raw.read(1):
            raise BackupError("The backup file has data after its end.")


class _HashingReader:
    def __init__(self, raw) -> None:
        self.raw, self.digest, self.size = raw, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


# --- where things are ---------------------------------------------------------------------------------

def private_root() -> Path:
    """Every uploaded or generated file lives under the default storage's folder (settings.STORAGES)."""
    return Path(storages["default"].location)


def _private_files(root: Path) -> list[tuple[str, Path]]:
    if not root.exists():
        return []
    return sorted((path.relative_to(root).as_posix(), path) for path in root.rglob("*")
                  if path.is_file() and not path.is_symlink())


def _connection_arguments(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return args, env


def _client(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def row_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The number of rows of every table of the database."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return {table: _count(cursor, connection.ops.quote_name(table)) for table in tables}


def _count(cursor, quoted_table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {quoted_table}")  # noqa: S608 (a quoted name from introspection, never input)
    return cursor.fetchone()[0]


# --- backup -------------------------------------------------------------------------------------------

def _dump_postgresql(target: Path) -> dict[str, int]:
    """pg_dump of a snapshot, with the row counts of that same snapshot."""
    source = connections[DEFAULT_DB_ALIAS]
    snapshot_connection = type(source)(dict(source.settings_dict), alias="backup-snapshot")
    try:
        snapshot_connection.ensure_connection()
        snapshot_connection.set_autocommit(False)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = snapshot_connection.introspection.table_names(cursor)
            counts = {table: _count(cursor, snapshot_connection.ops.quote_name(table)) for table in tables}
        args, env = _connection_arguments(source.settings_dict)
        # No shell; the program found by _client, the arguments from settings and a snapshot id.
        result = subprocess.run([_client("pg_dump"), "--format=custom", f"--snapshot={snapshot}",  # noqa: S603
                                 "--file", str(target), *args], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        snapshot_connection.rollback()
    finally:
        snapshot_connection.close()
    return counts


def _dump_sqlite(target: Path) -> dict[str, int]:
    source = connections[DEFAULT_DB_ALIAS]
    source.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        source.connection.backup(copy)  # a consistent copy while the application keeps running
        names = [row[0] for row in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence' ORDER BY name")]
        counts = {name: _count(copy.cursor(), source.ops.quote_name(name)) for name in names}
    finally:
        copy.close()
    return counts


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def backup_create(*, directory: Path | None = None, key: str | None = None) -> Path:
    """Write one encrypted archive of the database and the private files; return its path."""
    secret = load_key(key)
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # The dump would not see this transaction's writes (PostgreSQL) or would wait for it for ever (SQLite).
        raise BackupError("A backup is made outside a database transaction.")
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in {"postgresql", "sqlite"}:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    now = datetime.now(UTC)
    final = directory / f"simpul-backup-{now:%Y%m%d-%H%M%S}.tar.enc"
    partial = directory / f".{final.name}.partial"
    with transaction.atomic():  # committed before the snapshot: the archive holds its own audit record
        audit_record(actor=SYSTEM_ACTOR, action="backup.create", object_label=final.name,
                     details={"archive": final.name, "engine": vendor})
    # The plain dump stays next to the database and files it copies, never beside the encrypted archives.
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=settings.VAR_DIR) as work:
        dump = Path(work) / ("database.pgdump" if vendor == "postgresql" else "database.sqlite3")
        counts = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        files: dict[str, dict] = {}
        try:
            with open(partial, "wb") as raw:
                os.fchmod(raw.fileno(), 0o600)
                writer = EncryptingWriter(raw, secret)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    _add_bytes(tar, "backup.json", json.dumps(
                        {"format": FORMAT, "engine": vendor, "created_at": now.isoformat()}).encode())
                    tar.add(dump, arcname=dump.name, recursive=False)
                    for relative, path in _private_files(private_root()):
                        info = tar.gettarinfo(path, arcname=f"files/{relative}")
                        with open(path, "rb") as handle:
                            hashing = _HashingReader(handle)
                            tar.addfile(info, hashing)
                        files[relative] = {"size": hashing.size, "sha256": hashing.digest.hexdigest()}
                    _add_bytes(tar, "manifest.json", json.dumps({"tables": counts, "files": files},
                                                                sort_keys=True).encode())
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final


def backups_prune(*, directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the `keep` newest archives (0 keeps them all) and any half-written one over a day old."""
    directory = Path(directory or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    if not directory.exists():
        return []
    archives = sorted(directory.glob(ARCHIVE_GLOB), reverse=True)  # the names sort by time
    removed = archives[keep:] if keep > 0 else []
    removed += [path for path in directory.glob(".simpul-backup-*.partial")
                if time.time() - path.stat().st_mtime > 86400]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# --- restore ------------------------------------------------------------------------------------------

def _require_empty_targets(root: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).parent.exists():
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True)
    if connection.introspection.table_names():
        raise BackupError(f"The database {connection.settings_dict['NAME']} is not empty. A backup is restored "
                          "only onto an empty database: create a new one (or drop and re-create this one) first.")
    if root.exists() and any(root.iterdir()):
        raise BackupError(f"The private file folder {root} is not empty. A backup is restored only into an empty "
                          "folder: move the old one aside first.")


def _restore_postgresql(dump: Path) -> None:
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    args, env = _connection_arguments(db)
    connections.close_all()
    # No shell; the program found by _client, the arguments from settings and the dump's path.
    result = subprocess.run([_client("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S603
                             "--single-transaction", *args, str(dump)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_sqlite(dump: Path) -> None:
    target = Path(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    connections.close_all()
    shutil.copyfile(dump, target.with_name(target.name + ".restoring"))
    os.replace(target.with_name(target.name + ".restoring"), target)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name).relative_to("files")
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The backup holds a file with an unsafe name: {name!r}.")
    return path


def backup_restore(*, archive: Path, key: str | None = None) -> dict:
    """Restore an archive onto the empty database and empty private folder, and check both against it."""
    secret = load_key(key)
    with open(archive, "rb") as raw:
        DecryptingReader(raw, secret)  # the right key, before anything else is looked at
    root = private_root()
    _require_empty_targets(root)
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    staging = root.parent / f".{root.name}.restoring-{os.getpid()}"
    root.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir(mode=0o700)
    header: dict = {}
    manifest: dict = {}
    written: dict[str, dict] = {}
    restored_database = False
    try:
        with open(archive, "rb") as raw, tempfile.TemporaryDirectory(prefix=".restore-",
                                                                     dir=settings.VAR_DIR) as work:
            reader = DecryptingReader(raw, secret)
            with tarfile.open(fileobj=reader, mode="r|") as tar:
                for member in tar:
                    if member.name == "backup.json":
                        header = json.load(tar.extractfile(member))
                        if header.get("format") != FORMAT:
                            raise BackupError(f"Unknown backup format {header.get('format')!r}.")
                        if header.get("engine") != vendor:
                            raise BackupError(f"This is a backup of a {header.get('engine')} database; the "
                                              f"configured database is {vendor}.")
                    elif member.name in {"database.pgdump", "database.sqlite3"}:
                        if not header:
                            raise BackupError("The backup does not start with its description.")
                        dump = Path(work) / member.name
                        with open(dump, "wb") as out:
                            shutil.copyfileobj(tar.extractfile(member), out)
                        (_restore_postgresql if vendor == "postgresql" else _restore_sqlite)(dump)
                        dump.unlink()
                        restored_database = True
                    elif member.name.startswith("files/") and member.isfile():
                        relative = _safe_relative(member.name)
                        target = staging.joinpath(*relative.parts)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        hashing = _HashingReader(tar.extractfile(member))
                        with open(target, "wb") as out:
                            shutil.copyfileobj(hashing, out)
                        written[relative.as_posix()] = {"size": hashing.size, "sha256": hashing.digest.hexdigest()}
                    elif member.name == "manifest.json":
                        manifest = json.load(tar.extractfile(member))
            reader.finish()
        if not restored_database or not manifest:
            raise BackupError("The backup is incomplete: its database or its manifest is missing.")
        if written != manifest["files"]:
            raise BackupError("The restored files differ from the backup's list of files and checksums.")
        counts = row_counts()
        if counts != manifest["tables"]:
            different = sorted(t for t in set(counts) | set(manifest["tables"])
                               if counts.get(t) != manifest["tables"].get(t))
            raise BackupError(f"The restored row counts differ from the backup in: {', '.join(different)}.")
        if root.exists():
            root.rmdir()  # checked empty above
        os.replace(staging, root)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if restored_database and isinstance(error, Exception):
            raise BackupError(f"{error} The database had already been restored: empty it (drop and re-create "
                              "it) before the next attempt.") from error
        raise
    with transaction.atomic():
        audit_record(actor=SYSTEM_ACTOR, action="backup.restore", object_label=archive.name,
                     details={"archive": archive.name, "created_at": header.get("created_at"),
                              "tables": len(counts), "files": len(written)})
    return {"created_at": header.get("created_at"), "tables": counts, "files": written}
