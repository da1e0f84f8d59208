"""Encryption at rest of personal data (UU 27/2022 PDP Pasal 16(2)(e), Pasal 35): fields, files and a blind index.

Fields marked PERSONAL are stored as AES-256-GCM ciphertext, `sv1$<key id>$<base64(nonce + ciphertext)>`,
with the model and field name as associated data (a ciphertext copied into another column does not decrypt).
Files (case attachments, PATBM photos) are stored as `SPF1 + key id + nonce + ciphertext`. Keys come from
SIMPUL_FIELD_KEYS (comma-separated base64 32-byte keys, the first encrypts, all decrypt: `manage.py rotate_keys`
re-encrypts everything under the first), apart from SECRET_KEY and SIMPUL_BACKUP_KEY. Exact lookups (NIK, name
with birth date) go through a blind index: HMAC-SHA256 under its own key, SIMPUL_BLIND_INDEX_KEY.

Libraries weighed: django-fernet-encrypted-fields and django-cryptography-django5 derive their keys from
SECRET_KEY (one leaked secret would open sessions and data, and rotating it would lose the data), and neither
has a blind index or file storage; django-searchable-encrypted-fields has not been released since 2022 and is
built on pycryptodome. So this small module uses `cryptography`'s AESGCM directly, as core/backup.py does.

Empty strings stay empty (only "blank or not" is visible) and NULL stays NULL, so `blank` checks and
`isnull` still work; any other lookup on an encrypted column is refused rather than silently matching nothing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models.lookups import Exact

PREFIX = "sv1$"
FILE_MAGIC = b"SPF1"
FILE_AAD = b"simpul-file"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value that no configured key opens (wrong key list, or the value was tampered with)."""


# --- keys ------------------------------------------------------------------------------------------

def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _decode_key(text: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must hold base64 keys of 32 bytes "
                                   "(`manage.py rotate_keys --generate-key`).")
    return key


def key_id(key: bytes) -> bytes:
    """Four bytes naming a key, stored with each value so the right key is found and rotation can tell old rows."""
    return hashlib.sha256(b"simpul-field-key-id" + key).digest()[:4]


@cache
def _keyring(texts: tuple[str, ...]) -> tuple[bytes, dict[bytes, AESGCM]]:
    # Cached per key list: building AESGCM once keeps bulk inserts (synthetic cases) cheap.
    if not texts:
        raise ImproperlyConfigured("SIMPUL_FIELD_KEYS is not set: personal data cannot be stored. Generate a key with "
                                   "`manage.py rotate_keys --generate-key`.")
    keys = [_decode_key(text, "SIMPUL_FIELD_KEYS") for text in texts]
    return key_id(keys[0]), {key_id(key): AESGCM(key) for key in keys}


def keyring() -> tuple[bytes, dict[bytes, AESGCM]]:
    """(current key id, every key by id), from settings.FIELD_KEYS."""
    return _keyring(tuple(settings.FIELD_KEYS))


def current_key_id() -> bytes:
    return keyring()[0]


# --- values ----------------------------------------------------------------------------------------

def encrypt_text(plain: str, aad: str) -> str:
    current, keys = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys[current].encrypt(nonce, plain.encode(), aad.encode())
    return f"{PREFIX}{current.hex()}${base64.b64encode(nonce + sealed).decode()}"


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def stored_key_id(stored: str) -> bytes | None:
    if not is_encrypted(stored):
        return None
    return bytes.fromhex(stored[len(PREFIX):].split("$", 1)[0])


def decrypt_text(stored: str, aad: str) -> str:
    if not is_encrypted(stored):
        return stored  # a row written before encryption and not yet migrated (the data migrations do all rows)
    _current, keys = keyring()
    try:
        kid_hex, body = stored[len(PREFIX):].split("$", 1)
        aead = keys[bytes.fromhex(kid_hex)]
        blob = base64.b64decode(body)
        return aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad.encode()).decode()
    except KeyError:
        raise DecryptionError(f"no configured key has id {kid_hex} (for {aad})") from None
    except (ValueError, InvalidTag):
        raise DecryptionError(f"a stored value of {aad} does not decrypt") from None


