"""Reads of the case file, scoped by who is asking."""

from datetime import date

from django.db.models import Count, QuerySet

from agencies.models import Role, User
from cases.models import Case, IntakeRequest


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """A caseworker sees the cases assigned to them; a supervisor every case of their agency; nobody else any."""
    cases = Case.objects.select_related("agency", "assigned_worker", "incident")
    if not (user.is_authenticated and user.is_active):
        return cases.none()
    if user.role == Role.CASEWORKER:
        return cases.filter(assigned_worker=user)
    if user.role == Role.SUPERVISOR and user.agency_id:
        return cases.filter(agency_id=user.agency_id)
    return cases.none()


def intake_requests_visible_to(*, user: User) -> QuerySet[IntakeRequest]:
    """The intake queue of the user's UPTD PPA: its caseworkers and supervisors see it."""
    if user.is_authenticated and user.role in (Role.CASEWORKER, Role.SUPERVISOR) and user.agency_id:
        return IntakeRequest.objects.filter(target_agency_id=user.agency_id).select_related("source_agency")
    return IntakeRequest.objects.none()


def case_counts_by_village(*, start: date, end: date) -> dict[str, int]:
    """Cases per desa/kelurahan of the incident, counted by the complaint's received date (start..end inclusive)."""
    rows = (Case.objects.filter(received_at__date__gte=start, received_at__date__lte=end,
                                incident__village__isnull=False)
            .values("incident__village_id").annotate(n=Count("id")).order_by())
    return {row["incident__village_id"]: row["n"] for row in rows}
