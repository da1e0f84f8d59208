"""What Simpul accepts as a date, a count, a report year or a piece of text: one place, asked by the forms
(as field validators) and by the services (as domain errors with the same message), so a value that gets past
a form (a forged request, a script, an import) is refused the same way and never reaches the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_BIRTH = date(1900, 1, 1)  # no living survivor, perpetrator or witness was born earlier
EARLIEST_RECORD = date(2000, 1, 1)  # complaints, services, sessions, activities and reports Simpul holds
PLAN_HORIZON_DAYS = 2 * 366  # a service plan or a follow-up is set at most about two years ahead

MAX_SEARCH = 100  # characters of a search box: names, numbers and codes are shorter; longer is work for nothing
MAX_AGE = 120  # years, of a victim or a perpetrator
MAX_PARTICIPANTS = 100_000  # per group (boys, girls, men, women) of one prevention activity
MAX_REACH = 100_000_000  # accounts one social-media campaign reached; PostgreSQL's integer stops at 2.1 billion


def _format(day: date) -> str:
    return day.strftime("%d-%m-") + f"{day.year:04d}"


@dataclass(frozen=True)
class DateRange:
    """From `earliest` to `ahead_days` after today (WITA)."""

    earliest: date
    ahead_days: int = 0

    def latest(self, today: date | None = None) -> date:
        return (today or timezone.localdate()) + timedelta(days=self.ahead_days)

    def problem(self, value: date | datetime | None, *, what: str | None = None) -> str | None:
        """The message for a value outside the range (None when it is inside, or empty).

        `what` names the value in the message ("Tanggal layanan"); a moment (datetime) may not be later than now.
        """
        if value is None:
            return None
        what = what or _("Tanggal")
        day = value
        if isinstance(value, datetime):
            day = timezone.localdate(value) if timezone.is_aware(value) else value.date()
            if self.ahead_days == 0 and timezone.is_aware(value) and value > timezone.now():
                return _("%(what)s tidak boleh di masa depan.") % {"what": what}
        if day < self.earliest:
            return _("%(what)s tidak boleh sebelum %(date)s.") % {"what": what, "date": _format(self.earliest)}
        latest = self.latest()
        if day > latest:
            if self.ahead_days == 0:
                return _("%(what)s tidak boleh di masa depan.") % {"what": what}
            return _("%(what)s paling lambat %(date)s.") % {"what": what, "date": _format(latest)}
        return None

    def validator(self, what: str | None = None) -> Callable[[date | datetime | None], None]:
        """A form field validator with this range's message (`what` may be lazy: read in the page's language)."""

        def validate(value: date | datetime | None) -> None:
            if message := self.problem(value, what=what):
                raise ValidationError(message, code="date_out_of_range")

        return validate


BIRTH = DateRange(EARLIEST_BIRTH)  # birth dates
# When violence happened: survivors report long after. "Not after the complaint" is the case's own rule.
INCIDENT = DateRange(EARLIEST_BIRTH, PLAN_HORIZON_DAYS)
RECORD = DateRange(EARLIEST_RECORD)  # what already happened: complaints, services, sessions, activities, decrees
PLAN = DateRange(EARLIEST_RECORD, PLAN_HORIZON_DAYS)  # target dates of plans and follow-ups
SEARCH = DateRange(EARLIEST_BIRTH, PLAN_HORIZON_DAYS)  # the dates a list may be filtered by
CALENDAR = DateRange(EARLIEST_RECORD, PLAN_HORIZON_DAYS)  # corrections of the working-day calendar


def count_problem(value: int | None, *, maximum: int, minimum: int = 0, what: str | None = None) -> str | None:
    """The message for a count outside [minimum, maximum] (None when inside, or empty)."""
    if value is None:
        return None
    what = what or _("Jumlah")
    if value < minimum:
        return _("%(what)s tidak boleh kurang dari %(n)s.") % {"what": what, "n": minimum}
    if value > maximum:
        return _("%(what)s tidak boleh lebih dari %(n)s.") % {"what": what, "n": f"{maximum:,}".replace(",", ".")}
    return None


def report_years(today: date | None = None) -> range:
    """The years a report period may fall in: from the first records to next year (planning ahead)."""
    return range(EARLIEST_RECORD.year, (today or timezone.localdate()).year + 2)


# Control characters never come from a person typing: NUL breaks PostgreSQL's text, the others hide text
# in lists, letters and the audit log. Tab, line feed and carriage return are how text areas break lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_WHITESPACE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, allow_line_breaks: bool = True) -> bool:
    return bool((_CONTROL if allow_line_breaks else _CONTROL_OR_WHITESPACE).search(text))


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text)
