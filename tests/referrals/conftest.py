"""Fixtures of the referral tests: a case with a child victim in Masamba, agencies of the network and
their staff, consent recorded through the real case services."""

import pytest
from django.utils import translation

from agencies import services as agency_services
from agencies.models import Role
from cases import services as case_services
from core.codes import AgencyType, Service
from referrals import services
from tests.conftest import make_agency, make_user, register_case

VICTIM_NAME = "Korban Sintetis"
VICTIM_PHONE = "0812-0000-4242"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are created for nearly every test here; hashing strength is not what these tests look at.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _indonesian():
    """Messages are asserted in Indonesian; a request with the English cookie leaves English active in the
    thread (the locale middleware does not deactivate it), so each test starts from the default language."""
    with translation.override("id"):
        yield


@pytest.fixture
def hospital(db):
    return make_agency("RSUD Uji", AgencyType.HOSPITAL, [Service.HEALTH])


@pytest.fixture
def nurse(hospital):
    return make_user("perawat_uji", Role.PARTNER, hospital)


def with_email(user, email: str):
    return agency_services.user_update(user=user, actor=user, email=email)


def record_sharing_consent(case, actor, agency_types=(AgencyType.POLICE,)):
    victim = case.victims.get()
    return case_services.consent_record(
        case=case, victim=victim, actor=actor, scopes=["layanan", "berbagi"],
        given_by="orang_tua" if victim.is_child else "korban", given_by_name="Orang Tua Sintetis",
        form_version="PDP-2026-1", sharing_agency_types=list(agency_types))


def new_case(caseworker, **extra):
    victims = [case_services.VictimData(name=VICTIM_NAME, sex="P", age=extra.pop("victim_age", 15),
                                        violence_types=list(extra.pop("violence_types", ("fisik",))),
                                        phone=VICTIM_PHONE)]
    return register_case(caseworker, victims=victims, **extra)


@pytest.fixture
def case(caseworker, regions):
    return new_case(caseworker)


@pytest.fixture
def consented_case(case, caseworker):
    record_sharing_consent(case, caseworker, [AgencyType.POLICE, AgencyType.HOSPITAL])
    return case


def send(actor, case, agency, **overrides):
    arguments = dict(actor=actor, case=case, victim=case.victims.get(), receiving_agency=agency,
                     services=[agency.services.first().service], urgency="segera",
                     reason="Perlu tindak lanjut lembaga Anda.")
    arguments.update(overrides)
    return services.referral_send(**arguments)


@pytest.fixture
def referral(consented_case, caseworker, police_agency, police_officer):
    return send(caseworker, consented_case, police_agency)
