"""Dates typed and shown as dd-mm-yyyy whatever the browser's language.

`<input type=date>` shows and asks mm/dd/yyyy on an English phone while every page writes dd-mm-yyyy, so date
fields are plain text inputs with a numeric keyboard, a visible format hint tied to the input
(aria-describedby) and the server's parsing (config/formats: day first, ISO still accepted so links, API-like
posts and older tests keep working).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMAT = "%d-%m-%Y"
DATETIME_FORMAT = "%d-%m-%Y %H:%M"
# Day first, then ISO (what <input type=date> used to send and what links carry).
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M", "%d-%m-%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y",
    "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d",
]
DATE_PATTERN = r"\d{1,2}[\-/]\d{1,2}[\-/]\d{4}|\d{4}-\d{2}-\d{2}"
DATETIME_PATTERN = r"\d{1,2}[\-/]\d{1,2}[\-/]\d{4}( \d{1,2}[:.]\d{2})?|\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2})?"


class _FormatHintMixin:
    """A text input whose format hint is read out with it (the hint's id joins aria-describedby)."""

    template_name = "core/widgets/date_text.html"
    hint = ""
    kind = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        hint_id = f"{widget_attrs.get('id') or name}_format"
        described = " ".join(filter(None, [widget_attrs.get("aria-describedby"), hint_id]))
        widget_attrs.update({"aria-describedby": described, "data-date-kind": self.kind})
        context["widget"]["hint"] = self.hint
        context["widget"]["hint_id"] = hint_id
        return context


class DayFirstDateInput(_FormatHintMixin, forms.DateInput):
    input_type = "text"
    kind = "date"
    hint = _("Format: hari-bulan-tahun, mis. 17-08-2026")

    def __init__(self, attrs=None):
        base = {"inputmode": "numeric", "placeholder": _("hh-bb-tttt"), "pattern": DATE_PATTERN,
                "autocomplete": "off", "size": "10"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATE_FORMAT)


class DayFirstDateTimeInput(_FormatHintMixin, forms.DateTimeInput):
    input_type = "text"
    kind = "datetime-local"
    hint = _("Format: hari-bulan-tahun jam:menit, mis. 17-08-2026 09:30")

    def __init__(self, attrs=None):
        # Not numeric-only: the time needs a space and a colon.
        base = {"placeholder": _("hh-bb-tttt jj:mm"), "pattern": DATETIME_PATTERN, "autocomplete": "off",
                "size": "16"}
        super().__init__(attrs={**base, **(attrs or {})}, format=DATETIME_FORMAT)
