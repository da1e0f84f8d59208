"""Reads of the referral network, scoped by who is asking, and the network's figures for the reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from agencies.models import User
from cases.models import Case
from cases.selectors import cases_visible_to
from referrals.models import Referral
from referrals.services import takes_part_in_referrals

OVERDUE_TAB = "terlambat"  # a tab, not a status: unanswered referrals past their answer time
STATUS_TABS = (Referral.Status.NEW, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS, Referral.Status.DONE,
               Referral.Status.DECLINED)
INBOX_TABS = (*STATUS_TABS, OVERDUE_TAB)
CLOSED_TABS = (Referral.Status.DONE, Referral.Status.DECLINED)


def referrals_visible_to(*, user: User) -> QuerySet[Referral]:
    """The sending side (who may see the case) sees its referrals in full; the receiving agency's staff see
    the referrals sent to their agency except revoked ones. `is_sender` tells the two apart."""
    referrals = Referral.objects.select_related("case", "victim", "sending_agency", "receiving_agency", "sent_by",
                                                "consent")
    if not (user.is_authenticated and user.is_active):
        return referrals.none()
    visible_cases = cases_visible_to(user=user).filter(pk=OuterRef("case_id"))
    referrals = referrals.annotate(is_sender=Exists(visible_cases))
    scope = Q(is_sender=True)
    if takes_part_in_referrals(user):
        scope |= Q(receiving_agency_id=user.agency_id) & ~Q(status=Referral.Status.REVOKED)
    return referrals.filter(scope)


def _overdue_q(now: datetime) -> Q:
    return Q(status=Referral.Status.NEW) & (Q(overdue_at__isnull=False) | Q(due_at__lte=now))


def referral_inbox(*, user: User, tab: str = "", urgency: str = "", service: str = "",
                   number: str = "") -> QuerySet[Referral]:
    """The receiving agency's inbox, filtered; revoked referrals are gone from it."""
    if not takes_part_in_referrals(user):
        return Referral.objects.none()
    referrals = (Referral.objects.filter(receiving_agency_id=user.agency_id)
                 .exclude(status=Referral.Status.REVOKED)
                 .select_related("sending_agency").prefetch_related("requested_services"))
    if tab == OVERDUE_TAB:
        referrals = referrals.filter(_overdue_q(timezone.now()))
    elif tab in INBOX_TABS:
        referrals = referrals.filter(status=tab)
    if urgency:
        referrals = referrals.filter(urgency=urgency)
    if service:
        referrals = referrals.filter(requested_services__service=service)
    if number:
        referrals = referrals.filter(number__icontains=number.strip())
    if tab in CLOSED_TABS:  # nothing is due on these: the latest first, as a record
        return referrals.order_by("-sent_at", "-id")
    # What is due first comes first: a "darurat" referral answered within hours sits above a "segera" one sent
    # earlier, whatever the order they arrived in.
    return referrals.order_by("due_at", "id")


def inbox_counts(*, user: User) -> dict[str, int]:
    """How many referrals each inbox tab holds, in one query."""
    if not takes_part_in_referrals(user):
        return dict.fromkeys(INBOX_TABS, 0)
    now = timezone.now()
    counts = Referral.objects.filter(receiving_agency_id=user.agency_id).aggregate(
        **{tab: Count("id", filter=Q(status=tab)) for tab in STATUS_TABS},
        **{OVERDUE_TAB: Count("id", filter=_overdue_q(now))})
    return counts


def referrals_sent(*, user: User, status: str = "", overdue: bool = False) -> QuerySet[Referral]:
    """Referrals of the cases the user may see (the caseworker's list of sent referrals)."""
    referrals = (Referral.objects.filter(case__in=cases_visible_to(user=user).values("pk"))
                 .select_related("case", "receiving_agency", "victim").prefetch_related("requested_services"))
    if status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    if overdue:
        referrals = referrals.filter(_overdue_q(timezone.now()))
    return referrals.order_by("-sent_at", "-id")


