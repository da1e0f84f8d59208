"""Every statistic against the hand-built October 2026 set (tests/reports/conftest.py), tables written out."""

from datetime import datetime

import pytest
from django.utils import timezone

from reports.periods import Period
from reports.statistics import compute_statistics, headline_counts

OCTOBER = Period.parse("bulanan", "2026-10")
NOW = datetime(2026, 11, 2, 8, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def stats(october):
    return compute_statistics(OCTOBER, now=NOW)


def rows(stats, key):
    """{row label: [cells...]} with only the non-zero rows, so each expected table reads as written."""
    return {label: values for label, values in stats.table(key).rows if any(values)}


def test_cases_victims_perpetrators_and_pairs_are_counted_separately(stats):
    assert (stats.cases, stats.victims, stats.perpetrators, stats.pairs) == (3, 4, 4, 5)
    assert (stats.child_victims, stats.kdrt_cases) == (2, 2)


def test_period_is_set_by_the_received_date_in_wita(october):
    # 31 Oct 2025 23:30 WITA is 15:30 UTC the same day: it belongs to October 2025, as 1 Nov 2026 00:30
    # WITA (31 Oct UTC) belongs to November.
    assert headline_counts(Period.parse("bulanan", "2025-10"))["cases"] == 2
    assert headline_counts(Period.parse("bulanan", "2026-11"))["cases"] == 1
    assert headline_counts(Period.parse("triwulan", "2026-Q4"))["cases"] == 4
    assert headline_counts(Period.parse("tahunan", "2026"))["cases"] == 5


def test_victim_category(stats):
    assert rows(stats, "category") == {"Anak laki-laki": [1], "Anak perempuan": [1], "Perempuan dewasa": [2]}
    assert stats.table("category").grand_total == stats.victims


def test_age_group_is_the_age_at_the_incident(stats):
    # V1 was born 3 Oct 2010: 15 on the incident date (2 Oct), 16 when the complaint came (5 Oct).
    #                                L  P
    assert rows(stats, "age") == {"6-12": [1, 0], "13-17": [0, 1], "18-24": [0, 1], "25-44": [0, 1]}
    assert rows(stats, "child") == {"Anak (di bawah 18 tahun)": [1, 1], "Dewasa": [0, 2]}


def test_a_victim_counts_once_in_each_violence_type_and_the_table_says_totals_exceed_victims(stats):
    #                                  Anak L, Anak P, Dewasa L, Dewasa P
    assert rows(stats, "violence") == {"Fisik": [1, 0, 0, 1], "Psikis": [0, 1, 0, 1], "Seksual": [0, 1, 0, 1]}
    table = stats.table("violence")
    assert table.grand_total == 6 > stats.victims
    assert "melebihi jumlah korban" in table.note


def test_place_one_per_victim(stats):
    assert rows(stats, "place") == {"Rumah Tangga": [1, 2], "Fasilitas Umum": [0, 1]}
    assert stats.table("place").grand_total == stats.victims


def test_education_occupation_marital_status_and_disability(stats):
    assert rows(stats, "education") == {"SD": [1, 0], "SLTP/SMP": [0, 1], "SLTA/SMA": [0, 1],
                                        "Perguruan Tinggi": [0, 1]}
    assert rows(stats, "occupation") == {"Pelajar": [1, 2], "Ibu Rumah Tangga": [0, 1]}
    assert rows(stats, "marital") == {"Belum Kawin": [1, 2], "Kawin": [0, 1]}
    assert rows(stats, "disability") == {"Ya": [0, 1], "Tidak": [1, 2]}


def test_kecamatan_and_luar_daerah(stats):
    assert rows(stats, "kecamatan_cases") == {"Masamba": [1], "Sabbang": [1], "Luar daerah": [1]}
    assert rows(stats, "kecamatan_victims") == {"Masamba": [1, 1], "Sabbang": [0, 1], "Luar daerah": [0, 1]}
    assert len(stats.table("kecamatan_cases").rows) == 15 + 2  # every kecamatan, luar daerah, unknown


def test_relationship_is_counted_per_pair(stats):
    #                                          child victim, adult victim
    assert rows(stats, "relationship") == {"Orang Tua": [2, 0], "Pacar/Teman": [1, 0], "Suami/Istri": [0, 1],
                                           "NA": [0, 1]}
    assert stats.table("relationship").grand_total == stats.pairs == 5


def test_perpetrators_by_sex_and_age(stats):
    assert rows(stats, "perpetrator") == {"13-17": [1, 0], "25-44": [2, 0], "Tidak diketahui": [1, 0]}
    assert stats.table("perpetrator").grand_total == stats.perpetrators


def test_services_count_each_victim_once_per_service(stats):
    # V2 had kesehatan twice: counted once.
    assert rows(stats, "services") == {"Pengaduan": [1, 0], "Kesehatan": [2, 0], "Bantuan Hukum": [0, 1]}


def test_kdrt_subtotal(stats):
    assert rows(stats, "kdrt") == {"KDRT": [1, 2], "Bukan KDRT": [0, 1]}


def test_gbvims_one_type_per_victim_in_gbvims_order(stats):
    # V1 seksual without a rape form -> Sexual Assault; V4 seksual + perkosaan -> Rape;
    # V2 fisik -> Physical Assault; V3 fisik + psikis -> Physical Assault (it comes first).
    assert rows(stats, "gbvims") == {"Rape": [0, 0, 0, 1], "Sexual Assault": [0, 1, 0, 0],
                                     "Physical Assault": [1, 0, 0, 1]}


def test_monthly_series_and_comparisons(stats):
    assert stats.table("monthly").rows == [["Okt 2026", [3, 4, 4]]]
    comparisons = {c.label: c for c in stats.comparisons}
    cases = comparisons["Kasus"]
    assert (cases.current, cases.previous, cases.year_before) == (3, 1, 2)
    assert (cases.change_previous, cases.change_year_before) == (200.0, 50.0)
    trend = {m["month"]: (m["cases"], m["victims"]) for m in stats.trend}
    assert len(stats.trend) == 12 and trend["Okt 2026"] == (3, 4) and trend["Sep 2026"] == (1, 1)
    assert trend["Nov 2025"] == (0, 0)


def test_rates_per_100000_of_the_district_population(stats):
    # Luwu Utara: 169,309 men and 165,852 women (agencies/data/penduduk_kabupaten.csv), 335,161 in all.
    rates = {r.label: (r.count, r.population, r.per_100k) for r in stats.rates}
    assert rates["Korban per 100.000 penduduk"] == (4, 335161, round(4 / 335161 * 100000, 2)) == (4, 335161, 1.19)
    assert rates["Korban perempuan per 100.000 penduduk perempuan"] == (3, 165852, 1.81)
    assert rates["Kasus per 100.000 penduduk"][2] == 0.9


def test_service_quality(stats):
    q = stats.quality
    # A identified the next working day; B on Tue 20 Oct, after Mon 19 Oct; C never, its deadline passed.
    assert (q.follow_up_on_time, q.follow_up_due, q.follow_up_share) == (1, 3, 33.3)
    # First services: A after 2 days, B after 6 days -> median 4 days.
    assert (q.first_service_cases, q.median_days_to_first_service) == (2, 4.0)
    # Open at the end of October: A, B, C, the September case and the two of October 2025, one caseworker.
    assert (q.open_cases, q.workers_with_open_cases, q.open_per_worker, q.max_open_per_worker) == (6, 1, 6.0, 6)
    assert q.closed_in_period == 0


def test_statistics_take_a_fixed_number_of_queries(october, django_assert_max_num_queries):
    with django_assert_max_num_queries(55):
        compute_statistics(OCTOBER, now=NOW)


def test_share_of_referrals_answered_within_their_deadline(october, caseworker, police_officer):
    """Two referrals sent in October (urgency "segera": 24 hours to answer), one answered in time, one late."""
    import time_machine

    from cases import services as case_services
    from referrals import services as referral_services

    from .conftest import wita

    sent = []
    for case, sent_at, answered_at in ((october.b, wita(2026, 10, 14, 10), wita(2026, 10, 14, 15)),
                                       (october.c, wita(2026, 10, 23, 16), wita(2026, 10, 26, 9))):
        victim = case.victims.get()
        with time_machine.travel(sent_at, tick=False):
            case_services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan", "berbagi"],
                                         sharing_agency_types=["unit_ppa"], given_by="korban",
                                         form_version="IC-2026-1")
            referral = referral_services.referral_send(
                actor=caseworker, case=case, victim=victim, receiving_agency=police_officer.agency,
                services=["penegakan_hukum"], urgency="segera", reason="Pendampingan laporan polisi")
        with time_machine.travel(answered_at, tick=False):
            referral_services.referral_accept(referral=referral, actor=police_officer)
        sent.append(referral)
    q = compute_statistics(OCTOBER, now=NOW).quality
    assert (q.referrals_on_time, q.referrals_due, q.referrals_share) == (1, 2, 50.0)
    table = compute_statistics(OCTOBER, now=NOW).table("referrals")
    assert table.rows == [["Unit PPA Polres Uji", [2, 2, 0, 0, 1]]]


def test_prevention_figures_per_kecamatan(october):
    """A PATBM group in Pincara (Masamba) held one activity in October with ten participants."""
    from datetime import date

    from agencies.models import Role
    from core.codes import AgencyType
    from tests.conftest import make_agency, make_user
    from tests.prevention.conftest import make_group, record_patbm_activity

    activist = make_user("patbm_uji", Role.PARTNER, make_agency("PATBM Uji", AgencyType.PATBM))
    record_patbm_activity(make_group(activist), activist, date(2026, 10, 10), adults=5, children=5)
    table = compute_statistics(OCTOBER, now=NOW).table("prevention")
    #              active PATBM villages, PATBM activities, prevention activities, participants
    assert rows_of(table) == {"Masamba": [1, 1, 0, 10]}
    assert not table.sensitive  # activity counts are shown as they are in the published edition


def rows_of(table):
    return {label: values for label, values in table.rows if any(values)}
