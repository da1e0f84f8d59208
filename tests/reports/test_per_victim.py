"""Place, kecamatan, KDRT and case type are each victim's own (SIMFONI-PPA, domain.md 1.3 and section 9): two
victims of one case harmed in different places, one an adult woman (KtP) and one a child (AMPK), count per
victim in the statistics and in the report's rendered tables; the case itself still counts once."""

import re
from datetime import date, datetime

import pytest
from django.utils import timezone

from agencies.models import Region
from cases import services as case_services
from core import codes
from reports.periods import Period
from reports.rendering import report_html
from reports.statistics import compute_statistics

MARCH = Period.parse("bulanan", "2026-03")
NOW = datetime(2026, 4, 2, 8, tzinfo=timezone.get_default_timezone())
MASAMBA_DESA, SABBANG_DESA = "73.22.03.2004", "73.22.04.2002"


@pytest.fixture
def mother_and_daughter(caseworker, regions):
    """One KDRT case: the mother (34) beaten at home in a Masamba desa, as the incident says; her daughter (12)
    abused at school in Sabbang, not by a household member."""
    home, school = Region.objects.get(code=MASAMBA_DESA), Region.objects.get(code=SABBANG_DESA)
    incident = case_services.IncidentData(occurred_on=date(2026, 3, 2), place=codes.Place.HOUSEHOLD,
                                          kecamatan=home.parent, village=home, is_kdrt=True)
    victims = [
        case_services.VictimData(name="Ibu Sintetis", sex="P", age=34, violence_types=["fisik"]),
        case_services.VictimData(name="Anak Sintetis", sex="P", age=12, violence_types=["seksual"],
                                 place=codes.Place.SCHOOL, own_area=True, place_kecamatan=school.parent,
                                 place_village=school, is_kdrt=False),
    ]
    return case_services.case_register(
        actor=caseworker, agency=caseworker.agency, received_at=datetime(2026, 3, 3, 9, tzinfo=NOW.tzinfo),
        intake_channel="langsung", incident=incident, victims=victims)


def nonzero(stats, key):
    return {str(label): values for label, values in stats.table(key).rows if any(values)}


def test_two_victims_of_one_case_count_per_victim_in_the_place_and_case_type_tables(mother_and_daughter):
    mother, daughter = mother_and_daughter.victims.order_by("id")
    assert (mother.case_type, daughter.case_type) == (codes.CaseType.KTP, codes.CaseType.AMPK)

    stats = compute_statistics(MARCH, now=NOW)
    assert (stats.cases, stats.victims, stats.kdrt_cases) == (1, 2, 1)
    #                                        L  P
    assert nonzero(stats, "place") == {"Rumah Tangga": [0, 1], "Sekolah": [0, 1]}
    assert nonzero(stats, "case_type") == {"KtP (kekerasan terhadap perempuan)": [0, 1],
                                           "AMPK (anak memerlukan perlindungan khusus)": [0, 1]}
    assert nonzero(stats, "kdrt") == {"KDRT": [0, 1], "Bukan KDRT": [0, 1]}
    assert nonzero(stats, "kecamatan_victims") == {"Masamba": [0, 1], "Sabbang": [0, 1]}
    # The case counts once, at its incident's kecamatan.
    assert nonzero(stats, "kecamatan_cases") == {"Masamba": [1]}
    for key in ("place", "case_type", "kdrt", "kecamatan_victims"):
        assert stats.table(key).grand_total == stats.victims

    # The report as rendered (internal edition: no small-cell suppression) shows the same rows.
    html = report_html(stats, edition="internal", verification_code="ABCD-EFGH-JKLM-NPQR")

    def row(label):
        found = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', html)
        return re.findall(r">(\d+)</td>", found.group(1))

    assert row("Rumah Tangga") == ["0", "1", "1"] and row("Sekolah") == ["0", "1", "1"]
    assert row("KtP (kekerasan terhadap perempuan)") == ["0", "1", "1"]
    assert row("AMPK (anak memerlukan perlindungan khusus)") == ["0", "1", "1"]
    assert row("Bukan KtP atau AMPK") == ["0", "0", "0"]


def test_a_victim_without_own_values_takes_the_incidents(caseworker, regions):
    home = Region.objects.get(code=MASAMBA_DESA)
    case = case_services.case_register(
        actor=caseworker, agency=caseworker.agency, received_at=datetime(2026, 3, 3, 9, tzinfo=NOW.tzinfo),
        intake_channel="langsung",
        incident=case_services.IncidentData(occurred_on=date(2026, 3, 2), place=codes.Place.WORKPLACE,
                                            kecamatan=home.parent, village=home, is_kdrt=False),
        victims=[case_services.VictimData(name="Laki Sintetis", sex="L", age=40, violence_types=["fisik"])])
    victim = case.victims.get()
    assert (victim.place, victim.place_kecamatan_id, victim.place_village_id, victim.place_outside_district,
            victim.is_kdrt, victim.case_type) == (codes.Place.WORKPLACE, home.parent_id, home.code, False, False, "")


def test_a_victim_outside_the_district_cannot_also_have_a_kecamatan(caseworker, regions):
    home = Region.objects.get(code=MASAMBA_DESA)
    with pytest.raises(case_services.CaseError, match="Korban 1: kejadian di luar kabupaten"):
        case_services.case_register(
            actor=caseworker, agency=caseworker.agency, received_at=datetime(2026, 3, 3, 9, tzinfo=NOW.tzinfo),
            intake_channel="langsung",
            incident=case_services.IncidentData(occurred_on=date(2026, 3, 2), place=codes.Place.HOUSEHOLD,
                                                kecamatan=home.parent),
            victims=[case_services.VictimData(name="Sintetis", sex="P", age=20, violence_types=["fisik"],
                                              own_area=True, place_outside_district=True,
                                              place_kecamatan=home.parent)])
