"""Synthetic cases for the demo: about forty complaints over the last fourteen months, in every stage of
the workflow, with assessments, plans, services, accompaniment, consent and one lawful mediation.

Every person is invented (names from short lists with "Demo"/"Contoh"/"Sintetis" surnames, NIK starting
with 99, which no province has). The shares follow the demo proposal of domain.md section 6: about 60%
children; sexual ~40%, physical ~28%, psychological ~12%, neglect ~8%, trafficking/exploitation <=2%;
household ~58%. Everything goes through the services, backdated with their `at` arguments, so the
time standards, statistics and audit trail look as they would after fourteen months of use.
Running it again adds nothing once the UPTD PPA has cases.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from agencies.models import Agency, Region, Role, User
from agencies.selectors import district_villages
from cases import services
from cases.models import Case
from core import codes
from inbox import services as inbox_services

UPTD_NAME = "UPTD PPA Kabupaten Luwu Utara"
CASE_COUNT = 42
FIRST_NAMES = {codes.Sex.FEMALE: ["Sitti", "Nur", "Hasna", "Fitri", "Rosmini", "Jumriah", "Marlina", "Darma", "Ayu",
                                  "Wulan", "Rahma", "Indah", "Suci", "Nurul", "Aisyah", "Rini"],
               codes.Sex.MALE: ["Andi", "Rahmat", "Ilham", "Syamsul", "Arif", "Baso", "Yusran", "Fajar", "Dimas",
                                "Rizal"]}
SURNAMES = ["Demo", "Contoh", "Sintetis", "Rekaan", "Fiktif"]
V = codes.ViolenceType
# (violence type, weight): the demo shares of domain.md section 6; "lainnya" takes the remainder.
VIOLENCE_WEIGHTS = [(V.SEXUAL, 40), (V.PHYSICAL, 28), (V.PSYCHOLOGICAL, 12), (V.NEGLECT, 8), (V.OTHER, 10),
                    (V.EXPLOITATION, 1), (V.TRAFFICKING, 1)]
PLACE_WEIGHTS = [(codes.Place.HOUSEHOLD, 58), (codes.Place.PUBLIC, 14), (codes.Place.SCHOOL, 10),
                 (codes.Place.WORKPLACE, 4), (codes.Place.OTHER, 14)]
CHILD_TPKS = [codes.TpksForm.INDECENT_ASSAULT, codes.TpksForm.CHILD_SEXUAL_ABUSE, codes.TpksForm.HARASSMENT_PHYSICAL,
              codes.TpksForm.ELECTRONIC]
ADULT_TPKS = [codes.TpksForm.RAPE, codes.TpksForm.HARASSMENT_PHYSICAL, codes.TpksForm.HARASSMENT_NONPHYSICAL,
              codes.TpksForm.ELECTRONIC]
S = codes.CaseStage
# The most recent cases, newest last, are set to show every stage and the time standards at work.
RECENT_STAGES = [S.MONITORING, S.INTERVENTION, S.PLANNING, S.ASSESSMENT, S.IDENTIFICATION, S.COMPLAINT,
                 S.COMPLAINT]


@dataclass
class Plan:
    received_at: datetime
    stage: str
    child: bool
    violence: str
    place: str
    extra_violence: list[str] = field(default_factory=list)
    risk: str = codes.RiskLevel.MEDIUM
    child_perpetrator: bool = False
    parent_perpetrator: bool = False
    mediation: bool = False
    closure_requested: bool = False
    reopened: bool = False
    police_late: bool = False
    unserved: bool = False


def _weighted(rng: random.Random, weights) -> str:
    values, w = zip(*weights, strict=True)
    return rng.choices(values, weights=w)[0]


def _working_hour(rng: random.Random, moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    while local.weekday() >= 5:
        local -= timedelta(days=1)
    return local.replace(hour=rng.randint(8, 15), minute=rng.choice([0, 10, 20, 30, 40, 50]), second=0,
                         microsecond=0)


def _shares(rng: random.Random, weights, total: int) -> list:
    """Exactly the demo shares over `total` cases (largest remainders), in random order."""
    whole = sum(w for _value, w in weights)
    counts = {value: total * w // whole for value, w in weights}
    by_remainder = sorted(weights, key=lambda vw: -(total * vw[1] % whole))
    for value, _w in by_remainder[: total - sum(counts.values())]:
        counts[value] += 1
    values = [value for value, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


def _plans(rng: random.Random, now: datetime) -> list[Plan]:
    plans = []
    span = timedelta(days=425)  # fourteen months
    violence = _shares(rng, VIOLENCE_WEIGHTS, CASE_COUNT)
    if V.TRAFFICKING not in violence:  # too rare to get a case by shares alone; the demo shows one
        violence[violence.index(V.OTHER)] = V.TRAFFICKING
    children = _shares(rng, [(True, 60), (False, 40)], CASE_COUNT)
    for i in range(CASE_COUNT):
        recent_index = i - (CASE_COUNT - len(RECENT_STAGES))
        if recent_index >= 0:
            # The recent cases, six days apart (always more than three working days), the newest hours old.
            received = now - timedelta(days=(len(RECENT_STAGES) - 1 - recent_index) * 6, hours=4)
            stage = RECENT_STAGES[recent_index]
        else:
            received = now - span + span * i / CASE_COUNT + timedelta(hours=rng.randint(0, 48))
            age = (now - received).days
            stage = S.CLOSED if age > 120 and rng.random() < 0.85 else rng.choice(
                [S.PLANNING, S.INTERVENTION, S.INTERVENTION, S.MONITORING, S.MONITORING])
        received = min(_working_hour(rng, received), now - timedelta(hours=3))
        place = codes.Place.HOUSEHOLD if violence[i] == V.NEGLECT else _weighted(rng, PLACE_WEIGHTS)
        plan = Plan(received_at=received, stage=stage, child=children[i], violence=violence[i], place=place,
                    risk=rng.choice([codes.RiskLevel.HIGH, codes.RiskLevel.MEDIUM, codes.RiskLevel.MEDIUM,
                                     codes.RiskLevel.LOW]))
        if violence[i] == V.PHYSICAL and rng.random() < 0.4:
            plan.extra_violence.append(V.PSYCHOLOGICAL)
        plans.append(plan)
    # Twelve days ago: a high-risk TPKS complaint identified but neither served nor reported to the police.
    # It takes its violence type from an older sexual-violence case, so the shares stay as they are.
    unserved = plans[-3]
    if unserved.violence != V.SEXUAL:
        donor = next(p for p in plans[:-len(RECENT_STAGES)] if p.violence == V.SEXUAL)
        donor.violence, donor.extra_violence, unserved.violence = unserved.violence, unserved.extra_violence, V.SEXUAL
        unserved.extra_violence = []
    unserved.risk, unserved.police_late, unserved.unserved = codes.RiskLevel.HIGH, True, True
    # Special cases the demo must show, chosen among cases of the right kind so the shares hold.
    older = plans[:-len(RECENT_STAGES)]
    lawful = next(p for p in older if p.violence == V.NEGLECT)
    lawful.child, lawful.extra_violence, lawful.place = False, [V.PSYCHOLOGICAL], codes.Place.HOUSEHOLD
    lawful.mediation, lawful.stage, lawful.risk = True, S.CLOSED, codes.RiskLevel.LOW
    guardian = next(p for p in reversed(older) if p.violence == V.PHYSICAL and p.child)
    guardian.parent_perpetrator, guardian.place = True, codes.Place.HOUSEHOLD
    diversion = next(p for p in reversed(older) if p.violence == V.SEXUAL and p.child)
    diversion.child_perpetrator, diversion.place = True, codes.Place.SCHOOL
    reopened = next(p for p in reversed(older) if p.stage == S.CLOSED and not p.mediation)
    reopened.stage, reopened.reopened = S.INTERVENTION, True
    plans[-7].closure_requested = True  # the oldest recent case (monitoring) waits for the supervisor
    return plans


def _victim(rng: random.Random, plan: Plan, index: int, villages: list[Region]) -> services.VictimData:
    sex = codes.Sex.FEMALE if (not plan.child or rng.random() < 0.7) else codes.Sex.MALE
    age = rng.randint(3, 17) if plan.child else rng.randint(19, 52)
    home = rng.choice(villages) if villages else None
    education = (codes.Education.SD if age < 13 else codes.Education.SLTP if age < 16 else codes.Education.SLTA
                 ) if plan.child else rng.choice([codes.Education.SLTA, codes.Education.SD, codes.Education.TERTIARY])
    occupation = codes.Occupation.STUDENT if plan.child else rng.choice(
        [codes.Occupation.HOUSEWIFE, codes.Occupation.TRADER_FARMER, codes.Occupation.PRIVATE])
    return services.VictimData(
        name=f"{rng.choice(FIRST_NAMES[sex])} {rng.choice(SURNAMES)}", sex=sex, age=age,
        nik=f"99{rng.randint(10**13, 10**14 - 1)}" if rng.random() < 0.7 else "",
        violence_types=[plan.violence, *plan.extra_violence], education=education, occupation=occupation,
        marital_status="" if plan.child else rng.choice([codes.MaritalStatus.MARRIED, codes.MaritalStatus.NEVER]),
        has_disability=index % 11 == 0, disability_kinds=[codes.DisabilityKind.SENSORY] if index % 11 == 0 else [],
        address_kecamatan=home.parent if home else None, address_village=home,
        address_detail=f"Dusun Contoh {rng.randint(1, 5)}", phone=f"0800-0000-{rng.randint(1000, 9999)}")


def _perpetrator(rng: random.Random, plan: Plan) -> services.PerpetratorData:
    if plan.parent_perpetrator:
        relationship = codes.Relationship.PARENT
    elif plan.place == codes.Place.HOUSEHOLD:
        relationship = (rng.choice([codes.Relationship.PARENT, codes.Relationship.RELATIVE]) if plan.child
                        else codes.Relationship.SPOUSE)
    elif plan.place == codes.Place.SCHOOL:
        relationship = codes.Relationship.PARTNER_FRIEND if plan.child_perpetrator else codes.Relationship.TEACHER
    else:
        relationship = rng.choice([codes.Relationship.NEIGHBOUR, codes.Relationship.PARTNER_FRIEND,
                                   codes.Relationship.OTHER])
    age = rng.randint(14, 17) if plan.child_perpetrator else rng.randint(22, 58)
    return services.PerpetratorData(sex=codes.Sex.MALE if rng.random() < 0.88 else codes.Sex.FEMALE, age=age,
                                    name=f"{rng.choice(FIRST_NAMES[codes.Sex.MALE])} {rng.choice(SURNAMES)}",
                                    is_child=plan.child_perpetrator, relationships={0: relationship})


def _incident(rng: random.Random, plan: Plan, villages: list[Region]) -> services.IncidentData:
    village = rng.choice(villages) if villages else None
    outside = village is None or rng.random() < 0.05
    tpks = []
    if plan.violence == V.SEXUAL:
        tpks = [rng.choice(CHILD_TPKS if plan.child else ADULT_TPKS)]
    tppo = ([codes.TppoElement.RECRUITMENT, codes.TppoElement.DECEPTION, codes.TppoElement.EXPLOITATION]
            if plan.violence == V.TRAFFICKING else [])
    return services.IncidentData(
        occurred_on=timezone.localdate(plan.received_at) - timedelta(days=rng.randint(0, 20)), place=plan.place,
        kecamatan=None if outside else village.parent, village=None if outside else village,
        outside_district=outside, is_online=V.SEXUAL == plan.violence and rng.random() < 0.15,
        is_kdrt=plan.place == codes.Place.HOUSEHOLD, tpks_forms=tpks, tppo_elements=tppo,
        chronology="Kronologi sintetis untuk demo: peristiwa rekaan, bukan orang sungguhan.")


def _advance(rng: random.Random, case: Case, plan: Plan, worker: User, supervisor: User, agencies: dict,
             now: datetime) -> None:
    """Walk the case through the services up to its planned stage, each step backdated plausibly."""
    received = case.received_at
    victim = case.victims.get()
    order = list(S.values)
    target = order.index(plan.stage)

    def at(hours: float) -> datetime:
        return min(received + timedelta(hours=hours), now - timedelta(minutes=5))

    is_tpks = plan.violence == V.SEXUAL
    if is_tpks and not plan.police_late:
        services.police_report_record(case=case, actor=worker, reported_at=at(rng.uniform(3, 48)),
                                      reference=f"LP/B/{rng.randint(10, 400)}/{received.year}/SPKT")
    first_service = rng.uniform(0.5, 0.9) if plan.risk == codes.RiskLevel.HIGH else rng.uniform(1, 5)
    if target >= order.index(S.IDENTIFICATION):
        services.case_identify(case=case, actor=worker, case_type=codes.CaseType.AMPK if plan.child else
                               codes.CaseType.KTP, risk_level=plan.risk, responsibility=codes.Responsibility.DISTRICT,
                               at=at(rng.uniform(1, 20)))
        giver = codes.ConsentGiver.GUARDIAN if plan.parent_perpetrator else (
            codes.ConsentGiver.PARENT if plan.child else codes.ConsentGiver.SELF)
        scopes = [codes.ConsentScope.SERVICES, codes.ConsentScope.DATA_USE, codes.ConsentScope.SHARING]
        if plan.mediation:
            scopes.append(codes.ConsentScope.MEDIATION)
        consent = services.consent_record(
            case=case, victim=victim, actor=worker, scopes=scopes, given_by=giver, form_version="IC-2025-1",
            given_at=at(first_service), given_by_name="Wali Contoh" if plan.parent_perpetrator else "",
            sharing_agency_types=[codes.AgencyType.POLICE, codes.AgencyType.HOSPITAL, codes.AgencyType.SOCIAL],
            parent_is_perpetrator=plan.parent_perpetrator)
        if consent.needs_approval:
            services.consent_approve(consent=consent, actor=supervisor)
    if target >= order.index(S.IDENTIFICATION) and not plan.unserved:
        kind = codes.AccompanimentKind.MEDICAL if plan.violence in (V.SEXUAL, V.PHYSICAL) else \
            codes.AccompanimentKind.HOME_VISIT
        services.accompaniment_record(case=case, actor=worker, occurred_at=at(first_service), kind=kind,
                                      notes="Pendampingan sintetis.")
        if is_tpks:
            services.accompaniment_record(case=case, actor=worker, occurred_at=at(rng.uniform(20, 60)),
                                          kind=codes.AccompanimentKind.POLICE, notes="Mendampingi pemeriksaan.")
    if target >= order.index(S.ASSESSMENT):
        needs = ["need_psychological", "need_social"]
        if plan.violence in (V.SEXUAL, V.PHYSICAL):
            needs += ["need_health", "need_legal"]
        if plan.violence == V.NEGLECT:
            needs.append("need_economic")
        services.assessment_record(case=case, actor=worker, risk_level=plan.risk, needs=needs,
                                   notes="Asesmen biopsikososial sintetis.", at=at(rng.uniform(24, 70)))
    if plan.mediation:
        services.mediation_record(
            case=case, actor=worker, mediator="Mediator Bersertifikat Demo", parties="Korban dan suami (rekaan)",
            held_on=timezone.localdate(at(24 * 12)), record="Berita acara mediasi sintetis.",
            agreement="Suami memberi nafkah anak setiap bulan melalui rekening korban.",
            follow_up_on=timezone.localdate(at(24 * 12)) + timedelta(days=30))
    if target >= order.index(S.PLANNING):
        planned_at = at(rng.uniform(72, 120))
        lines = [(codes.Service.SOCIAL_REHAB, agencies.get("dinsos"))]
        if plan.violence in (V.SEXUAL, V.PHYSICAL):
            lines.insert(0, (codes.Service.HEALTH, agencies.get("rsud")))
        if is_tpks:
            lines.append((codes.Service.LAW_ENFORCEMENT, agencies.get("polres")))
        for service, agency in lines:
            services.planned_service_add(case=case, actor=worker, service=service, provider_agency=agency,
                                         provider_user=None if agency else worker, at=planned_at,
                                         due_on=timezone.localdate(planned_at) + timedelta(days=rng.randint(5, 21)))
    if target >= order.index(S.INTERVENTION):
        started = at(rng.uniform(120, 150))
        services.intervention_start(case=case, actor=worker, at=started)
        for line in case.planned_services.all()[: 2 if plan.stage == S.INTERVENTION else 3]:
            delivered = min(at(rng.uniform(150, 400)), now - timedelta(minutes=5))
            services.service_delivery_record(case=case, victim=victim, actor=worker, service=line.service,
                                             delivered_on=timezone.localdate(delivered), planned=line,
                                             provider_agency=line.provider_agency, delivered_at=delivered,
                                             notes="Layanan sintetis.")
    if target >= order.index(S.MONITORING):
        services.monitoring_start(case=case, actor=worker, at=at(rng.uniform(400, 600)))
    if plan.stage == S.CLOSED or plan.closure_requested or plan.reopened:
        requested = at(rng.uniform(700, 1000))
        services.closure_request(case=case, actor=worker, at=requested,
                                 reason="Tujuan rencana intervensi tercapai; korban dan keluarga stabil.")
        if plan.stage == S.CLOSED or plan.reopened:
            services.closure_approve(case=case, actor=supervisor, at=min(requested + timedelta(days=1),
                                                                         now - timedelta(minutes=1)))
    if plan.reopened:
        services.case_reopen(case=case, actor=supervisor, reason="Korban melapor kekerasan berulang (sintetis).")
        services.assessment_record(case=case, actor=worker, risk_level=codes.RiskLevel.HIGH,
                                   needs=["need_safety", "need_shelter"], notes="Asesmen ulang sintetis.")
        services.planned_service_add(case=case, actor=worker, service=codes.Service.SOCIAL_REHAB,
                                     provider_agency=agencies.get("dinsos"),
                                     due_on=timezone.localdate() + timedelta(days=7))
        services.intervention_start(case=case, actor=worker)
    if plan.stage != S.CLOSED and rng.random() < 0.5:  # notes carry today's date: only on open cases
        services.case_note_add(case=case, actor=worker, text="Catatan sintetis: korban dihubungi untuk pemantauan.")


def seed_cases(*, agencies: dict[str, Agency] | None = None) -> int:
    """Add the demo cases through the services; returns how many were made (0 when they already exist)."""
    uptd = (agencies or {}).get("uptd") or Agency.objects.filter(name=UPTD_NAME).first()
    if uptd is None or Case.objects.filter(agency=uptd).exists():
        return 0
    agencies = agencies or {}
    workers = list(User.objects.filter(agency=uptd, role=Role.CASEWORKER, is_active=True).order_by("username"))
    supervisor = User.objects.filter(agency=uptd, role=Role.SUPERVISOR, is_active=True).order_by("username").first()
    if not workers or supervisor is None:
        return 0
    rng = random.Random(7322)  # noqa: S311 (invented demo data)  the district's code: the same demo every time
    now = timezone.now()
    villages = list(district_villages())
    plans = _plans(rng, now)
    for index, plan in enumerate(plans):
        worker = workers[index % len(workers)]
        victim = _victim(rng, plan, index, villages)
        perpetrators = [_perpetrator(rng, plan)] if index % 13 != 5 else []  # a few with the perpetrator unknown
        case = services.case_register(
            actor=worker, agency=uptd, received_at=plan.received_at, intake_channel=_weighted(rng, [
                (codes.IntakeChannel.WALK_IN, 45), (codes.IntakeChannel.REMOTE, 25),
                (codes.IntakeChannel.THIRD_PARTY, 15), (codes.IntakeChannel.OUTREACH, 10),
                (codes.IntakeChannel.REFERRAL_IN, 5)]),
            incident=_incident(rng, plan, villages), victims=[victim], perpetrators=perpetrators,
            reporter_name="Pelapor Contoh", reporter_relation="keluarga", reporter_contact="0800-0000-0000")
        _advance(rng, case, plan, worker, supervisor, agencies, now)
    puspaga = agencies.get("puspaga") or Agency.objects.filter(agency_type=codes.AgencyType.PUSPAGA).first()
    if puspaga is not None:
        inbox_services.intake_request_create(
            actor=supervisor, source_agency=puspaga, target_agency=uptd, urgency=codes.Urgency.SOON,
            summary="Konseling PUSPAGA: seorang ibu (rekaan) menceritakan kekerasan fisik oleh suami.",
            contact_hint="Melalui konselor PUSPAGA")
    return len(plans)
