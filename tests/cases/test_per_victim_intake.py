"""Per-victim place, kecamatan/desa and KDRT at intake: each victim row starts at "the same as the incident"
(an explicit choice on the form), may say otherwise, and the case page shows each victim's own values."""

from cases.models import Case
from tests.cases.test_intake_views import intake_data, post_intake
from tests.conftest import client_for


def test_each_victim_is_registered_with_their_own_place_and_the_case_page_shows_it(caseworker, regions):
    data = intake_data(victims=2, is_kdrt="on") | {
        "korban-1-place": "sekolah", "korban-1-place_kecamatan": "73.22.04",
        "korban-1-place_village": "73.22.04.2002", "korban-1-is_kdrt": "tidak"}
    response = post_intake(caseworker, data)
    case = Case.objects.get()
    first, second = case.victims.order_by("id")
    assert (first.place, first.place_village_id, first.is_kdrt) == ("rumah_tangga", "73.22.03.2004", True)
    assert (second.place, second.place_kecamatan_id, second.place_village_id, second.is_kdrt) == (
        "sekolah", "73.22.04", "73.22.04.2002", False)
    page = client_for(caseworker).get(response["Location"]).content.decode()
    assert "Rumah Tangga · KDRT" in page and ">Sekolah</dd>" in page
    assert "Sabbang" in page and page.count("AMPK (anak memerlukan perlindungan khusus)") == 2


def test_every_new_victim_row_starts_at_the_incidents_values_in_words(caseworker, regions):
    page = post_intake(caseworker, intake_data(victims=1, perpetrators=0) | {"tambah_korban": "1",
                                                                             "received_at": ""}).content.decode()
    for name in ("place", "is_kdrt", "place_kecamatan"):
        select = page.split(f'name="korban-1-{name}"', 1)[1].split("</select>", 1)[0]
        selected = select.split("selected", 1)[1].split("</option>", 1)[0] if "selected" in select else ""
        assert "Sama dengan" in selected, name


def test_a_victim_outside_the_district_with_a_kecamatan_is_refused_and_keeps_what_was_typed(caseworker, regions):
    data = intake_data(victims=1) | {"korban-0-place_outside_district": "on", "korban-0-place_kecamatan": "73.22.04"}
    page = post_intake(caseworker, data).content.decode()
    assert not Case.objects.exists()
    assert "Kejadian luar daerah tidak memakai kecamatan kabupaten ini." in page
    assert 'value="Korban Sintetis 1"' in page
