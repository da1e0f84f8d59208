"""Reads of the case file, scoped by who is asking."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as Case_
from django.utils import timezone

from agencies.models import User
from cases.deadlines import overdue_q
from cases.models import (
    Accompaniment,
    AgendaItem,
    Assessment,
    Attachment,
    BreachRecord,
    Case,
    CaseNote,
    CaseTransfer,
    Consent,
    Mediation,
    Perpetrator,
    PlannedService,
    ServiceDelivery,
    Victim,
    VictimPerpetrator,
    VictimViolence,
)
from cases.rules import with_tpks
from core import codes
from core.models import AuditEvent
from core.policy import Capability, Scope, can, case_scope, staff_who_can
from inbox.selectors import intake_requests_pending


def cases_visible_to(*, user: User) -> QuerySet[Case]:
    """The cases assigned to the user (a caseworker), every case of their agency (a supervisor), or none:
    core.policy.case_scope decides."""
    cases = Case.objects.select_related("agency", "assigned_worker", "incident")
    scope = case_scope(user)
    if scope == Scope.OWN:
        return cases.filter(assigned_worker=user)
    if scope == Scope.UNIT:
        return cases.filter(agency_id=user.agency_id)
    return cases.none()


def cases_handed_on_by(*, user: User) -> QuerySet[Case]:
    """Cases the user's agency transferred to another unit (pelimpahan accepted): read-only, limited to what it
    recorded before acceptance (cases.transfers). The sending supervisors (UNIT scope) and the worker assigned
    when it was sent (OWN scope) keep this read access; case_scope decides, as for the cases in hand."""
    scope = case_scope(user)
    if scope == Scope.NONE or not user.agency_id:
        return Case.objects.none()
    handed_on = CaseTransfer.objects.filter(case=OuterRef("pk"), status=CaseTransfer.Status.ACCEPTED,
                                            sending_agency_id=user.agency_id)
    if scope == Scope.OWN:
        handed_on = handed_on.filter(sending_worker=user)
    # A case that came back to the agency later is in hand again (cases_visible_to), not read-only.
    return (Case.objects.select_related("agency", "incident").filter(Exists(handed_on))
            .exclude(agency_id=user.agency_id))


def sharing_consent(*, victim: Victim, agency_type: str) -> Consent | None:
    """The victim's newest effective consent that covers sharing data with this kind of agency (referrals and
    transfers ask the same question: UU 27/2022 PDP Pasal 20-24)."""
    for consent in victim.consents.order_by("-given_at", "-id"):
        if (consent.is_effective and codes.ConsentScope.SHARING in consent.scopes
                and agency_type in consent.sharing_agency_types):
            return consent
    return None
def case_team_cases(*, user: User) -> QuerySet[Case]:
    """The cases whose file the user may correct (issue 10: the case team, the assigned worker and the
    supervisors of the case's agency): today the cases they work on, as core.policy.case_scope decides."""
    if not can(user, Capability.CASE_WORK):
        return Case.objects.none()
    return cases_visible_to(user=user)


def case_counts_by_village(*, start: date, end: date) -> dict[str, int]:
    """Cases per desa/kelurahan of the incident, counted by the complaint's received date (start..end inclusive).

    Per case, at the case's incident (its main desa), never per victim: the coverage page adds the desa up to
    the kecamatan and the district's case total, which a case counted in each of its victims' desa would break.
    Where each victim was harmed is counted by the victim tables of the statistics (Victim.place_village)."""
    rows = (Case.objects.filter(received_at__date__gte=start, received_at__date__lte=end,
                                incident__village__isnull=False)
            .values("incident__village_id").annotate(n=Count("id")).order_by())
    return {row["incident__village_id"]: row["n"] for row in rows}


# --- Lists --------------------------------------------------------------------------------------

SORTS = {
    "terbaru": ("-received_at", "-id"),
    "terlama": ("received_at", "id"),
    "nomor": ("number",),
    "tahap": ("stage_order", "-received_at"),
    "risiko": ("risk_order", "-received_at"),
}


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    stage: str = ""
    risk_level: str = ""
    case_type: str = ""
    violence_type: str = ""
    kecamatan: str = ""
    worker: int | None = None
    unassigned: bool = False
    overdue: bool = False
    closure_pending: bool = False
    sort: str = "terbaru"


def cases_filter(cases: QuerySet[Case], filters: CaseFilters, *, now: datetime | None = None) -> QuerySet[Case]:
    """Search by case number or survivor code, filter and sort; every column a list shows comes in one query
    plus two prefetches (survivor codes, violence types), whatever the page size."""
    cases = with_tpks(cases)
    if filters.q:
        q = filters.q.strip()
        cases = cases.filter(Q(number__icontains=q) | Exists(
            Victim.objects.filter(case=OuterRef("pk"), survivor_code__iexact=q)))
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.risk_level:
        cases = cases.filter(risk_level=filters.risk_level)
    if filters.case_type:
        cases = cases.filter(case_type=filters.case_type)
    if filters.violence_type:
        cases = cases.filter(Exists(VictimViolence.objects.filter(victim__case=OuterRef("pk"),
                                                                  violence_type=filters.violence_type)))
    if filters.kecamatan:
        cases = cases.filter(incident__kecamatan_id=filters.kecamatan)
    if filters.worker:
        cases = cases.filter(assigned_worker_id=filters.worker)
    if filters.unassigned:
        cases = cases.filter(assigned_worker__isnull=True)
    if filters.overdue:
        cases = cases.filter(overdue_q(now))
    if filters.closure_pending:
        cases = cases.filter(closure_requested_at__isnull=False).exclude(stage=codes.CaseStage.CLOSED)
    stage_order = Case_(*[When(stage=value, then=Value(i)) for i, value in enumerate(codes.CaseStage.values)],
                        default=Value(99), output_field=IntegerField())
    risk_order = Case_(*[When(risk_level=value, then=Value(i)) for i, value in enumerate(codes.RiskLevel.values)],
                       default=Value(99), output_field=IntegerField())
    victims = Victim.objects.only("id", "case_id", "survivor_code").prefetch_related(
        Prefetch("violence_types", queryset=VictimViolence.objects.order_by("violence_type")))
    return (cases.select_related("incident__kecamatan")
            .annotate(stage_order=stage_order, risk_order=risk_order)
            .prefetch_related(Prefetch("victims", queryset=victims))
            .order_by(*SORTS.get(filters.sort, SORTS["terbaru"])))


def agency_workers(*, agency_id: int | None) -> QuerySet[User]:
    """Staff who may be assigned a case of this agency (caseworkers and the supervisor as case manager)."""
    return User.objects.filter(staff_who_can(Capability.CASE_WORK), agency_id=agency_id,
                               is_active=True).order_by("first_name", "username")


# --- One case -----------------------------------------------------------------------------------

def case_for_page(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything the case page shows, prefetched: a fixed number of queries whatever the case holds."""
    return (with_tpks(cases)
            .select_related("incident__kecamatan", "incident__village", "closure_requested_by",
                            "closure_approved_by", "created_by", "intake_request__source_agency",
                            "legal_hold_by")
            .prefetch_related(
                Prefetch("victims", queryset=Victim.objects.select_related(
                    "address_kecamatan", "address_village", "place_kecamatan", "place_village").prefetch_related(
                    "violence_types", "perpetrator_links")),
                "perpetrators",
                Prefetch("assessments", queryset=Assessment.objects.select_related("assessed_by")),
                Prefetch("planned_services", queryset=planned_services_with_delivery(
                    PlannedService.objects.select_related("provider_agency", "provider_user"))),
                Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("assignee")),
                Prefetch("service_deliveries", queryset=ServiceDelivery.objects.select_related(
                    "victim", "provider_agency", "provider_user")),
                Prefetch("accompaniments", queryset=Accompaniment.objects.select_related("accompanied_by")),
                Prefetch("consents", queryset=Consent.objects.select_related("victim", "approved_by")),
                Prefetch("mediations", queryset=Mediation.objects.select_related("recorded_by")),
                Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
                Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
                "subject_requests",
            ))


def planned_delivered_q() -> Q:
    """The one answer to "was this planned service delivered?", as a condition on plan lines: a delivery was
    recorded against the line (ServiceDelivery.planned), or a partner agency gave this service for the case
    through a referral: it recorded the service, or completed a referral that asked for it (a partner's
    deliveries carry no plan line: the partner never sees the plan). The referral is reached through the
    case's relations, so cases never imports the referrals app."""
    return Q(Exists(ServiceDelivery.objects.filter(planned=OuterRef("pk")))) | _by_partner_q()


def _by_partner_q() -> Q:
    partner_delivery = ServiceDelivery.objects.filter(case=OuterRef("case_id"), service=OuterRef("service"),
                                                      referral_link__isnull=False)
    # completed_at is set exactly when the partner closes the referral with its outcome.
    referral_done = Case.objects.filter(pk=OuterRef("case_id"), referrals__completed_at__isnull=False,
                                        referrals__requested_services__service=OuterRef("service"))
    return Q(Exists(partner_delivery)) | Q(Exists(referral_done))


def planned_services_with_delivery(planned: QuerySet[PlannedService]) -> QuerySet[PlannedService]:
    """Plan lines with `delivered` (deliveries recorded against the line), `by_partner` and `is_delivered`
    (planned_delivered_q), for the plan rows and the agenda."""
    return planned.annotate(
        delivered=Count("deliveries"),
        by_partner=ExpressionWrapper(_by_partner_q(), output_field=BooleanField()),
        is_delivered=ExpressionWrapper(planned_delivered_q(), output_field=BooleanField()),
    )


def case_reads(*, case: Case, limit: int = 30) -> list[AuditEvent]:
    """Who opened this case's pages, newest first (the supervisor's view of the audit trail)."""
    return list(AuditEvent.objects.filter(object_type=Case._meta.label_lower, object_id=str(case.pk),
                                          action__in=READ_ACTIONS).order_by("-at")[:limit])


READ_ACTIONS = ["case.read", "case.attachment_read", "case.print"]


# --- Possible duplicates at intake --------------------------------------------------------------

@dataclass(frozen=True)
class DuplicateMatch:
    case_id: int
    case_number: str  # "" when the case is outside the user's caseload
    survivor_code: str  # "" likewise
    reason: str  # "nik" or "nama_tanggal_lahir"
    agency_name: str = ""
    agency_id: int | None = None

    @property
    def in_scope(self) -> bool:
        return bool(self.case_number)


class DuplicateMatches(list):
    """The matches as shown: the user's own cases by number, the others only as "a possible match in <agency>"."""

    @property
    def in_scope(self) -> list[DuplicateMatch]:
        return [m for m in self if m.in_scope]

    @property
    def elsewhere(self) -> list[str]:
        """The agencies holding a match outside the user's caseload, each named once."""
        return sorted({m.agency_name for m in self if not m.in_scope})

    @property
    def elsewhere_agencies(self) -> list[tuple[int, str]]:
        """(id, name) of the agencies holding a match outside the user's caseload: whom a supervisor may ask."""
        return sorted({(m.agency_id, m.agency_name) for m in self if not m.in_scope}, key=lambda pair: pair[1])


def possible_duplicates(*, user: User, victims: list[tuple[str, str, date | None]],
                        exclude_case_id: int | None = None) -> DuplicateMatches:
    """Victims already recorded, in any agency, with the same NIK, or the same name and birth date.

    `victims` holds (nik, name, birth_date) per victim typed at intake. Matches carry only the case
    number and survivor code, and those only for cases in the user's own scope (cases_visible_to): of a
    colleague's case, or a case of another agency (another UPTD PPA, another district), the worker learns only
    that a possible match exists there, and a supervisor may ask that agency (issues 10 and 12). The other
    case's names always stay in that case.
    """
    if not (can(user, Capability.CASE_INTAKE) and user.agency_id):
        return DuplicateMatches()
    # Compared through the blind index (core.crypto): the NIK, name and birth date are encrypted at rest.
    keys = [Victim.lookup_keys(nik=nik, name=name, birth_date=birth) for nik, name, birth in victims]
    by_nik = {key["nik_lookup"] for key in keys if key["nik_lookup"]}
    by_name = {key["name_birth_lookup"] for key in keys if key["name_birth_lookup"]}
    if not (by_nik or by_name):
        return DuplicateMatches()
    rows = (Victim.objects.filter(Q(nik_lookup__in=by_nik) | Q(name_birth_lookup__in=by_name))
            .select_related("case").only("id", "nik_lookup", "survivor_code", "case__id", "case__number")
            .order_by("case__number"))
    if exclude_case_id:
        rows = rows.exclude(case_id=exclude_case_id)
    found = [(v.case_id, v.case.number, v.survivor_code,
              "nik" if v.nik_lookup in by_nik else "nama_tanggal_lahir") for v in rows]
    return _duplicates_shown(user=user, found=found)


def _duplicates_shown(*, user: User, found: list[tuple[int, str, str, str]]) -> DuplicateMatches:
    """Drop the case number and survivor code of matches outside the user's scope; name their agency."""
    ids = {case_id for case_id, *_rest in found}
    in_scope = set(cases_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    agencies = {pk: (agency_id, name) for pk, agency_id, name in
                Case.objects.filter(pk__in=ids).values_list("pk", "agency_id", "agency__name")} if ids else {}
    return DuplicateMatches(
        DuplicateMatch(case_id, number, code, reason, agencies.get(case_id, (None, ""))[1],
                       agencies.get(case_id, (None, ""))[0]) if case_id in in_scope
        else DuplicateMatch(case_id, "", "", reason, agencies.get(case_id, (None, ""))[1],
                            agencies.get(case_id, (None, ""))[0])
        for case_id, number, code, reason in found)


# --- Home page counts ---------------------------------------------------------------------------

def case_home_counts(*, user: User, now: datetime | None = None) -> dict[str, int]:
    """Counts for the home page, in two queries: the user's open and overdue cases, closures awaiting a
    decision (supervisors), and the intake queue."""
    now = now or timezone.now()
    cases = with_tpks(cases_visible_to(user=user).select_related(None).order_by())
    counts = cases.aggregate(
        open=Count("id", filter=~Q(stage=codes.CaseStage.CLOSED)),
        overdue=Count("id", filter=overdue_q(now)),
        closure_pending=Count("id", filter=Q(closure_requested_at__isnull=False) & ~Q(stage=codes.CaseStage.CLOSED)),
        unassigned=Count("id", filter=Q(assigned_worker__isnull=True) & ~Q(stage=codes.CaseStage.CLOSED)),
    )
    counts["intake_pending"] = intake_requests_pending(user=user).count()
    return counts


# --- Statistics ----------------------------------------------------------------------------------
# Every case of the district, not scoped to a user: for aggregate figures only (the reports show counts,
# suppress small cells and never list a record). "Received in" is the complaint's received_at in
# [start, end), the date that puts a record in a reporting period. Callers aggregate in the database.

def cases_received_in(*, start: datetime, end: datetime) -> QuerySet[Case]:
    return Case.objects.filter(received_at__gte=start, received_at__lt=end)


def victims_received_in(*, start: datetime, end: datetime) -> QuerySet[Victim]:
    return Victim.objects.filter(case__received_at__gte=start, case__received_at__lt=end)


def kdrt_case_q() -> Q:
    """A KDRT case: at least one of its victims was harmed within the household (UU 23/2004 PKDRT). The flag is
    the victim's (SIMFONI counts it per victim); the case counts once however many of its victims have it."""
    return Q(Exists(Victim.objects.filter(case=OuterRef("pk"), is_kdrt=True)))


def perpetrators_received_in(*, start: datetime, end: datetime) -> QuerySet[Perpetrator]:
    return Perpetrator.objects.filter(case__received_at__gte=start, case__received_at__lt=end)


def violence_types_received_in(*, start: datetime, end: datetime) -> QuerySet[VictimViolence]:
    """One row per victim and violence type."""
    return VictimViolence.objects.filter(victim__case__received_at__gte=start, victim__case__received_at__lt=end)


def victim_perpetrator_pairs_received_in(*, start: datetime, end: datetime) -> QuerySet[VictimPerpetrator]:
    return VictimPerpetrator.objects.filter(victim__case__received_at__gte=start, victim__case__received_at__lt=end)


def service_deliveries_received_in(*, start: datetime, end: datetime) -> QuerySet[ServiceDelivery]:
    return ServiceDelivery.objects.filter(case__received_at__gte=start, case__received_at__lt=end)


def cases_open_at(*, moment: datetime) -> QuerySet[Case]:
    """Cases received before `moment` and not closed by then (the caseload at that moment)."""
    return Case.objects.filter(received_at__lt=moment).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=moment))


def cases_closed_in(*, start: datetime, end: datetime) -> QuerySet[Case]:
    return Case.objects.filter(closed_at__gte=start, closed_at__lt=end)


@dataclass(frozen=True)
class BreachRow:
    breach: BreachRecord
    due_at: datetime
    now: datetime

    @property
    def is_open(self) -> bool:
        return self.breach.notified_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < self.now


def breaches_visible_to(*, user: User) -> QuerySet[BreachRecord]:
    """The administrator sees every agency's breaches; a supervisor those of their agency."""
    if not can(user, Capability.BREACH_REGISTER):
        return BreachRecord.objects.none()
    if can(user, Capability.AUDIT_VIEW_ALL):
        return BreachRecord.objects.all()
    return BreachRecord.objects.filter(agency_id=user.agency_id)


def breach_rows(*, user: User, now: datetime) -> list[BreachRow]:
    """Breaches with their notification deadline: 3x24 hours after discovery (UU 27/2022 Pasal 46)."""
    limit = timedelta(hours=settings.BREACH_NOTIFICATION_HOURS)
    return [BreachRow(breach, breach.discovered_at + limit, now)
            for breach in breaches_visible_to(user=user).select_related("agency")]
