"""The coverage page and table against a hand-built district whose numbers are worked out below.

District 99.01 "Kabupaten Uji", period 1 January to 30 June 2026:
- Kec. Satu: Desa Alfa (PATBM active; 2 PATBM activities in the period with 10 and 5 participants, one in
  December 2025; 2 cases), Desa Beta (no PATBM; one sosialisasi of 20; no case), Kelurahan Gamma
  (PATBM inactive; nothing held; 1 case, plus one received in July whose incident was in June).
- Kec. Dua: Desa Delta (no PATBM; only a kecamatan-wide sosialisasi of 30 was held; 3 cases), Desa
  Epsilon (PATBM active, no activity in the period, no case).
- One district-wide social-media campaign; one case with no desa recorded.
Villages with cases and no prevention: Gamma and Delta.
"""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Region
from agencies.regions import regions_load
from prevention.selectors import PatbmStatus, coverage_sorted_villages, coverage_summary, coverage_table
from tests.conftest import assert_hidden, client_for, register_case
from tests.prevention.conftest import make_group, record_activity, record_patbm_activity

START, END = date(2026, 1, 1), date(2026, 6, 30)
ALFA, BETA, GAMMA, DELTA, EPSILON = "99.01.01.2001", "99.01.01.2002", "99.01.01.1003", "99.01.02.2001", "99.01.02.2002"


