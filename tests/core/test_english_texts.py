"""Texts that stayed Indonesian or read "1 days" in English (issue 14): the PATBM photo help was translated once,
at import, in the default language; counts before a noun go through ngettext."""

from datetime import date

import pytest
from django.utils import translation

from cases.agenda import AgendaRow
from prevention.forms import PhotoUploadForm


@pytest.mark.parametrize("language, start", [("id", "JPG atau PNG, paling besar 5 MB"),
                                             ("en", "JPG or PNG, at most 5 MB")])
def test_the_patbm_photo_help_follows_the_active_language(language, start):
    with translation.override(language):
        assert str(PhotoUploadForm(action="/x/").fields["photos"].help_text).startswith(start)


@pytest.mark.parametrize("late, english", [(1, "1 day overdue"), (3, "3 days overdue")])
def test_an_overdue_agenda_row_counts_its_days_in_english(late, english):
    row = AgendaRow(case=None, kind_label="", due_on=date(2026, 8, 17 - late), due_time=None, assignee="",
                    today=date(2026, 8, 17))
    with translation.override("en"):
        assert row.status == english
    with translation.override("id"):
        assert row.status == f"Terlambat {late} hari"
