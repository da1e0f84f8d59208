"""Loading Kemendagri regions and population from the files shipped in agencies/data/.

Every provinsi and kabupaten/kota of Indonesia is loaded (population rates and "luar daerah" need
them); kecamatan and desa/kelurahan only for the district being served, which keeps the table small.
Loading is an upsert keyed by code, so running it twice changes nothing.
"""

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from agencies.models import Region

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_FILE = DATA_DIR / "wilayah_indonesia.csv.gz"
POPULATION_FILE = DATA_DIR / "penduduk_kabupaten.csv"


class UnknownDistrict(ValueError):
    pass


@dataclass
class LoadResult:
    created: int
    updated: int
    kecamatan: int
    villages: int


def _read_rows(district_code: str) -> list[dict]:
    prefix = district_code + "."
    with gzip.open(REGIONS_FILE, "rt", encoding="utf-8") as handle:
        return [
            row for row in csv.DictReader(handle)
            if row["level"] in (Region.Level.PROVINCE, Region.Level.DISTRICT) or row["code"].startswith(prefix)
        ]


def _read_population() -> dict[str, tuple[int, int]]:
    with open(POPULATION_FILE, encoding="utf-8") as handle:
        return {row["code"]: (int(row["male"]), int(row["female"])) for row in csv.DictReader(handle)}


@transaction.atomic
def regions_load(*, district_code: str) -> LoadResult:
    """Upsert provinces and districts of Indonesia, and the kecamatan and desa of `district_code`."""
    rows = _read_rows(district_code)
    if not any(row["code"] == district_code and row["level"] == Region.Level.DISTRICT for row in rows):
        raise UnknownDistrict(f"Kode kabupaten/kota {district_code!r} tidak ada dalam daftar Kemendagri.")
    population = _read_population()
    existing = {r.code: r for r in Region.objects.all()}
    to_create, to_update = [], []
    # Rows come parents first (the file is sorted by code), so parent_id always refers to a loaded row.
    for row in rows:
        male, female = population.get(row["code"], (None, None))
        wanted = dict(name=row["name"], level=row["level"], parent_id=row["parent_code"] or None,
                      population_male=male, population_female=female)
        current = existing.get(row["code"])
        if current is None:
            to_create.append(Region(code=row["code"], **wanted))
        elif any(getattr(current, key) != value for key, value in wanted.items()):
            for key, value in wanted.items():
                setattr(current, key, value)
            to_update.append(current)
    Region.objects.bulk_create(to_create, batch_size=1000)
    Region.objects.bulk_update(to_update, ["name", "level", "parent", "population_male", "population_female"],
                               batch_size=1000)
    kecamatan = Region.objects.filter(parent_id=district_code, level=Region.Level.SUBDISTRICT)
    villages = Region.objects.filter(parent__in=kecamatan)
    return LoadResult(created=len(to_create), updated=len(to_update), kecamatan=kecamatan.count(),
                      villages=villages.count())
