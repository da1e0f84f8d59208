"""Reads of the inbox: a user's notifications, and the intake queue as each person may see it."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from agencies.models import User
from core import codes
from core.policy import Capability, can
from inbox.models import IntakeRequest, Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """A user's own notifications, newest first (nobody reads anyone else's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def intake_requests_visible_to(*, user: User) -> QuerySet[IntakeRequest]:
    """The intake queue of the user's UPTD PPA: its caseworkers and supervisors see it."""
    if can(user, Capability.CASE_INTAKE) and user.agency_id:
        return IntakeRequest.objects.filter(target_agency_id=user.agency_id).select_related("source_agency")
    return IntakeRequest.objects.none()


def intake_requests_pending(*, user: User) -> QuerySet[IntakeRequest]:
    """The requests still waiting for registration or a refusal: the most urgent first (they carry no deadline
    of their own, their urgency is how soon they are due), then the oldest first."""
    most_urgent_first = Case(*(When(urgency=code, then=Value(rank)) for rank, code in enumerate(codes.Urgency.values)),
                             default=Value(len(codes.Urgency.values)))
    return (intake_requests_visible_to(user=user).filter(status=IntakeRequest.Status.PENDING)
            .order_by(most_urgent_first, "created_at", "id"))


def intake_requests_decided(*, user: User) -> QuerySet[IntakeRequest]:
    """The requests already answered, the latest decision first."""
    return (intake_requests_visible_to(user=user).exclude(status=IntakeRequest.Status.PENDING)
            .select_related("decided_by", "case").order_by("-decided_at"))


def intake_requests_sent_by(*, agency_id: int) -> QuerySet[IntakeRequest]:
    """What an agency referred in, newest first: its own requests' numbers, targets and status."""
    return (IntakeRequest.objects.filter(source_agency_id=agency_id).select_related("target_agency")
            .order_by("-created_at"))
