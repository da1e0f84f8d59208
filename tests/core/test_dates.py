"""Dates are typed and shown as dd-mm-yyyy in both languages, whatever the browser's language (core/dates.py).

An `<input type=date>` follows the browser's locale (mm/dd/yyyy on an English phone), so the date inputs are text
inputs with a format hint read out with them, and the server parses day first in Indonesian and English alike.
"""

from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from cases.forms import DATE_WIDGET, DATETIME_WIDGET
from core.models import CalendarOverride
from tests.conftest import client_for


class _Page(HTMLParser):
    """The inputs of a page by name (their attributes) and the text of every element with an id."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: dict[str, dict] = {}
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.setdefault(attrs.get("name"), attrs)
            return
        self._open.append(attrs.get("id"))
        if attrs.get("id"):
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag != "input" and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open):
            self.texts[element_id] += data


class _Dates(forms.Form):
    day = forms.DateField(widget=DATE_WIDGET)
    moment = forms.DateTimeField(widget=DATETIME_WIDGET, required=False)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("typed", ["17-08-2026", "17/08/2026", "2026-08-17"])
def test_a_date_is_read_day_first_in_both_languages(language, typed):
    with translation.override(language):
        form = _Dates({"day": typed, "moment": "17-08-2026 09:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2026, 8, 17)
    assert form.cleaned_data["moment"].replace(tzinfo=None) == datetime(2026, 8, 17, 9, 30)


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_month_first_date_is_refused_not_misread(language):
    # 08/17/2026 is what an English browser would have sent; it must not become a date silently.
    with translation.override(language):
        assert not _Dates({"day": "08/17/2026"}).is_valid()


@pytest.mark.parametrize("language, hint", [("id", "Format: hari-bulan-tahun, mis. 17-08-2026"),
                                            ("en", "Format: day-month-year, e.g. 17-08-2026")])
def test_a_date_input_shows_dd_mm_yyyy_and_says_so(language, hint):
    with translation.override(language):
        rendered = _Page(str(_Dates(initial={"day": date(2026, 8, 17)})["day"]))
    field = rendered.inputs["day"]
    assert field.get("type") == "text" and field.get("inputmode") == "numeric"
    assert field.get("value") == "17-08-2026"
    assert rendered.texts[field["aria-describedby"]].strip() == hint


def test_a_date_time_input_shows_dd_mm_yyyy_hh_mm():
    rendered = _Page(str(_Dates(initial={"moment": datetime(2026, 8, 17, 9, 5)})["moment"]))
    assert rendered.inputs["moment"]["value"] == "17-08-2026 09:05"


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_form_posted_with_dd_mm_yyyy_saves(sysadmin, language):
    client = client_for(sysadmin)
    client.cookies["django_language"] = language
    url = reverse("core:workday_calendar")
    response = client.post(url, {"day": "01-03-2028", "kind": "libur", "reason": "Cuti bersama (uji)"})
    assert response.status_code == 302
    assert CalendarOverride.objects.get().day == date(2028, 3, 1)
    assert _Page(client.get(url, {"tahun": "2028"}).content.decode()).inputs["day"]["type"] == "text"
