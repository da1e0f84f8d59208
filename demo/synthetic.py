"""Many synthetic cases, fast: a bulk path for benchmarks and load tests only.

This is NOT the realistic demo seeding (the cases app registers demo cases through its services, with
audit events, numbers and deadlines). Here rows are written with bulk_create, in batches, straight into
cases, incidents, victims, violence types, perpetrators, victim-perpetrator pairs and service deliveries,
so `seed_demo --cases 100000` takes about a minute. Every row is invented: names are "Sintetis", no NIK,
no address; case numbers start with SYN- and can be removed with `synthetic_cases_delete()`.

The shares follow domain.md section 6 "Demo data": about 60% children, sexual ~40%, physical ~28%,
psychological ~12%, neglect ~8%, TPPO/exploitation ~2%; rumah tangga ~58%.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Region, Role, User
from cases.models import Case, Incident, Perpetrator, ServiceDelivery, Victim, VictimPerpetrator, VictimViolence
from core import codes

PREFIX = "SYN-"
BATCH = 2000

VIOLENCE_WEIGHTS = [("seksual", 40), ("fisik", 28), ("psikis", 12), ("penelantaran", 8), ("tppo", 1),
                    ("eksploitasi", 1), ("lainnya", 10)]
PLACE_WEIGHTS = [("rumah_tangga", 58), ("fasilitas_umum", 14), ("sekolah", 9), ("tempat_kerja", 5),
                 ("lembaga_pendidikan_kilat", 1), ("lainnya", 13)]
RELATIONSHIP_WEIGHTS = [("orang_tua", 18), ("keluarga", 14), ("suami_istri", 16), ("pacar_teman", 22),
                        ("tetangga", 12), ("guru", 3), ("majikan", 1), ("rekan_kerja", 2), ("lainnya", 8), ("na", 4)]
SERVICES = [s.value for s in codes.Service]


def _pick(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weights], [w for _v, w in weights])[0]


def _context() -> tuple[Agency, list[User], list[Region]]:
    agency = Agency.objects.filter(agency_type=codes.AgencyType.UPTD_PPA, is_active=True).order_by("id").first()
    if agency is None:
        agency = Agency.objects.create(name="UPTD PPA Sintetis", agency_type=codes.AgencyType.UPTD_PPA)
    workers = list(User.objects.filter(role=Role.CASEWORKER)[:10])
    kecamatan = list(Region.objects.filter(parent_id=settings.DISTRICT_CODE, level=Region.Level.SUBDISTRICT))
    return agency, workers, kecamatan


def synthetic_cases_create(*, count: int, start: date, end: date, seed: int = 20261, progress=None) -> int:
    """Create `count` synthetic cases received between `start` and `end` (inclusive); returns the count made."""
    rng = random.Random(seed)
    agency, workers, kecamatan = _context()
    villages: dict[str, list[str]] = {}
    for code, parent in Region.objects.filter(parent__in=kecamatan).values_list("code", "parent_id"):
        villages.setdefault(parent, []).append(code)
    tz = timezone.get_default_timezone()
    days = (end - start).days + 1
    first_number = Case.objects.filter(number__startswith=PREFIX).count()
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            cases = []
            for i in range(size):
                received_day = start + timedelta(days=rng.randrange(days))
                received = datetime.combine(received_day, time(rng.randrange(7, 18), rng.randrange(60)), tzinfo=tz)
                identified = received + timedelta(hours=rng.randrange(2, 24 * 7)) if rng.random() < 0.9 else None
                served = received + timedelta(hours=rng.randrange(1, 24 * 14)) if rng.random() < 0.8 else None
                closed = received + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.5 else None
                cases.append(Case(
                    number=f"{PREFIX}{first_number + made + i + 1:07d}", agency=agency, received_at=received,
                    intake_channel=codes.IntakeChannel.WALK_IN,
                    stage=codes.CaseStage.CLOSED if closed else codes.CaseStage.INTERVENTION,
                    assigned_worker=rng.choice(workers) if workers else None, identified_at=identified,
                    first_service_at=served, closed_at=closed, closure_reason="Sintetis" if closed else "",
                    case_type=codes.CaseType.AMPK, risk_level=codes.RiskLevel.MEDIUM))
            cases = Case.objects.bulk_create(cases)
            incidents, victims = [], []
            for case in cases:
                outside = rng.random() < 0.04
                kec = None if outside or not kecamatan else rng.choice(kecamatan)
                village = rng.choice(villages[kec.code]) if kec and villages.get(kec.code) else None
                incidents.append(Incident(
                    case=case, occurred_on=timezone.localdate(case.received_at) - timedelta(days=rng.randrange(30)),
                    place=_pick(rng, PLACE_WEIGHTS), kecamatan=kec, village_id=village, outside_district=outside,
                    is_kdrt=rng.random() < 0.3,
                    tpks_forms=["perkosaan"] if rng.random() < 0.1 else []))
                for _v in range(1 if rng.random() < 0.9 else 2):
                    age = rng.randrange(1, 18) if rng.random() < 0.6 else rng.randrange(18, 75)
                    victims.append(Victim(
                        case=case, survivor_code=f"SYN{len(victims)}-{case.number[4:]}", name="Korban Sintetis",
                        age_at_incident=age, age_group=codes.age_group_for(age), is_child=age < 18,
                        sex="P" if rng.random() < 0.8 else "L",
                        education=rng.choice(codes.Education.values), occupation=rng.choice(codes.Occupation.values),
                        marital_status=rng.choice(["", *codes.MaritalStatus.values]),
                        has_disability=rng.random() < 0.05))
            Incident.objects.bulk_create(incidents)
            victims = Victim.objects.bulk_create(victims)
            violence, perpetrators, deliveries = [], [], []
            victims_by_case: dict[int, list[Victim]] = {}
            for victim in victims:
                victims_by_case.setdefault(victim.case_id, []).append(victim)
                types = {_pick(rng, VIOLENCE_WEIGHTS) for _t in range(1 if rng.random() < 0.8 else 2)}
                violence += [VictimViolence(victim=victim, violence_type=t) for t in types]
                for _s in range(rng.randrange(0, 3)):
                    deliveries.append(ServiceDelivery(
                        case_id=victim.case_id, victim=victim, service=rng.choice(SERVICES),
                        delivered_on=start + timedelta(days=rng.randrange(days)), provider_agency=agency))
            VictimViolence.objects.bulk_create(violence)
            ServiceDelivery.objects.bulk_create(deliveries)
            for case in cases:
                for _p in range(0 if rng.random() < 0.1 else 1):
                    age = rng.choice([None, rng.randrange(13, 70)])
                    perpetrators.append(Perpetrator(case=case, name="", sex="L" if rng.random() < 0.88 else "P",
                                                    age=age, is_child=age is not None and age < 18))
            perpetrators = Perpetrator.objects.bulk_create(perpetrators)
            VictimPerpetrator.objects.bulk_create([
                VictimPerpetrator(victim=victim, perpetrator=perpetrator,
                                  relationship=_pick(rng, RELATIONSHIP_WEIGHTS))
                for perpetrator in perpetrators for victim in victims_by_case[perpetrator.case_id]])
        made += size
        if progress:
            progress(made)
    return made


def synthetic_cases_delete() -> int:
    """Remove every synthetic case (and, by cascade, its rows)."""
    deleted, _by_model = Case.objects.filter(number__startswith=PREFIX).delete()
    return deleted
