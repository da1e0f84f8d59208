"""Time standards (tenggat): due and overdue items per case, computed from the case's timestamps,
and the same answer from the database filter that lists use."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import deadlines, services
from cases.models import Case
from cases.selectors import cases_visible_to
from tests.conftest import register_case

WITA = ZoneInfo("Asia/Makassar")


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


# July 2026 has no public holiday: these show the weekend rule alone (holidays: tests/core/test_calendar.py).
@pytest.mark.parametrize(("received", "due"), [
    (wita(2026, 7, 6, 10), wita(2026, 7, 9, 10)),    # Monday -> Thursday
    (wita(2026, 7, 9, 10), wita(2026, 7, 14, 10)),   # Thursday -> Tuesday (weekend skipped)
    (wita(2026, 7, 10, 16), wita(2026, 7, 15, 16)),  # Friday -> Wednesday
    (wita(2026, 7, 11, 11), wita(2026, 7, 16, 0)),   # Saturday counts from Monday 00:00 -> Thursday 00:00
    (wita(2026, 7, 12, 23), wita(2026, 7, 16, 0)),   # Sunday too
])
def test_follow_up_is_due_three_working_days_after_the_complaint(db, received, due):
    assert deadlines.add_working_days(received, 3) == due


def test_the_overdue_cutoff_agrees_with_the_due_rule_at_every_hour_of_three_weeks(db):
    # June 2026 holds two holidays on weekdays (Mon 1 Jun Pancasila, Tue 16 Jun Tahun Baru Islam).
    start = wita(2026, 6, 1, 0)
    moments = [start + timedelta(minutes=30 * i) for i in range(24 * 2 * 21)]
    for now in moments[24 * 2 * 7::7]:  # "now" from the second week on, every 3.5 hours
        cutoff = deadlines.follow_up_cutoff(now, 3)
        for received in moments:
            if received > now:
                break
            assert (deadlines.add_working_days(received, 3) < now) == (received < cutoff), (received, now)


def test_items_of_a_high_risk_sexual_violence_case(caseworker, regions, settings):
    received = timezone.now() - timedelta(hours=2)
    case = register_case(caseworker, received_at=received, violence_types=["seksual"])
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="tinggi",
                           responsibility="kabupaten")
    case = Case.objects.get(pk=case.pk)
    items = {item.kind: item for item in deadlines.case_deadlines(case)}
    assert set(items) == {"tindak_lanjut", "layanan_segera", "lapor_polisi"}
    assert items["tindak_lanjut"].status == "met"
    assert items["layanan_segera"].due_at == received + timedelta(hours=1)
    assert items["layanan_segera"].status == "overdue"  # two hours without a service
    assert items["lapor_polisi"].due_at == received + timedelta(hours=72)
    assert items["lapor_polisi"].status == "due"
    services.police_report_record(case=case, actor=caseworker)
    services.accompaniment_record(case=case, actor=caseworker, occurred_at=timezone.now(), kind="medis")
    case = Case.objects.get(pk=case.pk)
    items = {item.kind: item for item in deadlines.case_deadlines(case)}
    assert items["layanan_segera"].status == "late" and items["lapor_polisi"].status == "met"
    assert deadlines.open_deadlines(case) == []


def test_limits_come_from_settings(caseworker, regions, settings):
    settings.CASE_MEDIUM_RISK_SERVICE_HOURS = 2
    received = timezone.now() - timedelta(hours=3)
    case = register_case(caseworker, received_at=received)
    services.case_identify(case=case, actor=caseworker, case_type="ktp", risk_level="sedang",
                           responsibility="kabupaten")
    item = next(i for i in deadlines.case_deadlines(Case.objects.get(pk=case.pk)) if i.kind == "layanan_risiko_sedang")
    assert item.due_at == received + timedelta(hours=2) and item.is_overdue


def overdue_numbers(user, now) -> set[str]:
    cases = deadlines.with_tpks(cases_visible_to(user=user)).filter(deadlines.overdue_q(now))
    return set(cases.values_list("number", flat=True))


def test_database_filter_and_python_agree(caseworker, supervisor, regions):
    now = timezone.now()
    old = now - timedelta(days=10)
    unidentified_old = register_case(caseworker, received_at=old)                         # follow-up overdue
    unidentified_new = register_case(caseworker, received_at=now - timedelta(hours=1))    # follow-up not yet due
    tpks_unreported = register_case(caseworker, received_at=now - timedelta(hours=80),
                                    violence_types=["fisik"], tpks_forms=["perbuatan_cabul"])  # police overdue
    services.case_identify(case=tpks_unreported, actor=caseworker, case_type="ampk", risk_level="rendah",
                           responsibility="kabupaten")
    tpks_reported = register_case(caseworker, received_at=now - timedelta(hours=80), violence_types=["seksual"])
    services.case_identify(case=tpks_reported, actor=caseworker, case_type="ampk", risk_level="rendah",
                           responsibility="kabupaten")
    services.police_report_record(case=tpks_reported, actor=caseworker)
    medium_unserved = register_case(caseworker, received_at=now - timedelta(hours=7))
    services.case_identify(case=medium_unserved, actor=caseworker, case_type="ktp", risk_level="sedang",
                           responsibility="kabupaten")
    closed = register_case(caseworker, received_at=old)
    services.closure_request(case=closed, actor=caseworker, reason="Salah sasaran")
    services.closure_approve(case=closed, actor=supervisor)

    expected = {unidentified_old.number, tpks_unreported.number, medium_unserved.number}
    assert overdue_numbers(caseworker, now) == expected
    in_python = {c.number for c in Case.objects.all()
                 if any(i.is_overdue for i in deadlines.open_deadlines(c, now=now))}
    assert in_python == expected
    assert deadlines.overdue_count(cases_visible_to(user=supervisor), now=now) == 3
    items = deadlines.deadline_items(cases_visible_to(user=caseworker), now=now)
    assert {(i.case_number, i.kind) for i in items} == {
        (unidentified_old.number, "tindak_lanjut"), (unidentified_new.number, "tindak_lanjut"),
        (tpks_unreported.number, "lapor_polisi"), (medium_unserved.number, "layanan_risiko_sedang")}
    assert items == sorted(items, key=lambda i: (i.due_at, i.case_number))


def test_a_closed_case_has_nothing_overdue_and_shows_what_was_not_met(caseworker, supervisor, regions):
    case = register_case(caseworker, received_at=timezone.now() - timedelta(days=10), violence_types=["seksual"])
    services.closure_request(case=case, actor=caseworker, reason="Korban menolak layanan")
    services.closure_approve(case=case, actor=supervisor)
    items = deadlines.case_deadlines(Case.objects.get(pk=case.pk))
    assert {item.status for item in items} == {"unmet"} and not any(item.is_overdue for item in items)
