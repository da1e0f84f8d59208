"""Issue 12, "small numbers everywhere": every page and export an official can open follows the published
reports' small-cell rule, so no count of cases or people from 1 to 2 is ever shown to an official.

The month is the hand-built October 2026 of conftest.py (registered through the real services): single cases
in Masamba and Sabbang, two KDRT cases, one child boy, one victim with a disability, one case in September,
two in October 2025... so counts of 1 and 2 sit in many villages and categories. The official's pages are
found by following the links of their home page, dashboard (for several periods and kinds) and report pages,
as a person clicking through would; every table cell, headline figure and spreadsheet cell is then read.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import time_machine
from openpyxl import load_workbook

from reports.models import Report
from tests.conftest import client_for
from tests.reports.conftest import wita

pytestmark = pytest.mark.usefixtures("eager_celery", "private_media")

SMALL = {1, 2}  # settings.REPORT_SUPPRESSION_THRESHOLD = 2
# A whole number standing alone: not part of "2,5", "50,0%", "2026-10" or "73.22".
INTEGER = re.compile(r"(?<![\d,.\-/])\d+(?![\d,.%\-/])")
DASHBOARD_PERIODS = ["", "?kind=bulanan&period=2026-10", "?kind=bulanan&period=2026-09",
                     "?kind=bulanan&period=2025-10", "?kind=triwulan&period=2026-Q4", "?kind=tahunan&period=2026"]
# Cells that are no count: the definitions page explains the figures in words ("0-5 tahun", "bawaan 2"); the
# report list's third column is a report's version number.
NOT_COUNTS = {"/laporan/definisi/": None, "/laporan/berkas/": 3}
COVERAGE_PERIODS = ["", "?start=2026-10-01&end=2026-10-31", "?start=2026-09-01&end=2026-10-31&sort=kasus",
                    "?start=2026-10-01&end=2026-10-31&sort=kesenjangan&gaps_only=on"]


class CountCells(HTMLParser):
    """The text of every data cell (<td>), headline figure (.stat-figure, <dd>) and link on a page.

    Row and column headings (<th>) are labels, and charts are drawn from the shown values (their axis ticks
    are not counts), so neither is read."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.columns: list[int] = []  # the position in its row of each cell (td and th counted)
        self.numeric: list[bool] = []  # the cell is marked as a figure (class "n", right-aligned in the PDF)
        self._column = 0
        self.links: list[str] = []
        self._open: list[list[str]] = []
        self._stack: list[bool] = []
        self._svg = 0
        self._numeric: list[bool] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self._svg += 1
        for name in ("href", "hx-get"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "path", "use", "rect", "circle"):
            return
        if tag == "tr":
            self._column = 0
        elif tag in ("td", "th"):
            self._column += 1
        counted = not self._svg and (tag in ("td", "dd") or "stat-figure" in (attrs.get("class") or "").split())
        self._stack.append(counted)
        if counted:
            self._open.append([])
            self._numeric.append("n" in (attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg -= 1
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "path", "use", "rect", "circle"):
            return
        if self._stack and self._stack.pop():
            self.cells.append(" ".join("".join(self._open.pop()).split()))
            self.columns.append(self._column)
            self.numeric.append(self._numeric.pop())

    def handle_data(self, data):
        for text in self._open:
            text.append(data)


def small_integers(text: str) -> list[int]:
    return [int(n) for n in INTEGER.findall(text) if int(n) in SMALL]


def coverage_case_cells(page: str) -> list[str]:
    """The coverage page's "Kasus" column and its district card; its other columns count villages and
    prevention activities (none were held this month), which identify nobody."""
    rows = re.findall(r'<tr[^>]*id="wilayah-[\d.]+"[^>]*>(.*?)</tr>', page, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)[5].strip() for body in rows]
    card = re.search(r'<p class="display-6 m-0">([^<]*)</p>\s*<p class="m-0">[^<]*kasus, di', page)
    return [*cells, card.group(1)]


def spreadsheet_small_cells(content: bytes, kind: str) -> list[tuple]:
    if kind == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        return [(n, row) for n, row in enumerate(rows) for cell in row if cell.strip() in {"1", "2"}]
    workbook = load_workbook(io.BytesIO(content))
    return [(sheet.title, cell.coordinate, cell.value) for sheet in workbook for row in sheet.iter_rows()
            for cell in row if cell.value in SMALL or cell.value in {"1", "2"}]


