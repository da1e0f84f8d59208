"""Browser journey: an official opens the dashboard, makes the report of last month, watches it finish and
downloads the PDF."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from reports.periods import Kind, Period
from tests.conftest import PASSWORD, register_case
from tests.e2e.conftest import ARTIFACTS, log_in


@pytest.fixture
def eager_celery():
    # CI sets REDIS_URL; this journey runs the job in the server's thread instead of a worker.
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def private_media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def test_official_generates_and_downloads_a_monthly_report(page, live_server, official, caseworker, regions,
                                                           eager_celery, private_media):
    last_month = Period.last_complete(Kind.MONTHLY, timezone.localdate())
    received = timezone.make_aware(timezone.datetime.combine(last_month.start + timedelta(days=3),
                                                             timezone.datetime.min.time())) + timedelta(hours=9)
    for violence in (["fisik"], ["seksual", "psikis"], ["fisik"], ["penelantaran"]):
        register_case(caseworker, received_at=received, violence_types=violence)

    log_in(page, live_server, official.username, PASSWORD)
    page.get_by_role("link", name="Buka dasbor statistik").click()
    page.get_by_role("textbox", name="Periode").fill(last_month.code)
    page.get_by_role("button", name="Tampilkan").click()
    assert page.get_by_role("heading", name="Dasbor statistik").is_visible()
    assert page.get_by_text(last_month.label).first.is_visible()
    assert page.locator(".chart img[src^='data:image/svg+xml']").count() == 4
    kasus = page.locator(".card", has_text="Kasus").first
    assert kasus.inner_text().startswith("4")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_dashboard.png"), full_page=True)

    page.get_by_role("link", name="Laporan PDF").click()
    page.get_by_role("textbox", name="Periode").fill(last_month.code)
    page.get_by_role("button", name="Buat laporan PDF").click()
    # The progress page: it polls until the run is finished, then offers the download.
    status = page.locator("#report-status")
    status.get_by_text("Selesai", exact=True).wait_for()
    assert "Kode verifikasi" in status.inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"laporan-bulanan-{last_month.code}-publikasi-v1.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    page.screenshot(path=str(ARTIFACTS / "report_progress.png"), full_page=True)
