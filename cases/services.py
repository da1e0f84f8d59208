"""Writes to the case file. Every service is atomic, validates its preconditions with a message a
caseworker understands (CaseError), and writes its audit event in the same transaction."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Region, User
from cases import rules
from cases.models import (
    Accompaniment,
    AgendaItem,
    Assessment,
    Attachment,
    BreachRecord,
    Case,
    CaseChange,
    CaseNote,
    Consent,
    DataSubjectRequest,
    Incident,
    Mediation,
    Perpetrator,
    PlannedService,
    ServiceDelivery,
    Victim,
    VictimPerpetrator,
    VictimViolence,
)
from core import bounds, codes
from core.audit import audit_record
from core.files import FileWriteError, written_or_removed
from core.policy import Capability, Scope, can, case_scope
from core.sequences import sequence_next
from core.versioning import version_claim
from inbox import services as inbox_services

if TYPE_CHECKING:
    from inbox.models import IntakeRequest


class CaseError(Exception):
    """A rule of the service standard or the law refused the action; the message is for the caseworker."""


NIK_PATTERN = re.compile(r"^\d{16}$")
SURVIVOR_CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I, 5/S, 8/B, 2/Z)


@dataclass
class VictimData:
    name: str
    sex: str
    violence_types: list[str]
    nik: str = ""
    birth_date: date | None = None
    age: int | None = None  # used when the birth date is unknown
    age_estimated: bool = False  # the age was estimated (no birth date, e.g. a child seen or described)
    identity_unknown: bool = False  # registered without a name (e.g. a SAPA 129 report about a child)
    education: str = codes.Education.OTHER
    occupation: str = codes.Occupation.NA
    marital_status: str = ""
    has_disability: bool = False
    disability_kinds: list[str] = field(default_factory=list)
    address_kecamatan: Region | None = None
    address_village: Region | None = None
    address_detail: str = ""
    phone: str = ""
    # Where this victim was harmed, when it differs from the incident (the case's main values). An empty place
    # and own_area False mean "the same as the incident", an explicit choice on the intake form.
    place: str = ""
    own_area: bool = False
    place_kecamatan: Region | None = None
    place_village: Region | None = None
    place_outside_district: bool = False
    is_kdrt: bool | None = None  # None: as the incident


@dataclass
class PerpetratorData:
    sex: str
    name: str = ""
    age: int | None = None
    is_child: bool = False
    # Relationship to each victim, by the victim's index in the list given to case_register.
    relationships: dict[int, str] = field(default_factory=dict)


@dataclass
class IncidentData:
    occurred_on: date
    place: str
    kecamatan: Region | None = None
    village: Region | None = None
    outside_district: bool = False
    is_online: bool = False
    is_kdrt: bool = False
    tpks_forms: list[str] = field(default_factory=list)
    tppo_elements: list[str] = field(default_factory=list)
    chronology: str = ""


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _next_case_number(*, received_at: datetime) -> str:
    year = timezone.localtime(received_at).year
    return f"{settings.DISTRICT_CODE}/{year}/{sequence_next(kind='case', year=year):04d}"


def _new_survivor_code() -> str:
    while True:
        code = "KRB-" + "".join(secrets.choice(SURVIVOR_CODE_ALPHABET) for _ in range(6))
        if not Victim.all_objects.filter(survivor_code=code).exists():  # removed victims keep their code
            return code


def _validate_registration(*, received_at: datetime, incident: IncidentData, victims: list[VictimData],
                           perpetrators: list[PerpetratorData]) -> None:
    if not victims:
        raise CaseError(_("Kasus harus mencatat setidaknya satu korban."))
    _check_date(bounds.RECORD, received_at, _("Waktu pengaduan"))
    _check_date(bounds.INCIDENT, incident.occurred_on, _("Tanggal kejadian"))
    if incident.occurred_on > timezone.localdate(received_at):
        raise CaseError(_("Tanggal kejadian tidak boleh sesudah pengaduan diterima."))
    if incident.outside_district and (incident.kecamatan or incident.village):
        raise CaseError(_("Kejadian di luar kabupaten tidak memakai kecamatan atau desa kabupaten ini."))
    if incident.village and incident.kecamatan and incident.village.parent_id != incident.kecamatan.code:
        raise CaseError(_("Desa yang dipilih tidak berada di kecamatan itu."))
    for index, victim in enumerate(victims, start=1):
        if victim.nik and not NIK_PATTERN.match(victim.nik):
            raise CaseError(_("NIK korban %(n)s harus 16 angka.") % {"n": index})
        _check_date(bounds.BIRTH, victim.birth_date, _("Tanggal lahir korban %(n)s") % {"n": index})
        if not victim.name.strip() and not victim.identity_unknown:
            raise CaseError(_("Isi nama korban %(n)s, atau catat identitasnya belum diketahui.") % {"n": index})
        if victim.birth_date is None and victim.age is None:
            raise CaseError(_("Isi tanggal lahir atau usia korban %(n)s.") % {"n": index})
        _check_age(victim.age)
        if not victim.violence_types:
            raise CaseError(_("Pilih setidaknya satu jenis kekerasan untuk korban %(n)s.") % {"n": index})
        _check_victim_place(victim, index)
    for perpetrator in perpetrators:
        _check_age(perpetrator.age)
        if any(i < 0 or i >= len(victims) for i in perpetrator.relationships):
            raise CaseError(_("Hubungan pelaku merujuk ke korban yang tidak ada."))


def _check_victim_place(victim: VictimData, index: int) -> None:
    if victim.place:
        _require_choice(victim.place, codes.Place, _("Pilih tempat kejadian korban %(n)s.") % {"n": index})
    if not victim.own_area:
        return
    if victim.place_outside_district and (victim.place_kecamatan or victim.place_village):
        raise CaseError(_("Korban %(n)s: kejadian di luar kabupaten tidak memakai kecamatan atau desa kabupaten "
                          "ini.") % {"n": index})
    if not victim.place_outside_district and not victim.place_kecamatan:
        raise CaseError(_("Korban %(n)s: pilih kecamatan kejadian, atau luar daerah.") % {"n": index})
    if (victim.place_village and victim.place_kecamatan
            and victim.place_village.parent_id != victim.place_kecamatan.code):
        raise CaseError(_("Desa yang dipilih tidak berada di kecamatan itu."))


def victim_place_values(data: VictimData, incident: IncidentData) -> dict:
    """The victim's own place, kecamatan/desa and KDRT flag: what the intake gave for them, else the incident's."""
    own = data.own_area
    return {
        "place": data.place or incident.place,
        "place_kecamatan": data.place_kecamatan if own else incident.kecamatan,
        "place_village": data.place_village if own else incident.village,
        "place_outside_district": data.place_outside_district if own else incident.outside_district,
        "is_kdrt": incident.is_kdrt if data.is_kdrt is None else data.is_kdrt,
    }


@transaction.atomic
def case_register(*, actor: User, agency: Agency, received_at: datetime, intake_channel: str,
                  incident: IncidentData, victims: list[VictimData], perpetrators: list[PerpetratorData] = (),
                  reporter_name: str = "", reporter_relation: str = "", reporter_contact: str = "",
                  assigned_worker: User | None = None, intake_request: IntakeRequest | None = None,
                  request=None) -> Case:
    """Register a complaint (penerimaan pengaduan) with its incident, victims and perpetrators."""
    perpetrators = list(perpetrators)
    _validate_registration(received_at=received_at, incident=incident, victims=victims, perpetrators=perpetrators)
    if intake_request is not None:
        try:
            inbox_services.intake_request_register(intake=intake_request, actor=actor, request=request)
        except inbox_services.InboxError as error:
            raise CaseError(str(error)) from error
    if assigned_worker is None and case_scope(actor) == Scope.OWN:
        assigned_worker = actor  # else the caseworker could not see the case they just registered
    case = Case.objects.create(
        number=_next_case_number(received_at=received_at), agency=agency, received_at=received_at,
        intake_channel=intake_channel, reporter_name=reporter_name, reporter_relation=reporter_relation,
        reporter_contact=reporter_contact, assigned_worker=assigned_worker, created_by=actor,
        intake_request=intake_request)
    Incident.objects.create(
        case=case, occurred_on=incident.occurred_on, place=incident.place, kecamatan=incident.kecamatan,
        village=incident.village, outside_district=incident.outside_district, is_online=incident.is_online,
        is_kdrt=incident.is_kdrt, tpks_forms=list(incident.tpks_forms), tppo_elements=list(incident.tppo_elements),
        chronology=incident.chronology)
    saved_victims = []
    for data in victims:
        age = age_on(data.birth_date, incident.occurred_on) if data.birth_date else data.age
        is_child = age < codes.CHILD_AGE_LIMIT
        victim = Victim.objects.create(
            case=case, survivor_code=_new_survivor_code(), name=data.name.strip(), nik=data.nik,
            birth_date=data.birth_date, identity_unknown=data.identity_unknown,
            age_estimated=data.age_estimated and data.birth_date is None,
            age_at_incident=age, age_group=codes.age_group_for(age), is_child=is_child,
            case_type=rules.victim_case_type(is_child=is_child, sex=data.sex), **victim_place_values(data, incident),
            sex=data.sex, education=data.education, occupation=data.occupation, marital_status=data.marital_status,
            has_disability=data.has_disability, disability_kinds=list(data.disability_kinds),
            address_kecamatan=data.address_kecamatan, address_village=data.address_village,
            address_detail=data.address_detail, phone=data.phone,
            **Victim.lookup_keys(nik=data.nik, name=data.name, birth_date=data.birth_date))
        VictimViolence.objects.bulk_create(
            [VictimViolence(victim=victim, violence_type=t) for t in sorted(set(data.violence_types))])
        saved_victims.append(victim)
    for data in perpetrators:
        perpetrator = Perpetrator.objects.create(
            case=case, name=data.name, sex=data.sex, age=data.age,
            is_child=data.is_child or (data.age is not None and data.age < codes.CHILD_AGE_LIMIT))
        VictimPerpetrator.objects.bulk_create([
            VictimPerpetrator(victim=saved_victims[index], perpetrator=perpetrator, relationship=relationship)
            for index, relationship in sorted(data.relationships.items())])
    audit_record(actor=actor, action="case.register", obj=case, request=request,
                 details={"victims": len(saved_victims), "perpetrators": len(perpetrators)})
    return case


@transaction.atomic
def case_identify(*, case: Case, actor: User, case_type: str, risk_level: str, responsibility: str,
                  at: datetime | None = None, version: int | None = None, request=None) -> Case:
    """Identification (identifikasi): case type, risk level and which level of government is responsible."""
    # First: two people identifying at once are a conflict to show, not a stage error for the second.
    version_claim(case, read_version=version)
    if case.stage != codes.CaseStage.COMPLAINT:
        raise CaseError(_("Identifikasi hanya dilakukan pada kasus di tahap pengaduan."))
    _require_choice(case_type, codes.CaseType, _("Pilih jenis kasus."))
    _require_choice(risk_level, codes.RiskLevel, _("Pilih tingkat risiko."))
    _require_choice(responsibility, codes.Responsibility, _("Pilih kewenangan."))
    case.case_type, case.risk_level, case.responsibility = case_type, risk_level, responsibility
    case.identified_at = _moment(case, at)
    case.stage = codes.CaseStage.IDENTIFICATION
    case.save(update_fields=["case_type", "risk_level", "responsibility", "identified_at", "stage", "updated_at"])
    audit_record(actor=actor, action="case.identify", obj=case, request=request,
                 details={"case_type": case_type, "risk_level": risk_level})
    return case


@transaction.atomic
def consent_record(*, case: Case, victim: Victim, actor: User, scopes: list[str], given_by: str,
                   form_version: str, given_at: datetime | None = None, given_by_name: str = "",
                   sharing_agency_types: list[str] = (), legal_basis: str = "", parent_is_perpetrator: bool = False,
                   giver_is_perpetrator: bool = False, request=None) -> Consent:
    """Record informed consent (UU 27/2022 PDP Pasal 22-26); a child's comes from a parent or guardian.

    `giver_is_perpetrator`: the person consenting is a perpetrator (refused). `parent_is_perpetrator`: a parent
    of the victim is; the other parent may still consent (a mother when the father is the perpetrator)."""
    if victim.case_id != case.pk:
        raise CaseError(_("Korban ini tidak tercatat pada kasus ini."))
    if not scopes:
        raise CaseError(_("Pilih apa saja yang disetujui."))
    bar = rules.mediation_bar(case) if codes.ConsentScope.MEDIATION in scopes else None
    if bar is not None:
        raise CaseError(bar.reason)  # UU 12/2022 Pasal 23: no consent to a mediation the law does not allow
    # UU 27/2022 Pasal 25: a child's data is processed with the consent of a parent and/or guardian.
    if victim.is_child and given_by == codes.ConsentGiver.SELF:
        raise CaseError(_("Korban anak: persetujuan diberikan oleh orang tua atau wali (UU 27/2022 Pasal 25)."))
    if given_by == codes.ConsentGiver.LEGAL_BASIS and not legal_basis.strip():
        raise CaseError(_("Tuliskan dasar hukum bila data diproses tanpa persetujuan."))
    _check_date(bounds.RECORD, given_at, _("Waktu persetujuan"))
    if giver_is_perpetrator and given_by != codes.ConsentGiver.LEGAL_BASIS:
        raise CaseError(_("Orang tua atau wali yang menjadi pelaku tidak dapat memberi persetujuan. "
                          "Catat orang tua lain, wali lain atau dasar hukumnya."))
    if given_by == codes.ConsentGiver.PARENT and parent_is_perpetrator and not given_by_name.strip():
        # The record must say which parent consented, so that it cannot be the one who is the perpetrator.
        raise CaseError(_("Tuliskan nama orang tua yang memberi persetujuan (bukan orang tua yang menjadi pelaku)."))
    # When a parent is the perpetrator, another guardian or a legal basis decides, and a supervisor approves.
    needs_approval = given_by == codes.ConsentGiver.LEGAL_BASIS or (
        victim.is_child and given_by == codes.ConsentGiver.GUARDIAN and parent_is_perpetrator)
    consent = Consent.objects.create(
        case=case, victim=victim, scopes=sorted(set(scopes)), sharing_agency_types=sorted(set(sharing_agency_types)),
        given_by=given_by, given_by_name=given_by_name, legal_basis=legal_basis, form_version=form_version,
        given_at=given_at or timezone.now(), needs_approval=needs_approval, recorded_by=actor)
    audit_record(actor=actor, action="consent.record", obj=case, request=request,
                 details={"victim": victim.survivor_code, "scopes": consent.scopes, "needs_approval": needs_approval})
    return consent


@transaction.atomic
def service_delivery_record(*, case: Case, victim: Victim, actor: User, service: str, delivered_on: date,
                            provider_agency: Agency | None = None, provider_user: User | None = None,
                            notes: str = "", planned=None, delivered_at: datetime | None = None,
                            request=None) -> ServiceDelivery:
    """Record a service given to a victim; it feeds the statistics of services given."""
    if victim.case_id != case.pk:
        raise CaseError(_("Korban ini tidak tercatat pada kasus ini."))
    if case.is_closed:
        raise CaseError(_("Kasus sudah ditutup. Buka kembali kasus untuk mencatat layanan."))
    _check_date(bounds.RECORD, delivered_on, _("Tanggal layanan"))
    if delivered_on < timezone.localdate(case.received_at) and service != codes.Service.COMPLAINT:
        raise CaseError(_("Tanggal layanan tidak boleh sebelum pengaduan diterima."))
    if planned is not None and planned.case_id != case.pk:
        raise CaseError(_("Rencana layanan ini bukan bagian dari kasus ini."))
    delivery = ServiceDelivery.objects.create(
        case=case, victim=victim, service=service, delivered_on=delivered_on, planned=planned,
        provider_agency=provider_agency or (provider_user.agency if provider_user else None),
        provider_user=provider_user, notes=notes, recorded_by=actor)
    _note_first_service(case, delivered_at or timezone.now())
    audit_record(actor=actor, action="case.service_delivery", obj=case, request=request,
                 details={"victim": victim.survivor_code, "service": service})
    return delivery


# --- Shared checks ------------------------------------------------------------------------------

def _check_date(bound: bounds.DateRange, value: date | datetime | None, what: str) -> None:
    if message := bound.problem(value, what=what):
        raise CaseError(message)


def _check_age(age: int | None) -> None:
    if message := bounds.count_problem(age, maximum=bounds.MAX_AGE, what=_("Usia")):
        raise CaseError(message)


def _require_choice(value: str, choices, message: str) -> None:
    if value not in choices.values:
        raise CaseError(message)


def _moment(case: Case, at: datetime | None) -> datetime:
    """When something happened: now, or an earlier moment recorded after the fact (never before the complaint)."""
    if at is None:
        return timezone.now()
    if at > timezone.now():
        raise CaseError(_("Waktu tidak boleh di masa depan."))
    if at < case.received_at:
        raise CaseError(_("Waktu tidak boleh sebelum pengaduan diterima."))
    return at


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise CaseError(_("Kasus sudah ditutup (terminasi). Buka kembali kasus bila perlu ditangani lagi."))


def _require(capability: Capability, case: Case, actor: User, message: str) -> None:
    """Only staff of the case's own agency who hold `capability` (core.policy) may take this step."""
    if not (can(actor, capability) and actor.agency_id == case.agency_id):
        raise CaseError(message)


