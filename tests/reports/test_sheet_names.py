"""XLSX sheet names are readable labels in the active language (were English keys: `monthly`,
`kecamatan_cases`), unique and within Excel's 31 characters."""

import ast
import io
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reports.exports import SHEET_NAME_MAX, SHEET_NAMES, sheet_names
from tests.conftest import client_for

STATISTICS = Path(__file__).resolve().parents[2] / "reports" / "statistics.py"


def _table_keys() -> set[str]:
    """The key (first argument) of every Table(...) or _sex_table(...) built in reports/statistics.py."""
    keys = set()
    for node in ast.walk(ast.parse(STATISTICS.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"Table", "_sex_table"} and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
    return keys


def test_every_table_has_a_sheet_name():
    keys = _table_keys()
    assert {"monthly", "kecamatan_cases", "gbvims"} <= keys
    assert sorted(keys - SHEET_NAMES.keys()) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_sheet_names_are_readable_unique_and_short(language):
    with translation.override(language):
        names = sheet_names(sorted(SHEET_NAMES))
        cover = str(translation.gettext("Keterangan"))
    assert all(len(name) <= SHEET_NAME_MAX for name in names)
    assert len({name.casefold() for name in names} | {cover.casefold()}) == len(names) + 1
    assert not set(names) & set(SHEET_NAMES)  # no key shown as a name


def test_a_long_or_repeated_name_is_cut_and_numbered():
    names = sheet_names(["x" * 40, "x" * 40, "a:b"])
    assert names == ["x" * 31, "x" * 27 + " (2)", "a b"]


@pytest.mark.parametrize("language, expected", [("id", ["Keterangan", "Per bulan", "Kasus per kecamatan"]),
                                                ("en", ["Remarks", "By month", "Cases by kecamatan"])])
def test_an_exported_workbook_names_its_sheets_in_the_active_language(supervisor, language, expected):
    client = client_for(supervisor)
    client.cookies["django_language"] = language
    response = client.get("/laporan/ekspor/xlsx/?kind=bulanan&period=2026-10&edition=internal")
    assert response.status_code == 200
    names = load_workbook(io.BytesIO(response.content), read_only=True).sheetnames
    assert [name for name in names if name in expected] == expected
    assert "monthly" not in names and "kecamatan_cases" not in names
