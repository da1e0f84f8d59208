"""Writes to the case file. Every service is atomic, validates its preconditions with a message a
caseworker understands (CaseError), and writes its audit event in the same transaction."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Region, Role, User
from cases.models import (
    Case,
    CaseNumberSequence,
    Consent,
    Incident,
    IntakeRequest,
    Perpetrator,
    ServiceDelivery,
    Victim,
    VictimPerpetrator,
    VictimViolence,
)
from core import codes
from core.audit import audit_record


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
    education: str = codes.Education.OTHER
    occupation: str = codes.Occupation.NA
    marital_status: str = ""
    has_disability: bool = False
    disability_kinds: list[str] = field(default_factory=list)
    address_kecamatan: Region | None = None
    address_village: Region | None = None
    address_detail: str = ""
    phone: str = ""


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
    # The row lock serialises concurrent intakes so two cases never share a number.
    year = timezone.localtime(received_at).year
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
        district_code=settings.DISTRICT_CODE, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{settings.DISTRICT_CODE}/{year}/{sequence.last:04d}"


def _new_survivor_code() -> str:
    while True:
        code = "KRB-" + "".join(secrets.choice(SURVIVOR_CODE_ALPHABET) for _ in range(6))
        if not Victim.objects.filter(survivor_code=code).exists():
            return code


def _validate_registration(*, received_at: datetime, incident: IncidentData, victims: list[VictimData],
                           perpetrators: list[PerpetratorData]) -> None:
    if not victims:
        raise CaseError(_("Kasus harus mencatat setidaknya satu korban."))
    if received_at > timezone.now():
        raise CaseError(_("Waktu pengaduan tidak boleh di masa depan."))
    if incident.occurred_on > timezone.localdate(received_at):
        raise CaseError(_("Tanggal kejadian tidak boleh sesudah pengaduan diterima."))
    if incident.outside_district and (incident.kecamatan or incident.village):
        raise CaseError(_("Kejadian di luar kabupaten tidak memakai kecamatan atau desa kabupaten ini."))
    if incident.village and incident.kecamatan and incident.village.parent_id != incident.kecamatan.code:
        raise CaseError(_("Desa yang dipilih tidak berada di kecamatan itu."))
    for index, victim in enumerate(victims, start=1):
        if victim.nik and not NIK_PATTERN.match(victim.nik):
            raise CaseError(_("NIK korban %(n)s harus 16 angka.") % {"n": index})
        if victim.birth_date and victim.birth_date > timezone.localdate():
            raise CaseError(_("Tanggal lahir korban %(n)s tidak boleh di masa depan.") % {"n": index})
        if victim.birth_date is None and victim.age is None:
            raise CaseError(_("Isi tanggal lahir atau usia korban %(n)s.") % {"n": index})
        if not victim.violence_types:
            raise CaseError(_("Pilih setidaknya satu jenis kekerasan untuk korban %(n)s.") % {"n": index})
    for perpetrator in perpetrators:
        if any(i < 0 or i >= len(victims) for i in perpetrator.relationships):
            raise CaseError(_("Hubungan pelaku merujuk ke korban yang tidak ada."))


@transaction.atomic
def case_register(*, actor: User, agency: Agency, received_at: datetime, intake_channel: str,
                  incident: IncidentData, victims: list[VictimData], perpetrators: list[PerpetratorData] = (),
                  reporter_name: str = "", reporter_relation: str = "", reporter_contact: str = "",
                  assigned_worker: User | None = None, intake_request: IntakeRequest | None = None,
                  request=None) -> Case:
    """Register a complaint (penerimaan pengaduan) with its incident, victims and perpetrators."""
    perpetrators = list(perpetrators)
    _validate_registration(received_at=received_at, incident=incident, victims=victims, perpetrators=perpetrators)
    if intake_request is not None and intake_request.status != IntakeRequest.Status.PENDING:
        raise CaseError(_("Rujukan masuk ini sudah diproses."))
    if assigned_worker is None and actor.role == Role.CASEWORKER:
        assigned_worker = actor
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
        victim = Victim.objects.create(
            case=case, survivor_code=_new_survivor_code(), name=data.name, nik=data.nik, birth_date=data.birth_date,
            age_at_incident=age, age_group=codes.age_group_for(age), is_child=age < codes.CHILD_AGE_LIMIT,
            sex=data.sex, education=data.education, occupation=data.occupation, marital_status=data.marital_status,
            has_disability=data.has_disability, disability_kinds=list(data.disability_kinds),
            address_kecamatan=data.address_kecamatan, address_village=data.address_village,
            address_detail=data.address_detail, phone=data.phone)
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
    if intake_request is not None:
        intake_request.status = IntakeRequest.Status.REGISTERED
        intake_request.decided_by = actor
        intake_request.decided_at = timezone.now()
        intake_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="case.register", obj=case, request=request,
                 details={"victims": len(saved_victims), "perpetrators": len(perpetrators)})
    return case


@transaction.atomic
def case_identify(*, case: Case, actor: User, case_type: str, risk_level: str, responsibility: str,
                  request=None) -> Case:
    """Identification (identifikasi): case type, risk level and which level of government is responsible."""
    if case.stage != codes.CaseStage.COMPLAINT:
        raise CaseError(_("Identifikasi hanya dilakukan pada kasus di tahap pengaduan."))
    case.case_type, case.risk_level, case.responsibility = case_type, risk_level, responsibility
    case.identified_at = timezone.now()
    case.stage = codes.CaseStage.IDENTIFICATION
    case.save(update_fields=["case_type", "risk_level", "responsibility", "identified_at", "stage", "updated_at"])
    audit_record(actor=actor, action="case.identify", obj=case, request=request,
                 details={"case_type": case_type, "risk_level": risk_level})
    return case


@transaction.atomic
def consent_record(*, case: Case, victim: Victim, actor: User, scopes: list[str], given_by: str,
                   form_version: str, given_at: datetime | None = None, given_by_name: str = "",
                   sharing_agency_types: list[str] = (), legal_basis: str = "", parent_is_perpetrator: bool = False,
                   request=None) -> Consent:
    """Record informed consent (UU 27/2022 PDP Pasal 22-26); a child's comes from a parent or guardian."""
    if victim.case_id != case.pk:
        raise CaseError(_("Korban ini tidak tercatat pada kasus ini."))
    if not scopes:
        raise CaseError(_("Pilih apa saja yang disetujui."))
    # UU 27/2022 Pasal 25: a child's data is processed with the consent of a parent and/or guardian.
    if victim.is_child and given_by == codes.ConsentGiver.SELF:
        raise CaseError(_("Korban anak: persetujuan diberikan oleh orang tua atau wali (UU 27/2022 Pasal 25)."))
    if given_by == codes.ConsentGiver.LEGAL_BASIS and not legal_basis.strip():
        raise CaseError(_("Tuliskan dasar hukum bila data diproses tanpa persetujuan."))
    if given_by == codes.ConsentGiver.PARENT and parent_is_perpetrator:
        raise CaseError(_("Orang tua yang menjadi pelaku tidak dapat memberi persetujuan. "
                          "Catat wali lain atau dasar hukumnya."))
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
                            notes: str = "", planned=None, request=None) -> ServiceDelivery:
    """Record a service given to a victim; it feeds the statistics of services given."""
    if victim.case_id != case.pk:
        raise CaseError(_("Korban ini tidak tercatat pada kasus ini."))
    if case.is_closed:
        raise CaseError(_("Kasus sudah ditutup. Buka kembali kasus untuk mencatat layanan."))
    if delivered_on > timezone.localdate():
        raise CaseError(_("Tanggal layanan tidak boleh di masa depan."))
    if delivered_on < timezone.localdate(case.received_at) and service != codes.Service.COMPLAINT:
        raise CaseError(_("Tanggal layanan tidak boleh sebelum pengaduan diterima."))
    delivery = ServiceDelivery.objects.create(
        case=case, victim=victim, service=service, delivered_on=delivered_on, planned=planned,
        provider_agency=provider_agency or (provider_user.agency if provider_user else None),
        provider_user=provider_user, notes=notes, recorded_by=actor)
    if case.first_service_at is None:
        case.first_service_at = timezone.now()
        case.save(update_fields=["first_service_at", "updated_at"])
    audit_record(actor=actor, action="case.service_delivery", obj=case, request=request,
                 details={"victim": victim.survivor_code, "service": service})
    return delivery


@transaction.atomic
def intake_request_create(*, actor: User, source_agency: Agency, summary: str, urgency: str = codes.Urgency.NORMAL,
                          contact_hint: str = "", source_label: str = "", target_agency: Agency | None = None,
                          request=None) -> IntakeRequest:
    """A referral in from PATBM, PUSPAGA, a village or another district joins the UPTD PPA's intake queue."""
    if not summary.strip():
        raise CaseError(_("Tuliskan ringkasan singkat alasan rujukan."))
    target = target_agency or Agency.objects.filter(
        agency_type=codes.AgencyType.UPTD_PPA, is_active=True, staff__role=Role.CASEWORKER).distinct().first()
    if target is None:
        raise CaseError(_("Belum ada UPTD PPA aktif yang dapat menerima rujukan."))
    intake = IntakeRequest.objects.create(
        target_agency=target, source_agency=source_agency, source_label=source_label or source_agency.name,
        urgency=urgency, summary=summary, contact_hint=contact_hint, created_by=actor)
    audit_record(actor=actor, action="intake.create", obj=intake, request=request,
                 details={"urgency": urgency, "target": target.pk})
    return intake
