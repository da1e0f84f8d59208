"""The data migration of the agenda: a mediation recorded before the agenda existed, whose agreement check is
still to come on an open case, gets its "Pemeriksaan kesepakatan mediasi" item (SQLite locally, PostgreSQL in CI)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0011_agenda")]
AFTER = [("cases", "0012_agenda_mediation_checks")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _mediation(old, *, agency, worker, follow_up_on, stage="pelaksanaan", number):
    case = old.get_model("cases", "Case").objects.create(
        number=number, agency=agency, received_at=timezone.now() - timedelta(days=20), intake_channel="langsung",
        stage=stage, assigned_worker=worker, **({"closed_at": timezone.now(), "closure_reason": "Selesai."}
                                                if stage == "terminasi" else {}))
    victim = old.get_model("cases", "Victim").objects.create(
        case=case, survivor_code=f"K-{number[-4:]}", name="Korban Lama", age_at_incident=30, age_group="25-44",
        is_child=False, sex="P")
    consent = old.get_model("cases", "Consent").objects.create(
        case=case, victim=victim, scopes=["mediasi"], given_by="korban", form_version="IC-1", given_at=timezone.now())
    return old.get_model("cases", "Mediation").objects.create(
        case=case, consent=consent, mediator="Mediator", parties="Para pihak", held_on=timezone.localdate(),
        follow_up_on=follow_up_on, recorded_by=worker)


@pytest.mark.django_db(transaction=True)
def test_agreement_checks_still_to_come_on_open_cases_join_the_agenda():
    old = _migrate(BEFORE)
    agency = old.get_model("agencies", "Agency").objects.create(name="UPTD PPA Lama", agency_type="uptd_ppa")
    worker = old.get_model("agencies", "User").objects.create(username="pendamping_lama", role="pendamping",
                                                              agency=agency)
    today = timezone.localdate()
    coming = _mediation(old, agency=agency, worker=worker, follow_up_on=today + timedelta(days=10),
                        number="73.22/2025/0001")
    _mediation(old, agency=agency, worker=worker, follow_up_on=today - timedelta(days=1), number="73.22/2025/0002")
    _mediation(old, agency=agency, worker=worker, follow_up_on=None, number="73.22/2025/0003")
    _mediation(old, agency=agency, worker=worker, follow_up_on=today + timedelta(days=5), stage="terminasi",
               number="73.22/2025/0004")
    try:
        new = _migrate(AFTER)
        items = list(new.get_model("cases", "AgendaItem").objects.values_list(
            "case_id", "kind", "due_on", "assignee_id", "done_at"))
        assert items == [(coming.case_id, "cek_kesepakatan", today + timedelta(days=10), worker.pk, None)]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
