"""Reads of prevention records, scoped by who is asking, and the village coverage table.

Who sees what (core.policy decides; the predicates below ask it, and the selectors build the queries):
- PATBM staff (role mitra at an agency of type PATBM): their agency's groups, activists, activities and
  prevention activities;
- PUSPAGA staff (role mitra at a PUSPAGA): their agency's sessions with the notes, and their agency's
  prevention activities;
- supervisors and officials: every prevention record, never a PUSPAGA session's notes; the coverage page;
- everybody else (caseworkers, other partner staff such as the police, administrators): nothing here.
  Caseworkers work from their cases; coverage carries case counts per desa, small cells that the UU PDP
  reading in domain.md section 7 keeps to supervisors and officials.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from agencies.models import Region, User
from agencies.selectors import district_kecamatan, district_villages
from cases.selectors import case_counts_by_village
from core.policy import Capability, can
from core.suppression import SHOWN, Cell, suppress_lines, threshold
from prevention.models import (
    PatbmActivist,
    PatbmActivity,
    PatbmActivityPhoto,
    PatbmGroup,
    PreventionActivity,
    PreventionActivityTopic,
    PuspagaSession,
    participants_total_expression,
)


def is_patbm_staff(user: User) -> bool:
    return can(user, Capability.PREVENTION_PATBM)


def is_puspaga_staff(user: User) -> bool:
    return can(user, Capability.PREVENTION_PUSPAGA)


def sees_all_prevention(user: User) -> bool:
    """Supervisors and officials oversee the district's prevention work."""
    return can(user, Capability.PREVENTION_OVERSEE)


def sees_exact_case_counts(user: User) -> bool:
    """Supervisors, who may read the internal edition of reports; officials see small counts hidden."""
    return can(user, Capability.REPORT_INTERNAL)


def can_record_activities(user: User) -> bool:
    """PATBM and PUSPAGA staff and supervisors record their own agency's prevention activities."""
    return can(user, Capability.PREVENTION_ACTIVITIES)


def prevention_pages_for(user: User) -> dict[str, bool]:
    """Which prevention pages the user may open (the tabs above every prevention page)."""
    overseer = sees_all_prevention(user)
    return {"coverage": overseer, "patbm": overseer or is_patbm_staff(user),
            "puspaga": overseer or is_puspaga_staff(user),
            "activities": overseer or can_record_activities(user)}


# --- PATBM -------------------------------------------------------------------------------------------

def patbm_groups_visible_to(*, user: User) -> QuerySet[PatbmGroup]:
    groups = PatbmGroup.objects.select_related("village__parent", "agency")
    if sees_all_prevention(user):
        return groups
    if is_patbm_staff(user):
        return groups.filter(agency_id=user.agency_id)
    return groups.none()


def patbm_group_list(*, user: User, kecamatan_code: str = "", active: str = "") -> QuerySet[PatbmGroup]:
    """The group list: no activist names, only counts (annotated in the database)."""
    groups = patbm_groups_visible_to(user=user)
    if kecamatan_code:
        groups = groups.filter(village__parent_id=kecamatan_code)
    if active in ("1", "0"):
        groups = groups.filter(is_active=active == "1")
    return groups.annotate(
        activist_count=Count("activists", filter=Q(activists__is_active=True), distinct=True),
        activity_count=Count("activities", distinct=True),
    ).order_by("village_id")


def patbm_groups_with_activists(*, user: User) -> QuerySet[PatbmGroup]:
    """For the group's own page, the only page that names its activists."""
    return patbm_groups_visible_to(user=user).prefetch_related(
        Prefetch("activists", queryset=PatbmActivist.objects.order_by("-is_active", "name")))


def patbm_activists_visible_to(*, user: User) -> QuerySet[PatbmActivist]:
    return PatbmActivist.objects.filter(group__in=patbm_groups_visible_to(user=user)).select_related(
        "group__village")


def patbm_activities_visible_to(*, user: User) -> QuerySet[PatbmActivity]:
    return PatbmActivity.objects.filter(group__in=patbm_groups_visible_to(user=user)).select_related(
        "group__village__parent", "group__agency")


def patbm_photos_visible_to(*, user: User) -> QuerySet[PatbmActivityPhoto]:
    return PatbmActivityPhoto.objects.filter(activity__group__in=patbm_groups_visible_to(user=user))


def patbm_villages_without_group(*, kecamatan_code: str | None = None) -> QuerySet[Region]:
    return district_villages(kecamatan_code=kecamatan_code).filter(patbm_group__isnull=True)


