import pytest
from django.core.management import call_command

from agencies.models import Region
from agencies.regions import UnknownDistrict, regions_load
from agencies.selectors import district_kecamatan, district_villages


def test_luwu_utara_has_15_kecamatan_and_173_villages(db):
    result = regions_load(district_code="73.22")
    assert (result.kecamatan, result.villages) == (15, 173)
    assert district_kecamatan(district_code="73.22").count() == 15
    assert district_villages(district_code="73.22").count() == 173
    assert Region.objects.filter(level="kelurahan", parent__parent_id="73.22").count() == 7
    assert Region.objects.get(code="73.22").population_total == 335161


def test_loading_twice_changes_nothing(db):
    regions_load(district_code="73.22")
    before = Region.objects.count()
    second = regions_load(district_code="73.22")
    assert (second.created, second.updated) == (0, 0)
    assert Region.objects.count() == before


def test_another_district_loads_by_code(db):
    # 73.17 is Kabupaten Luwu, Luwu Utara's neighbour.
    result = regions_load(district_code="73.17")
    assert result.kecamatan == Region.objects.filter(parent_id="73.17", level="kecamatan").count() > 0
    assert result.villages > 0
    assert not Region.objects.filter(parent_id="73.22").exists()


def test_unknown_district_is_refused_with_a_clear_message(db):
    with pytest.raises(UnknownDistrict, match="tidak ada dalam daftar Kemendagri"):
        regions_load(district_code="99.99")


def test_load_regions_command_reports_counts(db, capsys):
    call_command("load_regions", "--district", "73.22")
    assert "15 kecamatan, 173 desa/kelurahan" in capsys.readouterr().out
