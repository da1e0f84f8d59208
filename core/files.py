"""Files written whole: the private file store writes each upload to a temporary name in its own folder and moves
it into place only once complete (issue 11: a full or read-only disk gave a 500 and left a truncated orphan).

A write that fails (disk full: ENOSPC; read-only or refused: EROFS, EACCES, EPERM) removes its temporary file and
raises `FileWriteError`, whose message is for the person at the form. A service that writes several files wraps
them in `written_or_removed()`, so a failure of the third photo also removes the first two, and the transaction
(record and audit row) rolls back with them: nothing is left, nothing is recorded.

Report PDFs (reports.services._store_pdf) and backups (core.backup) already write to a temporary name and
`os.replace` it; this is the same rule for everything that goes through the default storage.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files import locks
from django.core.files.move import file_move_safe
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

_written: ContextVar[list[tuple[FileSystemStorage, str]] | None] = ContextVar("files_written", default=None)
TEMPORARY_PREFIX = ".part-"


class FileWriteError(OSError):
    """The file store could not take a file; str() is a message for the user (in Indonesian by default)."""


def _message(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("Berkas tidak tersimpan: ruang penyimpanan server penuh. Data lain pada formulir ini belum "
                 "disimpan; beri tahu admin sistem, lalu coba lagi.")
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _("Berkas tidak tersimpan: penyimpanan server sedang tidak dapat ditulisi. Data lain pada formulir "
                 "ini belum disimpan; beri tahu admin sistem, lalu coba lagi.")
    return _("Berkas tidak tersimpan karena gangguan penyimpanan server. Data lain pada formulir ini belum "
             "disimpan; coba lagi.")


class WholeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose files appear under their name only when complete (temporary name, then a move)."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        temporary = os.path.join(directory, f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}")
        try:
            os.makedirs(directory, exist_ok=True)
            if hasattr(content, "temporary_file_path"):
                file_move_safe(content.temporary_file_path(), temporary)
            else:
                with open(temporary, "xb") as out:
                    locks.lock(out, locks.LOCK_EX)
                    for chunk in content.chunks():
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temporary, self.file_permissions_mode)
            while True:
                try:
                    os.link(temporary, full_path)  # never over another file: a name taken meanwhile gets another
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as error:
            raise FileWriteError(error.errno, _message(error)) from error
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        written = _written.get()
        if written is not None:
            written.append((self, name))
        return str(name).replace("\\", "/")


@contextmanager
def written_or_removed() -> Iterator[None]:
    """Every file written in this block through the default storage is removed if the block fails."""
    written: list[tuple[FileSystemStorage, str]] = []
    token = _written.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                pass  # a read-only disk keeps it; nothing points at it (the record rolled back)
        raise
    finally:
        _written.reset(token)
