"""Report periods: a month (2026-10), a quarter (2026-Q4) or a year (2026), in WITA.

A period is a range of local dates, start and end inclusive; the database filters use the aware
datetimes of its first instant and of the instant after its last day, so the received-date index serves them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import bounds


class PeriodError(ValueError):
    """The period cannot be read; the message is for the official."""


class Kind:
    MONTHLY = "bulanan"
    QUARTERLY = "triwulan"
    ANNUAL = "tahunan"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @classmethod
    def parse(cls, kind: str, text: str, *, today: date | None = None) -> Period:
        """'2026-10' (bulanan), '2026-Q4' (triwulan) or '2026' (tahunan), in the years Simpul holds records of."""
        text = (text or "").strip().upper()
        found = None
        if kind == Kind.MONTHLY and (m := re.fullmatch(r"(\d{4})-(\d{1,2})", text)):
            if 1 <= int(m[2]) <= 12:
                found = int(m[1]), int(m[2])
        elif kind == Kind.QUARTERLY and (m := re.fullmatch(r"(\d{4})-Q([1-4])", text)):
            found = int(m[1]), 3 * (int(m[2]) - 1) + 1
        elif kind == Kind.ANNUAL and re.fullmatch(r"\d{4}", text):
            found = int(text), 1
        if found is None:
            examples = {Kind.MONTHLY: "2026-10", Kind.QUARTERLY: "2026-Q4", Kind.ANNUAL: "2026"}
            raise PeriodError(_("Periode tidak dapat dibaca. Contoh yang benar: %(example)s.")
                              % {"example": examples.get(kind, "2026-10")})
        years = bounds.report_years(today)
        if found[0] < years.start:
            raise PeriodError(_("Simpul memuat data sejak tahun %(year)s: pilih periode mulai tahun itu.")
                              % {"year": years.start})
        if found[0] not in years:
            raise PeriodError(_("Periode ini belum dimulai."))
        return cls.containing(kind, date(found[0], found[1], 1))

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        """The period of `kind` that holds `day` (any day the calendar has: the previous period of the
        earliest one a person may choose is still a period)."""
        if kind == Kind.MONTHLY:
            start, months = date(day.year, day.month, 1), 1
        elif kind == Kind.QUARTERLY:
            start, months = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3
        else:
            kind, start, months = Kind.ANNUAL, date(day.year, 1, 1), 12
        return cls(kind, start, _add_months(start, months) - timedelta(days=1))

    @classmethod
    def last_complete(cls, kind: str, today: date) -> Period:
        """The period that ended most recently before `today` (what the beat schedule reports on)."""
        return cls.containing(kind, cls.containing(kind, today).start - timedelta(days=1))

    @property
    def code(self) -> str:
        if self.kind == Kind.MONTHLY:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == Kind.QUARTERLY:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        """The label for the cover and the tables in the active language: 'Oktober 2026' / 'October 2026',
        'Triwulan IV 2026' / 'Quarter IV 2026', 'Tahun 2026' / 'Year 2026' (month names from Django's locales)."""
        if self.kind == Kind.MONTHLY:
            return formats.date_format(self.start, "F Y")
        if self.kind == Kind.QUARTERLY:
            return _("Triwulan %(quarter)s %(year)s") % {
                "quarter": ["I", "II", "III", "IV"][(self.start.month - 1) // 3], "year": self.start.year}
        return _("Tahun %(year)s") % {"year": self.start.year}

    @property
    def months(self) -> list[date]:
        months, day = [], self.start
        while day <= self.end:
            months.append(day)
            day = _add_months(day, 1)
        return months

    def previous(self) -> Period:
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def year_before(self) -> Period:
        return Period.containing(self.kind, date(self.start.year - 1, self.start.month, 1))

    def bounds(self) -> tuple[datetime, datetime]:
        """[first instant, instant after the last day) in WITA, as aware datetimes."""
        tz = timezone.get_default_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))

    def is_over(self, today: date) -> bool:
        return self.end < today


def month_label(day: date) -> str:
    """'Agu 2026' / 'Aug 2026': a chart axis or a table row, in the active language."""
    return formats.date_format(day, "M Y")


def trailing_months(end: date, count: int = 12) -> list[date]:
    first = _add_months(date(end.year, end.month, 1), -(count - 1))
    return [_add_months(first, i) for i in range(count)]
