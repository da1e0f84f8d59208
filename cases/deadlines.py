"""Time standards of case handling (tenggat): what is due on each case, and what is overdue.

The limits are settings (config/settings.py, from the environment); the clocks start when the
complaint was received (Case.received_at) and stop at the facts the services record:

- follow-up (identifikasi): received + N working days (core.workdays: Mon-Fri WITA without public holidays
  and cuti bersama); met by Case.identified_at (district SOP after Permen PPPA 2/2022);
- high-risk service: received + CASE_HIGH_RISK_SERVICE_MINUTES; met by Case.first_service_at
  (SOP no. 301/2022 after Permen PPPA 2/2022); medium risk: + CASE_MEDIUM_RISK_SERVICE_HOURS;
- TPKS reported to the police: received + CASE_TPKS_POLICE_REPORT_HOURS; met by Case.police_reported_at
  (UU 12/2022 Pasal 41). Sexual violence learnt after intake (cases.corrections) starts this clock when it
  became known (Case.tpks_known_at), not at the complaint.

Lists filter "overdue" in the database (`overdue_q`): the working-day rule is monotone in the
received time, so "due < now" is the same as "received < cutoff(now)" and needs no per-row arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import rules
from cases.rules import with_tpks
from core import codes
from core.workdays import add_working_days, working_days_cutoff


class DeadlineKind(models.TextChoices):
    FOLLOW_UP = "tindak_lanjut", _("Tindak lanjut pengaduan (identifikasi)")
    HIGH_RISK_SERVICE = "layanan_segera", _("Layanan segera (risiko tinggi)")
    MEDIUM_RISK_SERVICE = "layanan_risiko_sedang", _("Layanan risiko sedang")
    POLICE_REPORT = "lapor_polisi", _("Lapor ke kepolisian (TPKS)")


SOURCES = {
    DeadlineKind.FOLLOW_UP: _("SOP UPTD PPA (Permen PPPA 2/2022): 3 hari kerja"),
    DeadlineKind.HIGH_RISK_SERVICE: _("Permen PPPA 2/2022: risiko tinggi dilayani segera"),
    DeadlineKind.MEDIUM_RISK_SERVICE: _("Permen PPPA 2/2022: risiko sedang ±6 jam"),
    DeadlineKind.POLICE_REPORT: _("UU 12/2022 Pasal 41: 3×24 jam"),
}


@dataclass(frozen=True)
class DeadlineItem:
    case: object  # cases.models.Case
    kind: str
    due_at: datetime
    done_at: datetime | None
    now: datetime
    case_closed: bool = False  # a closed case's unmet item is "not met", no longer "overdue"

    @property
    def case_number(self) -> str:
        return self.case.number

    @property
    def label(self) -> str:
        return DeadlineKind(self.kind).label

    @property
    def source(self) -> str:
        return SOURCES[DeadlineKind(self.kind)]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Not done and past due, on an open case."""
        return self.done_at is None and not self.case_closed and self.due_at < self.now

    @property
    def was_late(self) -> bool:
        return self.done_at is not None and self.done_at > self.due_at

    @property
    def status(self) -> str:
        if self.done_at is not None:
            return "late" if self.was_late else "met"
        if self.case_closed:
            return "unmet"
        return "overdue" if self.is_overdue else "due"


# --- Limits, read on every call so a changed setting takes effect at once ----------------------

def follow_up_working_days() -> int:
    return settings.CASE_FOLLOW_UP_WORKING_DAYS


def high_risk_limit() -> timedelta:
    return timedelta(minutes=settings.CASE_HIGH_RISK_SERVICE_MINUTES)


def medium_risk_limit() -> timedelta:
    return timedelta(hours=settings.CASE_MEDIUM_RISK_SERVICE_HOURS)


def police_report_limit() -> timedelta:
    return timedelta(hours=settings.CASE_TPKS_POLICE_REPORT_HOURS)


# --- Working days: the one calendar (core.workdays: Mon-Fri WITA minus holidays and cuti bersama) ----

def follow_up_cutoff(now: datetime, days: int | None = None) -> datetime:
    """The received time before which the follow-up is overdue at `now`: add_working_days(r) < now iff r < this."""
    return working_days_cutoff(now, follow_up_working_days() if days is None else days)


# --- One case ------------------------------------------------------------------------------