def _note_first_service(case: Case, moment: datetime) -> None:
    """Keep the earliest service or accompaniment time: the time standards are measured against it."""
    if case.first_service_at is None or moment < case.first_service_at:
        case.first_service_at = moment
        case.save(update_fields=["first_service_at", "updated_at"])


def _set_stage(case: Case, stage: str, **fields) -> None:
    for name, value in fields.items():
        setattr(case, name, value)
    case.stage = stage
    case.save(update_fields=["stage", "updated_at", *fields])


# --- Workflow transitions (Permen PPPA 2/2022) -----------------------------------------------

@transaction.atomic
def assessment_record(*, case: Case, actor: User, risk_level: str, needs: list[str] | tuple[str, ...] = (),
                      notes: str = "", at: datetime | None = None, request=None) -> Assessment:
    """Asesmen biopsikososial: the victim's needs and the risk; moves an identified case to ASSESSMENT."""
    _require_open(case)
    if case.stage == codes.CaseStage.COMPLAINT:
        raise CaseError(_("Lakukan identifikasi kasus sebelum asesmen."))
    _require_choice(risk_level, codes.RiskLevel, _("Pilih tingkat risiko hasil asesmen."))
    unknown = set(needs) - set(rules.ASSESSMENT_NEEDS)
    if unknown:
        raise CaseError(_("Kebutuhan yang dipilih tidak dikenal."))
    moment = _moment(case, at)
    assessment = Assessment.objects.create(case=case, assessed_by=actor, assessed_at=moment, risk_level=risk_level,
                                           notes=notes, **{name: name in needs for name in rules.ASSESSMENT_NEEDS})
    fields = {"risk_level": risk_level}
    if case.stage == codes.CaseStage.IDENTIFICATION:
        _set_stage(case, codes.CaseStage.ASSESSMENT, **fields)
    else:  # a re-assessment later in the case updates the risk, not the stage
        case.risk_level = risk_level
        case.save(update_fields=["risk_level", "updated_at"])
    audit_record(actor=actor, action="case.assessment", obj=case, request=request,
                 details={"risk_level": risk_level, "needs": sorted(needs)})
    return assessment