def encrypt_bytes(data: bytes) -> bytes:
    current, keys = keyring()
    nonce = os.urandom(NONCE_BYTES)
    return FILE_MAGIC + current + nonce + keys[current].encrypt(nonce, data, FILE_AAD)


def file_key_id(blob: bytes) -> bytes | None:
    return blob[len(FILE_MAGIC):len(FILE_MAGIC) + 4] if blob.startswith(FILE_MAGIC) else None


def decrypt_bytes(blob: bytes) -> bytes:
    kid = file_key_id(blob)
    if kid is None:
        return blob  # a file stored before encryption and not yet migrated
    _current, keys = keyring()
    start = len(FILE_MAGIC) + 4
    if kid not in keys:
        raise DecryptionError(f"no configured key has id {kid.hex()} (a stored file)")
    try:
        return keys[kid].decrypt(blob[start:start + NONCE_BYTES], blob[start + NONCE_BYTES:], FILE_AAD)
    except InvalidTag:
        raise DecryptionError("a stored file does not decrypt") from None


# --- blind index -----------------------------------------------------------------------------------

@cache
def _index_key(text: str) -> bytes:
    if not text:
        raise ImproperlyConfigured("SIMPUL_BLIND_INDEX_KEY is not set: duplicate checks cannot work. Generate one with "
                                   "`manage.py rotate_keys --generate-key`.")
    return _decode_key(text, "SIMPUL_BLIND_INDEX_KEY")


def blind_index(purpose: str, value: str) -> str:
    """A keyed HMAC of a normalised value: equal inputs give equal indexes, and the index alone reveals nothing
    (unlike a plain hash, a NIK cannot be found by hashing all 16-digit numbers without the key). "" for ""."""
    if not value:
        return ""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(_index_key(settings.BLIND_INDEX_KEY), message, hashlib.sha256).hexdigest()


def normalised_name(name: str) -> str:
    return " ".join(name.split()).upper()


# --- model fields ----------------------------------------------------------------------------------

