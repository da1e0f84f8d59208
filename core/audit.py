"""Writing audit events. Services call `audit_record` inside their own transaction (Zulip's pattern)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from core.models import AuditEvent

# The audit log's one name for work no person did: periodic jobs, report generation, seeding and commands.
# Services called without an actor (actor=None) are recorded under it too.
SYSTEM_ACTOR = "sistem"

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind the district's reverse proxy the first X-Forwarded-For entry is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None


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
        actor_label=label[:150],
        agency_id=getattr(actor, "agency_id", None) if is_user else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(object_label or (audit_label(obj) if obj is not None else ""))[:120],
        ip_address=client_ip(request),
        reason=reason,
        details=details or {},
    )


def audit_label(obj: models.Model) -> str:
    """A safe label: models that hold personal data define `audit_label`; others use str()."""
    label = getattr(obj, "audit_label", None)
    return str(label) if label is not None else str(obj)