@transaction.atomic
def planned_service_add(*, case: Case, actor: User, service: str, due_on: date,
                        provider_agency: Agency | None = None, provider_user: User | None = None,
                        notes: str = "", at: datetime | None = None, request=None) -> PlannedService:
    """A line of the intervention plan (rencana intervensi); the first one moves the case to PLANNING."""
    _require_open(case)
    # Permen PPPA 2/2022: the plan is made from the assessment, never before it.
    if not case.assessments.exists():
        raise CaseError(_("Rencana intervensi memerlukan asesmen lebih dahulu."))
    _require_choice(service, codes.Service, _("Pilih layanan."))
    if provider_agency is None and provider_user is None:
        raise CaseError(_("Pilih lembaga atau petugas yang memberi layanan."))
    planned_at = _moment(case, at)
    _check_date(bounds.PLAN, due_on, _("Target tanggal"))
    if due_on < timezone.localdate(planned_at):
        raise CaseError(_("Target tanggal tidak boleh sebelum rencana dibuat."))
    line = PlannedService.objects.create(case=case, service=service, due_on=due_on, provider_agency=provider_agency,
                                         provider_user=provider_user, notes=notes)
    if case.stage == codes.CaseStage.ASSESSMENT:
        _set_stage(case, codes.CaseStage.PLANNING)
    audit_record(actor=actor, action="case.plan_add", obj=case, request=request,
                 details={"service": service, "due_on": due_on.isoformat(),
                          "provider_agency": provider_agency.pk if provider_agency else None})
    return line


