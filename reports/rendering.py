"""The PDF report: HTML rendered by WeasyPrint (A4, Indonesian). `render_report(...) -> bytes` only renders;
the service stores the file (pretix's pattern)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.audit import ChainHead, chain_head
from core.pdf import pdf_from_html
from reports import charts
from reports.figures import changes_note
from reports.periods import Period
from reports.presentation import present, summary_sentences
from reports.statistics import DEFINITIONS, Statistics, compute_statistics


def verification_url(code: str) -> str:
    """The public verification page for one code: what the QR code on the report opens."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('reports:verify')}?code={code}"


def qr_code(text: str) -> str:
    """A QR code of `text` as an SVG data URI (vector, so it prints sharp; drawn here, no web service)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(text, image_factory=SvgPathImage, border=2)
    return charts.as_data_uri(image.to_string(encoding="unicode"))


def report_html(stats: Statistics, *, edition: str, verification_code: str, version: int = 1,
                audit_head: ChainHead | None = None, changes: dict | None = None) -> str:
    presentation = present(stats, edition=edition)
    images = {key: charts.as_data_uri(svg) for key, svg in presentation.charts.items()}
    url = verification_url(verification_code)
    return render_to_string("reports/pdf/report.html", {
        "p": presentation, "stats": stats, "images": images, "summary": summary_sentences(presentation),
        "definitions": DEFINITIONS, "verification_code": verification_code, "version": version,
        "verification_url": url, "verification_qr": qr_code(url),
        # A later version of a period says which figures differ from the version before (reports.figures).
        "changes_note": changes_note(changes or {}),
        # The audit log's newest link as the report is made: a later rewrite of the log cannot include it.
        "audit_head": audit_head or chain_head(),
        "generated_at": timezone.localtime(stats.generated_at), "district_code": settings.DISTRICT_CODE,
    })


def render_report(*, period: Period, edition: str, verification_code: str, version: int = 1,
                  now: datetime | None = None, stats: Statistics | None = None,
                  audit_head: ChainHead | None = None, changes: dict | None = None,
                  before_pdf: Callable[[], None] | None = None) -> bytes:
    """The report of `period` in `edition` as PDF bytes, always in Indonesian whatever the caller's language.

    `before_pdf` is called once the charts and the page are ready, before the (longest) PDF step: the service
    records it as the run's progress."""
    with translation.override("id"):
        stats = stats or compute_statistics(period, now=now)
        html = report_html(stats, edition=edition, verification_code=verification_code, version=version,
                           audit_head=audit_head, changes=changes)
    if before_pdf is not None:
        before_pdf()
    return pdf_from_html(html)
