"""Personas shared by every test (conventions: an owner, a member, an outsider).

Setup goes through the real services, so tests walk the same path as users.
"""

import pytest
from django.test import Client

from agencies import services as agency_services
from agencies.models import Agency, Region, Role, User
from agencies.regions import regions_load
from core.codes import AgencyType, Service

PASSWORD = "Persona-Sandi-2026"


# --- Two test processes (pytest-xdist, `make test`) ------------------------------------------------

@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group marks
def pytest_collection_modifyitems(config, items):
    """The tests that start servers of their own on fixed ports (ops) or use the machine's Redis as a Celery
    broker for a worker (celery_worker) run one after another in one test process; the rest spread over both."""
    for item in items:
        if item.get_closest_marker("celery_worker") or item.get_closest_marker("ops"):
            item.add_marker(pytest.mark.xdist_group("servers"))


def pytest_configure(config):
    """Each test process has its own test database (pytest-django names it per worker); the Redis cache is
    shared, so each process writes its own keys (a calendar cached by one must not answer the other)."""
    import os

    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and settings.configured:
        settings.CACHES["default"]["KEY_PREFIX"] = f"test-{worker}"


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    """A request with the English cookie leaves English active in this thread; each test starts in Indonesian."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.activate("id")


@pytest.fixture
def regions(db) -> None:
    regions_load(district_code="73.22")


def make_agency(name: str, agency_type: str, services=(), kecamatan=()) -> Agency:
    return agency_services.agency_create(actor=None, name=name, agency_type=agency_type, services=services,
                                         kecamatan=Region.objects.filter(code__in=kecamatan))


def make_user(username: str, role: str, agency: Agency) -> User:
    return agency_services.user_create(actor=None, username=username, password=PASSWORD, role=role, agency=agency,
                                       first_name=username.title(), last_name="Persona")


@pytest.fixture
def uptd(db) -> Agency:
    return make_agency("UPTD PPA Uji", AgencyType.UPTD_PPA, [Service.COMPLAINT, Service.SOCIAL_REHAB])


@pytest.fixture
def police_agency(db) -> Agency:
    return make_agency("Unit PPA Polres Uji", AgencyType.POLICE, [Service.LAW_ENFORCEMENT])


@pytest.fixture
def other_agency(db) -> Agency:
    """Another district's UPTD PPA: its staff are outsiders to our cases."""
    return make_agency("UPTD PPA Kabupaten Tetangga", AgencyType.UPTD_PPA, [Service.COMPLAINT])


@pytest.fixture
def office(db) -> Agency:
    return make_agency("DP3AP2KB Uji", AgencyType.UPTD_PPA)


@pytest.fixture
def caseworker(uptd) -> User:
    return make_user("pendamping_uji", Role.CASEWORKER, uptd)


@pytest.fixture
def supervisor(uptd) -> User:
    return make_user("koordinator_uji", Role.SUPERVISOR, uptd)


@pytest.fixture
def police_officer(police_agency) -> User:
    return make_user("polisi_uji", Role.PARTNER, police_agency)


@pytest.fixture
def official(office) -> User:
    return make_user("pejabat_uji", Role.OFFICIAL, office)


@pytest.fixture
def sysadmin(office) -> User:
    return make_user("admin_uji", Role.ADMIN, office)


@pytest.fixture
def outsider(other_agency) -> User:
    return make_user("pendamping_luar", Role.CASEWORKER, other_agency)


@pytest.fixture
def personas(caseworker, supervisor, police_officer, official, sysadmin, outsider) -> dict[str, User]:
    return {"caseworker": caseworker, "supervisor": supervisor, "police_officer": police_officer,
            "official": official, "sysadmin": sysadmin, "outsider": outsider}


def totp_device_for(user: User):
    """The persona's phone: a confirmed TOTP device (django-otp), made once per user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="ponsel uji", confirmed=True)


def totp_code(device, *, at: float | None = None) -> str:
    """The code the persona's phone shows now: the next time step if this one was used (django-otp refuses a
    code twice, and a test may sign the same persona in twice within 30 seconds)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if totp.t() <= device.last_t:  # within the device's tolerance of one step
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def client_for(user: User | None) -> Client:
    """A client signed in as `user`; a user whose role needs the second factor is verified with a real device
    (core.policy.needs_second_factor), as django_otp.login would after a code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from core.policy import needs_second_factor

    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if user is not None:
        client.force_login(user)
        if needs_second_factor(user):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
            session.save()
    return client


def assert_hidden(response) -> None:
    """Outside a user's rights a page is 404, or a redirect to the login page for the anonymous."""
    if response.status_code == 302:
        assert response["Location"].startswith("/akun/login/"), response["Location"]
    else:
        assert response.status_code == 404, response.status_code


