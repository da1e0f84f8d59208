"""The reports pages: who may open them, what they show, the internal edition, exports and downloads."""

import csv
import io

import pytest
from openpyxl import load_workbook

from core.models import AuditEvent
from reports import services
from reports.models import Report
from tests.conftest import assert_hidden, client_for

PAGES = ["/laporan/", "/laporan/definisi/", "/laporan/berkas/",  # /laporan/verifikasi/ is public
         "/laporan/ekspor/csv/", "/laporan/ekspor/xlsx/", "/laporan/ekspor/gbvims/"]
OCTOBER = "?kind=bulanan&period=2026-10&edition="


@pytest.mark.parametrize("persona", ["caseworker", "police_officer", "sysadmin", "outsider"])
def test_only_officials_and_supervisors_reach_the_reports(request, persona):
    # The admin manages users and agencies; aggregated statistics are not theirs to read either (simple rule).
    client = client_for(request.getfixturevalue(persona))
    for url in PAGES:
        assert_hidden(client.get(url))


def test_the_anonymous_are_sent_to_log_in(db):
    for url in PAGES:
        assert_hidden(client_for(None).get(url))


@pytest.mark.parametrize("persona", ["official", "supervisor"])
def test_officials_and_supervisors_open_every_page(request, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_dashboard_shows_the_period_published_with_charts_and_no_personal_data(official, october):
    page = client_for(official).get("/laporan/" + OCTOBER + "publikasi").content.decode()
    assert "Oktober 2026" in page and "Edisi publikasi" in page
    # trend, types, kecamatan, places: SVG images with a text alternative
    assert page.count('src="data:image/svg+xml;base64,') == 4 and 'alt="Grafik: ' in page
    assert "Anak laki-laki" in page and "&lt;3" in page
    for personal in ("Anak Sintetis", "Ibu Sintetis", "Mahasiswi Sintetis", "KRB-", "73.22/2026/"):
        assert personal not in page


def test_the_internal_edition_exists_for_supervisors_only(official, supervisor, october):
    assert client_for(official).get("/laporan/" + OCTOBER + "internal").status_code == 404
    assert client_for(official).get("/laporan/ekspor/csv/" + OCTOBER + "internal").status_code == 404
    page = client_for(supervisor).get("/laporan/" + OCTOBER + "internal").content.decode()
    assert "Edisi internal" in page
    with pytest.raises(services.ReportError, match="Edisi internal hanya untuk koordinator"):
        services.report_request(actor=official, kind="bulanan", period_code="2026-10", edition="internal")


def test_a_bad_period_gets_a_clear_message_and_keeps_what_was_typed(official):
    page = client_for(official).get("/laporan/?kind=bulanan&period=2026-13").content.decode()
    assert "Periode tidak dapat dibaca. Contoh yang benar: 2026-10." in page
    assert 'value="2026-13"' in page
    response = client_for(official).post("/laporan/berkas/", {"kind": "triwulan", "period": "2099-Q1",
                                                               "edition": "publikasi"})
    assert "Periode ini belum dimulai." in response.content.decode() and 'value="2099-Q1"' in response.content.decode()
    assert not Report.objects.exists()


def test_dashboard_query_budget_does_not_grow_with_cases(official, caseworker, regions,
                                                         django_assert_max_num_queries):
    from tests.conftest import register_case

    client = client_for(official)
    for _ in range(3):
        register_case(caseworker)
    with django_assert_max_num_queries(60):
        client.get("/laporan/")


def test_csv_export_is_laid_out_like_simfoni_and_audited(official, october):
    response = client_for(official).get("/laporan/ekspor/csv/" + OCTOBER + "publikasi")
    assert response["Content-Disposition"] == 'attachment; filename="statistik-bulanan-2026-10-publikasi.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    start = rows.index(["Korban menurut jenis kekerasan"])
    assert rows[start + 1] == ["Jenis kekerasan", "Anak L", "Anak P", "Dewasa L", "Dewasa P", "Jumlah"]
    assert rows[start + 2][0] == "Fisik" and rows[start + 2][-1] == "<3"
    assert AuditEvent.objects.filter(action="report.export", actor=official).exists()


def test_gbvims_export_and_xlsx_export(supervisor, october):
    client = client_for(supervisor)
    rows = list(csv.reader(io.StringIO(
        client.get("/laporan/ekspor/gbvims/" + OCTOBER + "internal").content.decode("utf-8-sig"))))
    assert ["Rape", "0", "0", "0", "1", "1"] in rows
    assert ["Physical Assault", "1", "0", "0", "1", "2"] in rows
    workbook = load_workbook(io.BytesIO(client.get("/laporan/ekspor/xlsx/" + OCTOBER + "internal").content))
    sheet = workbook["Jenis kekerasan"]  # sheet names are readable labels (reports.exports.SHEET_NAMES)
    assert [c.value for c in sheet[3]] == ["Fisik", 1, 0, 0, 1, 2]


def test_exports_escape_formula_injection():
    from reports.exports import safe_cell

    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [safe_cell(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "Masamba", 7, "<3")] == [
        "'+1", "'-2", "'@SUM(A1)", "'\tx", "Masamba", 7, "<3"]


def test_a_region_name_that_looks_like_a_formula_is_escaped_in_both_exports(official, october):
    from agencies.models import Region

    Region.objects.filter(code="73.22.03").update(name="=cmd|'/c calc'!A1")
    client = client_for(official)
    text = client.get("/laporan/ekspor/csv/" + OCTOBER + "publikasi").content.decode("utf-8-sig")
    assert "'=cmd|" in text and "\n=cmd" not in text and ",=cmd" not in text
    workbook = load_workbook(io.BytesIO(client.get("/laporan/ekspor/xlsx/" + OCTOBER + "publikasi").content))
    names = [row[0].value for row in workbook["Kasus per kecamatan"].iter_rows()]
    assert "'=cmd|'/c calc'!A1" in names and not any(str(n).startswith("=") for n in names if n)
