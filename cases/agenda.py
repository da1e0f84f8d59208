"""The agenda of a case team: dated tasks of the cases (monitoring visits, checks of a mediation agreement, court
dates, ...) and the target dates of the intervention plan, on the worker's "Agenda" page, on the case page, and
as reminders through the inbox.

One owner for each date: an AgendaItem holds the tasks only the agenda knows; a planned service's target date
stays on its PlannedService and is read from there (copying it would leave two dates to keep in step, and a
copy that says "open" after the service was delivered). Whether a planned service was delivered is
cases.selectors.planned_delivered_q's answer, so the plan row, the agenda and the reminders agree.

Writes are services (keyword-only, atomic, audited); the agenda's rows are built by the selectors below.
Reminders name the case by its number and the task by its kind, never the item's note (it may name someone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agencies.models import User
from cases.models import AgendaItem, AgendaReminder, Case, PlannedService
from cases.selectors import agency_workers, cases_visible_to, planned_delivered_q
from cases.services import CaseError
from core import bounds, codes, workdays
from core.audit import audit_record
from core.policy import Capability, can
from inbox.services import Kind, notify

MAX_ROWS = 300  # per source on the agenda page: a worker's open tasks are far fewer; more is shown as truncated
OVERDUE_REMINDER_DAYS = 30  # items overdue longer were told of when they fell due; older plans stay quiet
NOTE_MAX = 300


# --- Who may change a case's agenda ------------------------------------------------------------------------

def _require_team(case: Case, actor: User) -> None:
    """The case team: whoever records the work on the case and has it in scope (its worker, the supervisor)."""
    if not (can(actor, Capability.CASE_WORK) and cases_visible_to(user=actor).filter(pk=case.pk).exists()):
        raise CaseError(_("Hanya tim kasus yang dapat mengubah agenda kasus ini."))


def agenda_assignees(*, case: Case) -> QuerySet[User]:
    """Whom an agenda item may be given to: the staff who may work on a case of this agency."""
    return agency_workers(agency_id=case.agency_id)


# --- Services ----------------------------------------------------------------------------------------------

@transaction.atomic
def agenda_item_add(*, case: Case, actor: User, kind: str, due_on: date, due_time: time | None = None,
                    assignee: User | None = None, note: str = "", request=None) -> AgendaItem:
    """Put a dated task on the case's agenda (by default for the case's worker)."""
    _require_team(case, actor)
    if case.is_closed:
        raise CaseError(_("Kasus sudah ditutup (terminasi). Buka kembali kasus bila perlu ditangani lagi."))
    if kind == codes.AgendaKind.SERVICE_TARGET:
        # One owner for the date: it is the plan line's.
        raise CaseError(_("Target layanan diambil dari rencana intervensi; tambahkan layanan ke rencana."))
    if kind not in codes.AgendaKind.values:
        raise CaseError(_("Pilih jenis agenda."))
    if due_on is None:
        raise CaseError(_("Isi tanggal agenda."))
    if problem := bounds.PLAN.problem(due_on, what=_("Tanggal agenda")):
        raise CaseError(problem)
    if due_on < timezone.localdate(case.received_at):
        raise CaseError(_("Tanggal agenda tidak boleh sebelum pengaduan diterima."))
    assignee = assignee or case.assigned_worker or actor
    if not agenda_assignees(case=case).filter(pk=assignee.pk).exists():
        raise CaseError(_("Pilih petugas lembaga yang menangani kasus ini."))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise CaseError(_("Catatan agenda paling panjang %(max)s karakter.") % {"max": NOTE_MAX})
    item = AgendaItem.objects.create(case=case, kind=kind, due_on=due_on, due_time=due_time, assignee=assignee,
                                     note=note, created_by=actor)
    audit_record(actor=actor, action="case.agenda_add", obj=case, request=request,
                 details={"item": item.pk, "kind": kind, "due_on": due_on.isoformat(), "assignee": assignee.pk})
    return item


@transaction.atomic
def agenda_item_done(*, item: AgendaItem, actor: User, at: datetime | None = None, request=None) -> AgendaItem:
    """Mark an agenda item done; it stays on the case page as done and leaves the agenda."""
    _require_team(item.case, actor)
    item.refresh_from_db(from_queryset=AgendaItem.objects.select_for_update(of=("self",)).select_related("case"))
    if item.done_at is not None:
        raise CaseError(_("Agenda ini sudah ditandai selesai."))
    at = at or timezone.now()
    if problem := bounds.RECORD.problem(at, what=_("Waktu selesai")):
        raise CaseError(problem)
    item.done_at, item.done_by = at, actor
    item.save(update_fields=["done_at", "done_by", "updated_at"])
    audit_record(actor=actor, action="case.agenda_done", obj=item.case, request=request,
                 details={"item": item.pk, "kind": item.kind})
    return item


# --- Rows of the agenda -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AgendaRow:
    """One entry of an agenda: an AgendaItem, or a planned service's target date. No personal data: the item's
    note is read from `item` on the case page only."""

    case: Case
    kind_label: str
    due_on: date
    due_time: time | None
    assignee: str
    today: date
    done: bool = False
    item: AgendaItem | None = None
    planned: PlannedService | None = None

    @property
    def days_late(self) -> int:
        return (self.today - self.due_on).days if not self.done else 0

    @property
    def is_overdue(self) -> bool:
        return self.days_late > 0

    @property
    def is_today(self) -> bool:
        return not self.done and self.due_on == self.today

    @property
    def status(self) -> str:
        """In words, so the row's colour is never the only sign."""
        if self.done:
            return _("Selesai")
        if self.is_overdue:
            return ngettext("Terlambat %(days)s hari", "Terlambat %(days)s hari", self.days_late) % {
                "days": self.days_late}
        if self.is_today:
            return _("Hari ini")
        return _("Akan datang")

    @property
    def status_class(self) -> str:
        if self.done:
            return "text-bg-success"
        if self.is_overdue:
            return "text-bg-danger"
        return "text-bg-warning" if self.is_today else "text-bg-light border"

    @property
    def sort_key(self) -> tuple:
        return (self.done, self.due_on, self.due_time or time.min, self.case.number)