# --- Cases: registered through the real intake service -------------------------------------------

def register_case(actor: User, *, agency: Agency | None = None, received_at=None, occurred_on=None,
                  victims=None, perpetrators=None, village_code: str | None = "73.22.03.2004",
                  violence_types=("fisik",), place="rumah_tangga", victim_age=15, victim_sex="P",
                  tpks_forms=(), tppo_elements=(), perpetrator_is_child=False, assigned_worker=None, **extra):
    """A synthetic case with one victim and one perpetrator unless told otherwise.

    Needs the `regions` fixture when village_code is given (the default is a desa in Masamba).
    """
    from datetime import timedelta

    from django.utils import timezone

    from cases import services as case_services

    received_at = received_at or timezone.now() - timedelta(hours=1)
    occurred_on = occurred_on or timezone.localdate(received_at) - timedelta(days=2)
    village = Region.objects.get(code=village_code) if village_code else None
    if victims is None:
        victims = [case_services.VictimData(name="Korban Sintetis", sex=victim_sex, age=victim_age,
                                            violence_types=list(violence_types))]
    if perpetrators is None:
        perpetrators = [case_services.PerpetratorData(sex="L", age=16 if perpetrator_is_child else 35,
                                                      is_child=perpetrator_is_child,
                                                      relationships={0: "tetangga"})]
    incident = case_services.IncidentData(occurred_on=occurred_on, place=place, village=village,
                                          kecamatan=village.parent if village else None,
                                          tpks_forms=list(tpks_forms), tppo_elements=list(tppo_elements))
    return case_services.case_register(actor=actor, agency=agency or actor.agency, received_at=received_at,
                                       intake_channel="langsung", incident=incident, victims=victims,
                                       perpetrators=perpetrators, assigned_worker=assigned_worker, **extra)


# --- Prevention: PATBM and PUSPAGA staff are partner users at agencies of those types ---------------

@pytest.fixture
def patbm_agency(db) -> Agency:
    return make_agency("PATBM Uji", AgencyType.PATBM)


@pytest.fixture
def patbm_staff(patbm_agency) -> User:
    """An aktivis PATBM with an account: records their agency's groups and activities."""
    return make_user("patbm_uji", Role.PARTNER, patbm_agency)


@pytest.fixture
def puspaga_agency(db) -> Agency:
    return make_agency("PUSPAGA Uji", AgencyType.PUSPAGA)


@pytest.fixture
def puspaga_staff(puspaga_agency) -> User:
    """A PUSPAGA counsellor: records sessions and is the only one who reads their notes."""
    return make_user("puspaga_uji", Role.PARTNER, puspaga_agency)


# --- Celery: in-process for ordinary tests --------------------------------------------------------

@pytest.fixture(autouse=True)
def _celery_eager(request, settings):
    """With REDIS_URL set (CI) Celery sends tasks to Redis, where no worker runs for ordinary tests: run them
    in-process instead. Tests marked `celery_worker` start a real worker and keep the broker.
    Reports are then made within the request that asks for them (not in a background thread as `make run`
    does), so a test reads the finished report right away; tests/e2e/test_report_progress.py turns it back on."""
    from config import celery_app

    settings.REPORT_EAGER_IN_BACKGROUND = False

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


# --- Passwords: a fast hasher in tests ------------------------------------------------------------

@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Production hashes with PBKDF2 at a million iterations, which is the point in production and made a
    single persona-heavy test take close to a minute. Tests only need hashing to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- The working-day calendar: its shared cache outlives each test's rolled-back database ----------

@pytest.fixture(autouse=True, scope="session")
def _calendar_cache_of_earlier_runs():
    """A Redis cache may still hold a year's holidays from an earlier run's test database."""
    from core import workdays

    workdays.cache_clear(range(1990, 2101))


@pytest.fixture(autouse=True)
def _calendar_cache():
    """A test that corrects the calendar caches holidays its rollback then removes from the database."""
    yield
    from core import workdays

    workdays.cache_clear()
