"""The working-day calendar: the one owner of "what is a working day" (conventions: one owner for each rule).

A working day is Monday to Friday in WITA (Asia/Makassar, the settings' TIME_ZONE) that is neither an
Indonesian public holiday nor a cuti bersama (the civil service's joint leave, set each year by the SKB of
three ministers). Both come from the `holidays` library, categories "public" and "government" (the latter is
its list of cuti bersama, published as far ahead as the SKB is known); the system administrator corrects a
date with a core.CalendarOverride (core.services), e.g. a cuti bersama the library lacks.

Every deadline counted in working days asks this module: the case follow-up (cases.deadlines), the answer
window of an ordinary referral (referrals.sharing), and the service-quality figures of the reports (in SQL,
through `add_working_days_expression`). A moment on a non-working day counts from 00:00 of the next working
day: a complaint received on a Saturday, or on 17 August, is due as if it had come in at that start.

Stored deadlines (a referral's due_at) do not follow a change by themselves. An app that stores them
registers a listener here from its AppConfig.ready() (`register_calendar_listener`); the service that changes
the calendar calls every listener in its own transaction and audits how many items each one moved. A
registry of plain callables rather than a signal: the call is explicit, its result can be audited, and
`core` still imports no domain app.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache, partial
from time import monotonic
from types import MappingProxyType

import holidays as holidays_library
from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, Value, When
from django.db.models.functions import TruncDate
from django.db.models.lookups import In
from django.utils import timezone

SATURDAY = 5
ONE_DAY = timedelta(days=1)
MIDNIGHT = time(0)
# Two levels. The shared cache (Redis in production) holds each year's holidays for every process; an
# override change deletes the year's key at once and after commit (calendar_changed), and the timeout only
# heals the unforeseen. Each process also keeps what it read for a few seconds, so a page of many
# deadlines (or the reports' year of dates) costs one cache read, not one per date; another process sees a
# change within those seconds, the process that made it at once.
CACHE_SECONDS = 24 * 3600
LOCAL_SECONDS = 5
CACHE_KEY = "simpul:workdays:{year}"
# The library's categories: public holidays (hari libur nasional) and cuti bersama.
LIBRARY_CATEGORIES = ("public", "government")

# Years whose holidays this process put in the shared cache (so tests can clear what they filled).
_cached_years: set[int] = set()
_local: dict[int, tuple[float, frozenset[date]]] = {}  # year -> (monotonic expiry, holidays)
# Years this thread changed in a transaction not yet ended (Django's connections are per thread).
_thread = threading.local()
# While the listeners run: the changed year, read from the database once for all of them.
_fresh: ContextVar[dict[int, frozenset[date] | None] | None] = ContextVar("workdays_fresh", default=None)


def _tz() -> tzinfo:
    return timezone.get_default_timezone()


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=_tz())


# --- Holidays of a year -----------------------------------------------------------------------------

@lru_cache(maxsize=32)
def library_holidays(year: int) -> MappingProxyType[date, str]:
    """Indonesia's public holidays and cuti bersama of a year, with their Indonesian names, from `holidays`.

    Building a year's holidays takes milliseconds (lunar and Balinese calendars), so each process keeps it.
    """
    found = holidays_library.country_holidays("ID", years=year, categories=LIBRARY_CATEGORIES, language="id")
    return MappingProxyType(dict(sorted(found.items())))


@lru_cache(maxsize=32)
def library_knows_cuti_bersama(year: int) -> bool:
    """Whether the library lists the year's cuti bersama yet (it follows each year's SKB, so not far ahead)."""
    return bool(holidays_library.country_holidays("ID", years=year, categories=("government",)))


def _holidays_from_database(year: int) -> frozenset[date]:
    from core.models import CalendarOverride

    days = set(library_holidays(year))
    for day, kind in CalendarOverride.objects.filter(day__year=year).values_list("day", "kind"):
        if kind == CalendarOverride.Kind.HOLIDAY:
            days.add(day)
        else:
            days.discard(day)
    return frozenset(day for day in days if day.weekday() < SATURDAY)


def holidays_of(year: int) -> frozenset[date]:
    """The weekdays of a year that are not working days: holidays and cuti bersama, after the overrides."""
    fresh = _fresh.get()
    if fresh is not None and year in fresh:
        if fresh[year] is None:
            fresh[year] = _holidays_from_database(year)
        return fresh[year]
    uncommitted = _uncommitted()
    if year in uncommitted:
        if transaction.get_connection().in_atomic_block:
            # This thread's own change, not yet committed: read it, but cache nothing a rollback could undo.
            return _holidays_from_database(year)
        uncommitted.discard(year)  # its transaction has ended, committed or rolled back
    local = _local.get(year)
    if local is not None and local[0] > monotonic():
        return local[1]
    key = CACHE_KEY.format(year=year)
    found = cache.get(key)
    if found is None:
        found = _holidays_from_database(year)
        cache.set(key, found, CACHE_SECONDS)
        _cached_years.add(year)
    _local[year] = (monotonic() + LOCAL_SECONDS, found)
    return found


class _Calendar:
    """One computation's view of the calendar: each year's holidays are fetched once."""

    def __init__(self) -> None:
        self._years: dict[int, frozenset[date]] = {}

    def is_working(self, day: date) -> bool:
        if day.weekday() >= SATURDAY:
            return False
        if day.year not in self._years:
            self._years[day.year] = holidays_of(day.year)
        return day not in self._years[day.year]

    def next_working(self, day: date) -> date:
        """The first working day after `day`."""
        day += ONE_DAY
        while not self.is_working(day):
            day += ONE_DAY
        return day

    def previous_working(self, day: date) -> date:
        """The last working day before `day`."""
        day -= ONE_DAY
        while not self.is_working(day):
            day -= ONE_DAY
        return day

    def working_days_after(self, day: date, days: int) -> date:
        for _ in range(days):
            day = self.next_working(day)
        return day

    def working_days_before(self, day: date, days: int) -> date:
        for _ in range(days):
            day = self.previous_working(day)
        return day


# --- The questions every app asks ------------------------------------------------------------------

def is_working_day(day: date) -> bool:
    """Monday to Friday, not a public holiday nor a cuti bersama (after the administrator's overrides)."""
    return _Calendar().is_working(day)


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    return _Calendar().next_working(day)


def add_working_days(moment: datetime, days: int) -> datetime:
    """`days` working days after `moment`, same time of day (WITA); a moment on a non-working day counts from
    00:00 of the next working day."""
    calendar = _Calendar()
    local = timezone.localtime(moment, _tz())
    if calendar.is_working(local.date()):
        return _at(calendar.working_days_after(local.date(), days), local.time())
    start = calendar.next_working(local.date())
    return _at(calendar.working_days_after(start, days), MIDNIGHT)


def working_days_cutoff(now: datetime, days: int) -> datetime:
    """The start moment before which `days` working days have run out at `now`:
    add_working_days(r, days) < now exactly when r < this. Lists filter "overdue" in the database with it
    (the rule is monotone in r, so no per-row arithmetic is needed)."""
    calendar = _Calendar()
    local = timezone.localtime(now, _tz())
    if calendar.is_working(local.date()) and local.time() != MIDNIGHT:
        return _at(calendar.working_days_before(local.date(), days), local.time())
    # No due time falls on a non-working day, nor strictly between the last working day's 24:00 and 00:00
    # sharp: the same items are overdue now as at that 24:00. Step back from that day and keep its 24:00
    # as 00:00 of the day after.
    last = calendar.previous_working(local.date())
    return _at(calendar.working_days_before(last, days) + ONE_DAY, MIDNIGHT)


def non_working_days(first: date, last: date) -> list[date]:
    """Every date from `first` to `last` (inclusive) that is not a working day, weekends included."""
    calendar = _Calendar()
    span = (last - first).days + 1
    return [day for day in (first + timedelta(days=i) for i in range(max(span, 0))) if not calendar.is_working(day)]


def add_working_days_expression(moment: str, days: int, first: date, last: date) -> Case:
    """The database twin of add_working_days(row.<moment>, days), for rows whose moment falls on a local
    date from `first` to `last` (a report period); NULL outside it.

    The calendar is applied here, in Python, once per date of the range: a working day's deadline is the
    moment plus a whole number of days (WITA has no daylight saving, so days add in UTC too), a non-working
    day's is one fixed moment. The database then computes every row's deadline in one CASE, so counts stay
    aggregations (a year is about 70 branches).
    """
    calendar = _Calendar()
    by_shift: dict[int, list[date]] = defaultdict(list)
    by_due: dict[date, list[date]] = defaultdict(list)
    day = first
    while day <= last:
        if calendar.is_working(day):
            by_shift[(calendar.working_days_after(day, days) - day).days].append(day)
        else:
            by_due[calendar.working_days_after(calendar.next_working(day), days)].append(day)
        day += ONE_DAY
    local_day = TruncDate(moment, tzinfo=_tz())
    # The shifts first, the commonest first: most rows fall on working days and stop at an early branch.
    branches = [When(In(local_day, dates), then=ExpressionWrapper(F(moment) + timedelta(days=shift),
                                                                  output_field=DateTimeField()))
                for shift, dates in sorted(by_shift.items(), key=lambda item: -len(item[1]))]
    branches += [When(In(local_day, dates), then=Value(_at(due, MIDNIGHT), output_field=DateTimeField()))
                 for due, dates in by_due.items()]
    return Case(*branches, default=Value(None, output_field=DateTimeField()), output_field=DateTimeField())


# --- Changes: listeners and the cache ----------------------------------------------------------------

CalendarListener = Callable[..., int]
_listeners: dict[str, CalendarListener] = {}


def register_calendar_listener(name: str, listener: CalendarListener) -> None:
    """Called from an app's AppConfig.ready(). `listener(day=date)` recomputes what the app stored from the
    calendar around that date and returns how many items it moved; `name` labels its audit event."""
    _listeners[name] = listener


def calendar_listeners() -> dict[str, CalendarListener]:
    return dict(_listeners)


def calendar_changed(*, day: date) -> dict[str, int]:
    """Called by the service that wrote a change for `day`, in its transaction: drop the year from the caches
    (now, and after commit for the other processes) and run every listener with the changed calendar.
    Returns {listener name: items moved}."""
    _uncommitted().add(day.year)
    forget(day.year)
    transaction.on_commit(partial(_committed, day.year))
    fresh = dict(_fresh.get() or {})
    fresh[day.year] = None
    token = _fresh.set(fresh)
    try:
        return {name: listener(day=day) for name, listener in _listeners.items()}
    finally:
        _fresh.reset(token)


def _uncommitted() -> set[int]:
    if not hasattr(_thread, "uncommitted"):
        _thread.uncommitted = set()
    return _thread.uncommitted


def _committed(year: int) -> None:
    _uncommitted().discard(year)
    # Again: another process may have cached the old calendar between the change and the commit.
    forget(year)


def forget(year: int) -> None:
    """Drop a year's holidays from the caches."""
    _local.pop(year, None)
    cache.delete(CACHE_KEY.format(year=year))


def cache_clear(years: Iterable[int] | None = None) -> None:
    """Drop the given years (default: those this process cached) from the caches."""
    years = set(_cached_years) | set(_local) if years is None else set(years)
    for year in years:
        _local.pop(year, None)
    _uncommitted().clear()
    if years:
        cache.delete_many([CACHE_KEY.format(year=year) for year in years])
    _cached_years.difference_update(years)
