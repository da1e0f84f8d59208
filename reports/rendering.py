"""The PDF report: HTML rendered by WeasyPrint (A4, Indonesian). `render_report(...) -> bytes` only renders;
the service stores the file (pretix's pattern)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from reports import charts
from reports.periods import Period
from reports.presentation import present, summary_sentences
from reports.statistics import DEFINITIONS, Statistics, compute_statistics


def report_html(stats: Statistics, *, edition: str, verification_code: str, version: int = 1) -> str:
    presentation = present(stats, edition=edition)
    images = {key: charts.as_data_uri(svg) for key, svg in presentation.charts.items()}
    return render_to_string("reports/pdf/report.html", {
        "p": presentation, "stats": stats, "images": images, "summary": summary_sentences(presentation),
        "definitions": DEFINITIONS, "verification_code": verification_code, "version": version,
        "generated_at": timezone.localtime(stats.generated_at), "district_code": settings.DISTRICT_CODE,
    })


def render_report(*, period: Period, edition: str, verification_code: str, version: int = 1,
                  now: datetime | None = None, stats: Statistics | None = None) -> bytes:
    """The report of `period` in `edition` as PDF bytes, always in Indonesian whatever the caller's language."""
    from weasyprint import HTML  # imported here: loading Pango is slow and only this needs it

    with translation.override("id"):
        stats = stats or compute_statistics(period, now=now)
        html = report_html(stats, edition=edition, verification_code=verification_code, version=version)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