# --- PUSPAGA -----------------------------------------------------------------------------------------

def puspaga_sessions_visible_to(*, user: User) -> QuerySet[PuspagaSession]:
    """Staff of the PUSPAGA that held a session read it whole; overseers read it without the notes."""
    sessions = PuspagaSession.objects.select_related("agency", "counsellor", "intake_request")
    if is_puspaga_staff(user):
        return sessions.filter(agency_id=user.agency_id)
    if sees_all_prevention(user):
        # The notes are not even loaded for overseers: a template slip cannot show them.
        return sessions.defer("notes")
    return sessions.none()


def may_read_session_notes(*, user: User, session: PuspagaSession) -> bool:
    return is_puspaga_staff(user) and session.agency_id == user.agency_id


def puspaga_session_list(*, user: User, start: date | None = None, end: date | None = None, issue: str = "",
                         referred: str = "") -> QuerySet[PuspagaSession]:
    sessions = puspaga_sessions_visible_to(user=user).defer("notes")
    if start:
        sessions = sessions.filter(held_on__gte=start)
    if end:
        sessions = sessions.filter(held_on__lte=end)
    if issue:
        sessions = sessions.filter(issue=issue)
    if referred in ("1", "0"):
        sessions = sessions.filter(referred_to_uptd=referred == "1")
    return sessions.order_by("-held_on", "-id")


# --- Prevention activities ---------------------------------------------------------------------------

def prevention_activities_visible_to(*, user: User) -> QuerySet[PreventionActivity]:
    activities = PreventionActivity.objects.select_related("agency", "kecamatan", "village").prefetch_related(
        "topics")
    if sees_all_prevention(user):
        return activities
    if can_record_activities(user):
        return activities.filter(agency_id=user.agency_id)
    return activities.none()


def prevention_activity_list(*, user: User, start: date | None = None, end: date | None = None, kind: str = "",
                             topic: str = "", kecamatan_code: str = "") -> QuerySet[PreventionActivity]:
    activities = prevention_activities_visible_to(user=user)
    if start:
        activities = activities.filter(held_on__gte=start)
    if end:
        activities = activities.filter(held_on__lte=end)
    if kind:
        activities = activities.filter(kind=kind)
    if topic:
        activities = activities.filter(topics__topic=topic)
    if kecamatan_code:
        activities = activities.filter(kecamatan_id=kecamatan_code)
    return activities.order_by("-held_on", "-id")


# --- Coverage ----------------------------------------------------------------------------------------

class PatbmStatus:
    ACTIVE = "aktif"
    INACTIVE = "tidak_aktif"
    NONE = "belum_ada"


@dataclass
class CoverageRow:
    """One desa/kelurahan, or one kecamatan with its villages added up.

    `activities` counts PATBM activities plus prevention activities held in the desa; a kecamatan row
    adds the activities held for the kecamatan as a whole. `cases`: complaints received in the period
    whose incident happened there. `gap`: cases were reported and no prevention activity was held there.
    """

    code: str
    name: str
    level: str
    kecamatan_code: str
    kecamatan_name: str
    patbm_status: str = PatbmStatus.NONE
    patbm_activities: int = 0
    prevention_activities: int = 0
    participants: int = 0
    cases: int = 0
    # Kecamatan rows only
    villages: int = 0
    villages_with_active_patbm: int = 0
    gap_villages: int = 0
    kecamatan_wide_activities: int = 0
    children: list[CoverageRow] = field(default_factory=list, repr=False)
    # What the page prints for `cases` (coverage_shown_cases): exact, or "<3" / "x" under suppression.
    cases_cell: Cell | None = field(default=None, repr=False)

    @property
    def cases_shown(self) -> str:
        return (self.cases_cell or Cell(self.cases)).display(threshold())

    @property
    def cases_rank(self) -> int:
        """The case count to sort by: a hidden count sorts as one, so its place reveals nothing of it."""
        return 1 if self.cases_cell is not None and self.cases_cell.hidden else self.cases

    @property
    def is_kecamatan(self) -> bool:
        return self.level == Region.Level.SUBDISTRICT

    @property
    def activities(self) -> int:
        return self.patbm_activities + self.prevention_activities

    @property
    def gap(self) -> bool:
        if self.is_kecamatan:
            return self.gap_villages > 0
        return bool(self.cases) and self.activities == 0


