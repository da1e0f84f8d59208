"""The statistics of a period, computed in the database (values/annotate/Count, conditional aggregation).

Definitions (the same text is on the definitions page and in the PDF, see DEFINITIONS below):

* **The date that puts a record in a period** is the date the complaint was received (`Case.received_at`,
  WITA), SIMFONI-PPA's practice of counting by input. Every breakdown table uses it. Two service-quality
  figures measure the unit's work in the period instead and say so: cases closed (by the closure date)
  and the open caseload (cases open at the end of the period).
* **Cases, victims and perpetrators are counted separately** (SIMFONI-PPA; domain.md section 9): a case
  has one or more victims and zero or more perpetrators.
* Victim breakdowns (sex, age group, child/adult, category, place, education, occupation, marital
  status, disability, kecamatan, KDRT, case type) count each victim once, by the victim's own values, and sum
  to the number of victims.
* **Age group** is the SIMFONI band (0-5, 6-12, 13-17, 18-24, 25-44, 45-59, 60+) of the age at the
  incident date, fixed at registration, so re-running a report never moves a victim to another band.
  Child = under 18 at the incident (UU 35/2014 Pasal 1).
* **Violence types**: a victim counts once in each type they suffered, so the type totals exceed the
  number of victims.
* **Place**: one per victim, where that victim was harmed (Victim.place; two victims of one case can differ).
* **KDRT and case type** (KtP for an adult woman, AMPK for a child) are the victim's own: one case can hold a
  KtP victim and an AMPK victim. A KDRT case (headline) is a case with at least one KDRT victim.
* **Relationship** is counted per victim-perpetrator pair; the total is the number of pairs.
* **Perpetrators** by sex and by age band (the SIMFONI bands applied to the recorded age; "tidak
  diketahui" when no age was recorded).
* **Services**: a victim counts once for each kind of service recorded for them (ServiceDelivery), for the
  victims of the period's cases, as recorded when the report is made.
* **Kecamatan** is the kecamatan of the incident; "luar daerah" when it happened outside the district. Cases
  count once, at the case's incident (its main place); victims count at their own place.
* **Rates per 100,000** use the district's population (Region of settings.DISTRICT_CODE); a rate for a
  month or quarter is for that period, not annualised.
* **Service quality**: complaints followed up within the standard = cases identified (identifikasi)
  no later than 3 working days (Monday-Friday WITA without public holidays and cuti bersama, core.workdays)
  after the moment the complaint was received (UPTD PPA standard, domain.md section 2; a complaint on a
  non-working day counts from the next working day), out of the cases identified plus
  those whose 3 days have passed unidentified; median days from complaint to first service; open
  caseload per caseworker at the end of the period; cases closed in the period (by closure date).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import (
    Case as When_,  # noqa: N814  (Django's conditional Case, renamed: "Case" is our case model)
)
from django.db.models import (
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, Region
from cases import selectors as case_selectors
from cases.deadlines import follow_up_working_days
from cases.transfers import case_counts_by_agency
from core import codes
from core.db import replica_reads
from core.workdays import add_working_days_expression
from reports.periods import Period, month_label, trailing_months


# The UPTD PPA standard: a complaint is followed up (identified) within N working days (domain.md section 2).
# The rule and its setting are the cases app's (cases.deadlines), the working days the one calendar's
# (core.workdays, with public holidays and cuti bersama); here it is applied in SQL to a period's cases.
def follow_up_deadline(period: Period):
    """The follow-up deadline of each case of the period as a database expression (cases.deadlines'
    add_working_days(received_at, N), with the calendar applied per received date)."""
    return add_working_days_expression("received_at", follow_up_working_days(), period.start, period.end)


UNKNOWN = "__unknown__"
OUTSIDE = "__outside__"


@dataclass
class Table:
    """A breakdown table: rows x columns of counts, with optional row totals (a "Jumlah" column) and
    column totals (a "Jumlah" row). `unit` names what one count is (victims, cases, pairs...)."""

    key: str
    title: str
    unit: str
    row_header: str
    columns: list[str]
    rows: list[list]  # [label, [counts...]]
    row_totals: bool = True
    col_totals: bool = True
    note: str = ""
    sensitive: bool = True  # counts of people: suppressed in the published edition

    def matrix(self) -> list[list[int]]:
        """The counts with their totals: each row [cells..., row total?], then the totals row."""
        body = [list(values) + ([sum(values)] if self.row_totals else []) for _label, values in self.rows]
        if self.col_totals:
            width = len(self.columns) + (1 if self.row_totals else 0)
            body.append([sum(row[i] for row in body) for i in range(width)])
        return body

    @property
    def grand_total(self) -> int:
        return sum(sum(values) for _label, values in self.rows)


@dataclass
class Comparison:
    label: str
    current: int
    previous: int
    year_before: int

    @staticmethod
    def _change(now: int, before: int) -> float | None:
        return None if before == 0 else round(100.0 * (now - before) / before, 1)

    @property
    def change_previous(self) -> float | None:
        return self._change(self.current, self.previous)

    @property
    def change_year_before(self) -> float | None:
        return self._change(self.current, self.year_before)


@dataclass
class Quality:
    follow_up_on_time: int = 0
    follow_up_due: int = 0  # on time + late (identified late, or 3 working days passed unidentified)
    referrals_on_time: int | None = None  # None until the referrals app provides network figures
    referrals_due: int | None = None
    first_service_cases: int = 0
    median_days_to_first_service: float | None = None
    open_cases: int = 0
    open_unassigned: int = 0
    workers_with_open_cases: int = 0
    max_open_per_worker: int = 0
    closed_in_period: int = 0

    @staticmethod
    def _share(part: int | None, whole: int | None) -> float | None:
        return None if not whole else round(100.0 * part / whole, 1)

    @property
    def follow_up_share(self) -> float | None:
        return self._share(self.follow_up_on_time, self.follow_up_due)

    @property
    def referrals_share(self) -> float | None:
        return self._share(self.referrals_on_time, self.referrals_due)

    @property
    def open_per_worker(self) -> float | None:
        if not self.workers_with_open_cases:
            return None
        return round((self.open_cases - self.open_unassigned) / self.workers_with_open_cases, 1)


@dataclass
class Rate:
    label: str
    count: int
    population: int | None

    @property
    def per_100k(self) -> float | None:
        return None if not self.population else round(100_000.0 * self.count / self.population, 2)


@dataclass
class Statistics:
    period: Period
    generated_at: datetime
    district_name: str
    cases: int
    victims: int
    perpetrators: int
    pairs: int
    kdrt_cases: int
    child_victims: int
    comparisons: list[Comparison]
    rates: list[Rate]
    trend: list[dict]  # [{"month": "Jan 2026", "cases": n, "victims": n}] for the 12 months ending at the period
    tables: list[Table]
    quality: Quality

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["period"] = {"kind": self.period.kind, "code": self.period.code, "label": self.period.label}
        data["generated_at"] = self.generated_at.isoformat()
        return data


# --- querysets of the period ---------------------------------------------------------------------------

def _cases(period: Period) -> QuerySet:
    start, end = period.bounds()
    return case_selectors.cases_received_in(start=start, end=end)


def _victims(period: Period) -> QuerySet:
    start, end = period.bounds()
    return case_selectors.victims_received_in(start=start, end=end)


def _counts(queryset: QuerySet, *keys: str, distinct: str | None = None) -> dict[tuple, int]:
    """{(key values...): count} from one GROUP BY query."""
    aggregate = Count(distinct, distinct=True) if distinct else Count("pk")
    rows = queryset.values(*keys).annotate(n=aggregate).order_by()
    return {tuple(row[k] for k in keys): row["n"] for row in rows}


def _by_sex_table(key: str, title: str, row_header: str, labels: list[tuple], counts: dict, note: str = "",
                  unit: str = "") -> Table:
    """Rows = code list (code, label), columns = Laki-laki / Perempuan; counts keyed (code, sex)."""
    rows = [[label, [counts.get((code, codes.Sex.MALE), 0), counts.get((code, codes.Sex.FEMALE), 0)]]
            for code, label in labels]
    return Table(key, title, unit or _("korban"), row_header, [_("Laki-laki"), _("Perempuan")], rows, note=note)


# The victim category of SIMFONI-PPA's local reports (domain.md section 5 table 2), plus adult men.
CATEGORIES = [((True, codes.Sex.MALE), gettext_lazy("Anak laki-laki")),
              ((True, codes.Sex.FEMALE), gettext_lazy("Anak perempuan")),
              ((False, codes.Sex.FEMALE), gettext_lazy("Perempuan dewasa")),
              ((False, codes.Sex.MALE), gettext_lazy("Laki-laki dewasa"))]
CATEGORY_COLUMNS = [(True, codes.Sex.MALE), (True, codes.Sex.FEMALE), (False, codes.Sex.MALE),
                    (False, codes.Sex.FEMALE)]


def _category_column_labels() -> list[str]:
    return [_("Anak L"), _("Anak P"), _("Dewasa L"), _("Dewasa P")]


def _perpetrator_age_band() -> When_:
    whens = [When(age__gte=low, age__lte=high, then=Value(str(group))) for low, high, group in codes.AGE_GROUP_BOUNDS]
    return When_(*whens, default=Value(UNKNOWN), output_field=CharField())


def _kecamatan_key() -> When_:
    return When_(When(incident__outside_district=True, then=Value(OUTSIDE)),
                 When(incident__kecamatan__isnull=False, then=F("incident__kecamatan_id")),
                 default=Value(UNKNOWN), output_field=CharField())


def _kecamatan_rows() -> list[tuple[str, str]]:
    kecamatan = Region.objects.filter(parent_id=settings.DISTRICT_CODE, level=Region.Level.SUBDISTRICT)
    return [*kecamatan.order_by("code").values_list("code", "name"),
            (OUTSIDE, _("Luar daerah")), (UNKNOWN, _("Tidak diketahui"))]


# GBVIMS core types, classified in the GBVIMS order (one per victim): mapping proposal of domain.md section 5.
GBV_RAPE_FORMS = [codes.TpksForm.RAPE, codes.TpksForm.CHILD_SEXUAL_ABUSE]
GBV_TYPES = [("rape", "Rape"), ("sexual_assault", "Sexual Assault"), ("physical_assault", "Physical Assault"),
             ("forced_marriage", "Forced Marriage"),
             ("denial", "Denial of Resources, Opportunities or Services"),
             ("psychological", "Psychological / Emotional Abuse"), ("non_gbv", "Non-GBV")]


def _has_type(violence_type: str) -> Max:
    """1 when the victim has this violence type (an aggregate over the victim's violence rows), else 0."""
    # A type removed by a correction (cases.corrections) no longer counts.
    return Max(When_(When(violence_types__violence_type=violence_type, violence_types__removed_at__isnull=True,
                          then=Value(1)), default=Value(0),
                     output_field=IntegerField()))


def gbvims_table(period: Period) -> Table:
    """Victims of the period by GBVIMS core type (one per victim, in GBVIMS order) and child/adult x sex.

    One query: the inner GROUP BY victim finds each victim's types; the outer conditional counts classify.
    """
    forms = Cast("case__incident__tpks_forms", CharField())  # the JSON list as text: portable SQLite/PostgreSQL
    rape = Q()
    for form in GBV_RAPE_FORMS:
        rape |= Q(tpks_text__contains=f'"{form}"')
    classification = When_(
        When(Q(sexual=1) & rape, then=Value("rape")),
        When(sexual=1, then=Value("sexual_assault")),
        When(physical=1, then=Value("physical_assault")),
        When(tpks_text__contains=f'"{codes.TpksForm.FORCED_MARRIAGE}"', then=Value("forced_marriage")),
        When(neglect=1, then=Value("denial")),
        When(psychological=1, then=Value("psychological")),
        default=Value("non_gbv"), output_field=CharField())
    victims = _victims(period).annotate(
        tpks_text=forms, sexual=_has_type(codes.ViolenceType.SEXUAL), physical=_has_type(codes.ViolenceType.PHYSICAL),
        neglect=_has_type(codes.ViolenceType.NEGLECT), psychological=_has_type(codes.ViolenceType.PSYCHOLOGICAL),
    ).annotate(gbv=classification)
    counts = victims.aggregate(**{
        f"{key}__{i}": Count("pk", filter=Q(gbv=key, is_child=child, sex=sex))
        for key, _label in GBV_TYPES for i, (child, sex) in enumerate(CATEGORY_COLUMNS)})
    rows = [[label, [counts[f"{key}__{i}"] for i in range(len(CATEGORY_COLUMNS))]] for key, label in GBV_TYPES]
    return Table("gbvims", _("Korban menurut jenis kekerasan GBVIMS"), _("korban"), "GBVIMS",
                 _category_column_labels(), rows,
                 note=_("Satu jenis per korban, diklasifikasikan menurut urutan GBVIMS. Data agregat tanpa "
                        "identitas."))


# --- the tables ---------------------------------------------------------------------------------------------

def breakdown_tables(period: Period) -> list[Table]:
    """Every SIMFONI-PPA breakdown of the period, each from one GROUP BY query."""
    cases, victims = _cases(period), _victims(period)
    start, end = period.bounds()
    tables: list[Table] = []

    # Monthly series inside the period: cases, victims, perpetrators (different units: no row totals).
    tz = timezone.get_default_timezone()
    case_months = _counts(cases.annotate(m=TruncMonth("received_at", tzinfo=tz)), "m")
    victim_months = _counts(victims.annotate(m=TruncMonth("case__received_at", tzinfo=tz)), "m")
    perpetrator_months = _counts(
        case_selectors.perpetrators_received_in(start=start, end=end)
        .annotate(m=TruncMonth("case__received_at", tzinfo=tz)), "m")

    def month_count(counts: dict, month: date) -> int:
        return sum(n for (m,), n in counts.items() if m is not None and (m.year, m.month) == (month.year, month.month))

    tables.append(Table(
        "monthly", _("Kasus, korban dan pelaku per bulan"), _("kasus / korban / pelaku"), _("Bulan"),
        [_("Kasus"), _("Korban"), _("Pelaku")],
        [[month_label(m), [month_count(case_months, m), month_count(victim_months, m),
                           month_count(perpetrator_months, m)]] for m in period.months],
        row_totals=False,
        note=_("Kasus, korban dan pelaku dihitung terpisah: satu kasus dapat memiliki beberapa korban dan pelaku.")))

    categories = _counts(victims, "is_child", "sex")
    tables.append(Table(
        "category", _("Korban menurut kategori"), _("korban"), _("Kategori"), [_("Korban")],
        [[str(label), [categories.get(key, 0)]] for key, label in CATEGORIES], row_totals=False))

    ages = _counts(victims, "age_group", "sex")
    tables.append(_by_sex_table("age", _("Korban menurut kelompok usia saat kejadian"), _("Kelompok usia"),
                                [(g.value, g.label) for g in codes.AgeGroup], ages,
                                note=_("Usia dihitung pada tanggal kejadian.")))
    tables.append(_by_sex_table("child", _("Korban anak dan dewasa"), _("Status usia"),
                                [(True, _("Anak (di bawah 18 tahun)")), (False, _("Dewasa"))], categories))

    types = _counts(case_selectors.violence_types_received_in(start=start, end=end),
                    "violence_type", "victim__is_child", "victim__sex")
    tables.append(Table(
        "violence", _("Korban menurut jenis kekerasan"), _("korban per jenis"), _("Jenis kekerasan"),
        _category_column_labels(),
        [[t.label, [types.get((t.value, *column), 0) for column in CATEGORY_COLUMNS]] for t in codes.ViolenceType],
        note=_("Satu korban dihitung sekali pada setiap jenis kekerasan yang dialaminya, sehingga jumlahnya "
               "melebihi jumlah korban.")))

    places = _counts(victims, "place", "sex")
    tables.append(_by_sex_table("place", _("Korban menurut tempat kejadian"), _("Tempat kejadian"),
                                [(p.value, p.label) for p in codes.Place], places,
                                note=_("Satu tempat per korban: tempat korban itu mengalami kekerasan; korban "
                                       "satu kasus dapat berbeda tempat.")))

    tables.append(_by_sex_table("education", _("Korban menurut pendidikan"), _("Pendidikan"),
                                [(e.value, e.label) for e in codes.Education], _counts(victims, "education", "sex")))
    tables.append(_by_sex_table("occupation", _("Korban menurut pekerjaan"), _("Pekerjaan"),
                                [(o.value, o.label) for o in codes.Occupation], _counts(victims, "occupation", "sex")))
    tables.append(_by_sex_table("marital", _("Korban menurut status perkawinan"), _("Status perkawinan"),
                                [*((m.value, m.label) for m in codes.MaritalStatus), ("", _("Tidak diisi"))],
                                _counts(victims, "marital_status", "sex")))
    tables.append(_by_sex_table("disability", _("Korban penyandang disabilitas"), _("Disabilitas"),
                                [(True, _("Ya")), (False, _("Tidak"))], _counts(victims, "has_disability", "sex")))

    kecamatan_rows = _kecamatan_rows()
    case_kec = _counts(cases.annotate(k=_kecamatan_key()), "k")
    tables.append(Table(
        "kecamatan_cases", _("Kasus menurut kecamatan tempat kejadian"), _("kasus"), _("Kecamatan"), [_("Kasus")],
        [[name, [case_kec.get((code,), 0)]] for code, name in kecamatan_rows], row_totals=False,
        note=_("Kecamatan tempat kejadian; \"luar daerah\" bila kejadian di luar kabupaten.")))
    victim_kec = _counts(victims.annotate(k=When_(
        When(place_outside_district=True, then=Value(OUTSIDE)),
        When(place_kecamatan__isnull=False, then=F("place_kecamatan_id")),
        default=Value(UNKNOWN), output_field=CharField())), "k", "sex")
    tables.append(_by_sex_table("kecamatan_victims", _("Korban menurut kecamatan tempat kejadian"), _("Kecamatan"),
                                kecamatan_rows, victim_kec))

    # KDRT and case type are the victim's own: one GROUP BY gives both tables (summed over the other key).
    kdrt_types = _counts(victims, "is_kdrt", "case_type", "sex")
    kdrt: dict[tuple, int] = {}
    case_types: dict[tuple, int] = {}
    for (is_kdrt, case_type, sex), n in kdrt_types.items():
        kdrt[(is_kdrt, sex)] = kdrt.get((is_kdrt, sex), 0) + n
        case_types[(case_type, sex)] = case_types.get((case_type, sex), 0) + n
    tables.append(_by_sex_table("kdrt", _("Korban kekerasan dalam rumah tangga (KDRT)"), _("KDRT"),
                                [(True, _("KDRT")), (False, _("Bukan KDRT"))], kdrt,
                                note=_("Lingkup rumah tangga menurut UU 23/2004 PKDRT, per korban.")))
    tables.append(_by_sex_table("case_type", _("Korban menurut jenis kasus"), _("Jenis kasus"),
                                [*((t.value, t.label) for t in codes.CaseType), ("", _("Bukan KtP atau AMPK"))],
                                case_types,
                                note=_("Per korban: KtP untuk perempuan dewasa, AMPK untuk anak; satu kasus dapat "
                                       "memuat keduanya.")))

    pairs = _counts(case_selectors.victim_perpetrator_pairs_received_in(start=start, end=end),
                    "relationship", "victim__is_child")
    tables.append(Table(
        "relationship", _("Hubungan pelaku dengan korban"), _("pasangan korban-pelaku"), _("Hubungan"),
        [_("Korban anak"), _("Korban dewasa")],
        [[r.label, [pairs.get((r.value, True), 0), pairs.get((r.value, False), 0)]] for r in codes.Relationship],
        note=_("Dihitung per pasangan korban-pelaku, sehingga jumlahnya bukan jumlah korban maupun jumlah pelaku.")))

    perpetrators = case_selectors.perpetrators_received_in(start=start, end=end)
    perp = _counts(perpetrators.annotate(band=_perpetrator_age_band()), "band", "sex")
    tables.append(_by_sex_table("perpetrator", _("Pelaku menurut jenis kelamin dan kelompok usia"), _("Kelompok usia"),
                                [*((g.value, g.label) for g in codes.AgeGroup), (UNKNOWN, _("Tidak diketahui"))],
                                perp, unit=_("pelaku")))

    services = _counts(case_selectors.service_deliveries_received_in(start=start, end=end),
                       "service", "victim__is_child", distinct="victim")
    tables.append(Table(
        "services", _("Korban menurut layanan yang diterima"), _("korban per layanan"), _("Layanan"),
        [_("Korban anak"), _("Korban dewasa")],
        [[s.label, [services.get((s.value, True), 0), services.get((s.value, False), 0)]] for s in codes.Service],
        note=_("Satu korban dihitung sekali untuk setiap jenis layanan yang diterimanya, sehingga jumlahnya dapat "
               "melebihi jumlah korban. Layanan yang tercatat sampai laporan dibuat.")))
    tables.append(gbvims_table(period))
    return tables


# --- headline, comparisons, rates, trend ------------------------------------------------------------------

def headline_counts(period: Period) -> dict[str, int]:
    """Cases, victims, perpetrators and pairs of a period: one aggregate query per population."""
    cases = _cases(period).aggregate(n=Count("pk"), kdrt=Count("pk", filter=case_selectors.kdrt_case_q()))
    victims = _victims(period).aggregate(n=Count("pk"), children=Count("pk", filter=Q(is_child=True)))
    start, end = period.bounds()
    return {
        "cases": cases["n"], "kdrt_cases": cases["kdrt"], "victims": victims["n"], "child_victims": victims["children"],
        "perpetrators": case_selectors.perpetrators_received_in(start=start, end=end).count(),
        "pairs": case_selectors.victim_perpetrator_pairs_received_in(start=start, end=end).count(),
    }


def monthly_trend(end: date, months: int = 12) -> list[dict]:
    """Cases and victims per month for the `months` months ending with the month of `end`."""
    series = trailing_months(end, months)
    window = Period("custom", series[0], end)
    tz = timezone.get_default_timezone()
    cases = _counts(_cases(window).annotate(m=TruncMonth("received_at", tzinfo=tz)), "m")
    victims = _counts(_victims(window).annotate(m=TruncMonth("case__received_at", tzinfo=tz)), "m")

    def pick(counts: dict, month: date) -> int:
        return sum(n for (m,), n in counts.items() if (m.year, m.month) == (month.year, month.month))

    return [{"month": month_label(m), "cases": pick(cases, m), "victims": pick(victims, m)} for m in series]


def district_population() -> tuple[str, int | None, int | None]:
    region = Region.objects.filter(code=settings.DISTRICT_CODE).first()
    if region is None:
        return settings.DISTRICT_CODE, None, None
    return region.name, region.population_male, region.population_female


# --- service quality --------------------------------------------------------------------------------------

def service_quality(period: Period, *, now: datetime | None = None) -> Quality:
    """The UPTD PPA service-quality figures of a period (definitions in the module docstring)."""
    now = now or timezone.now()
    start, end = period.bounds()
    # Met when identified by the deadline; missed when identified after it, or not identified and it passed.
    cases = _cases(period).annotate(follow_up_due=follow_up_deadline(period))
    on_time = Q(identified_at__lte=F("follow_up_due"))
    late = Q(identified_at__gt=F("follow_up_due")) | Q(identified_at__isnull=True, follow_up_due__lt=now)
    follow = cases.aggregate(on_time=Count("pk", filter=on_time), late=Count("pk", filter=late))

    served = _cases(period).filter(first_service_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("first_service_at") - F("received_at"), output_field=DurationField()))
    served_count = served.count()
    median = None
    if served_count:
        # The median by ORDER BY/OFFSET: the database sorts; only the one or two middle rows come back.
        middle = list(served.order_by("wait").values_list("wait", flat=True)[
            (served_count - 1) // 2: served_count // 2 + 1])
        median = round(sum(w.total_seconds() for w in middle) / len(middle) / 86400, 1)

    open_at_end = case_selectors.cases_open_at(moment=end)
    caseload = open_at_end.aggregate(
        n=Count("pk"), unassigned=Count("pk", filter=Q(assigned_worker__isnull=True)),
        workers=Count("assigned_worker", distinct=True))
    per_worker = (open_at_end.filter(assigned_worker__isnull=False).values("assigned_worker")
                  .annotate(n=Count("pk")).order_by("-n").values_list("n", flat=True)[:1])
    closed = case_selectors.cases_closed_in(start=start, end=end).count()
    quality = Quality(
        follow_up_on_time=follow["on_time"], follow_up_due=follow["on_time"] + follow["late"],
        first_service_cases=served_count, median_days_to_first_service=median,
        open_cases=caseload["n"], open_unassigned=caseload["unassigned"],
        workers_with_open_cases=caseload["workers"], max_open_per_worker=next(iter(per_worker), 0),
        closed_in_period=closed)
    quality.referrals_on_time, quality.referrals_due = _referral_figures(period, now)
    return quality


def _referral_figures(period: Period, now: datetime) -> tuple[int | None, int | None]:
    """Referrals sent in the period answered by their deadline, out of those answered or past their deadline
    (a referral revoked before its deadline is not counted). None when the referrals app is not installed."""
    try:
        from referrals.models import Referral
    except ImportError:
        return None, None
    from django.db.models.functions import Coalesce

    start, end = period.bounds()
    figures = Referral.objects.filter(sent_at__gte=start, sent_at__lt=end).aggregate(
        on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        late=Count("pk", filter=Q(answered_at__gt=F("due_at"))
                   | Q(answered_at__isnull=True, due_at__lt=Coalesce("revoked_at", Value(now)))))
    return figures["on_time"], figures["on_time"] + figures["late"]


def referral_table(period: Period) -> Table | None:
    """Referrals sent in the period per receiving agency (referrals.selectors.network_figures)."""
    try:
        from referrals.selectors import network_figures
    except ImportError:
        return None
    rows = network_figures(start=period.start, end=period.end)
    return Table(
        "referrals", _("Rujukan menurut lembaga tujuan"), _("rujukan"), _("Lembaga tujuan"),
        [_("Rujukan"), _("Diterima"), _("Ditolak"), _("Selesai"), _("Terlambat dijawab")],
        [[row.agency_name, [row.received, row.accepted, row.declined, row.done, row.overdue]] for row in rows],
        row_totals=False,
        note=_("Menurut tanggal rujukan dikirim. Terlambat = dijawab sesudah tenggat, atau belum dijawab padahal "
               "tenggat sudah lewat."))


def prevention_table(period: Period) -> Table | None:
    """Prevention outputs per kecamatan from the prevention app (domain.md section 5 table 11), when installed.

    Activity counts describe the office's work, not people: the table is not suppressed.
    """
    try:
        from prevention.selectors import coverage_table
    except ImportError:
        return None
    rows = [row for row in coverage_table(start=period.start, end=period.end)
            if row.level == Region.Level.SUBDISTRICT]
    return Table(
        "prevention", _("Pencegahan per kecamatan"), _("kegiatan"), _("Kecamatan"),
        [_("Desa dengan PATBM aktif"), _("Kegiatan PATBM"), _("Kegiatan pencegahan"), _("Peserta")],
        [[row.name, [row.villages_with_active_patbm, row.patbm_activities, row.prevention_activities,
                     row.participants]] for row in rows],
        row_totals=False, sensitive=False,
        note=_("Kegiatan yang dilaksanakan dalam periode (tanggal kegiatan). Angka kegiatan tidak disembunyikan: "
               "tidak menyangkut korban."))


def handling_agency_table(period: Period) -> Table:
    """Cases of the period per unit that held them at its end: a transferred case counts once, at the unit that
    took it on if that was before the end of the period (cases.transfers)."""
    start, end = period.bounds()
    counts = case_counts_by_agency(start=start, end=end)
    names = dict(Agency.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    return Table(
        "agencies", _("Kasus menurut lembaga penanganan"), _("kasus"), _("Lembaga penanganan"), [_("Kasus")],
        sorted([[names.get(pk, "–"), [n]] for pk, n in counts.items()]), row_totals=False,
        note=_("Lembaga yang menangani kasus pada akhir periode: kasus yang dilimpahkan dihitung sekali, pada "
               "lembaga penerima sejak pelimpahan diterima."))


# --- everything -----------------------------------------------------------------------------------------

# Aggregates only, where a few seconds of replication lag do not matter: a streaming replica may serve them.
@replica_reads()
def compute_statistics(period: Period, *, now: datetime | None = None) -> Statistics:
    """Every figure of the report for `period` (about 30 aggregate queries, independent of the number of rows)."""
    now = now or timezone.now()
    current = headline_counts(period)
    previous, year_before = headline_counts(period.previous()), headline_counts(period.year_before())
    labels = {"cases": _("Kasus"), "victims": _("Korban"), "perpetrators": _("Pelaku"),
              "child_victims": _("Korban anak"), "kdrt_cases": _("Kasus KDRT")}
    comparisons = [Comparison(label, current[key], previous[key], year_before[key]) for key, label in labels.items()]
    district, male, female = district_population()
    total = (male or 0) + (female or 0) or None
    female_victims = _victims(period).filter(sex=codes.Sex.FEMALE).count()
    rates = [Rate(_("Kasus per 100.000 penduduk"), current["cases"], total),
             Rate(_("Korban per 100.000 penduduk"), current["victims"], total),
             Rate(_("Korban perempuan per 100.000 penduduk perempuan"), female_victims, female),
             Rate(_("Korban laki-laki per 100.000 penduduk laki-laki"), current["victims"] - female_victims, male)]
    return Statistics(
        period=period, generated_at=now, district_name=district, cases=current["cases"], victims=current["victims"],
        perpetrators=current["perpetrators"], pairs=current["pairs"], kdrt_cases=current["kdrt_cases"],
        child_victims=current["child_victims"], comparisons=comparisons, rates=rates,
        trend=monthly_trend(period.end),
        tables=[*breakdown_tables(period), handling_agency_table(period),
                *filter(None, [referral_table(period), prevention_table(period)])],
        quality=service_quality(period, now=now))


DEFINITIONS = [
    (gettext_lazy("Tanggal yang menentukan periode"),
     gettext_lazy("Tanggal pengaduan diterima (WITA), seperti praktik SIMFONI-PPA yang menghitung menurut tanggal "
                  "input. Semua tabel rincian memakai tanggal ini. Pengecualian yang disebut namanya: kasus ditutup"
                  " (menurut tanggal terminasi), beban kasus terbuka (pada akhir periode), rujukan (menurut tanggal"
                  " dikirim) dan kegiatan pencegahan (menurut tanggal kegiatan).")),
    (gettext_lazy("Kasus, korban, pelaku"),
     gettext_lazy("Dihitung terpisah. Satu kasus memiliki satu korban atau lebih dan nol pelaku atau lebih.")),
    (gettext_lazy("Kelompok usia"),
     gettext_lazy("Kelompok usia SIMFONI-PPA (0-5, 6-12, 13-17, 18-24, 25-44, 45-59, 60+) dari usia pada tanggal "
                  "kejadian, ditetapkan saat registrasi. Anak = di bawah 18 tahun saat kejadian (UU 35/2014 Pasal "
                  "1).")),
    (gettext_lazy("Kategori korban"),
     gettext_lazy("Anak laki-laki, anak perempuan, perempuan dewasa, laki-laki dewasa; setiap korban masuk satu "
                  "kategori.")),
    (gettext_lazy("Jenis kekerasan"),
     gettext_lazy("Satu korban dihitung sekali pada setiap jenis yang dialaminya; jumlah jenis melebihi jumlah "
                  "korban.")),
    (gettext_lazy("Tempat kejadian"),
     gettext_lazy("Satu tempat per korban, yaitu tempat korban itu mengalami kekerasan (dua korban satu kasus dapat "
                  "berbeda tempat); jumlahnya sama dengan jumlah korban.")),
    (gettext_lazy("KDRT dan jenis kasus"),
     gettext_lazy("Per korban: KDRT menurut UU 23/2004 PKDRT; jenis kasus KtP untuk perempuan dewasa dan AMPK untuk"
                  " anak, sehingga satu kasus dapat memuat keduanya. Kasus KDRT = kasus dengan sedikitnya satu "
                  "korban KDRT.")),
    (gettext_lazy("Pendidikan, pekerjaan, status perkawinan, disabilitas"),
     gettext_lazy("Satu nilai per korban; setiap tabel berjumlah sama dengan jumlah korban.")),
    (gettext_lazy("Hubungan dengan pelaku"),
     gettext_lazy("Dihitung per pasangan korban-pelaku; jumlahnya adalah jumlah pasangan, bukan korban maupun "
                  "pelaku.")),
    (gettext_lazy("Pelaku"),
     gettext_lazy("Menurut jenis kelamin dan kelompok usia (usia tercatat); \"tidak diketahui\" bila usia tidak "
                  "dicatat.")),
    (gettext_lazy("Layanan"),
     gettext_lazy("Satu korban dihitung sekali untuk setiap jenis layanan yang tercatat baginya, sampai laporan "
                  "dibuat.")),
    (gettext_lazy("Kecamatan"),
     gettext_lazy("Kecamatan tempat kejadian; \"luar daerah\" bila kejadian di luar kabupaten. Kasus dihitung "
                  "sekali pada kecamatan kejadian utamanya; korban pada kecamatan tempat korban itu.")),
    (gettext_lazy("Lembaga penanganan"),
     gettext_lazy("Lembaga yang menangani kasus pada akhir periode. Kasus yang dilimpahkan (pelimpahan) dihitung "
                  "sekali: pada lembaga penerima untuk periode yang berakhir sesudah pelimpahan diterima, pada "
                  "lembaga pengirim untuk periode sebelumnya. Laporan yang sudah terbit tidak berubah.")),
    (gettext_lazy("GBVIMS"),
     gettext_lazy("Satu jenis per korban menurut urutan GBVIMS: Rape (seksual dengan perkosaan atau persetubuhan "
                  "anak), Sexual Assault (seksual lain), Physical Assault (fisik), Forced Marriage (pemaksaan "
                  "perkawinan), Denial (penelantaran), Psychological (psikis), selain itu Non-GBV.")),
    (gettext_lazy("Angka per 100.000 penduduk"),
     gettext_lazy("Jumlah dibagi penduduk kabupaten (menurut jenis kelamin bila disebut) dikali 100.000; untuk "
                  "periode bulan atau triwulan angka tidak disetahunkan.")),
    (gettext_lazy("Pengaduan ditindaklanjuti sesuai standar"),
     gettext_lazy("Kasus yang diidentifikasi paling lambat 3 hari kerja (Senin-Jumat, di luar hari libur nasional "
                  "dan cuti bersama) sesudah saat pengaduan diterima (pengaduan pada hari libur dihitung dari "
                  "hari kerja berikutnya), dibagi kasus yang sudah diidentifikasi ditambah kasus yang melewati "
                  "batas itu tanpa identifikasi.")),
    (gettext_lazy("Rujukan dijawab tepat waktu"),
     gettext_lazy("Rujukan yang dikirim dalam periode dan dijawab lembaga tujuan sebelum tenggatnya, dibagi rujukan"
                  " yang sudah dijawab atau tenggatnya sudah lewat.")),
    (gettext_lazy("Median hari sampai layanan pertama"),
     gettext_lazy("Nilai tengah selang waktu dari pengaduan diterima sampai layanan pertama tercatat, untuk kasus "
                  "periode ini yang sudah menerima layanan.")),
    (gettext_lazy("Beban kasus terbuka"),
     gettext_lazy("Kasus yang belum ditutup pada akhir periode, dibagi jumlah pendamping yang menanganinya.")),
    (gettext_lazy("Penyembunyian sel kecil (edisi publikasi)"),
     gettext_lazy("Angka 1 sampai ambang (bawaan 2) ditulis \"<3\". Bila dalam satu baris atau kolom hanya ada satu "
                  "sel tersembunyi, sel terkecil berikutnya ikut disembunyikan (ditulis \"x\") agar angka kecil tidak"
                  " dapat dihitung dari jumlah. Edisi internal tanpa penyembunyian hanya untuk koordinator.")),
]
