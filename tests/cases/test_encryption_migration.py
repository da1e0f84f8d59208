"""The data migrations encrypt what an existing database holds in plain: rows written with the models of before
are ciphertext afterwards (read with SQL), the application reads them as they were, the duplicate check finds
the old victims by NIK, and a stored attachment is encrypted on disk (SQLite locally, PostgreSQL in CI)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("cases", "0005_intakerequest_moves_to_inbox"),
          ("inbox", "0002_notification_kinds_for_access_approval"), ("prevention", "0002_intakerequest_moves_to_inbox"),
          ("referrals", "0005_notification_moves_to_inbox")]
PDF = b"%PDF-1.4\n% LAMPIRAN-LAMA\n%%EOF\n"


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def _old_rows(old, private_media) -> dict:
    agency = old.get_model("agencies", "Agency").objects.create(name="UPTD PPA Lama", agency_type="uptd_ppa")
    puspaga = old.get_model("agencies", "Agency").objects.create(name="PUSPAGA Lama", agency_type="puspaga")
    counsellor = old.get_model("agencies", "User").objects.create(username="konselor_lama", role="mitra",
                                                                  agency=puspaga)
    case = old.get_model("cases", "Case").objects.create(
        number="73.22/2025/0001", agency=agency, received_at=timezone.now(), intake_channel="langsung",
        reporter_name="Pelapor Lamawati")
    old.get_model("cases", "Incident").objects.create(case=case, occurred_on=date(2025, 1, 2), place="rumah_tangga",
                                                      chronology="Kronologi lama")
    old.get_model("cases", "Victim").objects.create(
        case=case, survivor_code="K-LAMA-1", name="Mawar Lamasari", nik="7322015505100002",
        birth_date=date(2010, 5, 15), age_at_incident=14, age_group="13_17", is_child=True, sex="P",
        phone="081200000001")
    stored = private_media / "cases" / "2025" / "01" / "lama.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(PDF)
    old.get_model("cases", "Attachment").objects.create(case=case, document_type="visum", file="cases/2025/01/lama.pdf",
                                                        original_name="visum Mawar Lamasari.pdf",
                                                        content_type="application/pdf", size=len(PDF))
    old.get_model("inbox", "IntakeRequest").objects.create(target_agency=agency, source_agency=puspaga,
                                                           summary="Ringkasan keluarga Lamasari")
    old.get_model("prevention", "PuspagaSession").objects.create(
        agency=puspaga, held_on=date(2025, 1, 3), channel="tatap_muka", issue="pengasuhan", counsellor=counsellor,
        notes="Catatan sesi Lamasari")
    return {"case": case.pk, "file": stored}


@pytest.mark.django_db(transaction=True)
def test_existing_plain_rows_and_files_are_encrypted_by_the_migrations(private_media, supervisor):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _old_rows(_migrate(BEFORE), private_media)
        _migrate(latest)
    except BaseException:
        _migrate(latest)
        raise

    from cases.models import Case
    from cases.selectors import possible_duplicates
    from inbox.models import IntakeRequest
    from prevention.models import PuspagaSession

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, nik, birth_date, phone FROM cases_victim")
        assert all(value.startswith("sv1$") for value in cursor.fetchone())
        cursor.execute("SELECT reporter_name FROM cases_case")
        assert cursor.fetchone()[0].startswith("sv1$")
        cursor.execute("SELECT summary FROM inbox_intakerequest")
        assert cursor.fetchone()[0].startswith("sv1$")
        cursor.execute("SELECT notes FROM prevention_puspagasession")
        assert cursor.fetchone()[0].startswith("sv1$")
    assert b"LAMPIRAN-LAMA" not in old["file"].read_bytes()

    case = Case.objects.get(pk=old["case"])
    victim = case.victims.get()
    assert (victim.name, victim.nik, victim.birth_date) == ("Mawar Lamasari", "7322015505100002", date(2010, 5, 15))
    assert case.reporter_name == "Pelapor Lamawati" and case.incident.chronology == "Kronologi lama"
    assert IntakeRequest.objects.get().summary == "Ringkasan keluarga Lamasari"
    assert PuspagaSession.objects.get().notes == "Catatan sesi Lamasari"
    with case.attachments.get().file.open("rb") as opened:
        assert opened.read() == PDF
    case.agency = supervisor.agency
    case.save(update_fields=["agency"])
    matches = possible_duplicates(user=supervisor, victims=[("7322015505100002", "", None)])
    assert [m.case_number for m in matches] == [case.number]
