"""Writing audit events. Services call `audit_record` inside their own transaction (Zulip's pattern).

The log is a hash chain: each row stores the previous row's hash and the SHA-256 of that hash plus its own
content in a canonical form, so altering, removing or inserting a row anywhere breaks every link after it
(`manage.py verify_audit` names the first). Rows are chained one at a time under a lock, so concurrent
writers extend one chain instead of forking it.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.db import connections, models, router, transaction

from core.bounds import without_control_characters
from core.models import AuditEvent
from core.net import client_ip

# The audit log's one name for work no person did: periodic jobs, report generation, seeding and commands.
# Services called without an actor (actor=None) are recorded under it too.
SYSTEM_ACTOR = "sistem"
# A visitor without an account (the public report verification page), recorded with their address.
PUBLIC_ACTOR = "publik"

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpRequest

__all__ = ["audit_record", "audit_label", "client_ip", "event_hash", "chain_head", "chain_verify"]

GENESIS = "0" * 64  # the previous hash of the first row
# Key of the PostgreSQL advisory lock that serialises chaining (any constant unique in this database).
CHAIN_LOCK = 0x51_4D_50_55_4C_41  # "SIMPULA"


def _canonical_json(value: Any) -> Any:
    """The value as it reads back from either database: PostgreSQL's jsonb keeps 1.0 as 1.0 but 1e20 as an
    integer, so whole floats are written as integers on both sides of the comparison."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_json(item) for item in value]
    return value


def _canonical_ip(value: str | None) -> str | None:
    # PostgreSQL's inet and Django both rewrite IPv6 text; the parsed address is the same either way.
    return str(ipaddress.ip_address(value)) if value else None


def event_hash(event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 over the previous hash and every field of the row except its id and its own hashes.

    The id is left out because it is known only after the insert; the order is kept by the links instead.
    This format is part of the stored data: changing it makes every existing row fail verification.
    """
    content = {
        "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id, "actor_label": event.actor_label, "agency": event.agency_id,
        "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
        "object_label": event.object_label, "ip": _canonical_ip(event.ip_address), "reason": event.reason,
        "details": _canonical_json(event.details),
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _primary() -> str:
    # The head is read where rows are written, never from a replica that may lag behind (core.db).
    return router.db_for_write(AuditEvent)


def _head_locked(db: str) -> str | None:
    """The newest row's hash, read under the chain's lock (held to the end of the enclosing transaction)."""
    if connections[db].vendor == "postgresql":
        # Lock, then read with a fresh snapshot, in one query (a function of migration 0004): the next writer
        # waits here until this transaction commits, then sees its row.
        with connections[db].cursor() as cursor:
            cursor.execute("SELECT core_auditevent_chain_head(%s)", [CHAIN_LOCK])
            return cursor.fetchone()[0]
    # SQLite has one writer at a time, so the head read here cannot move before the insert commits.
    return AuditEvent.objects.using(db).order_by("-id").values_list("hash", flat=True).first()


def _append(event: AuditEvent, db: str) -> AuditEvent:
    event.prev_hash = _head_locked(db) or GENESIS
    event.hash = event_hash(event, event.prev_hash)
    event.save(using=db, force_insert=True)
    return event


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_label: str = "",
    request: HttpRequest | None = None,
    reason: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event (actor None: the system). `object_label` is a code or number, never personal data.

    `reason` is for text that has no other home and carries no personal data (e.g. why a calendar date was
    corrected); a reason typed about a case or referral is kept on that record, where the case team reads it
    and retention can erase it: an audit row can never be changed.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if is_user:
        label = actor.get_username()
    elif getattr(actor, "is_anonymous", False):
        label = PUBLIC_ACTOR
    else:
        label = SYSTEM_ACTOR if actor is None else str(actor)  # a string: the username typed at a failed login
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_label=_clean(label)[:150],
        agency_id=getattr(actor, "agency_id", None) if is_user else None,
        action=_clean(action)[:64],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk)[:64] if obj is not None else "",
        object_label=_clean(object_label or (audit_label(obj) if obj is not None else ""))[:120],
        ip_address=client_ip(request),
        reason=_clean(reason),
        # Stored as it reads back (string keys, lists), so the hash computed now matches the stored row.
        details=json.loads(json.dumps(_clean(details or {}))),
    )
    db = _primary()
    if connections[db].in_atomic_block:
        return _append(event, db)
    with transaction.atomic(using=db):  # outside a transaction the lock would end with its own statement
        return _append(event, db)


def _clean(value: Any) -> Any:
    """The log keeps no control characters, whatever a caller passes from a request (NUL would fail in
    PostgreSQL, and the others could forge or hide lines when the log is read)."""
    if isinstance(value, str):
        return without_control_characters(value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item) for item in value]
    return value


def audit_label(obj: models.Model) -> str:
    """A safe label: models that hold personal data define `audit_label`; others use str()."""
    label = getattr(obj, "audit_label", None)
    return str(label) if label is not None else str(obj)


@dataclass(frozen=True)
class ChainHead:
    """The newest link of the chain: printed in reports, so a later rewrite of the log can be shown."""

    event_id: int | None
    hash: str
    rows: int


def chain_head() -> ChainHead:
    events = AuditEvent.objects.using(_primary())
    last = events.order_by("-id").values_list("id", "hash").first()
    if last is None:
        return ChainHead(None, GENESIS, 0)
    return ChainHead(last[0], last[1], events.filter(id__lte=last[0]).count())


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    head: str
    broken_at: int | None = None  # the id of the first row whose link does not hold
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def chain_verify(events: Iterable[AuditEvent] | None = None) -> ChainCheck:
    """Walk the chain from the first row and stop at the first link that does not hold."""
    if events is None:
        events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    previous, previous_id, rows = GENESIS, None, 0
    for event in events:
        if event.prev_hash != previous:
            after = f"row {previous_id}" if previous_id is not None else "the start of the chain"
            return ChainCheck(rows, previous, event.pk,
                              f"its previous hash does not match {after}: a row before it was removed, altered "
                              "or inserted")
        if event_hash(event, previous) != event.hash:
            return ChainCheck(rows, previous, event.pk, "its content does not match its hash: the row was altered")
        previous, previous_id, rows = event.hash, event.pk, rows + 1
    return ChainCheck(rows, previous)
