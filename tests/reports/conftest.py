"""The hand-built set of cases whose expected tables are written in the tests (October 2026).

Cases are registered, identified and served through the real services; time_machine sets the clock so
identification and first-service times are the ones a caseworker would have produced on those days.
"""

from dataclasses import dataclass
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from config.celery import app as celery_app
from core import codes
from tests.reports import faults


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.get_default_timezone())


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Personas are made for nearly every test here; password strength is not what these tests look at.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Run report jobs in-process. CI sets REDIS_URL (jobs would go to a worker that these tests do not start)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _register(actor, *, received_at, occurred_on, place, victims, perpetrators, village_code=None,
              outside_district=False, is_kdrt=False, tpks_forms=()):
    from agencies.models import Region

    village = Region.objects.get(code=village_code) if village_code else None
    incident = case_services.IncidentData(occurred_on=occurred_on, place=place, village=village,
                                          kecamatan=village.parent if village else None,
                                          outside_district=outside_district, is_kdrt=is_kdrt,
                                          tpks_forms=list(tpks_forms))
    return case_services.case_register(actor=actor, agency=actor.agency, received_at=received_at,
                                       intake_channel="langsung", incident=incident, victims=victims,
                                       perpetrators=perpetrators)


def _identify(case: Case, actor, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        case_services.case_identify(case=case, actor=actor, case_type=codes.CaseType.AMPK,
                                    risk_level=codes.RiskLevel.MEDIUM, responsibility=codes.Responsibility.DISTRICT)


def _serve(case: Case, victim, actor, service: str, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        case_services.service_delivery_record(case=case, victim=victim, actor=actor, service=service,
                                              delivered_on=at.date())


@dataclass
class HandBuilt:
    a: Case
    b: Case
    c: Case


@pytest.fixture
def october(caseworker, regions) -> HandBuilt:
    """Three cases received in October 2026, one in September, two in October 2025 and one in November 2026.

    Case A (Mon 5 Oct, Masamba, rumah tangga, KDRT): V1 girl born 3 Oct 2010 (15 at the incident on
      2 Oct, 16 at the complaint), seksual + psikis; V2 boy of 9, fisik. P1 man of 40 (orang tua of both),
      P2 boy of 16 (pacar/teman of V1). Identified Tue 6 Oct (on time). Services: V1 pengaduan and
      kesehatan, V2 kesehatan twice; first service 7 Oct 09:00 (2 days).
    Case B (Wed 14 Oct 09:00, Sabbang, rumah tangga, KDRT): V3 woman of 30, fisik + psikis, SLTA, IRT,
      kawin. P3 man of 35 (suami). Identified Tue 20 Oct (deadline Mon 19: late). Service V3 bantuan
      hukum on 20 Oct 09:00 (6 days).
    Case C (Fri 23 Oct, luar daerah, fasilitas umum, TPKS perkosaan): V4 woman of 19 with a disability,
      seksual. P4 man of unknown age (relationship NA). Never identified (deadline Wed 28 Oct passed).
    """
    V, P = case_services.VictimData, case_services.PerpetratorData
    a = _register(caseworker, received_at=wita(2026, 10, 5, 9), occurred_on=date(2026, 10, 2),
                  place=codes.Place.HOUSEHOLD, village_code="73.22.03.2004", is_kdrt=True,
                  victims=[V(name="Anak Sintetis Satu", sex="P", birth_date=date(2010, 10, 3),
                             violence_types=["seksual", "psikis"], education="sltp", occupation="pelajar",
                             marital_status="belum_kawin"),
                           V(name="Anak Sintetis Dua", sex="L", age=9, violence_types=["fisik"], education="sd",
                             occupation="pelajar", marital_status="belum_kawin")],
                  perpetrators=[P(sex="L", age=40, relationships={0: "orang_tua", 1: "orang_tua"}),
                                P(sex="L", age=16, relationships={0: "pacar_teman"})])
    b = _register(caseworker, received_at=wita(2026, 10, 14, 9), occurred_on=date(2026, 10, 13),
                  place=codes.Place.HOUSEHOLD, village_code="73.22.04.2002", is_kdrt=True,
                  victims=[V(name="Ibu Sintetis", sex="P", age=30, violence_types=["fisik", "psikis"],
                             education="slta", occupation="irt", marital_status="kawin")],
                  perpetrators=[P(sex="L", age=35, relationships={0: "suami_istri"})])
    c = _register(caseworker, received_at=wita(2026, 10, 23, 15), occurred_on=date(2026, 10, 20),
                  place=codes.Place.PUBLIC, outside_district=True, tpks_forms=["perkosaan"],
                  victims=[V(name="Mahasiswi Sintetis", sex="P", age=19, violence_types=["seksual"],
                             education="pt", occupation="pelajar", marital_status="belum_kawin",
                             has_disability=True, disability_kinds=["sensorik"])],
                  perpetrators=[P(sex="L", relationships={0: "na"})])
    _identify(a, caseworker, wita(2026, 10, 6, 10))
    _identify(b, caseworker, wita(2026, 10, 20, 10))
    v1, v2 = a.victims.order_by("id")
    _serve(a, v1, caseworker, "pengaduan", wita(2026, 10, 7, 9))
    _serve(a, v1, caseworker, "kesehatan", wita(2026, 10, 8, 9))
    _serve(a, v2, caseworker, "kesehatan", wita(2026, 10, 8, 10))
    _serve(a, v2, caseworker, "kesehatan", wita(2026, 10, 9, 10))
    _serve(b, b.victims.get(), caseworker, "bantuan_hukum", wita(2026, 10, 20, 9))
    # Outside the period: the month before, the same month a year before (twice), the month after.
    one = [V(name="Lain Sintetis", sex="P", age=12, violence_types=["fisik"])]
    for received in (wita(2026, 9, 30, 16), wita(2025, 10, 10, 9), wita(2025, 10, 31, 23, 30),
                     wita(2026, 11, 1, 0, 30)):
        _register(caseworker, received_at=received, occurred_on=received.date(), place=codes.Place.SCHOOL,
                  village_code="73.22.03.2004", victims=one, perpetrators=[])
    return HandBuilt(a, b, c)


# --- Fault tests: processes of their own (tests/reports/faults.py) ------------------------------------------

@pytest.fixture
def redis(tmp_path):
    """A Redis of the test's own on port 6381."""
    faults.require()
    server = faults.Redis(tmp_path / "redis")
    server.start()
    yield server
    server.crash()


@pytest.fixture
def workers(tmp_path):
    """Start Celery workers (with beat) of the test's own; all are stopped at the end."""
    started: list[faults.Worker] = []

    def start(env: dict[str, str], **settings: str) -> faults.Worker:
        worker = faults.Worker(tmp_path, {**env, **settings}, name=f"worker{len(started) + 1}")
        started.append(worker)
        worker.start()
        return worker

    yield start
    for worker in started:
        worker.stop()