def _item_row(item: AgendaItem, today: date) -> AgendaRow:
    assignee = item.assignee.display_name if item.assignee else "–"
    return AgendaRow(case=item.case, kind_label=item.get_kind_display(), due_on=item.due_on, due_time=item.due_time,
                     assignee=assignee, today=today, done=item.done_at is not None, item=item)


def _planned_row(line: PlannedService, case: Case, today: date, *, done: bool) -> AgendaRow:
    target = codes.AgendaKind.SERVICE_TARGET.label
    worker = case.assigned_worker.display_name if case.assigned_worker else "–"
    return AgendaRow(case=case, kind_label=f"{target}: {line.get_service_display()}", due_on=line.due_on,
                     due_time=None, assignee=worker, today=today, done=done, planned=line)


def case_agenda_rows(*, case: Case, today: date | None = None) -> list[AgendaRow]:
    """The case page's agenda, from what selectors.case_for_page prefetched (no query of its own): open entries
    by date, then the done ones."""
    today = today or timezone.localdate()
    rows = [_item_row(item, today) for item in case.agenda_items.all()]
    # case_for_page annotated the plan lines (selectors.planned_services_with_delivery).
    rows += [_planned_row(line, case, today, done=bool(line.is_delivered)) for line in case.planned_services.all()]
    return sorted(rows, key=lambda row: row.sort_key)


class Period:
    WEEK = "minggu"
    OVERDUE = "terlambat"
    ALL = "semua"
    CHOICES = ((ALL, gettext_lazy("Semua yang belum selesai")), (WEEK, gettext_lazy("Minggu ini")),
               (OVERDUE, gettext_lazy("Terlambat")))