def case_deadlines(case, *, is_tpks: bool | None = None, now: datetime | None = None) -> list[DeadlineItem]:
    """Every time standard that applies to a case, met or not, in due order."""
    now = now or timezone.now()
    if is_tpks is None:
        is_tpks = rules.is_tpks(case)
    received = case.received_at
    closed = case.stage == codes.CaseStage.CLOSED
    items = [DeadlineItem(case, DeadlineKind.FOLLOW_UP, add_working_days(received, follow_up_working_days()),
                          case.identified_at, now, closed)]
    if case.risk_level == codes.RiskLevel.HIGH:
        items.append(DeadlineItem(case, DeadlineKind.HIGH_RISK_SERVICE, received + high_risk_limit(),
                                  case.first_service_at, now, closed))
    elif case.risk_level == codes.RiskLevel.MEDIUM:
        items.append(DeadlineItem(case, DeadlineKind.MEDIUM_RISK_SERVICE, received + medium_risk_limit(),
                                  case.first_service_at, now, closed))
    if is_tpks:
        # UU 12/2022 Pasal 41: the UPTD PPA reports to the police within 3x24 hours of the victim's report.
        items.append(DeadlineItem(case, DeadlineKind.POLICE_REPORT, police_clock_start(case) + police_report_limit(),
                                  case.police_reported_at, now, closed))
    return sorted(items, key=lambda item: item.due_at)


def police_clock_start(case) -> datetime:
    """When the Pasal 41 clock starts: the complaint, or the moment sexual violence became known after it."""
    return case.tpks_known_at or case.received_at


def open_deadlines(case, *, is_tpks: bool | None = None, now: datetime | None = None) -> list[DeadlineItem]:
    """The items not yet met on an open case (a closed case has none left)."""
    if case.stage == codes.CaseStage.CLOSED:
        return []
    return [item for item in case_deadlines(case, is_tpks=is_tpks, now=now) if not item.is_done]


# --- Many cases, in the database -----------------------------------------------------------

def open_items_q() -> Q:
    """Open cases with at least one time standard not yet met (needs `with_tpks`)."""
    return ~Q(stage=codes.CaseStage.CLOSED) & (
        Q(identified_at__isnull=True)
        | Q(risk_level__in=[codes.RiskLevel.HIGH, codes.RiskLevel.MEDIUM], first_service_at__isnull=True)
        | Q(is_tpks=True, police_reported_at__isnull=True))


def overdue_q(now: datetime | None = None) -> Q:
    """Open cases with at least one item past due and not met (needs `with_tpks`)."""
    now = now or timezone.now()
    return ~Q(stage=codes.CaseStage.CLOSED) & (
        Q(identified_at__isnull=True, received_at__lt=follow_up_cutoff(now))
        | Q(risk_level=codes.RiskLevel.HIGH, first_service_at__isnull=True, received_at__lt=now - high_risk_limit())
        | Q(risk_level=codes.RiskLevel.MEDIUM, first_service_at__isnull=True,
            received_at__lt=now - medium_risk_limit())
        | Q(is_tpks=True, police_reported_at__isnull=True, tpks_known_at__isnull=True,
            received_at__lt=now - police_report_limit())
        | Q(is_tpks=True, police_reported_at__isnull=True, tpks_known_at__lt=now - police_report_limit()))


def deadline_items(cases: QuerySet, *, now: datetime | None = None) -> list[DeadlineItem]:
    """The unmet items of the given cases, earliest due first: one query, whatever the number of cases."""
    now = now or timezone.now()
    rows = (with_tpks(cases).filter(open_items_q()).select_related(None).select_related("assigned_worker")
            .only("id", "number", "stage", "received_at", "risk_level", "identified_at", "first_service_at",
                  "police_reported_at", "tpks_known_at", "assigned_worker__username", "assigned_worker__first_name",
                  "assigned_worker__last_name")
            .order_by())
    items = [item for case in rows for item in open_deadlines(case, is_tpks=case.is_tpks, now=now)]
    return sorted(items, key=lambda item: (item.due_at, item.case_number))


def overdue_count(cases: QuerySet, *, now: datetime | None = None) -> int:
    """How many of the given cases have an overdue item, counted in the database."""
    return with_tpks(cases).aggregate(n=Count("id", filter=overdue_q(now)))["n"]
