"""Synthetic demo data for Luwu Utara's referral network. Never real people: names are invented.

Each app adds its demo records through its own services; `seed_demo` calls `seed_foundation` first.
"""

from dataclasses import dataclass

from django.conf import settings

from agencies import services as agency_services
from agencies.models import Agency, Region, Role, User
from core.codes import AgencyType, Service

DEMO_PASSWORD = "Simpul-Demo-2026"  # noqa: S105 (published in the README; seed_demo refuses production)
# The demo accounts' phone for the second factor (core.signin), published in the README so `make run` stays
# usable: base32 ONUW24DVNQWWIZLNN4WXI33UOAWWWZLZ. Given only while DEBUG is on; a demo server run with
# DEBUG off (seed_demo --force) gets no fixed secret and its users enrol a phone at their first sign-in.
DEMO_TOTP_KEY = b"simpul-demo-totp-key"


@dataclass(frozen=True)
class DemoAgency:
    key: str
    name: str
    agency_type: str
    services: tuple[str, ...]
    phone: str
    kecamatan: tuple[str, ...] = ()  # empty: the whole district


S = Service
DEMO_AGENCIES = [
    DemoAgency("uptd", "UPTD PPA Kabupaten Luwu Utara", AgencyType.UPTD_PPA,
               (S.COMPLAINT, S.SOCIAL_REHAB, S.REINTEGRATION, S.REPATRIATION), "0473-0000-101"),
    DemoAgency("dinas", "DP3AP2KB Kabupaten Luwu Utara", AgencyType.UPTD_PPA, (S.COMPLAINT,), "0473-0000-100"),
    DemoAgency("bupati", "Kantor Bupati Luwu Utara", AgencyType.BUPATI, (), "0473-0000-001"),
    DemoAgency("polres", "Unit PPA Polres Luwu Utara", AgencyType.POLICE, (S.LAW_ENFORCEMENT,), "0473-0000-110"),
    DemoAgency("rsud", "RSUD Andi Djemma Masamba", AgencyType.HOSPITAL, (S.HEALTH,), "0473-0000-120"),
    DemoAgency("pkm_sabbang", "Puskesmas Sabbang", AgencyType.PUSKESMAS, (S.HEALTH,), "0473-0000-121",
               ("73.22.04", "73.22.15")),
    DemoAgency("pkm_bonebone", "Puskesmas Bone-Bone", AgencyType.PUSKESMAS, (S.HEALTH,), "0473-0000-122",
               ("73.22.02", "73.22.12")),
    DemoAgency("dinsos", "Dinas Sosial Kabupaten Luwu Utara", AgencyType.SOCIAL,
               (S.SOCIAL_REHAB, S.REINTEGRATION, S.REPATRIATION), "0473-0000-130"),
    DemoAgency("lbh", "LBH Demo Luwu Utara", AgencyType.LEGAL_AID, (S.LEGAL_AID,), "0473-0000-140"),
    DemoAgency("kejari", "Kejaksaan Negeri Luwu Utara", AgencyType.PROSECUTOR, (S.LAW_ENFORCEMENT,), "0473-0000-150"),
    DemoAgency("pn", "Pengadilan Negeri Masamba", AgencyType.COURT, (S.LAW_ENFORCEMENT,), "0473-0000-151"),
    DemoAgency("kemenag", "Kantor Kemenag Luwu Utara", AgencyType.RELIGIOUS, (S.RELIGIOUS,), "0473-0000-160"),
    DemoAgency("disdik", "Dinas Pendidikan Luwu Utara", AgencyType.SCHOOL, (S.REINTEGRATION,), "0473-0000-170"),
    DemoAgency("lpsk", "LPSK (perwakilan demo)", AgencyType.LPSK, (S.LEGAL_AID,), "021-0000-180"),
    DemoAgency("patbm", "PATBM Desa Demo Masamba", AgencyType.PATBM, (), "0473-0000-190", ("73.22.03",)),
    DemoAgency("puspaga", "PUSPAGA Kabupaten Luwu Utara", AgencyType.PUSPAGA, (), "0473-0000-191"),
    DemoAgency("ngo", "Yayasan Demo Peduli Anak", AgencyType.NGO, (S.SOCIAL_REHAB,), "0473-0000-192"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    agency_key: str


DEMO_USERS = [
    DemoUser("pendamping", "Rina", "Demo", Role.CASEWORKER, "uptd"),
    DemoUser("pendamping2", "Sari", "Contoh", Role.CASEWORKER, "uptd"),
    DemoUser("koordinator", "Hasna", "Demo", Role.SUPERVISOR, "uptd"),
    DemoUser("polisi", "Bripka Andi", "Demo", Role.PARTNER, "polres"),
    DemoUser("rsud", "dr. Maya", "Demo", Role.PARTNER, "rsud"),
    DemoUser("patbm", "Yusuf", "Demo", Role.PARTNER, "patbm"),
    DemoUser("puspaga", "Nur", "Demo", Role.PARTNER, "puspaga"),
    DemoUser("pejabat", "Ibu Kepala", "Demo", Role.OFFICIAL, "dinas"),
    DemoUser("admin", "Admin", "Sistem", Role.ADMIN, "dinas"),
]


def seed_foundation() -> dict[str, Agency]:
    """Create the demo agencies and one user per role; existing rows are left as they are."""
    district = Region.objects.filter(code=settings.DISTRICT_CODE).first()
    agencies: dict[str, Agency] = {}
    for spec in DEMO_AGENCIES:
        agency = Agency.objects.filter(name=spec.name).first()
        if agency is None:
            agency = agency_services.agency_create(
                actor=None, name=spec.name, agency_type=spec.agency_type, district=district, phone=spec.phone,
                address=f"Jl. Contoh No. {len(agencies) + 1}, Masamba", email=f"{spec.key}@contoh.simpul.test",
                services=spec.services, kecamatan=Region.objects.filter(code__in=spec.kecamatan))
        agencies[spec.key] = agency
    for spec in DEMO_USERS:
        if not User.objects.filter(username=spec.username).exists():
            agency_services.user_create(
                actor=None, username=spec.username, password=DEMO_PASSWORD, role=spec.role,
                agency=agencies[spec.agency_key], first_name=spec.first_name, last_name=spec.last_name,
                email=f"{spec.username}@contoh.simpul.test")
    if settings.DEBUG:
        demo_phones_give()
    return agencies


def demo_phones_give() -> int:
    """Give each demo account that needs the second factor the README's demo phone (DEBUG only: a fixed secret
    must never reach a production install). Accounts that already have a phone keep it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.policy import needs_second_factor

    if not settings.DEBUG:
        raise RuntimeError("A fixed TOTP secret is for the demo only (DEBUG on).")
    given = 0
    for user in User.objects.filter(username__in=[spec.username for spec in DEMO_USERS]).select_related("agency"):
        if needs_second_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name="ponsel demo", confirmed=True, key=DEMO_TOTP_KEY.hex())
            given += 1
    return given