@transaction.atomic
def intervention_start(*, case: Case, actor: User, at: datetime | None = None, request=None) -> Case:
    """Start carrying out the plan (pelaksanaan intervensi)."""
    if case.stage != codes.CaseStage.PLANNING:
        raise CaseError(_("Pelaksanaan intervensi dimulai dari tahap rencana intervensi."))
    if not case.planned_services.exists():
        raise CaseError(_("Tambahkan setidaknya satu layanan ke rencana intervensi."))
    _set_stage(case, codes.CaseStage.INTERVENTION, intervention_started_at=_moment(case, at))
    audit_record(actor=actor, action="case.intervention_start", obj=case, request=request)
    return case


@transaction.atomic
def monitoring_start(*, case: Case, actor: User, notes: str = "", at: datetime | None = None,
                     request=None) -> Case:
    """Move to monitoring and evaluation (pemantauan) once services were given."""
    if case.stage != codes.CaseStage.INTERVENTION:
        raise CaseError(_("Pemantauan dimulai dari tahap pelaksanaan intervensi."))
    if not (case.service_deliveries.exists() or case.accompaniments.exists()):
        raise CaseError(_("Catat setidaknya satu layanan atau pendampingan sebelum pemantauan."))
    _set_stage(case, codes.CaseStage.MONITORING, monitoring_started_at=_moment(case, at))
    if notes.strip():
        CaseNote.objects.create(case=case, author=actor, text=notes.strip())
    audit_record(actor=actor, action="case.monitoring_start", obj=case, request=request)
    return case