def walk(client, seeds: list[str]) -> dict[str, object]:
    """Every URL under /laporan/ and /pencegahan/cakupan/ reachable by GET from the seeds, with its response."""
    seen: dict[str, object] = {}
    queue = list(seeds)
    while queue:
        url = queue.pop(0)
        if url in seen or len(seen) > 80:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response
        if not response["Content-Type"].startswith("text/html"):
            continue
        parser = CountCells()
        parser.feed(response.content.decode())
        for link in parser.links:
            target = urlsplit(urljoin(url, link.replace("&amp;", "&")))
            if target.netloc or not target.path.startswith(("/laporan/", "/pencegahan/cakupan/")):
                continue
            if target.path.endswith("/unduh/") or target.path.startswith("/laporan/verifikasi"):
                continue  # the PDF is read below from its HTML; verification is a form to post
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.fixture
def walked(official, october, django_capture_on_commit_callbacks):
    """The official requests the published October report (as they would), then walks their pages as of
    31 October 2026, so that "this month" and "this year" include the hand-built cases too."""
    client = client_for(official)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/laporan/berkas/", {"kind": "bulanan", "period": "2026-10", "edition": "publikasi"})
    assert Report.objects.get().status == Report.Status.DONE
    with time_machine.travel(wita(2026, 10, 31, 12), tick=False):
        seeds = (["/"] + [f"/laporan/{query}" for query in DASHBOARD_PERIODS]
                 + [f"/pencegahan/cakupan/{query}" for query in COVERAGE_PERIODS]
                 + ["/laporan/berkas/", f"/laporan/berkas/{Report.objects.get().pk}/"])
        return walk(client, seeds)


def test_no_page_or_export_an_official_opens_shows_a_count_from_one_to_two(walked):
    kinds = {"html": 0, "csv": 0, "xlsx": 0, "coverage": 0}
    leaks = []
    for url, response in walked.items():
        content_type = response["Content-Type"]
        if "spreadsheetml" in content_type:
            kinds["xlsx"] += 1
            leaks += [(url, cell) for cell in spreadsheet_small_cells(response.content, "xlsx")]
        elif content_type.startswith("text/csv"):
            kinds["csv"] += 1
            leaks += [(url, cell) for cell in spreadsheet_small_cells(response.content, "csv")]
        elif url.startswith("/pencegahan/cakupan/"):
            kinds["coverage"] += 1
            leaks += [(url, cell) for cell in coverage_case_cells(response.content.decode())
                      if small_integers(cell)]
        else:
            kinds["html"] += 1
            parser = CountCells()
            parser.feed(response.content.decode())
            if url in NOT_COUNTS and NOT_COUNTS[url] is None:
                continue
            leaks += [(url, cell) for cell, column in zip(parser.cells, parser.columns, strict=True)
                      if small_integers(cell) and NOT_COUNTS.get(url) != column]
    assert leaks == [], "\n".join(map(repr, leaks))
    # The walk reached every kind of page and export, for every dashboard period (each has its three exports).
    assert kinds["xlsx"] >= len(DASHBOARD_PERIODS) - 1 and kinds["csv"] >= 2 * (len(DASHBOARD_PERIODS) - 1)
    assert kinds["coverage"] >= len(COVERAGE_PERIODS) and kinds["html"] >= len(DASHBOARD_PERIODS) + 3
    for path in ("/laporan/definisi/", "/laporan/berkas/", "/laporan/ekspor/gbvims/"):
        assert any(url.startswith(path) for url in walked), path


def test_the_walk_would_see_a_small_count_if_one_were_shown(walked, supervisor, october):
    """The checks are not blind: the internal edition (supervisors only) and the supervisor's coverage page
    show the exact 1s and 2s of the same month, and the same readers find them."""
    client = client_for(supervisor)
    parser = CountCells()
    parser.feed(client.get("/laporan/?kind=bulanan&period=2026-10&edition=internal").content.decode())
    assert any(small_integers(cell) for cell in parser.cells)
    csv_file = client.get("/laporan/ekspor/csv/?kind=bulanan&period=2026-10&edition=internal").content
    assert spreadsheet_small_cells(csv_file, "csv")
    xlsx_file = client.get("/laporan/ekspor/xlsx/?kind=bulanan&period=2026-10&edition=internal").content
    assert spreadsheet_small_cells(xlsx_file, "xlsx")
    coverage = client.get("/pencegahan/cakupan/?start=2026-10-01&end=2026-10-31").content.decode()
    assert any(small_integers(cell) for cell in coverage_case_cells(coverage))
    # ...while the official's coverage page of that month hides Masamba's and Sabbang's single cases.
    official_page = walked["/pencegahan/cakupan/?start=2026-10-01&end=2026-10-31"]
    assert "&lt;3" in coverage_case_cells(official_page.content.decode())


def test_the_published_pdf_report_prints_no_small_count(october):
    """The PDF is WeasyPrint's rendering of this HTML (reports.rendering.report_html); its figures are the
    cells marked "n" (the cover's period dates, version and the definitions are words and dates)."""
    from reports.periods import Kind, Period
    from reports.presentation import Edition
    from reports.rendering import report_html
    from reports.statistics import compute_statistics

    stats = compute_statistics(Period.parse(Kind.MONTHLY, "2026-10"))
    parser = CountCells()
    parser.feed(report_html(stats, edition=Edition.PUBLISHED, verification_code="UJI"))
    figures = [cell for cell, numeric in zip(parser.cells, parser.numeric, strict=True) if numeric]
    assert len(figures) > 50
    assert [cell for cell in figures if small_integers(cell)] == []
    internal = CountCells()
    internal.feed(report_html(stats, edition=Edition.INTERNAL, verification_code="UJI"))
    assert any(small_integers(cell) for cell, numeric in zip(internal.cells, internal.numeric, strict=True) if numeric)
