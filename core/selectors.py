"""Reads of the audit log, scoped by who is asking."""

from datetime import date

from django.db.models import QuerySet

from agencies.models import Role, User
from core.models import AuditEvent


def audit_events_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """The administrator sees every event; a supervisor the events of their own agency's staff."""
    events = AuditEvent.objects.select_related("actor", "agency")
    if user.role == Role.ADMIN:
        return events
    if user.role == Role.SUPERVISOR and user.agency_id:
        return events.filter(agency_id=user.agency_id)
    return events.none()


def audit_events_filter(events: QuerySet[AuditEvent], *, action: str = "", actor: str = "", object_label: str = "",
                        date_from: date | None = None, date_to: date | None = None) -> QuerySet[AuditEvent]:
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if object_label:
        events = events.filter(object_label__icontains=object_label)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events