def _received(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def _build_district() -> None:
    """Reference data: Kemendagri-style regions are loaded, not entered through a service."""
    province = Region.objects.create(code="99", name="Provinsi Uji", level="provinsi")
    district = Region.objects.create(code="99.01", name="Kabupaten Uji", level="kabupaten", parent=province)
    satu = Region.objects.create(code="99.01.01", name="Satu", level="kecamatan", parent=district)
    dua = Region.objects.create(code="99.01.02", name="Dua", level="kecamatan", parent=district)
    for code, name, level, parent in [(ALFA, "Alfa", "desa", satu), (BETA, "Beta", "desa", satu),
                                      (GAMMA, "Gamma", "kelurahan", satu), (DELTA, "Delta", "desa", dua),
                                      (EPSILON, "Epsilon", "desa", dua)]:
        Region.objects.create(code=code, name=name, level=level, parent=parent)


@pytest.fixture
def district(db, settings, patbm_staff, supervisor, caseworker):
    settings.DISTRICT_CODE = "99.01"
    _build_district()
    alfa = make_group(patbm_staff, ALFA)
    make_group(patbm_staff, GAMMA, is_active=False)
    epsilon = make_group(patbm_staff, EPSILON)
    record_patbm_activity(alfa, patbm_staff, date(2026, 2, 10), adults=6, children=4)
    record_patbm_activity(alfa, patbm_staff, date(2026, 6, 30), adults=5, children=0)
    record_patbm_activity(alfa, patbm_staff, date(2025, 12, 20))  # before the period
    record_patbm_activity(epsilon, patbm_staff, date(2026, 7, 1))  # after the period
    record_activity(supervisor, date(2026, 3, 5), village_code=BETA, people=20)
    record_activity(supervisor, date(2026, 4, 1), kecamatan_code="99.01.02", people=30, title="Sosialisasi Kec. Dua")
    record_activity(supervisor, date(2026, 5, 1), kind="kampanye_medsos", platform="facebook", reach=900,
                    title="Kampanye kabupaten")
    record_activity(supervisor, date(2026, 8, 1), village_code=DELTA, title="Terlambat untuk periode ini")
    for day in (date(2026, 1, 15), date(2026, 6, 30)):
        register_case(caseworker, village_code=ALFA, received_at=_received(day))
    register_case(caseworker, village_code=GAMMA, received_at=_received(date(2026, 3, 3)))
    register_case(caseworker, village_code=GAMMA, received_at=_received(date(2026, 7, 5)),
                  occurred_on=date(2026, 6, 25))
    for month in (2, 3, 4):
        register_case(caseworker, village_code=DELTA, received_at=_received(date(2026, month, 9)))
    register_case(caseworker, village_code=None, received_at=_received(date(2026, 2, 2)))  # no desa recorded


def _rows(table):
    return {row.code: row for row in table}


def test_coverage_table_puts_patbm_activities_and_cases_side_by_side(district):
    table = coverage_table(start=START, end=END)
    assert [row.code for row in table] == ["99.01.01", GAMMA, ALFA, BETA, "99.01.02", DELTA, EPSILON]
    rows = _rows(table)
    expected = {  # code: (PATBM status, PATBM activities, other activities, participants, cases, gap)
        ALFA: (PatbmStatus.ACTIVE, 2, 0, 15, 2, False),
        BETA: (PatbmStatus.NONE, 0, 1, 20, 0, False),
        GAMMA: (PatbmStatus.INACTIVE, 0, 0, 0, 1, True),
        DELTA: (PatbmStatus.NONE, 0, 0, 0, 3, True),
        EPSILON: (PatbmStatus.ACTIVE, 0, 0, 0, 0, False),
    }
    for code, values in expected.items():
        row = rows[code]
        assert (row.patbm_status, row.patbm_activities, row.prevention_activities, row.participants, row.cases,
                row.gap) == values, code
    satu, dua = rows["99.01.01"], rows["99.01.02"]
    assert (satu.villages, satu.villages_with_active_patbm, satu.patbm_activities, satu.prevention_activities,
            satu.participants, satu.cases, satu.gap_villages) == (3, 1, 2, 1, 35, 3, 1)
    assert (dua.villages, dua.villages_with_active_patbm, dua.patbm_activities, dua.prevention_activities,
            dua.kecamatan_wide_activities, dua.participants, dua.cases, dua.gap_villages) == (2, 1, 0, 1, 1, 30, 3, 1)


def test_coverage_summary_counts_the_villages_that_stand_out(district):
    table = coverage_table(start=START, end=END)
    summary = coverage_summary(table=table, start=START, end=END)
    assert (summary.villages, summary.villages_with_active_patbm, summary.villages_with_activities,
            summary.villages_with_cases, summary.gap_villages, summary.activities, summary.district_wide_activities,
            summary.cases) == (5, 2, 2, 3, 2, 5, 1, 6)


def test_sorting_puts_the_gaps_first_then_the_most_cases(district):
    table = coverage_table(start=START, end=END)
    assert [r.name for r in coverage_sorted_villages(table, "kesenjangan")] == [
        "Delta", "Gamma", "Alfa", "Epsilon", "Beta"]
    assert [r.name for r in coverage_sorted_villages(table, "kasus")] == ["Delta", "Alfa", "Gamma", "Epsilon", "Beta"]
    assert [r.name for r in coverage_sorted_villages(table, "kegiatan")][:3] == ["Delta", "Gamma", "Epsilon"]


def test_a_later_period_moves_the_counts(district):
    rows = _rows(coverage_table(start=date(2026, 7, 1), end=date(2026, 12, 31)))
    assert (rows[GAMMA].cases, rows[GAMMA].gap) == (1, True)
    assert (rows[EPSILON].patbm_activities, rows[DELTA].prevention_activities, rows[DELTA].gap) == (1, 1, False)
    assert rows[ALFA].cases == 0


def test_coverage_page_highlights_villages_with_cases_and_no_prevention(district, supervisor):
    client = client_for(supervisor)
    page = client.get("/pencegahan/cakupan/", {"start": START.isoformat(), "end": END.isoformat()}).content.decode()
    assert '<p class="display-6 m-0" id="gap-count">2</p>' in page
    assert page.count("coverage-gap") == 2
    for code in (GAMMA, DELTA):
        assert f'id="wilayah-{code}" class="table-warning coverage-gap"' in page
    assert f'id="wilayah-{ALFA}">' in page
    assert "Ada kasus, belum ada pencegahan" in page
    gaps_only = client.get("/pencegahan/cakupan/", {"start": START.isoformat(), "end": END.isoformat(),
                                                    "sort": "kesenjangan", "gaps_only": "on"}).content.decode()
    assert gaps_only.index("Delta") < gaps_only.index("Gamma")
    assert "Alfa" not in gaps_only and "Epsilon" not in gaps_only


def test_coverage_page_defaults_to_this_year(db, settings, supervisor, caseworker, patbm_staff):
    settings.DISTRICT_CODE = "99.01"
    _build_district()
    today = timezone.localdate()
    register_case(caseworker, village_code=BETA, received_at=timezone.now())
    page = client_for(supervisor).get("/pencegahan/cakupan/").content.decode()
    assert f'value="{date(today.year, 1, 1).isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    assert f'id="wilayah-{BETA}" class="table-warning coverage-gap"' in page


def test_coverage_page_is_for_supervisors_and_officials_only(district, personas, patbm_staff, puspaga_staff):
    assert client_for(personas["official"]).get("/pencegahan/cakupan/").status_code == 200
    for user in (personas["caseworker"], personas["police_officer"], personas["outsider"], personas["sysadmin"],
                 patbm_staff, puspaga_staff, None):
        assert_hidden(client_for(user).get("/pencegahan/cakupan/"))


def test_coverage_queries_do_not_grow_with_the_villages(district, supervisor, settings,
                                                        django_assert_max_num_queries):
    client = client_for(supervisor)
    params = {"start": START.isoformat(), "end": END.isoformat()}
    with CaptureQueriesContext(connection) as small:
        client.get("/pencegahan/cakupan/", params)
    regions_load(district_code="73.22")
    settings.DISTRICT_CODE = "73.22"
    with django_assert_max_num_queries(14):  # +1: the second factor's device (django-otp)
        page = client.get("/pencegahan/cakupan/", params).content.decode()
    assert page.count('id="wilayah-73.22.') == 15 + 173
    with CaptureQueriesContext(connection) as large:
        client.get("/pencegahan/cakupan/", params)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_coverage_table_counts_cases_through_the_cases_selector(district):
    # The same numbers as the case file's own selector (received date, desa of the incident).
    from cases.selectors import case_counts_by_village

    counts = case_counts_by_village(start=START, end=END)
    rows = _rows(coverage_table(start=START, end=END))
    assert {code: rows[code].cases for code in (ALFA, BETA, GAMMA, DELTA, EPSILON)} == {
        code: counts.get(code, 0) for code in (ALFA, BETA, GAMMA, DELTA, EPSILON)}


def test_prevention_outputs_for_the_reports(district, puspaga_staff, django_assert_num_queries):
    from prevention import services
    from prevention.selectors import prevention_outputs

    for day in (date(2026, 3, 1), date(2026, 7, 2)):
        session = services.puspaga_session_record(actor=puspaga_staff, held_on=day, service="konseling",
                                                  channel="telepon", issue="pengasuhan", counsellor=puspaga_staff)
    services.puspaga_session_refer(session=session, actor=puspaga_staff, summary="Mohon dihubungi.", urgency="biasa")
    first = services.puspaga_session_record(actor=puspaga_staff, held_on=date(2026, 2, 2), service="informasi",
                                            channel="kelompok", issue="remaja", counsellor=puspaga_staff)
    services.puspaga_session_refer(session=first, actor=puspaga_staff, summary="Mohon dihubungi.", urgency="biasa")
    with django_assert_num_queries(7):
        outputs = prevention_outputs(start=START, end=END)
    assert outputs.activities_by_kind == {"sosialisasi": 2, "kampanye_medsos": 1}
    assert outputs.activities_by_topic == {"kdrt": 3}
    assert (outputs.campaign_reach, outputs.campaign_engagement) == (900, 0)
    assert (outputs.patbm_activities, outputs.patbm_active_groups) == (2, 2)
    assert outputs.participants == {"male_child": 4, "female_child": 0, "male_adult": 0, "female_adult": 61}
    assert outputs.participants_total == 65
    # The July session is outside the period; the February one was referred.
    assert (outputs.puspaga_sessions, outputs.puspaga_referred) == (2, 1)
    assert outputs.puspaga_sessions_by_issue == {"pengasuhan": 1, "remaja": 1}


def _case_cells(page: str) -> dict[str, str]:
    """The "Kasus" column (sixth cell) of each region's row, as printed."""
    import re

    rows = re.findall(r'<tr[^>]*id="wilayah-([\d.]+)"[^>]*>(.*?)</tr>', page, re.S)
    return {code: re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)[5].strip() for code, body in rows}


