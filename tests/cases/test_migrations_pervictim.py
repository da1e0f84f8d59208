"""Moving the place, kecamatan/desa, KDRT flag and case type to each victim keeps what an existing database
recorded: the migrations are run back to before the move, cases are written there with the old models, and
the migrations are run forwards again (SQLite locally, PostgreSQL in CI)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0008_case_version")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _old_cases(old) -> dict:
    region = old.get_model("agencies", "Region")
    district = region.objects.create(code="99.01", name="Kabupaten Uji", level="kabupaten")
    kecamatan = region.objects.create(code="99.01.01", name="Kecamatan Uji", level="kecamatan", parent=district)
    village = region.objects.create(code="99.01.01.2001", name="Desa Uji", level="desa", parent=kecamatan)
    agency = old.get_model("agencies", "Agency").objects.create(name="UPTD PPA Lama", agency_type="uptd_ppa")
    case_model, incident = old.get_model("cases", "Case"), old.get_model("cases", "Incident")
    victim = old.get_model("cases", "Victim")

    def case(number, **incident_values):
        made = case_model.objects.create(number=number, agency=agency, received_at=timezone.now(),
                                         intake_channel="langsung", case_type="ampk")
        incident.objects.create(case=made, occurred_on=date(2026, 3, 1), **incident_values)
        return made

    home = case("99.01/2026/0001", place="rumah_tangga", kecamatan=kecamatan, village=village, is_kdrt=True)
    away = case("99.01/2026/0002", place="fasilitas_umum", outside_district=True)

    def person(case, code, *, age, sex):
        return victim.objects.create(case=case, survivor_code=code, name="Sintetis", age_at_incident=age,
                                     age_group="0-5", is_child=age < 18, sex=sex).pk

    return {"kecamatan": kecamatan.code, "village": village.code, "victims": {
        "mother": person(home, "KRB-AAAAA1", age=34, sex="P"), "daughter": person(home, "KRB-AAAAA2", age=12, sex="P"),
        "father": person(away, "KRB-AAAAA3", age=40, sex="L")}}


@pytest.mark.django_db(transaction=True)
def test_every_victim_takes_the_case_facts_and_the_case_type_of_their_own_age_and_sex():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        ids = _old_cases(_migrate(BEFORE))
        _migrate(latest)
    except BaseException:
        _migrate(latest)
        raise

    from cases.models import Victim

    victims = {name: Victim.objects.get(pk=pk) for name, pk in ids["victims"].items()}
    facts = {name: (v.place, v.place_kecamatan_id, v.place_village_id, v.place_outside_district, v.is_kdrt,
                    v.case_type) for name, v in victims.items()}
    assert facts == {
        # Both victims of the household case take its place, desa and KDRT flag; the case was identified as AMPK
        # as a whole, but the mother is an adult woman: KtP.
        "mother": ("rumah_tangga", ids["kecamatan"], ids["village"], False, True, "ktp"),
        "daughter": ("rumah_tangga", ids["kecamatan"], ids["village"], False, True, "ampk"),
        # Outside the district: no kecamatan; an adult man is neither KtP nor AMPK.
        "father": ("fasilitas_umum", None, None, True, False, ""),
    }
