"""Reads of the reports app, scoped by who is asking."""

from django.db.models import QuerySet

from agencies.models import User
from core.policy import Capability, can
from reports.models import Report


def reports_visible_to(*, user: User) -> QuerySet[Report]:
    """Officials see the published edition; supervisors both; nobody else any report."""
    if not can(user, Capability.REPORT_VIEW):
        return Report.objects.none()
    reports = Report.objects.all()
    if not can(user, Capability.REPORT_INTERNAL):
        reports = reports.filter(edition=Report.Edition.PUBLISHED)
    return reports


def reports_ready_for(*, user: User, limit: int = 5) -> list[Report]:
    """The in-app notice: the newest reports that are ready for this user."""
    return list(reports_visible_to(user=user).filter(status=Report.Status.DONE)
                .order_by("-finished_at", "-id")[:limit])
