"""Reads of the audit log, scoped by who is asking, and of the working-day calendar for its page."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from agencies.models import User
from core import workdays
from core.models import AuditEvent, CalendarOverride
from core.policy import Scope, audit_scope


def audit_events_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Every event (the administrator), the events of the user's agency's staff (a supervisor), or none."""
    events = AuditEvent.objects.select_related("actor", "agency")
    scope = audit_scope(user)
    if scope == Scope.ALL:
        return events
    if scope == Scope.UNIT:
        return events.filter(agency_id=user.agency_id)
    return events.none()


def audit_reasons_visible_to(*, user: User) -> bool:
    """Reasons are for the case team: a supervisor reads those of their own agency's events; the administrator,
    who sees every agency's events, reads none (a reason can carry a name)."""
    return audit_scope(user) == Scope.UNIT


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


@dataclass(frozen=True)
class CalendarDay:
    """One weekday of the calendar page that is not an ordinary working day, or that the administrator corrected."""

    day: date
    library_name: str  # the public holiday or cuti bersama from the `holidays` library, "" when none
    override: CalendarOverride | None

    @property
    def is_working(self) -> bool:
        if self.override is not None:
            return self.override.kind == CalendarOverride.Kind.WORKING
        return not self.library_name


def calendar_year(year: int) -> list[CalendarDay]:
    """The weekdays of a year that the library lists as holidays or the administrator corrected, by date.

    Weekends are left out: they are never working days, and listing them would hide the dates that matter."""
    library = {day: name for day, name in workdays.library_holidays(year).items() if day.weekday() < workdays.SATURDAY}
    overrides = {o.day: o for o in CalendarOverride.objects.filter(day__year=year).select_related("created_by")}
    return [CalendarDay(day, library.get(day, ""), overrides.get(day)) for day in sorted({*library, *overrides})]
