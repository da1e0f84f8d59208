"""Browser check (issue 14, must-show 5): an on-demand report never blocks the page. The official's request
returns at once with the report's page, which shows the queue and the steps as they pass and then the download
link, without the official reloading anything. Celery is eager here (no broker, as with `make run`): the report
is made in a background thread after the response (settings.REPORT_EAGER_IN_BACKGROUND)."""

import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from reports.models import Report
from reports.periods import Kind, Period
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in

# The render step is slowed by this much (the setting the fault tests use), so the run takes clearly longer
# than the request that asks for it.
RENDER_DELAY = 5.0


@pytest.fixture
def background_reports(settings, tmp_path):
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.REPORT_EAGER_IN_BACKGROUND = True
    settings.REPORT_RENDER_DELAY_SECONDS = RENDER_DELAY
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    yield
    # The report's thread uses its own database connection: let it end before the test database is cleared.
    for thread in threading.enumerate():
        if thread.name.startswith("report-"):
            thread.join(timeout=30)
    celery_app.conf.task_always_eager = before


def test_requested_report_shows_progress_then_the_download_link(page, live_server, official, regions,
                                                                background_reports):
    last_month = Period.last_complete(Kind.MONTHLY, timezone.localdate())
    log_in(page, live_server, official.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:list')}")
    page.get_by_role("textbox", name="Periode").fill(last_month.code)

    began = time.monotonic()
    with page.expect_navigation():
        page.get_by_role("button", name="Buat laporan PDF").click()
    answered_in = time.monotonic() - began
    # The request answered before the report was made: the run alone takes longer than RENDER_DELAY.
    assert answered_in < RENDER_DELAY, f"the request took {answered_in:.1f} s: it waited for the report"
    report = Report.objects.get(period=last_month.code)
    assert report.status != Report.Status.DONE

    status = page.get_by_role("status").filter(has_text="Status")
    assert status.is_visible()
    # No reload from here on: a marker on the window survives only if the page is never loaded again.
    page.evaluate("window.notReloaded = true")
    progress = page.get_by_test_id("report-progress")
    assert progress.inner_text() in ("Dalam antrean", ) or progress.inner_text().startswith("Sedang dibuat")
    page.get_by_text("Sedang dibuat (langkah 2 dari 3: Menyiapkan grafik dan tabel)").wait_for(timeout=10000)
    bar = page.get_by_role("progressbar", name="Laporan sedang dibuat")
    assert bar.get_attribute("aria-valuenow") == "50"

    download = page.get_by_role("link", name="Unduh PDF")
    download.wait_for(timeout=30000)
    assert page.evaluate("window.notReloaded") is True
    assert "Kode verifikasi" in status.inner_text()
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.step == Report.Step.PDF
    assert report.duration_seconds >= RENDER_DELAY > answered_in