def coverage_table(*, start: date, end: date, district_code: str | None = None) -> list[CoverageRow]:
    """Every kecamatan of the district followed by its desa/kelurahan, with PATBM status, activities held
    in start..end (inclusive) and cases reported there. A fixed number of queries, whatever the villages."""
    kecamatan_list = list(district_kecamatan(district_code=district_code))
    villages = list(district_villages(district_code=district_code).order_by("code"))
    groups = dict(PatbmGroup.objects.filter(village__parent__parent_id=district_code or settings.DISTRICT_CODE)
                  .values_list("village_id", "is_active"))
    in_period = Q(held_on__gte=start, held_on__lte=end)
    total = participants_total_expression()
    patbm = {row["group__village_id"]: row for row in PatbmActivity.objects.filter(in_period).values(
        "group__village_id").annotate(n=Count("id"), people=Sum(total)).order_by()}
    kecamatan_codes = [k.code for k in kecamatan_list]
    prevention = {row["village_id"]: row for row in PreventionActivity.objects.filter(
        in_period, village__isnull=False, kecamatan_id__in=kecamatan_codes).values("village_id").annotate(
        n=Count("id"), people=Sum(total)).order_by()}
    kecamatan_wide = {row["kecamatan_id"]: row for row in PreventionActivity.objects.filter(
        in_period, village__isnull=True, kecamatan_id__in=kecamatan_codes).values("kecamatan_id").annotate(
        n=Count("id"), people=Sum(total)).order_by()}
    cases = case_counts_by_village(start=start, end=end)

    rows_by_kecamatan: dict[str, CoverageRow] = {}
    for kecamatan in kecamatan_list:
        wide = kecamatan_wide.get(kecamatan.code, {})
        rows_by_kecamatan[kecamatan.code] = CoverageRow(
            code=kecamatan.code, name=kecamatan.name, level=kecamatan.level, kecamatan_code=kecamatan.code,
            kecamatan_name=kecamatan.name, cases=0, kecamatan_wide_activities=wide.get("n", 0),
            prevention_activities=wide.get("n", 0), participants=wide.get("people") or 0)
    for village in villages:
        parent = rows_by_kecamatan.get(village.parent_id)
        if parent is None:
            continue
        status = PatbmStatus.NONE
        if village.code in groups:
            status = PatbmStatus.ACTIVE if groups[village.code] else PatbmStatus.INACTIVE
        own_patbm, own_prevention = patbm.get(village.code, {}), prevention.get(village.code, {})
        row = CoverageRow(
            code=village.code, name=village.name, level=village.level, kecamatan_code=parent.code,
            kecamatan_name=parent.name, patbm_status=status, patbm_activities=own_patbm.get("n", 0),
            prevention_activities=own_prevention.get("n", 0),
            participants=(own_patbm.get("people") or 0) + (own_prevention.get("people") or 0),
            cases=cases.get(village.code, 0))
        parent.children.append(row)
        parent.villages += 1
        parent.villages_with_active_patbm += status == PatbmStatus.ACTIVE
        parent.patbm_activities += row.patbm_activities
        parent.prevention_activities += row.prevention_activities
        parent.participants += row.participants
        parent.cases += row.cases
        parent.gap_villages += row.gap
    table: list[CoverageRow] = []
    for kecamatan in kecamatan_list:
        parent = rows_by_kecamatan[kecamatan.code]
        table.append(parent)
        table.extend(parent.children)
    return table


@dataclass
class CoverageSummary:
    villages: int
    villages_with_active_patbm: int
    villages_with_activities: int
    villages_with_cases: int
    gap_villages: int
    activities: int
    district_wide_activities: int
    cases: int
    cases_cell: Cell | None = None

    @property
    def cases_shown(self) -> str:
        return (self.cases_cell or Cell(self.cases)).display(threshold())


def coverage_summary(*, table: list[CoverageRow], start: date, end: date) -> CoverageSummary:
    """Totals over a coverage table, plus the activities held for the whole district (one more query)."""
    villages = [row for row in table if not row.is_kecamatan]
    kecamatan_rows = [row for row in table if row.is_kecamatan]
    district_wide = PreventionActivity.objects.filter(held_on__gte=start, held_on__lte=end,
                                                      kecamatan__isnull=True).count()
    return CoverageSummary(
        villages=len(villages),
        villages_with_active_patbm=sum(row.patbm_status == PatbmStatus.ACTIVE for row in villages),
        villages_with_activities=sum(row.activities > 0 for row in villages),
        villages_with_cases=sum(bool(row.cases) for row in villages),
        gap_villages=sum(row.gap for row in villages),
        activities=sum(row.activities for row in kecamatan_rows) + district_wide,
        district_wide_activities=district_wide,
        cases=sum(row.cases for row in villages),
    )