@transaction.atomic
def closure_request(*, case: Case, actor: User, reason: str, at: datetime | None = None, request=None) -> Case:
    """The worker asks to close the case (terminasi) with a reason; a supervisor decides."""
    _require_open(case)
    if case.closure_requested_at is not None:
        raise CaseError(_("Terminasi sudah diajukan dan menunggu keputusan koordinator."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan terminasi."))
    case.closure_reason = reason.strip()
    case.closure_requested_at = _moment(case, at)
    case.closure_requested_by = actor
    case.save(update_fields=["closure_reason", "closure_requested_at", "closure_requested_by", "updated_at"])
    audit_record(actor=actor, action="case.closure_request", obj=case, request=request)
    return case


@transaction.atomic
def closure_approve(*, case: Case, actor: User, at: datetime | None = None, request=None) -> Case:
    """A supervisor approves the closure: the case is closed (no closure without reason and approval)."""
    _require(Capability.CASE_DECIDE_CLOSURE, case, actor,
             _("Hanya koordinator lembaga ini yang dapat menyetujui terminasi."))
    _require_open(case)
    if case.closure_requested_at is None or not case.closure_reason:
        raise CaseError(_("Belum ada pengajuan terminasi dengan alasan untuk disetujui."))
    if case.closure_requested_by_id == actor.pk:
        raise CaseError(_("Terminasi disetujui oleh koordinator lain, bukan oleh yang mengajukan."))
    moment = _moment(case, at)
    if moment < case.closure_requested_at:
        raise CaseError(_("Persetujuan tidak boleh sebelum terminasi diajukan."))
    _set_stage(case, codes.CaseStage.CLOSED, closed_at=moment, closure_approved_by=actor)
    audit_record(actor=actor, action="case.closure_approve", obj=case, request=request)
    _notify_closure_decision(case, inbox_services.Kind.CLOSURE_APPROVED, actor=actor,
                             requested_by=case.closure_requested_by)
    return case


@transaction.atomic
def closure_reject(*, case: Case, actor: User, reason: str, request=None) -> Case:
    """A supervisor sends the closure request back with a reason; the case stays where it was."""
    _require(Capability.CASE_DECIDE_CLOSURE, case, actor,
             _("Hanya koordinator lembaga ini yang dapat menolak terminasi."))
    _require_open(case)
    if case.closure_requested_at is None:
        raise CaseError(_("Belum ada pengajuan terminasi untuk ditolak."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan penolakan terminasi."))
    requested_by = case.closure_requested_by
    case.closure_rejection_reason = reason.strip()
    case.closure_rejected_at = timezone.now()
    case.closure_requested_at = None
    case.closure_requested_by = None
    case.save(update_fields=["closure_rejection_reason", "closure_rejected_at", "closure_requested_at",
                             "closure_requested_by", "updated_at"])
    # The reason is on the case for its team; audit rows can never be erased, so they carry no free text.
    audit_record(actor=actor, action="case.closure_reject", obj=case, request=request)
    _notify_closure_decision(case, inbox_services.Kind.CLOSURE_REFUSED, actor=actor, requested_by=requested_by)
    return case


def _notify_closure_decision(case: Case, kind: str, *, actor: User, requested_by: User | None) -> None:
    # The case's worker acts on the decision (a refusal means more work); whoever asked, if someone else, hears too.
    # The notice names the case by its number; the refusal's reason stays on the case page.
    inbox_services.notify(recipients=[case.assigned_worker, requested_by], kind=kind,
                          link=reverse("cases:detail", args=[case.pk]), params={"number": case.number},
                          exclude=actor)


@transaction.atomic
def case_reopen(*, case: Case, actor: User, reason: str, request=None) -> Case:
    """Re-open a closed case with a reason; it returns to assessment (or to intake if never identified)."""
    if not case.is_closed:
        raise CaseError(_("Hanya kasus yang sudah ditutup yang dapat dibuka kembali."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan membuka kembali kasus."))
    previous_reason = case.closure_reason
    stage = codes.CaseStage.ASSESSMENT if case.identified_at else codes.CaseStage.COMPLAINT
    _set_stage(case, stage, closed_at=None, closure_reason="", closure_requested_at=None,
               closure_requested_by=None, closure_approved_by=None, closure_rejection_reason="",
               closure_rejected_at=None, reopened_at=timezone.now(), reopen_reason=reason.strip(),
               reopen_count=case.reopen_count + 1)
    # The case keeps only its last closure and reopening reasons: the earlier ones go into its notes, where the
    # case team reads them (and retention can erase them), not into the unchangeable audit row.
    CaseNote.objects.create(case=case, author=actor, text=_(
        "Kasus dibuka kembali. Alasan: %(reason)s\nAlasan terminasi sebelumnya: %(previous)s")
        % {"reason": reason.strip(), "previous": previous_reason})
    audit_record(actor=actor, action="case.reopen", obj=case, request=request)
    return case


@transaction.atomic
def case_assign(*, case: Case, actor: User, worker: User, version: int | None = None, request=None) -> Case:
    """A supervisor assigns (or reassigns) the case to a caseworker of the same agency."""
    _require(Capability.CASE_ASSIGN, case, actor, _("Hanya koordinator lembaga ini yang dapat menugaskan pendamping."))
    version_claim(case, read_version=version)
    _require_open(case)
    if not (can(worker, Capability.CASE_WORK) and worker.agency_id == case.agency_id):
        raise CaseError(_("Pendamping harus staf aktif lembaga yang menangani kasus."))
    previous = case.assigned_worker
    if previous is not None and previous.pk == worker.pk:
        raise CaseError(_("Kasus ini sudah ditugaskan kepada pendamping itu."))
    case.assigned_worker = worker
    case.save(update_fields=["assigned_worker", "updated_at"])
    audit_record(actor=actor, action="case.assign", obj=case, request=request,
                 details={"from": previous.get_username() if previous else None, "to": worker.get_username()})
    return case


# --- Records on a case -----------------------------------------------------------------------

@transaction.atomic
def accompaniment_record(*, case: Case, actor: User, occurred_at: datetime, kind: str,
                         accompanied_by: User | None = None, notes: str = "", request=None) -> Accompaniment:
    """Pendampingan: a session accompanying the victim (police, court, visum, home visit, ...)."""
    _require_open(case)
    _require_choice(kind, codes.AccompanimentKind, _("Pilih jenis pendampingan."))
    moment = _moment(case, occurred_at)
    session = Accompaniment.objects.create(case=case, occurred_at=moment, kind=kind,
                                           accompanied_by=accompanied_by or actor, notes=notes)
    _note_first_service(case, moment)
    audit_record(actor=actor, action="case.accompaniment", obj=case, request=request, details={"kind": kind})
    return session


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str, request=None) -> CaseNote:
    """A note on the case file (also on a closed case: what happens after closure is still written down)."""
    if not text.strip():
        raise CaseError(_("Catatan tidak boleh kosong."))
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip())
    audit_record(actor=actor, action="case.note", obj=case, request=request)
    return note


# File signatures: the type is decided by the content, not by the name the browser sends.
ATTACHMENT_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)


def attachment_max_bytes() -> int:
    return settings.CASE_ATTACHMENT_MAX_MB * 1024 * 1024


def attachment_check(upload) -> tuple[str, str]:
    """The (extension, content type) of an accepted upload; refuses wrong types and oversized files."""
    if upload.size == 0:
        raise CaseError(_("Berkas kosong. Pilih berkas lain."))
    if upload.size > attachment_max_bytes():
        raise CaseError(_("Berkas terlalu besar (%(size).1f MB). Batasnya %(max)s MB.")
                        % {"size": upload.size / (1024 * 1024), "max": settings.CASE_ATTACHMENT_MAX_MB})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in ATTACHMENT_SIGNATURES:
        if head.startswith(signature):
            return extension, content_type
    raise CaseError(_("Jenis berkas tidak diterima. Unggah PDF, JPEG atau PNG."))


@transaction.atomic
def attachment_add(*, case: Case, actor: User, document_type: str, upload, request=None) -> Attachment:
    """Store a document or photo under the private media root (never a public path)."""
    _require_choice(document_type, codes.DocumentType, _("Pilih jenis dokumen."))
    extension, content_type = attachment_check(upload)
    attachment = Attachment(case=case, document_type=document_type, original_name=(upload.name or "")[-255:],
                            content_type=content_type, size=upload.size, uploaded_by=actor)
    # A random stored name: the name on the uploader's device may carry the survivor's name.
    try:
        with written_or_removed():  # a disk that is full or read-only leaves no file and, rolled back, no row
            attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
            attachment.save()
    except FileWriteError as error:
        raise CaseError(str(error)) from error
    audit_record(actor=actor, action="case.attachment_add", obj=case, request=request,
                 details={"attachment": attachment.pk, "document_type": document_type, "size": upload.size})
    return attachment


@transaction.atomic
def police_report_record(*, case: Case, actor: User, reported_at: datetime | None = None, reference: str = "",
                         version: int | None = None, request=None) -> Case:
    """Record that the police were told (UU 12/2022 Pasal 41: within 3x24 hours for a TPKS case)."""
    version_claim(case, read_version=version)
    _require_open(case)
    if case.police_reported_at is not None:
        raise CaseError(_("Laporan ke kepolisian sudah tercatat untuk kasus ini."))
    case.police_reported_at = _moment(case, reported_at)
    case.police_report_reference = reference.strip()
    case.save(update_fields=["police_reported_at", "police_report_reference", "updated_at"])
    audit_record(actor=actor, action="case.police_report", obj=case, request=request)
    return case


@transaction.atomic
def police_report_by_referral(*, case: Case, actor: User, referral_number: str, at: datetime,
                              request=None) -> bool:
    """A referral sent to the police is the report to the police (UU 12/2022 Pasal 41) unless one was recorded
    before: the first report counts. Returns whether this referral became the case's report."""
    # The conditional UPDATE is the claim: of two referrals sent at once, only one becomes the report.
    claimed = Case.objects.filter(pk=case.pk, police_reported_at__isnull=True).update(
        police_reported_at=at, updated_at=timezone.now())
    if not claimed:
        return False
    case.police_reported_at = at
    audit_record(actor=actor, action="case.police_report", obj=case, request=request,
                 details={"referral": referral_number})
    return True


@transaction.atomic
def consent_approve(*, consent: Consent, actor: User, request=None) -> Consent:
    """A supervisor approves consent from another guardian or a legal basis (UU 27/2022 Pasal 25)."""
    case = consent.case
    _require(Capability.CASE_APPROVE_CONSENT, case, actor,
             _("Hanya koordinator lembaga ini yang dapat menyetujui persetujuan ini."))
    if not consent.needs_approval:
        raise CaseError(_("Persetujuan ini tidak memerlukan persetujuan koordinator."))
    if consent.approved_at is not None:
        raise CaseError(_("Persetujuan ini sudah disetujui."))
    if consent.withdrawn_at is not None:
        raise CaseError(_("Persetujuan ini sudah dicabut."))
    consent.approved_by, consent.approved_at = actor, timezone.now()
    consent.save(update_fields=["approved_by", "approved_at", "updated_at"])
    audit_record(actor=actor, action="consent.approve", obj=case, request=request,
                 details={"consent": consent.pk, "victim": consent.victim.survivor_code})
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User, reason: str, request=None) -> Consent:
    """The consent-giver withdraws consent (UU 27/2022 PDP); the record stays, marked withdrawn."""
    if consent.withdrawn_at is not None:
        raise CaseError(_("Persetujuan ini sudah dicabut."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan atau keterangan pencabutan."))
    consent.withdrawn_at, consent.withdrawal_reason = timezone.now(), reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(actor=actor, action="consent.withdraw", obj=consent.case, request=request,
                 details={"consent": consent.pk, "victim": consent.victim.survivor_code})
    return consent


# --- Synthetic cases for benchmarks and load tests ------------------------------------------------

SYNTHETIC_PREFIX = "SYN-"  # the numbers of synthetic cases; a real case number starts with the district code
SYNTHETIC_VICTIM_NAME = "Korban Sintetis"


@dataclass
class SyntheticVictim:
    age: int
    sex: str
    violence_types: list[str]
    education: str = codes.Education.OTHER
    occupation: str = codes.Occupation.NA
    marital_status: str = ""
    has_disability: bool = False
    services: list[tuple[str, date]] = field(default_factory=list)  # (service, delivered_on)


@dataclass
class SyntheticPerpetrator:
    sex: str
    age: int | None = None
    relationships: list[str] = field(default_factory=list)  # one per victim of the case, in the victims' order


@dataclass
class SyntheticCase:
    received_at: datetime
    occurred_on: date
    place: str
    victims: list[SyntheticVictim]
    perpetrators: list[SyntheticPerpetrator] = field(default_factory=list)
    assigned_worker: User | None = None
    identified_at: datetime | None = None
    first_service_at: datetime | None = None
    closed_at: datetime | None = None
    kecamatan_id: str | None = None
    village_id: str | None = None
    outside_district: bool = False
    is_kdrt: bool = False
    tpks_forms: list[str] = field(default_factory=list)


@transaction.atomic
def synthetic_cases_add(*, actor: User | None, agency: Agency, cases: list[SyntheticCase]) -> list[Case]:
    """Bulk-insert invented cases (numbered SYN-..., no names, NIK or address); one audit event with the counts.

    Not for real cases: it skips the registration rules, numbering and deadlines, so that a benchmark can
    load 100,000 cases in about a minute. The statistics count these rows like any other.
    """
    first = Case.objects.filter(number__startswith=SYNTHETIC_PREFIX).count() + 1
    rows = Case.objects.bulk_create([Case(
        number=f"{SYNTHETIC_PREFIX}{first + i:07d}", agency=agency, received_at=plan.received_at,
        intake_channel=codes.IntakeChannel.WALK_IN,
        stage=codes.CaseStage.CLOSED if plan.closed_at else codes.CaseStage.INTERVENTION,
        assigned_worker=plan.assigned_worker, identified_at=plan.identified_at,
        first_service_at=plan.first_service_at, closed_at=plan.closed_at,
        closure_reason="Sintetis" if plan.closed_at else "", case_type=codes.CaseType.AMPK,
        risk_level=codes.RiskLevel.MEDIUM) for i, plan in enumerate(cases)])
    Incident.objects.bulk_create([Incident(
        case=case, occurred_on=plan.occurred_on, place=plan.place, kecamatan_id=plan.kecamatan_id,
        village_id=plan.village_id, outside_district=plan.outside_district, is_kdrt=plan.is_kdrt,
        tpks_forms=plan.tpks_forms) for case, plan in zip(rows, cases, strict=True)])
    victims = Victim.objects.bulk_create([Victim(
        case=case, survivor_code=f"SYN{index}-{case.number.removeprefix(SYNTHETIC_PREFIX)}",
        name=SYNTHETIC_VICTIM_NAME, age_at_incident=victim.age, age_group=codes.age_group_for(victim.age),
        is_child=victim.age < codes.CHILD_AGE_LIMIT, sex=victim.sex, education=victim.education,
        occupation=victim.occupation, marital_status=victim.marital_status, has_disability=victim.has_disability,
        place=plan.place, place_kecamatan_id=plan.kecamatan_id, place_village_id=plan.village_id,
        place_outside_district=plan.outside_district, is_kdrt=plan.is_kdrt,
        case_type=rules.victim_case_type(is_child=victim.age < codes.CHILD_AGE_LIMIT, sex=victim.sex))
        for case, plan in zip(rows, cases, strict=True) for index, victim in enumerate(plan.victims)])
    plans = [victim for plan in cases for victim in plan.victims]  # in the order of `victims`
    VictimViolence.objects.bulk_create([
        VictimViolence(victim=victim, violence_type=violence_type)
        for victim, plan in zip(victims, plans, strict=True) for violence_type in sorted(set(plan.violence_types))])
    deliveries = ServiceDelivery.objects.bulk_create([
        ServiceDelivery(case_id=victim.case_id, victim=victim, service=service, delivered_on=delivered_on,
                        provider_agency=agency)
        for victim, plan in zip(victims, plans, strict=True) for service, delivered_on in plan.services])
    victims_of: dict[int, list[Victim]] = {}
    for victim in victims:
        victims_of.setdefault(victim.case_id, []).append(victim)
    perpetrator_plans = [(case, perpetrator) for case, plan in zip(rows, cases, strict=True)
                         for perpetrator in plan.perpetrators]
    perpetrators = Perpetrator.objects.bulk_create([
        Perpetrator(case=case, name="", sex=plan.sex, age=plan.age,
                    is_child=plan.age is not None and plan.age < codes.CHILD_AGE_LIMIT)
        for case, plan in perpetrator_plans])
    pairs = VictimPerpetrator.objects.bulk_create([
        VictimPerpetrator(victim=victim, perpetrator=perpetrator, relationship=relationship)
        for perpetrator, (case, plan) in zip(perpetrators, perpetrator_plans, strict=True)
        for victim, relationship in zip(victims_of[case.pk], plan.relationships, strict=True)])
    audit_record(actor=actor, action="case.synthetic_add", details={
        "cases": len(rows), "victims": len(victims), "perpetrators": len(perpetrators), "pairs": len(pairs),
        "services": len(deliveries), "first": rows[0].number if rows else "", "last": rows[-1].number if rows else ""})
    return rows


@transaction.atomic
def synthetic_cases_remove(*, actor: User | None) -> int:
    """Delete every synthetic case (SYN-...) with its rows, and no other; returns how many rows went."""
    synthetic = Case.objects.filter(number__startswith=SYNTHETIC_PREFIX)
    cases = synthetic.count()
    deleted, _by_model = synthetic.delete()
    audit_record(actor=actor, action="case.synthetic_remove", details={"cases": cases, "rows": deleted})
    return deleted


# --- Mediation under the law -------------------------------------------------------------------

class MediationRefused(CaseError):
    """The law does not allow settling this case outside court (UU 12/2022 Pasal 23, UU 21/2007)."""


class DiversionRequired(MediationRefused):
    """Every perpetrator is a child: diversion through law enforcement (UU 11/2012 SPPA), not mediation."""


def mediation_check(case: Case) -> None:
    """Raise MediationRefused or DiversionRequired when the law rules mediation out; return when allowed."""
    bar = rules.mediation_bar(case)
    if bar is not None:
        raise (DiversionRequired if bar.diversion else MediationRefused)(bar.reason)


def mediation_consents(case: Case) -> dict[int, Consent | None]:
    """Each victim's effective consent covering mediation (None where there is none)."""
    found: dict[int, Consent | None] = {victim.pk: None for victim in case.victims.all()}
    for consent in Consent.objects.filter(case=case, withdrawn_at__isnull=True).order_by("-given_at"):
        covers = consent.is_effective and codes.ConsentScope.MEDIATION in consent.scopes
        if covers and found.get(consent.victim_id, False) is None:
            found[consent.victim_id] = consent
    return found


@transaction.atomic
def mediation_record(*, case: Case, actor: User, mediator: str, parties: str, held_on: date, record: str = "",
                     agreement: str = "", follow_up_on: date | None = None, request=None) -> Mediation:
    """Record a mediation the law allows, with every victim's consent and an assessment made first."""
    _require_open(case)
    mediation_check(case)
    if not case.assessments.exists():
        raise CaseError(_("Mediasi memerlukan asesmen lebih dahulu (pendamping dan psikolog)."))
    consents = mediation_consents(case)
    missing = [code for code, consent in
               ((v.survivor_code, consents.get(v.pk)) for v in case.victims.all()) if consent is None]
    if missing:
        raise CaseError(_("Mediasi memerlukan persetujuan yang berlaku untuk mediasi dari setiap korban. "
                          "Belum ada untuk: %(codes)s.") % {"codes": ", ".join(missing)})
    if not mediator.strip() or not parties.strip():
        raise CaseError(_("Isi nama mediator dan para pihak."))
    _check_date(bounds.RECORD, held_on, _("Tanggal mediasi"))
    _check_date(bounds.PLAN, follow_up_on, _("Tanggal pemantauan kesepakatan"))
    if held_on < timezone.localdate(case.received_at):
        raise CaseError(_("Tanggal mediasi tidak boleh sebelum pengaduan diterima."))
    if follow_up_on is not None and follow_up_on < held_on:
        raise CaseError(_("Tanggal pemantauan kesepakatan harus sesudah tanggal mediasi."))
    mediation = Mediation.objects.create(
        case=case, consent=next(c for c in consents.values() if c is not None), mediator=mediator.strip(),
        parties=parties.strip(), held_on=held_on, record=record, agreement=agreement, follow_up_on=follow_up_on,
        recorded_by=actor)
    if follow_up_on is not None:
        # The check of the agreement goes on the case's agenda (cases.agenda): reminded of, then ticked off there.
        AgendaItem.objects.create(case=case, kind=codes.AgendaKind.MEDIATION_CHECK, due_on=follow_up_on,
                                  assignee=case.assigned_worker or actor, created_by=actor)
    audit_record(actor=actor, action="case.mediation", obj=case, request=request,
                 details={"held_on": held_on.isoformat()})
    return mediation


# --- UU 27/2022 PDP: legal hold, retention, data-subject requests, breaches ---------------------

@transaction.atomic
def legal_hold_set(*, case: Case, actor: User, reason: str, request=None) -> Case:
    """A supervisor keeps the case out of the retention purge (a court, an appeal or a complaint needs it)."""
    _require(Capability.CASE_DECIDE_CLOSURE, case, actor,
             _("Hanya koordinator lembaga ini yang dapat menahan kasus untuk keperluan hukum."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan penahanan."))
    if case.anonymised_at is not None:
        raise CaseError(_("Kasus ini sudah dianonimkan."))
    case.legal_hold_at = timezone.now()
    case.legal_hold_reason = reason.strip()
    case.legal_hold_by = actor
    case.save(update_fields=["legal_hold_at", "legal_hold_reason", "legal_hold_by", "updated_at"])
    audit_record(actor=actor, action="case.legal_hold_set", obj=case, request=request, reason=reason.strip())
    return case


@transaction.atomic
def legal_hold_clear(*, case: Case, actor: User, reason: str, request=None) -> Case:
    """A supervisor lifts the legal hold; the reason is kept in the audit trail."""
    _require(Capability.CASE_DECIDE_CLOSURE, case, actor,
             _("Hanya koordinator lembaga ini yang dapat mencabut penahanan."))
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan pencabutan penahanan."))
    if case.legal_hold_at is None:
        raise CaseError(_("Kasus ini tidak sedang ditahan."))
    case.legal_hold_at = None
    case.legal_hold_reason = ""
    case.legal_hold_by = None
    case.save(update_fields=["legal_hold_at", "legal_hold_reason", "legal_hold_by", "updated_at"])
    audit_record(actor=actor, action="case.legal_hold_clear", obj=case, request=request, reason=reason.strip())
    return case


def retention_cutoff(now: datetime) -> datetime:
    """Cases closed before this moment are due for anonymisation (SIMPUL_RETENTION_YEARS after closure)."""
    years = settings.SIMPUL_RETENTION_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def cases_due_for_anonymisation(*, now: datetime):
    """Closed longer than the retention period, not yet anonymised, not under legal hold."""
    return (Case.objects.filter(stage=codes.CaseStage.CLOSED, closed_at__lt=retention_cutoff(now),
                                anonymised_at__isnull=True, legal_hold_at__isnull=True)
            .select_related(None).order_by("closed_at", "id"))


ANONYMISED = "[dianonimkan]"


def _anonymise(case: Case, now: datetime) -> list[str]:
    """Blank every identifying field of one case; keep what the statistics count (sex, ages, codes, dates,
    regions). Returns the stored names of its attachment files, deleted from disk after commit."""
    case.reporter_name = ""
    case.reporter_contact = ""
    case.closure_reason = ANONYMISED  # required on a closed case; it may name people
    case.closure_rejection_reason = ""
    case.reopen_reason = ""
    case.police_report_reference = ""
    case.anonymised_at = now
    case.save(update_fields=["reporter_name", "reporter_contact", "closure_reason", "closure_rejection_reason",
                             "reopen_reason", "police_report_reference", "anonymised_at", "updated_at"])
    incident = Incident.objects.filter(case=case).first()
    if incident is not None:
        incident.chronology = ""
        incident.save(update_fields=["chronology", "updated_at"])
    for victim in Victim.all_objects.filter(case=case):  # removed by a correction too: their names are on file
        victim.name = ANONYMISED
        victim.nik = ""
        victim.birth_date = None
        victim.address_detail = ""
        victim.phone = ""
        victim.nik_lookup = ""
        victim.name_birth_lookup = ""
        victim.removal_reason = ""
        victim.save(update_fields=["name", "nik", "birth_date", "address_detail", "phone", "nik_lookup",
                                   "name_birth_lookup", "removal_reason", "updated_at"])
    for perpetrator in Perpetrator.all_objects.filter(case=case):
        perpetrator.name = ""
        perpetrator.removal_reason = ""
        perpetrator.save(update_fields=["name", "removal_reason", "updated_at"])
    for row in VictimViolence.all_objects.filter(victim__case=case, removed_at__isnull=False):
        row.removal_reason = ""
        row.save(update_fields=["removal_reason"])
    # The history (cases.history) keeps old identity values and typed reasons: blanked like the rest.
    for change in CaseChange.objects.filter(case=case):
        if change.sensitive:
            change.old_value = change.new_value = ANONYMISED
        change.reason = ""
        change.save(update_fields=["old_value", "new_value", "reason"])
    for model, fields in ((Assessment, {"notes": ""}), (PlannedService, {"notes": ""}),
                          (ServiceDelivery, {"notes": ""}), (Accompaniment, {"notes": ""}),
                          (Consent, {"given_by_name": "", "withdrawal_reason": "", "legal_basis": ""}),
                          (Mediation, {"parties": ANONYMISED, "record": "", "agreement": "", "mediator": ""}),
                          (CaseNote, {"text": ANONYMISED}), (AgendaItem, {"note": ""})):
        # Row by row: the encrypted fields encrypt on save, and a bulk update would bypass it.
        for row in model.objects.filter(case=case):
            for name, value in fields.items():
                setattr(row, name, value)
            row.save(update_fields=[*fields, "updated_at"])
    attachments = list(Attachment.objects.filter(case=case))
    files = [attachment.file.name for attachment in attachments if attachment.file]
    Attachment.objects.filter(case=case).delete()
    return files


@transaction.atomic
def cases_anonymise_due(*, actor: User | None, now: datetime | None = None) -> list[str]:
    """The retention purge: anonymise every case due (UU 27/2022 Pasal 16); returns their numbers."""
    now = now or timezone.now()
    numbers = []
    for case in cases_due_for_anonymisation(now=now).select_for_update():
        files = _anonymise(case, now)
        # Files leave the disk only once the blanking is saved: a rolled-back purge keeps them.
        for name in files:
            transaction.on_commit(lambda name=name: Attachment._meta.get_field("file").storage.delete(name))
        audit_record(actor=actor, action="case.anonymise", obj=case, details={"attachments": len(files)})
        numbers.append(case.number)
    audit_record(actor=actor, action="case.retention_purge",
                 details={"cases": len(numbers), "years": settings.SIMPUL_RETENTION_YEARS})
    return numbers


@transaction.atomic
def subject_request_record(*, case: Case, actor: User, kind: str, received_on: date, status: str,
                           answered_on: date | None = None, request=None) -> DataSubjectRequest:
    """Log a data subject's request on the case (UU 27/2022 Pasal 5-8) and how it was answered."""
    _require_choice(kind, DataSubjectRequest.Kind, _("Pilih jenis permintaan."))
    _require_choice(status, DataSubjectRequest.Status, _("Pilih status permintaan."))
    for value, what in ((received_on, _("Tanggal diterima")), (answered_on, _("Tanggal dijawab"))):
        if message := bounds.RECORD.problem(value, what=what):
            raise CaseError(message)
    if answered_on is not None and answered_on < received_on:
        raise CaseError(_("Tanggal dijawab tidak boleh sebelum tanggal diterima."))
    row = DataSubjectRequest.objects.create(case=case, kind=kind, received_on=received_on, status=status,
                                            answered_on=answered_on, recorded_by=actor)
    audit_record(actor=actor, action="case.subject_request", obj=case, request=request,
                 details={"kind": kind, "status": status})
    return row


@transaction.atomic
def breach_record(*, actor: User, discovered_at: datetime, description: str, affected_count: int,
                  notified_at: datetime | None = None, request=None) -> BreachRecord:
    """Register a personal-data breach of the actor's agency (UU 27/2022 Pasal 46)."""
    if not description.strip():
        raise CaseError(_("Tuliskan uraian insiden."))
    for value, what in ((discovered_at, _("Diketahui pada")), (notified_at, _("Diberitahukan pada"))):
        if message := bounds.RECORD.problem(value, what=what):
            raise CaseError(message)
    if message := bounds.count_problem(affected_count, maximum=10_000_000):
        raise CaseError(message)
    if notified_at is not None and notified_at < discovered_at:
        raise CaseError(_("Waktu pemberitahuan tidak boleh sebelum insiden diketahui."))
    breach = BreachRecord.objects.create(agency_id=actor.agency_id, discovered_at=discovered_at,
                                         description=description.strip(), affected_count=affected_count,
                                         notified_at=notified_at, recorded_by=actor)
    audit_record(actor=actor, action="breach.record", obj=breach, request=request)
    return breach


@transaction.atomic
def breach_notified(*, breach: BreachRecord, actor: User, notified_at: datetime, request=None) -> BreachRecord:
    """Record when the subjects and the authority were notified of the breach."""
    if breach.notified_at is not None:  # a second click keeps the first moment (and writes no second event)
        return breach
    if notified_at < breach.discovered_at:
        raise CaseError(_("Waktu pemberitahuan tidak boleh sebelum insiden diketahui."))
    breach.notified_at = notified_at
    breach.save(update_fields=["notified_at", "updated_at"])
    audit_record(actor=actor, action="breach.notified", obj=breach, request=request)
    return breach