def case_referrals(*, case: Case) -> QuerySet[Referral]:
    """A case's referrals for its page (the caller has already checked the case is visible)."""
    return (Referral.objects.filter(case=case).select_related("receiving_agency", "victim")
            .prefetch_related("requested_services").order_by("-sent_at", "-id"))


# --- Network figures (for the reports) --------------------------------------------------------------

@dataclass(frozen=True)
class AgencyFigures:
    """One receiving agency's referrals sent in a period.

    decline_rate = declined / answered; completion_rate = done / accepted (None when nothing to divide).
    overdue = answered after the deadline, or still unanswered past it (revoked ones up to their revocation).
    """

    agency_id: int
    agency_name: str
    agency_type: str
    received: int
    accepted: int
    declined: int
    done: int
    revoked: int
    overdue: int
    median_time_to_accept: timedelta | None

    @property
    def decline_rate(self) -> float | None:
        answered = self.accepted + self.declined
        return self.declined / answered if answered else None

    @property
    def completion_rate(self) -> float | None:
        return self.done / self.accepted if self.accepted else None


def _period(start: date, end: date) -> Q:
    tz = timezone.get_current_timezone()
    return Q(sent_at__gte=datetime.combine(start, time.min, tzinfo=tz),
             sent_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))


def network_figures(*, start: date, end: date) -> list[AgencyFigures]:
    """Per receiving agency, referrals sent from `start` to `end` (inclusive, WITA): counts, rates, overdue and the
    median time to accept, all computed in the database (two queries whatever the number of referrals)."""
    now = timezone.now()
    period = Referral.objects.filter(_period(start, end))
    was_accepted = Q(answered_at__isnull=False) & ~Q(status=Referral.Status.DECLINED)
    overdue = (Q(answered_at__isnull=False, answered_at__gt=F("due_at"))
               | Q(answered_at__isnull=True, due_at__lt=Coalesce("revoked_at", now)))
    rows = (period.values("receiving_agency_id", "receiving_agency__name", "receiving_agency__agency_type")
            .annotate(received=Count("id"), accepted=Count("id", filter=was_accepted),
                      declined=Count("id", filter=Q(status=Referral.Status.DECLINED)),
                      done=Count("id", filter=Q(status=Referral.Status.DONE)),
                      revoked=Count("id", filter=Q(status=Referral.Status.REVOKED)),
                      overdue=Count("id", filter=overdue))
            .order_by("receiving_agency__name"))
    medians = _median_time_to_accept(period.filter(was_accepted))
    return [AgencyFigures(agency_id=r["receiving_agency_id"], agency_name=r["receiving_agency__name"],
                          agency_type=r["receiving_agency__agency_type"], received=r["received"],
                          accepted=r["accepted"], declined=r["declined"], done=r["done"], revoked=r["revoked"],
                          overdue=r["overdue"], median_time_to_accept=medians.get(r["receiving_agency_id"]))
            for r in rows]


def _median_time_to_accept(accepted: QuerySet[Referral]) -> dict[int, timedelta]:
    """The database ranks each agency's waits; only the one or two middle rows per agency come back."""
    wait = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())
    ranked = (accepted.annotate(
        wait=wait,
        position=Window(RowNumber(), partition_by=[F("receiving_agency_id")], order_by=[wait.asc(), F("id").asc()]),
        total=Window(Count("id"), partition_by=[F("receiving_agency_id")]))
        # The middle row (odd count) or the two middle rows (even count): (total+1)/2 <= position <= (total+2)/2.
        .filter(position__gte=(F("total") + 1) / 2, position__lte=(F("total") + 2) / 2)
        .values_list("receiving_agency_id", "wait"))
    middles: dict[int, list[timedelta]] = {}
    for agency_id, value in ranked:
        middles.setdefault(agency_id, []).append(value)
    return {agency_id: sum(values, timedelta()) / len(values) for agency_id, values in middles.items()}

