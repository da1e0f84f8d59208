"""The PDF of the hand-built October 2026 set: its text holds the expected figures; the published edition
holds no count from 1 to the threshold."""

import io
import re
from datetime import datetime

import pytest
from django.utils import timezone
from pypdf import PdfReader

from reports.periods import Period
from reports.rendering import render_report
from reports.statistics import compute_statistics

OCTOBER = Period.parse("bulanan", "2026-10")
NOW = datetime(2026, 11, 2, 8, 15, tzinfo=timezone.get_default_timezone())


def pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def stats(october):
    return compute_statistics(OCTOBER, now=NOW)


def test_internal_pdf_holds_the_expected_figures(stats, tmp_path):
    pdf = render_report(period=OCTOBER, edition="internal", verification_code="ABCD-EFGH-JKLM-NPQR", stats=stats)
    (tmp_path / "internal.pdf").write_bytes(pdf)
    reader, text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF") and len(reader.pages) >= 5
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    # Cover: district, period, generated time (WITA), verification code.
    assert "Kabupaten Luwu Utara" in text and "Oktober 2026" in text
    assert "2 November 2026, 08:15 WITA" in text
    assert "ABCD-EFGH-JKLM-NPQR" in text
    assert "Halaman 1 dari" in text
    # The summary in words and the tables of the hand-built set.
    assert "tercatat 3 kasus kekerasan terhadap perempuan dan anak dengan 4 korban dan 4 pelaku" in words(text)
    lines = set(text.splitlines())
    assert "Anak laki-laki 1" in lines and "Perempuan dewasa 2" in lines
    assert "Fisik 1 0 0 1 2" in lines  # Anak L, Anak P, Dewasa L, Dewasa P, Jumlah
    assert "Orang Tua 2 0 2" in lines  # pairs: child victims, adult victims, total
    assert "Luar daerah 1" in lines
    assert "Kesehatan 2 0 2" in lines
    assert "33,3% (1 / 3)" in text  # follow-up within 3 working days
    assert "4,0 hari (2 kasus)" in text  # median days to first service
    assert "melebihi jumlah korban" in text
    assert "Definisi" in text


def test_published_pdf_holds_no_count_below_the_threshold(stats):
    pdf = render_report(period=OCTOBER, edition="publikasi", verification_code="ABCD-EFGH-JKLM-NPQR", stats=stats)
    _reader, text = pdf_text(pdf)
    assert "<3" in text and "Edisi publikasi" in text
    labels = {label for table in stats.tables for label, _values in table.rows} | {"Jumlah"}
    checked = 0
    for line in text.splitlines():
        label = next((lab for lab in sorted(labels, key=len, reverse=True) if line.startswith(lab + " ")), None)
        if label is None:
            continue
        cells = line[len(label):].split()
        if not all(re.fullmatch(r"\d[\d.]*|<3|x", cell) for cell in cells):
            continue  # prose that happens to start like a row label
        counts = [int(cell.replace(".", "")) for cell in cells if cell[0].isdigit()]
        assert all(n == 0 or n > 2 for n in counts), line
        checked += 1
    assert checked > 50
    # The headline and the summary hide small counts too ("3 kasus" is shown, 4 victims shown).
    assert "tercatat 3 kasus" in words(text) and "Korban anak: <3" in words(text)
    assert "33,3% (n = 3)" in text and "(1 / 3)" not in text
