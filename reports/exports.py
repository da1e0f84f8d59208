"""Spreadsheet exports of the aggregate tables: XLSX (one sheet per table) and CSV laid out like
SIMFONI-PPA's breakdowns (a title line, a header line, one line per category, a "Jumlah" line), and the
GBVIMS-mapped table (domain.md section 5).

Every text cell is escaped against spreadsheet formula injection (CSV/XLSX injection, OWASP): a cell that
starts with = + - @ (or a tab / carriage return) gets a leading apostrophe, so a spreadsheet shows it as
text instead of running it. Labels come from our code lists today, but region names and future labels
come from data, and a published file travels far.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.presentation import Presentation, ShownTable

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Numbers pass; text starting with a formula character is prefixed with an apostrophe."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    # "<3" and "x" are text; a negative number written as text ("-5") is escaped too: it is never a formula.
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def _cell_value(shown: str) -> object:
    """A shown count back to a number for the spreadsheet ("1.234" -> 1234); "<3" and "x" stay text."""
    digits = shown.replace(".", "")
    return int(digits) if digits.isdigit() else shown


def table_lines(table: ShownTable, presentation: Presentation) -> list[list[object]]:
    lines: list[list[object]] = [[table.title], [table.row_header, *table.columns]]
    lines += [[label, *(_cell_value(c) for c in cells)] for label, cells in table.rows]
    if table.totals:
        lines.append([_("Jumlah"), *(_cell_value(c) for c in table.totals)])
    if table.note:
        lines.append([table.note])
    return lines


def _header(presentation: Presentation) -> list[list[object]]:
    stats = presentation.stats
    edition = _("publikasi") if presentation.published else _("internal")
    lines = [[_("Statistik kekerasan terhadap perempuan dan anak"), stats.district_name],
             [_("Periode"), stats.period.label, _("Edisi"), edition]]
    if presentation.published:
        lines.append([_("<%(n)s = angka 1 sampai %(t)s disembunyikan; x = disembunyikan agar tidak dapat dihitung "
                        "dari jumlah") % {"n": presentation.threshold + 1, "t": presentation.threshold}])
    return lines


def export_csv(presentation: Presentation, *, keys: list[str] | None = None) -> bytes:
    """The chosen tables (all by default) one after another, a blank line between them; UTF-8 with BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _header(presentation):
        writer.writerow([safe_cell(v) for v in line])
    for table in presentation.tables:
        if keys and table.key not in keys:
            continue
        writer.writerow([])
        for line in table_lines(table, presentation):
            writer.writerow([safe_cell(v) for v in line])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Sheet names in the active language (a spreadsheet tab holds at most 31 characters: the titles are longer).
SHEET_NAMES = {
    "gbvims": gettext_lazy("Jenis kekerasan GBVIMS"),
    "monthly": gettext_lazy("Per bulan"),
    "category": gettext_lazy("Kategori korban"),
    "age": gettext_lazy("Usia korban"),
    "child": gettext_lazy("Anak dan dewasa"),
    "violence": gettext_lazy("Jenis kekerasan"),
    "place": gettext_lazy("Tempat kejadian"),
    "education": gettext_lazy("Pendidikan korban"),
    "occupation": gettext_lazy("Pekerjaan korban"),
    "marital": gettext_lazy("Status perkawinan"),
    "disability": gettext_lazy("Disabilitas"),
    "kecamatan_cases": gettext_lazy("Kasus per kecamatan"),
    "kecamatan_victims": gettext_lazy("Korban per kecamatan"),
    "kdrt": gettext_lazy("KDRT"),
    "case_type": gettext_lazy("Jenis kasus"),
    "relationship": gettext_lazy("Hubungan pelaku"),
    "perpetrator": gettext_lazy("Pelaku"),
    "services": gettext_lazy("Layanan diterima"),
    "referrals": gettext_lazy("Rujukan"),
    "prevention": gettext_lazy("Pencegahan"),
    "agencies": gettext_lazy("Lembaga penanganan"),
}
SHEET_NAME_MAX = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = str.maketrans({character: " " for character in "[]:*?/\\"})


def sheet_names(keys: list[str]) -> list[str]:
    """A readable, unique name of at most 31 characters for each table (its title when it has no short name)."""
    taken = {str(_("Keterangan")).casefold()}
    names = []
    for key in keys:
        base = str(SHEET_NAMES.get(key, key)).translate(_NOT_IN_SHEET_NAMES).strip()[:SHEET_NAME_MAX]
        name, number = base, 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name, number = base[:SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def export_xlsx(presentation: Presentation) -> bytes:
    """One sheet per table, a first sheet with the period, the edition and the legend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    cover = workbook.active
    cover.title = _("Keterangan")
    for line in _header(presentation):
        cover.append([safe_cell(v) for v in line])
    names = sheet_names([table.key for table in presentation.tables])
    for table, name in zip(presentation.tables, names, strict=True):
        sheet = workbook.create_sheet(title=name)
        for line in table_lines(table, presentation):
            sheet.append([safe_cell(v) for v in line])
        sheet["A1"].font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 42
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
