"""A small Simpul with one record of each kind, made through the real services, in two agencies of each sort:
so every detail and edit page has a real id, and every persona also has ids of another agency's records."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agencies.models import Region, Role, User
from core.codes import AgencyType, Service
from tests.conftest import make_agency, make_user, register_case

MASAMBA_VILLAGE = "73.22.03.2004"
SABBANG_VILLAGE = "73.22.04.2002"


@dataclass
class World:
    personas: dict[str, User | None] = field(default_factory=dict)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _full_case(caseworker: User, supervisor: User, police_agency) -> None:
    """A case through identification, assessment, plan, service, consent, accompaniment, note, attachment,
    police report and a referral to the police."""
    from cases import services as cases

    case = register_case(caseworker, victim_age=30, assigned_worker=caseworker)
    now = timezone.now()
    victim = case.victims.get()
    cases.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="sedang",
                        responsibility="kabupaten")
    cases.assessment_record(case=case, actor=caseworker, risk_level="sedang", notes="Asesmen uji.")
    cases.planned_service_add(case=case, actor=caseworker, service=Service.HEALTH, provider_agency=police_agency,
                              due_on=timezone.localdate() + timedelta(days=7))
    cases.service_delivery_record(case=case, victim=victim, actor=caseworker, service=Service.COMPLAINT,
                                  delivered_on=timezone.localdate())
    cases.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan", "berbagi", "mediasi"],
                         given_by="korban", form_version="IC-2026-1", sharing_agency_types=[AgencyType.POLICE])
    cases.consent_record(case=case, victim=victim, actor=caseworker, scopes=["data"], given_by="dasar_hukum",
                         legal_basis="Dasar hukum uji.", form_version="IC-2026-1")
    cases.accompaniment_record(case=case, actor=caseworker, occurred_at=now - timedelta(minutes=5), kind="medis",
                               accompanied_by=caseworker)
    cases.case_note_add(case=case, actor=caseworker, text="Catatan uji.")
    cases.attachment_add(case=case, actor=caseworker, document_type="lainnya",
                         upload=SimpleUploadedFile("uji.png", _png(), content_type="image/png"))
    cases.police_report_record(case=case, actor=caseworker, reference="LP/UJI/1")

    from referrals import services as referrals

    referrals.referral_send(actor=caseworker, case=case, victim=victim, receiving_agency=police_agency,
                            services=[Service.LAW_ENFORCEMENT], urgency="segera", reason="Perlu tindak lanjut.")
    # A second case waiting for the supervisor's decision on closure.
    closing = register_case(caseworker, assigned_worker=caseworker, victim_age=25)
    cases.closure_request(case=closing, actor=caseworker, reason="Layanan selesai.")


def _prevention(patbm_staff: User, puspaga_staff: User, supervisor: User, village_code: str) -> None:
    from prevention import services as prevention
    from prevention.services import Participants

    village = Region.objects.get(code=village_code)
    group = prevention.patbm_group_create(actor=patbm_staff, village=village, sk_number="188/UJI/1",
                                          sk_date=timezone.localdate() - timedelta(days=300))
    prevention.patbm_activist_add(group=group, actor=patbm_staff, name="Aktivis Uji", sex="P", age_group="25-44",
                                  role="anggota")
    prevention.patbm_activity_record(
        group=group, actor=patbm_staff, held_on=timezone.localdate() - timedelta(days=3), level="keluarga",
        topic="Pengasuhan positif", participants=Participants(female_adult=5),
        photos=[SimpleUploadedFile("kegiatan.png", _png(), content_type="image/png")])
    prevention.puspaga_session_record(actor=puspaga_staff, held_on=timezone.localdate() - timedelta(days=2),
                                      service="konseling", channel="tatap_muka", issue="pengasuhan",
                                      counsellor=puspaga_staff, notes="Catatan sesi uji.")
    referred = prevention.puspaga_session_record(actor=puspaga_staff, held_on=timezone.localdate(),
                                                 service="konseling", channel="tatap_muka", issue="lainnya",
                                                 counsellor=puspaga_staff)
    # The referral in lands in the UPTD PPA's intake queue (an intake request).
    prevention.puspaga_session_refer(session=referred, actor=puspaga_staff, summary="Keluarga perlu dihubungi.",
                                     urgency="segera")
    if supervisor is not None:
        prevention.prevention_activity_record(
            actor=supervisor, kind="sosialisasi", title="Sosialisasi uji", held_on=timezone.localdate(),
            topics=["kdrt"], target_group="umum", participants=Participants(female_adult=20),
            village=village)


def build_world() -> World:
    """Personas of every role (and the anonymous), each with records of their own agency and of another."""
    from agencies.regions import regions_load

    regions_load(district_code="73.22")
    uptd = make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT, Service.SOCIAL_REHAB])
    other_uptd = make_agency("UPTD PPA Kabupaten Tetangga", AgencyType.UPTD_PPA, [Service.COMPLAINT])
    police = make_agency("Unit PPA Polres Uji", AgencyType.POLICE, [Service.LAW_ENFORCEMENT])
    office = make_agency("DP3AP2KB Uji", AgencyType.UPTD_PPA)
    personas: dict[str, User | None] = {
        "caseworker": make_user("pendamping_uji", Role.CASEWORKER, uptd),
        "supervisor": make_user("koordinator_uji", Role.SUPERVISOR, uptd),
        "police_officer": make_user("polisi_uji", Role.PARTNER, police),
        "official": make_user("pejabat_uji", Role.OFFICIAL, office),
        "sysadmin": make_user("admin_uji", Role.ADMIN, office),
        "outsider": make_user("pendamping_luar", Role.CASEWORKER, other_uptd),
        "patbm_staff": make_user("patbm_uji", Role.PARTNER, make_agency("PATBM Uji", AgencyType.PATBM)),
        "puspaga_staff": make_user("puspaga_uji", Role.PARTNER, make_agency("PUSPAGA Uji", AgencyType.PUSPAGA)),
        "anonymous": None,
    }
    # Records of the other agencies: their ids are what a persona must not reach.
    other_supervisor = make_user("koordinator_luar", Role.SUPERVISOR, other_uptd)
    other_patbm = make_user("patbm_luar", Role.PARTNER, make_agency("PATBM Luar", AgencyType.PATBM))
    other_puspaga = make_user("puspaga_luar", Role.PARTNER, make_agency("PUSPAGA Luar", AgencyType.PUSPAGA))
    make_user("koordinator_kedua", Role.SUPERVISOR, uptd)  # closure needs a supervisor other than the requester

    register_case(personas["caseworker"], assigned_worker=personas["caseworker"])  # a fresh complaint
    _full_case(personas["caseworker"], personas["supervisor"], police)
    _full_case(personas["outsider"], other_supervisor, police)
    _prevention(personas["patbm_staff"], personas["puspaga_staff"], personas["supervisor"], MASAMBA_VILLAGE)
    _prevention(other_patbm, other_puspaga, other_supervisor, SABBANG_VILLAGE)

    from reports import services as reports

    # Queued only: the job runs after commit, which a test transaction never reaches. Its pages still exist.
    reports.report_request(actor=personas["official"], kind="bulanan", period_code=timezone.localdate()
                           .strftime("%Y-%m"), queue=False)
    return World(personas=personas)
