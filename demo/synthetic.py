"""Many synthetic cases, fast: a bulk path for benchmarks and load tests only (`seed_demo --cases N`).

This is NOT the realistic demo seeding (demo.cases registers demo cases through the case services one by
one, with numbers and deadlines). Here the cases are invented in memory and handed in batches to
cases.services.synthetic_cases_add, which bulk-inserts them with one audit event per batch, so
`seed_demo --cases 100000` takes about a minute. Every row is invented: names are "Sintetis", no NIK,
no address; case numbers start with SYN- and `synthetic_cases_delete()` removes them (audited too).

The shares follow domain.md section 6 "Demo data": about 60% children, sexual ~40%, physical ~28%,
psychological ~12%, neglect ~8%, TPPO/exploitation ~2%; rumah tangga ~58%.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from agencies import services as agency_services
from agencies.models import Agency, Region, Role, User
from cases.services import (
    SyntheticCase,
    SyntheticPerpetrator,
    SyntheticVictim,
    synthetic_cases_add,
    synthetic_cases_remove,
)
from core import codes

BATCH = 2000

V, P, R = codes.ViolenceType, codes.Place, codes.Relationship
VIOLENCE_WEIGHTS = [(V.SEXUAL, 40), (V.PHYSICAL, 28), (V.PSYCHOLOGICAL, 12), (V.NEGLECT, 8), (V.TRAFFICKING, 1),
                    (V.EXPLOITATION, 1), (V.OTHER, 10)]
PLACE_WEIGHTS = [(P.HOUSEHOLD, 58), (P.PUBLIC, 14), (P.SCHOOL, 9), (P.WORKPLACE, 5), (P.SHORT_COURSE, 1),
                 (P.OTHER, 13)]
RELATIONSHIP_WEIGHTS = [(R.PARENT, 18), (R.RELATIVE, 14), (R.SPOUSE, 16), (R.PARTNER_FRIEND, 22), (R.NEIGHBOUR, 12),
                        (R.TEACHER, 3), (R.EMPLOYER, 1), (R.COWORKER, 2), (R.OTHER, 8), (R.NA, 4)]
SERVICES = [s.value for s in codes.Service]


def _pick(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weights], [w for _v, w in weights])[0]


def _context() -> tuple[Agency, list[User], list[Region]]:
    agency = Agency.objects.filter(agency_type=codes.AgencyType.UPTD_PPA, is_active=True).order_by("id").first()
    if agency is None:
        agency = agency_services.agency_create(actor=None, name="UPTD PPA Sintetis",
                                               agency_type=codes.AgencyType.UPTD_PPA)
    workers = list(User.objects.filter(role=Role.CASEWORKER)[:10])
    kecamatan = list(Region.objects.filter(parent_id=settings.DISTRICT_CODE, level=Region.Level.SUBDISTRICT))
    return agency, workers, kecamatan


def _victim(rng: random.Random, *, start: date, days: int) -> SyntheticVictim:
    age = rng.randrange(1, 18) if rng.random() < 0.6 else rng.randrange(18, 75)
    return SyntheticVictim(
        age=age, sex=codes.Sex.FEMALE if rng.random() < 0.8 else codes.Sex.MALE,
        violence_types=sorted({_pick(rng, VIOLENCE_WEIGHTS) for _t in range(1 if rng.random() < 0.8 else 2)}),
        education=rng.choice(codes.Education.values), occupation=rng.choice(codes.Occupation.values),
        marital_status=rng.choice(["", *codes.MaritalStatus.values]), has_disability=rng.random() < 0.05,
        services=[(rng.choice(SERVICES), start + timedelta(days=rng.randrange(days)))
                  for _s in range(rng.randrange(3))])


def _case(rng: random.Random, *, start: date, days: int, workers: list[User], kecamatan: list[Region],
          villages: dict[str, list[str]]) -> SyntheticCase:
    tz = timezone.get_default_timezone()
    received_day = start + timedelta(days=rng.randrange(days))
    received = datetime.combine(received_day, time(rng.randrange(7, 18), rng.randrange(60)), tzinfo=tz)
    outside = rng.random() < 0.04
    kec = None if outside or not kecamatan else rng.choice(kecamatan)
    victims = [_victim(rng, start=start, days=days) for _v in range(1 if rng.random() < 0.9 else 2)]
    perpetrators = []
    for _p in range(0 if rng.random() < 0.1 else 1):
        age = rng.choice([None, rng.randrange(13, 70)])
        perpetrators.append(SyntheticPerpetrator(
            sex=codes.Sex.MALE if rng.random() < 0.88 else codes.Sex.FEMALE, age=age,
            relationships=[_pick(rng, RELATIONSHIP_WEIGHTS) for _victim in victims]))
    closed = received + timedelta(days=rng.randrange(20, 200)) if rng.random() < 0.5 else None
    return SyntheticCase(
        received_at=received, occurred_on=received_day - timedelta(days=rng.randrange(30)),
        place=_pick(rng, PLACE_WEIGHTS), victims=victims, perpetrators=perpetrators,
        assigned_worker=rng.choice(workers) if workers else None,
        identified_at=received + timedelta(hours=rng.randrange(2, 24 * 7)) if rng.random() < 0.9 else None,
        first_service_at=received + timedelta(hours=rng.randrange(1, 24 * 14)) if rng.random() < 0.8 else None,
        closed_at=closed, kecamatan_id=kec.code if kec else None,
        village_id=rng.choice(villages[kec.code]) if kec and villages.get(kec.code) else None,
        outside_district=outside, is_kdrt=rng.random() < 0.3,
        tpks_forms=[codes.TpksForm.RAPE] if rng.random() < 0.1 else [])


def synthetic_cases_create(*, count: int, start: date, end: date, seed: int = 20261, progress=None) -> int:
    """Create `count` synthetic cases received between `start` and `end` (inclusive); returns the count made."""
    rng = random.Random(seed)  # noqa: S311 (synthetic benchmark data, not a secret)
    agency, workers, kecamatan = _context()
    villages: dict[str, list[str]] = {}
    for code, parent in Region.objects.filter(parent__in=kecamatan).values_list("code", "parent_id"):
        villages.setdefault(parent, []).append(code)
    days = (end - start).days + 1
    made = 0
    while made < count:
        batch = [_case(rng, start=start, days=days, workers=workers, kecamatan=kecamatan, villages=villages)
                 for _i in range(min(BATCH, count - made))]
        made += len(synthetic_cases_add(actor=None, agency=agency, cases=batch))
        if progress:
            progress(made)
    return made


def synthetic_cases_delete() -> int:
    """Remove every synthetic case (and its rows); returns how many rows were deleted."""
    return synthetic_cases_remove(actor=None)