class BlankExact(Exact):
    """`field=""` (blank) works on an encrypted column; `field="a value"` would compare with a fresh ciphertext
    and silently match nothing, so it is refused."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(f"{self.lhs.target.aad()} is encrypted: compare values in Python or through a blind "
                             "index, not in the database.")
        return super().get_prep_lookup()


class EncryptedMixin:
    """Stores the value encrypted in a text column; the Python side keeps the plain field's behaviour."""

    allowed_lookups = {"isnull", "exact"}  # exact only matches "" (blank): a ciphertext never repeats

    def get_internal_type(self) -> str:
        return "TextField"  # ciphertext is longer than max_length; the form still validates max_length

    def aad(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def to_plain_text(self, value) -> str:
        return str(value)

    def from_plain_text(self, text: str):
        return text

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(self.to_plain_text(value), self.aad())

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_plain_text(decrypt_text(value, self.aad()))

    def get_lookup(self, lookup_name):
        if lookup_name not in self.allowed_lookups:
            raise FieldError(f"{self.aad()} is encrypted: look it up through its blind index, not `{lookup_name}`.")
        return BlankExact if lookup_name == "exact" else super().get_lookup(lookup_name)

    def get_transform(self, lookup_name):
        raise FieldError(f"{self.aad()} is encrypted: `{lookup_name}` cannot run in the database.")


class EncryptedCharField(EncryptedMixin, models.CharField):
    pass


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedDateField(EncryptedMixin, models.DateField):
    """A date kept only for display (a birth date): what statistics need (age, age group) is stored beside it."""

    def to_plain_text(self, value) -> str:
        return value.isoformat()

    def from_plain_text(self, text: str):
        return datetime.date.fromisoformat(text)

    def get_db_prep_value(self, value, connection, prepared=False):
        # DateField would adapt the ciphertext as a date; it is text.
        return value if prepared else self.get_prep_value(value)


class EncryptedJSONField(EncryptedMixin, models.JSONField):
    """A JSON document (a referral's shared snapshot) stored as encrypted JSON text."""

    def to_plain_text(self, value) -> str:
        return json.dumps(value, cls=self.encoder, sort_keys=True)

    def from_plain_text(self, text: str):
        return json.loads(text, cls=self.decoder)

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(self.to_plain_text(value), self.aad())

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if prepared else self.get_prep_value(value)

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return self.from_plain_text(decrypt_text(value, self.aad()))

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def get_internal_type(self) -> str:
        return "TextField"


def encrypted_fields(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]


# --- files -----------------------------------------------------------------------------------------

class EncryptedStorage(Storage):
    """The default storage with the bytes encrypted on the way in and decrypted on the way out: the files on
    disk (and in backups) are ciphertext; the audited download views read them through `open()`."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias

    @property
    def inner(self) -> Storage:
        return storages[self.alias]  # looked up each time: tests and settings may replace the default storage

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return self.inner.save(name, ContentFile(encrypt_bytes(data)), max_length=max_length)

    def _open(self, name, mode="rb"):
        with self.inner.open(name, "rb") as stored:
            return ContentFile(decrypt_bytes(stored.read()), name=name)

    def read_raw(self, name) -> bytes:
        with self.inner.open(name, "rb") as stored:
            return stored.read()

    def replace_raw(self, name, blob: bytes) -> None:
        """Re-write a stored file in place (key rotation, the migration of files stored in plain)."""
        path = self.inner.path(name)
        temporary = f"{path}.rotating"
        with open(temporary, "wb") as out:
            out.write(blob)
        os.replace(temporary, path)

    def delete(self, name):
        return self.inner.delete(name)

    def exists(self, name):
        return self.inner.exists(name)

    def listdir(self, path):
        return self.inner.listdir(path)

    def size(self, name):
        return len(self.open(name).read())

    def url(self, name):
        return self.inner.url(name)

    def path(self, name):
        return self.inner.path(name)

    def get_available_name(self, name, max_length=None):
        return self.inner.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.inner.generate_filename(filename)


def encrypted_storage() -> EncryptedStorage:
    """For `FileField(storage=...)`: a callable, so migrations name it rather than freeze a storage instance."""
    return EncryptedStorage()


def encrypted_file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields
            if isinstance(field, models.FileField) and isinstance(field.storage, EncryptedStorage)]


# --- migrations and rotation -------------------------------------------------------------------------
# Raw SQL, not the ORM: the same code encrypts plain rows in a migration, decrypts them when a migration is
# reversed and re-encrypts under a new key, whatever the field classes of the historical model.

def rewrite_columns(connection, *, table: str, label: str, columns: list[str], transform) -> int:
    """Apply `transform(stored, aad) -> stored` to every non-empty value of `columns`; returns rows changed."""
    quote = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('id')}, {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        rows = cursor.fetchall()
        for row_id, *values in rows:
            updates = {}
            for column, value in zip(columns, values, strict=True):
                if value in (None, ""):
                    continue
                text = value if isinstance(value, str) else (
                    value.isoformat() if isinstance(value, datetime.date) else json.dumps(value))
                new = transform(text, f"{label}.{column}")
                if new != value:
                    updates[column] = new
            if updates:
                assignments = ", ".join(f"{quote(column)} = %s" for column in updates)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
                               [*updates.values(), row_id])
                changed += 1
    return changed


def encrypt_if_plain(stored: str, aad: str) -> str:
    return stored if is_encrypted(stored) else encrypt_text(stored, aad)


def decrypt_to_plain(stored: str, aad: str) -> str:
    return decrypt_text(stored, aad)


def reencrypt_with_current(stored: str, aad: str) -> str:
    if stored_key_id(stored) == current_key_id():
        return stored
    return encrypt_text(decrypt_text(stored, aad), aad)


def encrypt_model_columns(apps, schema_editor, app_label: str, model_name: str, fields: list[str]) -> None:
    """RunPython helper: encrypt the existing plain rows of `fields` (their columns are text by now)."""
    model = apps.get_model(app_label, model_name)
    columns = [model._meta.get_field(name).column for name in fields]
    rewrite_columns(schema_editor.connection, table=model._meta.db_table, label=model._meta.label_lower,
                    columns=columns, transform=encrypt_if_plain)


def decrypt_model_columns(apps, schema_editor, app_label: str, model_name: str, fields: list[str]) -> None:
    """RunPython helper for the reverse: put the plain values back before the columns get their old types."""
    model = apps.get_model(app_label, model_name)
    columns = [model._meta.get_field(name).column for name in fields]
    rewrite_columns(schema_editor.connection, table=model._meta.db_table, label=model._meta.label_lower,
                    columns=columns, transform=decrypt_to_plain)


def rewrite_files(model, field_name: str, transform) -> int:
    """Apply `transform(blob) -> blob | None` to each stored file of a FileField; None leaves the file as is."""
    storage = EncryptedStorage()
    changed = 0
    for name in model.objects.exclude(**{field_name: ""}).values_list(field_name, flat=True).iterator():
        if not storage.exists(name):
            continue
        new = transform(storage.read_raw(name))
        if new is not None:
            storage.replace_raw(name, new)
            changed += 1
    return changed


def encrypt_file_if_plain(blob: bytes) -> bytes | None:
    return None if file_key_id(blob) is not None else encrypt_bytes(blob)


def reencrypt_file_with_current(blob: bytes) -> bytes | None:
    kid = file_key_id(blob)
    if kid == current_key_id():
        return None
    return encrypt_bytes(decrypt_bytes(blob))


def migration_step(app_label: str, fields: dict[str, list[str]], files: dict[str, str] | None = None):
    """A RunPython operation that encrypts the existing rows (and stored files) of an app after its columns
    became encrypted fields, and decrypts them again when the migration is reversed."""
    from django.db import migrations

    files = files or {}

    def forward(apps, schema_editor):
        for model_name, names in fields.items():
            encrypt_model_columns(apps, schema_editor, app_label, model_name, names)
        for model_name, field_name in files.items():
            rewrite_files(apps.get_model(app_label, model_name), field_name, encrypt_file_if_plain)

    def backward(apps, schema_editor):
        for model_name, names in fields.items():
            decrypt_model_columns(apps, schema_editor, app_label, model_name, names)
        for model_name, field_name in files.items():
            rewrite_files(apps.get_model(app_label, model_name), field_name,
                          lambda blob: decrypt_bytes(blob) if file_key_id(blob) is not None else None)

    return migrations.RunPython(forward, backward, elidable=False)


def keys_rotate() -> dict[str, int]:
    """Re-encrypt every encrypted column and file still under an older key with the current (first) key.
    Rows are rewritten one by one, so the command can be stopped and run again; returns rows/files changed."""
    from django.apps import apps
    from django.db import connection, transaction

    counts: dict[str, int] = {}
    for model in apps.get_models():
        columns = [field.column for field in encrypted_fields(model)]
        if columns:
            with transaction.atomic():
                counts[model._meta.label_lower] = rewrite_columns(
                    connection, table=model._meta.db_table, label=model._meta.label_lower, columns=columns,
                    transform=reencrypt_with_current)
        for field in encrypted_file_fields(model):
            counts[f"{model._meta.label_lower}.{field.name} (files)"] = rewrite_files(
                model, field.name, reencrypt_file_with_current)
    return counts
