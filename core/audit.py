"""Writing audit events. Services call `audit_record` inside their own transaction (Zulip's pattern)."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.db import models

from core.bounds import without_control_characters
from core.models import AuditEvent

# The audit log's one name for work no person did: periodic jobs, report generation, seeding and commands.
# Services called without an actor (actor=None) are recorded under it too.
SYSTEM_ACTOR = "sistem"

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the district's reverse proxy the first X-Forwarded-For entry is the client. The header is
    # whatever the sender wrote: anything but an address would fail the database's address column.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
    for candidate in (forwarded, request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


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
    """Append one audit event (actor None: the system). `object_label` is a code or number, never personal data."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if is_user:
        label = actor.get_username()
    else:
        label = SYSTEM_ACTOR if actor is None else str(actor)  # a string: the username typed at a failed login
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=_clean(label)[:150],
        agency_id=getattr(actor, "agency_id", None) if is_user else None,
        action=_clean(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=_clean(object_label or (audit_label(obj) if obj is not None else ""))[:120],
        ip_address=client_ip(request),
        reason=_clean(reason),
        details=_clean(details or {}),
    )


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
