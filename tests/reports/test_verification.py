"""Public verification of a printed report: anyone, without logging in, scans the QR code or types the code and
learns which report it is (kind, period, edition, version, checksum), never its content; throttled per address.
The PDF also prints the audit log's chain head at the time it was made."""

import os
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import audit_record, chain_head
from core.models import AuditEvent
from reports import forms as report_forms
from reports.models import Report
from reports.periods import Period
from reports.rendering import render_report, verification_url
from reports.views import VERIFY_PER_MINUTE
from tests.conftest import client_for
from tests.reports.test_pdf import pdf_text

CODE = "ABCD-EFGH-JKLM-NPQR"


@pytest.fixture
def report(official, october, eager_celery, private_media, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        client_for(official).post("/laporan/berkas/", {"kind": "bulanan", "period": "2026-10",
                                                       "edition": "publikasi"})
    return Report.objects.get(status="selesai")


def test_the_qr_code_in_the_pdf_opens_the_verification_page_of_its_code(report, tmp_path):
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        reason = "needs zbarimg (zbar-tools) and pdftoppm (poppler-utils) to read the QR code back: make test"
        if os.environ.get("SIMPUL_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    (tmp_path / "report.pdf").write_bytes(report.file.open("rb").read())
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"),
                    str(tmp_path / "cover")], check=True, timeout=60)
    cover = next(tmp_path.glob("cover*.png"))
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(cover)], capture_output=True, text=True, timeout=60)
    assert scanned.stdout.strip() == f"http://127.0.0.1:8000/laporan/verifikasi/?code={report.verification_code}"
    _reader, text = pdf_text(report.file.open("rb").read())
    assert report.verification_code in text and "/laporan/verifikasi/?code=" in text


def test_a_scanned_code_shows_the_report_to_anyone_without_its_content(report, client):
    page = client.get(verification_url(report.verification_code).split("8000", 1)[1]).content.decode()
    assert "Kode sah." in page
    assert "Laporan Bulanan Oktober 2026, versi 1" in page and "Publikasi" in page and report.sha256 in page
    # Which report, not what it says: none of its figures or tables.
    for label, value in report.summary["headline"]:
        assert f">{value}<" not in page and label not in page
    assert "Anak laki-laki" not in page and "Fisik" not in page
    event = AuditEvent.objects.get(action="report.verify")
    assert (event.actor_id, event.actor_label, event.ip_address) == (None, "publik", "127.0.0.1")


def test_anyone_may_check_an_uploaded_file_against_the_code(report, client):
    pdf = report.file.open("rb").read()
    page = client.post("/laporan/verifikasi/", {"code": report.verification_code,
                                                "pdf": SimpleUploadedFile("laporan.pdf", pdf)}).content.decode()
    assert "sama persis" in page
    altered = pdf.replace(b"%PDF", b"%PDF ", 1)
    page = client.post("/laporan/verifikasi/", {"code": report.verification_code,
                                                "pdf": SimpleUploadedFile("laporan.pdf", altered)}).content.decode()
    assert "BERBEDA" in page
    assert "tidak dikenal" in client.get("/laporan/verifikasi/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()


def test_an_upload_larger_than_any_report_is_refused(report, client, monkeypatch):
    monkeypatch.setattr(report_forms, "VERIFY_MAX_BYTES", 1000)
    page = client.post("/laporan/verifikasi/", {"code": report.verification_code,
                                                "pdf": SimpleUploadedFile("besar.pdf", b"%PDF" + b"0" * 2000)})
    assert "Berkas terlalu besar" in page.content.decode() and "Kode sah." not in page.content.decode()


def test_verification_is_throttled_per_address(db, client):
    cache.delete("ratelimit:report-verify:198.51.100.77")
    for _ in range(VERIFY_PER_MINUTE):
        assert client.get("/laporan/verifikasi/", {"code": CODE}, REMOTE_ADDR="198.51.100.77").status_code == 200
    refused = client.get("/laporan/verifikasi/", {"code": CODE}, REMOTE_ADDR="198.51.100.77")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Terlalu banyak pemeriksaan" in refused.content.decode()
    # A refused check is not looked up, nor written to the audit log.
    assert AuditEvent.objects.filter(action="report.verify").count() == VERIFY_PER_MINUTE
    # Another address is served.
    assert client.get("/laporan/verifikasi/", REMOTE_ADDR="198.51.100.78").status_code == 200


def test_the_pdf_prints_the_audit_chain_head_when_it_was_made(official, october):
    audit_record(actor=official, action="test.before_report")
    head = chain_head()
    pdf = render_report(period=Period.parse("bulanan", "2026-10"), edition="publikasi", verification_code=CODE)
    _reader, text = pdf_text(pdf)
    assert head.hash in "".join(text.split())  # the hash may wrap across lines
    assert f"Jejak audit saat laporan dibuat: {head.rows} peristiwa" in " ".join(text.split())
