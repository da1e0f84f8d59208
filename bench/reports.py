"""Time to compute a year's statistics and to render its PDF, at 10,000 and 100,000 synthetic cases, next to
a plain SQL query that counts the same rows (the floor: one pass over the year's cases and victims).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/simpul_bench .venv/bin/python bench/reports.py

It migrates the database, loads the regions, replaces the synthetic cases (demo.synthetic, the bulk
fast path; never run it on a database with real cases: it refuses a database whose name lacks "bench"
unless --force) and prints one line per size. Each timing is the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from agencies.regions import regions_load  # noqa: E402
from demo.synthetic import synthetic_cases_create, synthetic_cases_delete  # noqa: E402
from reports.periods import Period  # noqa: E402
from reports.rendering import render_report  # noqa: E402
from reports.statistics import compute_statistics  # noqa: E402

YEAR = 2025
PLAIN_SQL = """
    SELECT COUNT(DISTINCT c.id), COUNT(v.id)
    FROM cases_case c JOIN cases_victim v ON v.case_id = c.id
    WHERE c.received_at >= %s AND c.received_at < %s
"""


def page_count(pdf: bytes) -> int | str:
    try:
        import io

        from pypdf import PdfReader  # a development requirement
    except ImportError:
        return "?"
    return len(PdfReader(io.BytesIO(pdf)).pages)


def best(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    name = str(settings.DATABASES["default"]["NAME"])
    if "bench" not in name and not args.force:
        sys.exit(f"Refusing to replace cases in database {name!r}: use a database named *bench* (or --force).")
    call_command("migrate", verbosity=0)
    regions_load(district_code=settings.DISTRICT_CODE)
    period = Period.parse("tahunan", str(YEAR))
    start, end = period.bounds()
    print(f"database: {connection.vendor} {name}; period {period.label}; best of {args.repeat}")
    print(f"{'cases':>8} {'victims':>8} {'seed s':>7} {'plain SQL ms':>12} {'statistics ms':>13} "
          f"{'queries':>7} {'PDF ms':>8} {'PDF pages':>9}")
    for size in args.sizes:
        synthetic_cases_delete()
        began = time.perf_counter()
        synthetic_cases_create(count=size, start=date(YEAR, 1, 1), end=date(YEAR, 12, 31))
        seeded = time.perf_counter() - began
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        def plain():
            with connection.cursor() as cursor:
                cursor.execute(PLAIN_SQL, [start, end])
                return cursor.fetchone()

        plain_s, (cases, victims) = best(plain, args.repeat)
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            compute_statistics(period)
        stats_s, stats = best(lambda: compute_statistics(period), args.repeat)
        assert stats.cases == cases and stats.victims == victims, "statistics disagree with the plain count"
        pdf_s, pdf = best(lambda stats=stats: render_report(
            period=period, edition="publikasi", verification_code="BENC-HBEN-CHBE-NCHB", stats=stats), args.repeat)
        pages = page_count(pdf)
        print(f"{cases:>8} {victims:>8} {seeded:>7.1f} {plain_s * 1000:>12.1f} {stats_s * 1000:>13.1f} "
              f"{len(queries):>7} {pdf_s * 1000:>8.0f} {pages:>9}")
    synthetic_cases_delete()


if __name__ == "__main__":
    main()
