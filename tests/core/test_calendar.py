"""The working-day calendar (core.workdays): Monday to Friday in WITA without Indonesia's public holidays and
cuti bersama, corrected by the system administrator on the "Kalender kerja" page, every change audited."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import services, workdays
from core.models import AuditEvent, CalendarOverride
from core.services import CalendarError
from tests.conftest import assert_hidden, client_for

WITA = ZoneInfo("Asia/Makassar")
URL = "/kalender-kerja/"


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


# --- The holidays, from the library -------------------------------------------------------------------

def test_christmas_2026_a_complaint_on_24_december_is_due_on_the_31st(db):
    # The library (holidays, categories public + government) has Thu 24 Dec 2026 as cuti bersama Natal
    # and Fri 25 Dec as Christmas; Sat 26 and Sun 27 are the weekend. A complaint received on the 24th, a
    # non-working day, counts from Monday 28 Dec 00:00; three working days are Tue 29, Wed 30, Thu 31: due
    # Thu 31 Dec 00:00, i.e. by the end of Wednesday 30 Dec. (Without holidays it was due Tue 29 Dec 10:00.)
    assert "Cuti Bersama" in workdays.library_holidays(2026)[date(2026, 12, 24)]
    assert not workdays.is_working_day(date(2026, 12, 24)) and not workdays.is_working_day(date(2026, 12, 25))
    assert workdays.add_working_days(wita(2026, 12, 24, 10), 3) == wita(2026, 12, 31, 0)
    # The day before, a working day, keeps its time of day: 24, 25, 26, 27 skipped -> 28, 29, 30.
    assert workdays.add_working_days(wita(2026, 12, 23, 10), 3) == wita(2026, 12, 30, 10)


def test_a_week_with_independence_day_skips_17_august(db):
    # Mon 17 Aug 2026 (Hari Kemerdekaan): Fri 14 Aug + 3 working days is Tue 18, Wed 19, Thu 20.
    assert not workdays.is_working_day(date(2026, 8, 17))
    assert workdays.add_working_days(wita(2026, 8, 14, 10), 3) == wita(2026, 8, 20, 10)
    # A complaint on the 17th itself counts from Tue 18 Aug 00:00: due Fri 21 Aug 00:00.
    assert workdays.add_working_days(wita(2026, 8, 17, 9), 3) == wita(2026, 8, 21, 0)
    # Tue 17 Aug 2027, mid-week: Mon 16 + 3 working days is Wed 18, Thu 19, Fri 20.
    assert workdays.add_working_days(wita(2027, 8, 16, 14), 3) == wita(2027, 8, 20, 14)
    assert workdays.non_working_days(date(2026, 8, 15), date(2026, 8, 21)) == [
        date(2026, 8, 15), date(2026, 8, 16), date(2026, 8, 17)]


@pytest.mark.parametrize("start", [wita(2026, 3, 9), wita(2026, 12, 14)], ids=["lebaran-2026", "natal-2026"])
def test_the_overdue_cutoff_agrees_with_the_due_rule_around_holidays(db, start):
    # Idul Fitri 2026 (cuti bersama 18, 20, 23, 24 March; Nyepi 19 March) and Christmas/New Year 2026-27:
    # at every "now" (every 3.5 h, and every midnight) the database filter received < cutoff(now) picks
    # exactly the items whose due time has passed.
    moments = [start + timedelta(minutes=30 * i) for i in range(24 * 2 * 28)]
    nows = moments[24 * 2 * 10::7] + moments[24 * 2 * 10::48]
    for now in nows:
        cutoff = workdays.working_days_cutoff(now, 3)
        for received in moments:
            if received > now:
                break
            assert (workdays.add_working_days(received, 3) < now) == (received < cutoff), (received, now)


# --- The administrator's corrections ----------------------------------------------------------------------

def test_a_cuti_bersama_added_and_removed_changes_the_calendar_at_once(sysadmin):
    day = date(2028, 3, 1)  # a Wednesday the library does not know as a holiday
    assert workdays.add_working_days(wita(2028, 2, 29, 10), 1) == wita(2028, 3, 1, 10)  # now cached
    override = services.calendar_override_add(actor=sysadmin, day=day, kind=CalendarOverride.Kind.HOLIDAY,
                                              reason="Cuti bersama (SKB 3 Menteri 2028)")
    assert not workdays.is_working_day(day)
    assert workdays.add_working_days(wita(2028, 2, 29, 10), 1) == wita(2028, 3, 2, 10)
    services.calendar_override_remove(override=override, actor=sysadmin)
    assert workdays.is_working_day(day)


def test_a_library_holiday_can_be_kept_a_working_day(sysadmin):
    services.calendar_override_add(actor=sysadmin, day=date(2026, 12, 24), kind=CalendarOverride.Kind.WORKING,
                                   reason="Cuti bersama Natal tidak berlaku bagi layanan UPTD PPA")
    assert workdays.is_working_day(date(2026, 12, 24))
    assert workdays.add_working_days(wita(2026, 12, 24, 10), 3) == wita(2026, 12, 30, 10)  # 24 -> 28, 29, 30


@pytest.mark.parametrize(("day", "kind", "message"), [
    (date(2026, 12, 26), "libur", "Sabtu dan Minggu"),
    (date(2026, 8, 17), "libur", "sudah hari libur"),
    (date(2026, 8, 18), "kerja", "sudah hari kerja"),
])
def test_corrections_that_change_nothing_are_refused(sysadmin, day, kind, message):
    with pytest.raises(CalendarError, match=message):
        services.calendar_override_add(actor=sysadmin, day=day, kind=kind, reason="Uji")
    assert not CalendarOverride.objects.exists()


def test_a_rolled_back_correction_leaves_no_trace_in_the_cache(sysadmin):
    day = date(2028, 3, 1)
    assert workdays.is_working_day(day)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.calendar_override_add(actor=sysadmin, day=day, kind=CalendarOverride.Kind.HOLIDAY, reason="Uji")
        assert not workdays.is_working_day(day)  # the change is seen in its own transaction...
        raise RuntimeError
    assert workdays.is_working_day(day)  # ...and forgotten with it


# --- The page: administrator only, every change audited ---------------------------------------------------

@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "police_officer", "official", "outsider"])
def test_the_calendar_page_is_hidden_from_everyone_but_the_administrator(personas, persona):
    client = client_for(personas[persona])
    assert_hidden(client.get(URL))
    assert_hidden(client.post(URL, {"day": "2028-03-01", "kind": "libur", "reason": "Uji"}))
    assert not CalendarOverride.objects.exists()
    assert_hidden(client_for(None).get(URL))


def test_the_administrator_lists_a_year_adds_and_removes_a_correction(sysadmin, django_assert_max_num_queries):
    client = client_for(sysadmin)
    with django_assert_max_num_queries(8):
        page = client.get(URL, {"tahun": "2026"}).content.decode()
    assert "Kamis, 24 Desember 2026" in page and "Cuti Bersama Hari Raya Natal" in page
    assert "Senin, 17 Agustus 2026" in page and "Hari Kemerdekaan Republik Indonesia" in page
    assert "Kalender kerja" in client.get(reverse("core:home")).content.decode()  # the menu item

    response = client.post(URL + "?tahun=2028", {"day": "2028-03-01", "kind": "libur",
                                                 "reason": "Cuti bersama (SKB 3 Menteri 2028)"})
    assert response.status_code == 302 and response["Location"] == URL + "?tahun=2028"
    override = CalendarOverride.objects.get()
    assert (override.day, override.kind, override.created_by) == (date(2028, 3, 1), "libur", sysadmin)
    page = client.get(URL, {"tahun": "2028"}).content.decode()
    assert "Rabu, 1 Maret 2028" in page and "Cuti bersama (SKB 3 Menteri 2028)" in page
    # The library has no cuti bersama for 2028 yet: the page says so.
    assert "belum memuat cuti bersama tahun 2028" in page
    added = AuditEvent.objects.get(action="calendar.override_add")
    assert (added.actor, added.object_label, added.reason) == (sysadmin, "2028-03-01",
                                                                "Cuti bersama (SKB 3 Menteri 2028)")
    recompute = AuditEvent.objects.get(action="calendar.recompute")
    assert recompute.details == {"day": "2028-03-01", "listener": "referrals.answer_deadlines", "moved": 0}

    response = client.post(reverse("core:workday_override_remove", args=[override.pk]))
    assert response.status_code == 302 and not CalendarOverride.objects.exists()
    removed = AuditEvent.objects.get(action="calendar.override_remove")
    assert (removed.actor, removed.object_label) == (sysadmin, "2028-03-01")
    assert AuditEvent.objects.filter(action="calendar.recompute").count() == 2


def test_a_refused_correction_shows_why_on_the_page(sysadmin):
    response = client_for(sysadmin).post(URL, {"day": "2026-08-17", "kind": "libur", "reason": "Uji"})
    assert response.status_code == 200
    assert "sudah hari libur" in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


def test_an_unreadable_year_shows_the_current_one(sysadmin):
    response = client_for(sysadmin).get(URL, {"tahun": "9" * 5000})
    assert response.status_code == 200 and response.context["year"] == timezone.localdate().year
