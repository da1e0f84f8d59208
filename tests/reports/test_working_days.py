"""One calendar, one answer: for the same start moments the cases app (follow-up deadline), the referrals app
(answer deadline of an ordinary referral) and the reports (the deadline computed in SQL, and the on-time
figure built on it) agree, across weekends, public holidays and cuti bersama."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from cases import deadlines
from cases import services as case_services
from cases.models import Case
from core import codes
from referrals.sharing import answer_deadline
from reports.periods import Kind, Period
from reports.statistics import follow_up_deadline, service_quality
from tests.conftest import register_case

WITA = ZoneInfo("Asia/Makassar")


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


MOMENTS = [
    wita(2026, 3, 17, 10),      # Tue before Nyepi and Idul Fitri: 18-24 March are holidays and cuti bersama
    wita(2026, 8, 14, 16, 30),  # Fri before Mon 17 August
    wita(2026, 8, 17, 8),       # on 17 August: counts from Tue 18 August 00:00
    wita(2026, 8, 19, 23, 59),  # Wednesday, late evening
    wita(2026, 12, 23, 10),     # Wed before cuti bersama Thu 24 and Christmas Fri 25 December
    wita(2026, 12, 24, 10),     # on the cuti bersama
    wita(2026, 12, 26, 9),      # Saturday after Christmas
]


def test_cases_referrals_and_reports_give_the_same_deadline(caseworker, regions, settings):
    settings.CASE_FOLLOW_UP_WORKING_DAYS = settings.REFERRAL_ANSWER_WORKING_DAYS_BIASA = 3
    period = Period.parse(Kind.ANNUAL, "2026")
    with time_machine.travel(wita(2027, 1, 15, 12), tick=False):
        cases = [register_case(caseworker, received_at=moment) for moment in MOMENTS]
        from_reports = dict(Case.objects.annotate(due=follow_up_deadline(period)).values_list("pk", "due"))
        answers = []
        for case, moment in zip(cases, MOMENTS, strict=True):
            from_cases = next(item.due_at for item in deadlines.case_deadlines(case) if item.kind == "tindak_lanjut")
            from_referrals = answer_deadline(urgency=codes.Urgency.NORMAL, start=moment)
            assert from_cases == from_referrals == from_reports[case.pk], moment
            answers.append(from_cases)
        assert answers[4:6] == [wita(2026, 12, 30, 10), wita(2026, 12, 31, 0)]  # see tests/core/test_calendar.py
        assert answers[0] == wita(2026, 3, 27, 10)  # 18-24 March skipped: Wed 25, Thu 26, Fri 27

        # The on-time figure: identified exactly at the deadline is on time, a minute later is late.
        for index, (case, due) in enumerate(zip(cases, answers, strict=True)):
            case_services.case_identify(case=case, actor=caseworker, case_type=codes.CaseType.AMPK,
                                        risk_level=codes.RiskLevel.LOW, responsibility=codes.Responsibility.DISTRICT,
                                        at=due if index % 2 == 0 else due + timedelta(minutes=1))
        statuses = [deadlines.case_deadlines(Case.objects.get(pk=case.pk))[0].status for case in cases]
        assert statuses == ["met", "late", "met", "late", "met", "late", "met"]
        quality = service_quality(period)
        assert (quality.follow_up_on_time, quality.follow_up_due) == (statuses.count("met"), len(cases))
