"""Moving intake requests and notifications into the inbox keeps every row, id and link of an existing
database: the migrations are run backwards to before the move, rows are written there with the old models,
and the migrations are run forwards again (on SQLite locally, on PostgreSQL in CI)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0003_number_sequence_moves_to_core"), ("referrals", "0003_number_sequence_moves_to_core"),
          ("prevention", "0001_initial"), ("inbox", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _old_rows(old) -> dict:
    agency = old.get_model("agencies", "Agency")
    uptd = agency.objects.create(name="UPTD PPA Lama", agency_type="uptd_ppa")
    puspaga = agency.objects.create(name="PUSPAGA Lama", agency_type="puspaga")
    user = old.get_model("agencies", "User")
    worker = user.objects.create(username="pendamping_lama", role="pendamping", agency=uptd, email="p@contoh.test")
    counsellor = user.objects.create(username="konselor_lama", role="mitra", agency=puspaga)
    intake = old.get_model("cases", "IntakeRequest")
    gone, registered, referred = (intake.objects.create(target_agency=uptd, source_agency=puspaga, summary=f"R{i}",
                                                        created_by=counsellor) for i in range(3))
    gone.delete()  # a gap in the ids: the ids move as they are, not renumbered
    case = old.get_model("cases", "Case").objects.create(
        number="73.22/2025/0001", agency=uptd, received_at=timezone.now(), intake_channel="rujukan",
        intake_request=registered)
    session = old.get_model("prevention", "PuspagaSession").objects.create(
        agency=puspaga, held_on=date(2025, 11, 3), channel="tatap_muka", issue="pengasuhan", counsellor=counsellor,
        referred_to_uptd=True, referred_at=timezone.now(), intake_request=referred)
    notice = old.get_model("referrals", "Notification").objects.create(
        recipient=worker, kind="rujukan_masuk", params={"number": f"R-{referred.pk}", "agency": "PUSPAGA Lama"},
        link="/kasus/pengaduan-masuk/", emailed_at=timezone.now())
    return {"worker": worker.pk, "registered": registered.pk, "referred": referred.pk, "case": case.pk,
            "session": session.pk, "notice": notice.pk}


@pytest.mark.django_db(transaction=True)
def test_existing_intake_requests_and_notifications_keep_their_ids_and_links():
    from django.contrib.contenttypes.models import ContentType

    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    content_type_id = ContentType.objects.get_for_model(_model("inbox", "IntakeRequest")).pk
    try:
        ids = _old_rows(_migrate(BEFORE))
        _migrate(latest)
        ContentType.objects.clear_cache()
    except BaseException:
        _migrate(latest)
        raise

    from cases.models import Case
    from inbox import services
    from inbox.models import IntakeRequest, Notification
    from prevention.models import PuspagaSession

    assert sorted(IntakeRequest.objects.values_list("pk", flat=True)) == [ids["registered"], ids["referred"]]
    assert Case.objects.get(pk=ids["case"]).intake_request.pk == ids["registered"]
    assert IntakeRequest.objects.get(pk=ids["referred"]).puspaga_session.pk == ids["session"]
    assert str(IntakeRequest.objects.get(pk=ids["referred"])) == f"R-{ids['referred']}"
    notice = Notification.objects.get(pk=ids["notice"])
    assert (notice.recipient_id, notice.text) == (
        ids["worker"], f"Rujukan masuk R-{ids['referred']} dari PUSPAGA Lama menunggu registrasi.")
    assert notice.emailed_at is not None  # an e-mail sent before the move is not sent again
    # Permissions and admin history follow the model: its content type moved with it.
    assert ContentType.objects.get_for_model(IntakeRequest).pk == content_type_id
    # New rows continue after the old ids (the table's own id sequence came along).
    newer = services.intake_request_create(actor=None, source_agency=IntakeRequest.objects.get(
        pk=ids["referred"]).source_agency, target_agency=Case.objects.get().agency, summary="Baru")
    assert newer.pk > ids["referred"]
    assert PuspagaSession.objects.get(pk=ids["session"]).intake_request_id == ids["referred"]


def _model(app_label: str, name: str):
    from django.apps import apps

    return apps.get_model(app_label, name)
