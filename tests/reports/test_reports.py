"""Report runs: on demand, versions, the scheduled job (idempotent, retried), downloads, verification."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from config.celery import app as celery_app
from config.schedule import BEAT_SCHEDULE
from core.models import AuditEvent
from reports import services
from reports.models import Report
from reports.tasks import report_schedule_task
from tests.conftest import assert_hidden, client_for

WITA = timezone.get_default_timezone()
pytestmark = pytest.mark.usefixtures("eager_celery", "private_media")


def request_report(client, captured, **data):
    form = {"kind": "bulanan", "period": "2026-10", "edition": "publikasi"} | data
    with captured(execute=True):
        return client.post("/laporan/berkas/", form)


def test_an_official_requests_a_report_watches_it_and_downloads_it(official, october,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(official)
    response = request_report(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert response["Location"] == f"/laporan/berkas/{report.pk}/"
    assert (report.status, report.version, report.attempts) == ("selesai", 1, 1)
    assert report.duration_seconds > 0 and len(report.sha256) == 64
    status = client.get(f"/laporan/berkas/{report.pk}/status/")
    assert "Unduh PDF" in status.content.decode() and status["HX-Trigger"] == "report-finished"
    download = client.get(f"/laporan/berkas/{report.pk}/unduh/")
    pdf = b"".join(download.streaming_content)
    assert pdf.startswith(b"%PDF") and download["Content-Disposition"].endswith(
        'filename="laporan-bulanan-2026-10-publikasi-v1.pdf"')
    event = AuditEvent.objects.get(action="report.download")
    assert event.actor == official and event.object_label == "LAP-bulanan-2026-10-publikasi-v1"
    # The in-app notice on the reports page.
    assert "Laporan yang sudah siap" in client.get("/laporan/berkas/").content.decode()


def test_generating_again_makes_a_new_version_and_keeps_the_old(official, regions,
                                                                django_capture_on_commit_callbacks):
    client = client_for(official)
    request_report(client, django_capture_on_commit_callbacks)
    request_report(client, django_capture_on_commit_callbacks)
    first, second = Report.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.file.name != second.file.name and first.file.storage.exists(first.file.name)
    assert first.verification_code != second.verification_code


def test_a_report_page_is_hidden_outside_its_readers(official, supervisor, caseworker, regions):
    internal = services.report_request(actor=supervisor, kind="bulanan", period_code="2026-10", edition="internal",
                                       queue=False)
    for url in (f"/laporan/berkas/{internal.pk}/", f"/laporan/berkas/{internal.pk}/status/",
                f"/laporan/berkas/{internal.pk}/unduh/"):
        assert client_for(official).get(url).status_code == 404
        assert_hidden(client_for(caseworker).get(url))
    assert client_for(supervisor).get(f"/laporan/berkas/{internal.pk}/").status_code == 200


def test_the_progress_page_polls_until_the_report_is_finished(official, regions):
    report = services.report_request(actor=official, kind="bulanan", period_code="2026-10", queue=False)
    page = client_for(official).get(f"/laporan/berkas/{report.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "Dalam antrean" in page


def test_a_failing_run_is_retried_then_shows_its_reason_and_can_be_retried_by_hand(
        official, regions, settings, tmp_path, django_capture_on_commit_callbacks):
    # A real failure: the private media root is a file, so the PDF cannot be stored.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocker)}}}
    client = client_for(official)
    request_report(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    # One run and the three retries declared on the task, then it stays failed with its reason.
    assert (report.status, report.attempts) == ("gagal", 4)
    assert "Error" in report.failure_reason
    page = client.get(f"/laporan/berkas/{report.pk}/").content.decode()
    assert "Laporan gagal dibuat." in page and "Coba lagi" in page
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "ok")}}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/laporan/berkas/{report.pk}/coba-lagi/")
    report.refresh_from_db()
    assert (report.status, report.version, report.attempts) == ("selesai", 1, 5)
    assert AuditEvent.objects.filter(action="report.retry", actor=official).exists()


def test_the_scheduled_job_makes_each_report_once(regions, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime(2026, 11, 1, 2, 0, tzinfo=WITA), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report_schedule_task.delay("bulanan")
        with django_capture_on_commit_callbacks(execute=True):
            report_schedule_task.delay("bulanan")  # beat fired twice (a restart): nothing more is made
    reports = Report.objects.order_by("edition")
    assert [(r.kind, r.period, r.edition, r.trigger, r.status) for r in reports] == [
        ("bulanan", "2026-10", "internal", "jadwal", "selesai"),
        ("bulanan", "2026-10", "publikasi", "jadwal", "selesai")]


def test_the_scheduled_job_reports_the_period_that_just_ended(regions):
    with time_machine.travel(datetime(2027, 1, 1, 2, 0, tzinfo=WITA), tick=False):
        made = {kind: services.report_schedule(kind=kind) for kind in ("bulanan", "triwulan", "tahunan")}
    assert {kind: {r.period for r in reports} for kind, reports in made.items()} == {
        "bulanan": {"2026-12"}, "triwulan": {"2026-Q4"}, "tahunan": {"2026"}}


def _entry(name):
    schedule = BEAT_SCHEDULE[name]["schedule"]
    schedule.app = celery_app
    return schedule


@pytest.mark.parametrize(("name", "last_run", "fires"), [
    ("report-monthly", datetime(2026, 10, 1, 2, 0), datetime(2026, 11, 1, 2, 0)),
    ("report-quarterly", datetime(2026, 10, 1, 2, 0), datetime(2027, 1, 1, 2, 0)),
    ("report-annual", datetime(2026, 1, 1, 2, 0), datetime(2027, 1, 1, 2, 0)),
])
def test_the_beat_schedule_fires_at_0200_wita_on_the_first(name, last_run, fires, settings):
    assert settings.CELERY_TIMEZONE == "Asia/Makassar" and celery_app.conf.timezone == "Asia/Makassar"
    assert BEAT_SCHEDULE[name]["task"] == "reports.tasks.report_schedule_task"
    schedule = _entry(name)
    last_run, fires = last_run.replace(tzinfo=WITA), fires.replace(tzinfo=WITA)
    try:
        schedule.nowfun = lambda: fires - timedelta(minutes=1)
        assert schedule.is_due(last_run).is_due is False  # 01:59 WITA: not yet
        schedule.nowfun = lambda: fires + timedelta(seconds=30)
        assert schedule.is_due(last_run).is_due is True  # 02:00 WITA (18:00 UTC the day before)
        # and not a day, or an hour in UTC, earlier
        schedule.nowfun = lambda: fires - timedelta(hours=8, minutes=-1)
        assert schedule.is_due(last_run).is_due is False
    finally:
        schedule.nowfun = None


def test_generate_report_command_prints_the_pdf_path(regions, capsys, private_media):
    call_command("generate_report", "--kind", "monthly", "--period", "2026-10", "--edition", "internal")
    path = capsys.readouterr().out.strip()
    assert path.endswith("laporan-bulanan-2026-10-internal-v1.pdf") and open(path, "rb").read(4) == b"%PDF"
    call_command("generate_report", "--kind", "tahunan", "--period", "2026", "--edition", "published")
    assert capsys.readouterr().out.strip().endswith("laporan-tahunan-2026-publikasi-v1.pdf")
    assert list(Report.objects.values_list("status", flat=True)) == ["selesai", "selesai"]


def test_verification_finds_the_report_and_checks_the_file(official, regions, django_capture_on_commit_callbacks):
    client = client_for(official)
    # The verification page is throttled per address in the shared cache, which outlives each test: an address
    # of this test's own, so the hostile-input walk's many anonymous requests before it do not count here.
    client.defaults["REMOTE_ADDR"] = "192.0.2.156"
    request_report(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    pdf = report.file.open("rb").read()
    code = report.verification_code.lower().replace("-", " ")  # typed loosely
    page = client.post("/laporan/verifikasi/", {"code": code}).content.decode()
    assert "Kode sah." in page and "Oktober 2026" in page
    page = client.post("/laporan/verifikasi/", {"code": code, "pdf": SimpleUploadedFile("l.pdf", pdf)}).content
    assert "sama persis" in page.decode()
    altered = pdf.replace(b"%PDF", b"%PDF ", 1)
    page = client.post("/laporan/verifikasi/", {"code": code, "pdf": SimpleUploadedFile("l.pdf", altered)}).content
    assert "BERBEDA" in page.decode()
    page = client.post("/laporan/verifikasi/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "tidak dikenal" in page
    assert AuditEvent.objects.filter(action="report.verify").count() == 4


def test_officials_are_emailed_when_a_report_is_ready(official, supervisor, regions, mailoutbox,
                                                      django_capture_on_commit_callbacks):
    official.email, supervisor.email = "pejabat@contoh.simpul.test", "koordinator@contoh.simpul.test"
    official.save(), supervisor.save()
    request_report(client_for(official), django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Laporan bulanan Oktober 2026 siap diunduh"
    assert set(message.to) == {"pejabat@contoh.simpul.test", "koordinator@contoh.simpul.test"}
    assert "/laporan/berkas/" in message.body
    # And the bell: each reader has an unread notice linking to the report.
    from inbox.models import Notification

    notices = Notification.objects.filter(kind="laporan")
    assert {n.recipient for n in notices} == {official, supervisor}
    assert notices[0].text == "Laporan bulanan Oktober 2026 siap diunduh."
    assert notices[0].link.startswith("/laporan/berkas/")