def coverage_shown_cases(*, table: list[CoverageRow], summary: CoverageSummary, exact: bool) -> None:
    """Decide what the case column prints: the exact counts (`exact`: those who may read the internal edition
    of reports), or the published reports' small-cell suppression. The villages add up to their kecamatan and
    the kecamatan to the district total, so each kecamatan with its villages and the district with its
    kecamatan is a line: a count hidden in one must not be recoverable by subtraction from the others."""
    if exact:
        for row in table:
            row.cases_cell = Cell(row.cases, SHOWN)
        summary.cases_cell = Cell(summary.cases, SHOWN)
        return
    values = [row.cases for row in table] + [summary.cases]
    index = {id(row): i for i, row in enumerate(table)}
    district_line = [(index[id(row)], False) for row in table if row.is_kecamatan] + [(len(table), True)]
    lines = [district_line] + [[(index[id(child)], False) for child in row.children] + [(index[id(row)], True)]
                               for row in table if row.is_kecamatan]
    cells = suppress_lines(values, lines)
    for row, cell in zip(table, cells, strict=False):
        row.cases_cell = cell
    summary.cases_cell = cells[-1]


COVERAGE_SORTS = ("wilayah", "kesenjangan", "kasus", "kegiatan")


def coverage_sorted_villages(table: list[CoverageRow], sort: str) -> list[CoverageRow]:
    """Villages only, ordered for the chosen view: gaps first, most cases first, or fewest activities first."""
    villages = [row for row in table if not row.is_kecamatan]
    if sort == "kesenjangan":
        return sorted(villages, key=lambda r: (not r.gap, -r.cases_rank, r.activities, r.code))
    if sort == "kasus":
        return sorted(villages, key=lambda r: (-r.cases_rank, r.activities, r.code))
    if sort == "kegiatan":
        return sorted(villages, key=lambda r: (r.activities, -r.cases_rank, r.code))
    return villages


@dataclass
class PreventionOutputs:
    """District-wide prevention outputs of a period, for the periodic reports (domain.md section 5, table 11)."""

    activities_by_kind: dict[str, int]
    activities_by_topic: dict[str, int]
    campaign_reach: int
    campaign_engagement: int
    patbm_activities: int
    patbm_active_groups: int
    participants: dict[str, int]  # by sex x child/adult, PATBM and other prevention activities together
    puspaga_sessions: int
    puspaga_referred: int
    puspaga_sessions_by_issue: dict[str, int]

    @property
    def participants_total(self) -> int:
        return sum(self.participants.values())


def prevention_outputs(*, start: date, end: date) -> PreventionOutputs:
    """Counts and sums of start..end (inclusive) by activity and session date; seven aggregate queries."""
    in_period = Q(held_on__gte=start, held_on__lte=end)
    fields = ("participants_male_child", "participants_female_child", "participants_male_adult",
              "participants_female_adult")
    activities = PreventionActivity.objects.filter(in_period)
    by_kind = dict(activities.values_list("kind").annotate(n=Count("id")).order_by())
    by_topic = dict(PreventionActivityTopic.objects.filter(activity__held_on__gte=start, activity__held_on__lte=end)
                    .values_list("topic").annotate(n=Count("id")).order_by())
    other = activities.aggregate(reach=Sum("reach"), engagement=Sum("engagement"),
                                 **{name: Sum(name) for name in fields})
    patbm = PatbmActivity.objects.filter(in_period).aggregate(n=Count("id"), **{name: Sum(name) for name in fields})
    sessions = PuspagaSession.objects.filter(in_period)
    session_totals = sessions.aggregate(n=Count("id"), referred=Count("id", filter=Q(referred_to_uptd=True)))
    return PreventionOutputs(
        activities_by_kind=by_kind, activities_by_topic=by_topic, campaign_reach=other["reach"] or 0,
        campaign_engagement=other["engagement"] or 0, patbm_activities=patbm["n"],
        patbm_active_groups=PatbmGroup.objects.filter(is_active=True).count(),
        participants={name.removeprefix("participants_"): (other[name] or 0) + (patbm[name] or 0) for name in fields},
        puspaga_sessions=session_totals["n"], puspaga_referred=session_totals["referred"],
        puspaga_sessions_by_issue=dict(sessions.values_list("issue").annotate(n=Count("id")).order_by()),
    )