def _week(today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def _due_filter(period: str, today: date) -> dict:
    if period == Period.WEEK:
        monday, sunday = _week(today)
        return {"due_on__gte": monday, "due_on__lte": sunday}
    if period == Period.OVERDUE:
        return {"due_on__lt": today}
    return {}


@dataclass(frozen=True)
class Agenda:
    rows: list[AgendaRow]
    truncated: bool  # more open entries than MAX_ROWS of a source: narrow the period
    overdue: int


_ROW_FIELDS = ("id", "kind", "due_on", "due_time", "done_at", "case__id", "case__number")


def _person(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}__{name}" for name in ("id", "username", "first_name", "last_name"))


def agenda_for(*, user: User, period: str = Period.ALL, worker_id: int | None = None,
               today: date | None = None) -> Agenda:
    """The open entries of the cases the user sees (core.policy.case_scope: a worker's cases, the supervisor's
    agency), by due date; `worker_id` narrows them to one worker's (an item's assignee, a plan line's case
    worker). Two queries whatever their number: the items, and the undelivered plan lines."""
    today = today or timezone.localdate()
    due = _due_filter(period, today)
    open_cases = cases_visible_to(user=user).exclude(stage=codes.CaseStage.CLOSED).values("pk")
    mine = ({"assignee_id": worker_id}, {"case__assigned_worker_id": worker_id}) if worker_id else ({}, {})
    # Only what a row shows: not the item's note, nor the case's encrypted columns (no decrypting for a list).
    items = list(AgendaItem.objects.filter(case__in=open_cases, done_at__isnull=True, **due, **mine[0])
                 .select_related("case", "assignee").only(*_ROW_FIELDS, *_person("assignee"))
                 .order_by("due_on", "due_time", "id")[:MAX_ROWS + 1])
    planned = list(PlannedService.objects.filter(case__in=open_cases, **due, **mine[1])
                   .exclude(planned_delivered_q())
                   .select_related("case__assigned_worker")
                   .only("id", "service", "due_on", "case__id", "case__number", *_person("case__assigned_worker"))
                   .order_by("due_on", "id")[:MAX_ROWS + 1])
    truncated = len(items) > MAX_ROWS or len(planned) > MAX_ROWS
    rows = [_item_row(item, today) for item in items[:MAX_ROWS]]
    rows += [_planned_row(line, line.case, today, done=False) for line in planned[:MAX_ROWS]]
    rows.sort(key=lambda row: row.sort_key)
    return Agenda(rows=rows, truncated=truncated, overdue=sum(1 for row in rows if row.is_overdue))


# --- Reminders (the beat job) --------------------------------------------------------------------------------

def _reminder_stage(due_on: date, today: date) -> str | None:
    if due_on < today:
        return AgendaReminder.Stage.OVERDUE
    # Due by the next working day: on a Friday, what falls due over the weekend or on Monday.
    if due_on <= workdays.next_working_day(today):
        return AgendaReminder.Stage.DUE
    return None


def _in_team(user: User | None, case: Case) -> bool:
    return bool(user and user.is_active and cases_visible_to(user=user).filter(pk=case.pk).exists())


def _remind(*, stage: str, due_on: date, case: Case, recipient: User, agenda_kind: str, service: str = "",
            item: AgendaItem | None = None, planned: PlannedService | None = None) -> bool:
    """Claim the reminder (its unique constraint) and notify in the same transaction: told once, or not at all."""
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a claim taken by an earlier run is no error
                AgendaReminder.objects.create(item=item, planned=planned, stage=stage, due_on=due_on)
        except IntegrityError:
            return False
        kind = Kind.AGENDA_OVERDUE if stage == AgendaReminder.Stage.OVERDUE else Kind.AGENDA_DUE
        params = {"number": case.number, "agenda": agenda_kind, "date": due_on.strftime("%d-%m-%Y")}
        if service:
            params["service"] = service
        notify(recipients=[recipient], kind=kind, link=reverse("cases:detail", args=[case.pk]) + "#agenda",
               params=params)
    return True


def agenda_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Tell each entry's worker once when it falls due (by the next working day) and once when it is overdue.

    An item goes to its assignee while they are on the case team, else to the case's worker; a plan line to the
    case's worker. An entry without anyone to tell is not claimed, so it is told once a worker is assigned.
    Running twice (or two at once) tells nobody twice: each reminder is claimed by a unique row.
    """
    today = today or timezone.localdate()
    window = {"due_on__gte": today - timedelta(days=OVERDUE_REMINDER_DAYS),
              "due_on__lte": workdays.next_working_day(today)}
    open_case = {"case__closed_at__isnull": True}
    sent = {AgendaReminder.Stage.DUE: 0, AgendaReminder.Stage.OVERDUE: 0}
    items = (AgendaItem.objects.filter(done_at__isnull=True, **window, **open_case)
             .exclude(case__stage=codes.CaseStage.CLOSED)
             .select_related("case__assigned_worker", "assignee").order_by("due_on", "id"))
    for item in items:
        stage = _reminder_stage(item.due_on, today)
        recipient = item.assignee if _in_team(item.assignee, item.case) else item.case.assigned_worker
        if stage and recipient and _remind(stage=stage, due_on=item.due_on, case=item.case, recipient=recipient,
                                           agenda_kind=item.kind, item=item):
            sent[stage] += 1
    lines = (PlannedService.objects.filter(case__assigned_worker__isnull=False, **window, **open_case)
             .exclude(case__stage=codes.CaseStage.CLOSED).exclude(planned_delivered_q())
             .select_related("case__assigned_worker").order_by("due_on", "id"))
    for line in lines:
        stage = _reminder_stage(line.due_on, today)
        if stage and _remind(stage=stage, due_on=line.due_on, case=line.case, recipient=line.case.assigned_worker,
                             agenda_kind=codes.AgendaKind.SERVICE_TARGET, service=line.service, planned=line):
            sent[stage] += 1
    return {"due": sent[AgendaReminder.Stage.DUE], "overdue": sent[AgendaReminder.Stage.OVERDUE]}