def test_officials_see_the_published_small_cell_rule_and_supervisors_exact_counts(district, personas, supervisor):
    params = {"start": START.isoformat(), "end": END.isoformat()}
    official = client_for(personas["official"]).get("/pencegahan/cakupan/", params).content.decode()
    # Alfa (2) and Gamma (1) are hidden; Kec. Satu's total of 3 then has two hidden members, so neither
    # can be recovered by subtraction. Delta's 3 and the totals stay exact; zeros identify nobody.
    assert _case_cells(official) == {"99.01.01": "3", GAMMA: "&lt;3", ALFA: "&lt;3", BETA: "0",
                                     "99.01.02": "3", DELTA: "3", EPSILON: "0"}
    assert "= 1 sampai 2 kasus, disembunyikan" in official
    exact = client_for(supervisor).get("/pencegahan/cakupan/", params).content.decode()
    assert _case_cells(exact)[GAMMA] == "1" and _case_cells(exact)[ALFA] == "2"
    assert "disembunyikan" not in exact
    # Sorted by cases, the two hidden villages tie: their order (by activities, then code) reveals nothing.
    by_cases = client_for(personas["official"]).get("/pencegahan/cakupan/", {**params, "sort": "kasus"})
    assert list(_case_cells(by_cases.content.decode())) == [DELTA, GAMMA, ALFA, EPSILON, BETA]


def test_a_count_hidden_in_a_village_cannot_be_read_from_its_kecamatan_total(district, personas):
    # A later period: Gamma alone has a case (1). Its kecamatan total (1) and the district total (1) are small
    # too; Kec. Dua's 0 is the only other member of the district line and stays shown.
    page = client_for(personas["official"]).get("/pencegahan/cakupan/", {
        "start": "2026-07-01", "end": "2026-12-31"}).content.decode()
    cells = _case_cells(page)
    assert cells[GAMMA] == "&lt;3" and cells["99.01.01"] == "&lt;3"
    assert '<p class="display-6 m-0">&lt;3</p>' in page
