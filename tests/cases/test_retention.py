"""Retention (UU 27/2022 PDP): closed cases past SIMPUL_RETENTION_YEARS are anonymised by the purge, the
statistics of their period do not move, and a case under legal hold is left alone."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import Case, Victim
from core.models import AuditEvent
from reports.periods import Period
from reports.statistics import compute_statistics
from tests.cases.test_records import PDF
from tests.conftest import register_case

WITA = timezone.get_default_timezone()
RECEIVED = datetime(2014, 3, 10, 9, tzinfo=WITA)
MARCH_2014 = Period.parse("bulanan", "2014-03")


def closed_case(caseworker, supervisor, *, days_after: int, **kwargs) -> Case:
    case = register_case(caseworker, received_at=RECEIVED + timedelta(hours=days_after),
                         occurred_on=RECEIVED.date() - timedelta(days=3), assigned_worker=caseworker, **kwargs)
    services.case_note_add(case=case, actor=caseworker, text="Ibu Sari cerita di rumah Jl. Melati 4")
    services.attachment_add(case=case, actor=caseworker, document_type="visum",
                            upload=SimpleUploadedFile("visum-sari.pdf", PDF))
    services.closure_request(case=case, actor=caseworker, reason="Selesai, korban Sari pindah",
                             at=RECEIVED + timedelta(days=30 + days_after))
    return services.closure_approve(case=case, actor=supervisor, at=RECEIVED + timedelta(days=31 + days_after))


@pytest.fixture
def past_cases(personas, regions, settings):
    settings.SIMPUL_RETENTION_YEARS = 10
    caseworker, supervisor = personas["caseworker"], personas["supervisor"]
    victim = services.VictimData(name="Sari Wulandari", sex="P", birth_date=date(1999, 6, 1),
                                 violence_types=["seksual", "psikis"],
                                 nik="7322034101100001", phone="081234567890", address_detail="Jl. Melati 4")
    due = closed_case(caseworker, supervisor, days_after=0, victims=[victim], reporter_name="Bapak Pelapor",
                      reporter_contact="0811111")
    held = closed_case(caseworker, supervisor, days_after=1)
    services.legal_hold_set(case=held, actor=supervisor, reason="Banding di Pengadilan Tinggi")
    recent = register_case(caseworker)  # open, received now
    return {"due": due, "held": held, "recent": recent, "supervisor": supervisor}


NOW = datetime(2024, 6, 1, 12, tzinfo=WITA)  # ten years and a bit after the 2014 closures


def test_the_dry_run_lists_the_numbers_of_the_cases_due_and_changes_nothing(past_cases, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out, stderr=StringIO())
    assert out.getvalue().split() == [past_cases["due"].number]
    assert Victim.objects.get(case=past_cases["due"]).name == "Sari Wulandari"
    assert not Case.objects.filter(anonymised_at__isnull=False).exists()


def test_nothing_is_due_before_the_retention_period_ends(past_cases):
    assert not services.cases_due_for_anonymisation(now=datetime(2024, 3, 1, tzinfo=WITA)).exists()


def test_the_purge_anonymises_keeps_past_statistics_and_skips_the_held_case(past_cases, private_media,
                                                                           django_capture_on_commit_callbacks):
    before = compute_statistics(MARCH_2014, now=NOW)
    due = past_cases["due"]
    files = [path for path in private_media.rglob("*") if path.is_file()]
    assert len(files) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert services.cases_anonymise_due(actor=None, now=NOW) == [due.number]

    due.refresh_from_db()
    victim = due.victims.get()
    assert (victim.name, victim.nik, victim.phone, victim.address_detail, victim.birth_date) == (
        "[dianonimkan]", "", "", "", None)
    assert (victim.nik_lookup, victim.name_birth_lookup) == ("", "")
    assert (due.reporter_name, due.reporter_contact) == ("", "")
    assert "Sari" not in due.closure_reason
    assert all("Sari" not in note.text for note in due.notes.all())
    assert not due.attachments.exists()
    # Statistics keep what they count.
    assert (victim.sex, victim.age_at_incident, victim.is_child) == ("P", 14, True)
    # No trace left in the database text either (the encrypted columns hold blanks now).
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, nik FROM cases_victim WHERE id = %s", [victim.pk])
        stored = cursor.fetchone()
    assert "Sari" not in str(stored)
    remaining = [path for path in private_media.rglob("*") if path.is_file()]
    assert len(remaining) == 1  # the held case's visum only

    held = Case.objects.get(pk=past_cases["held"].pk)
    assert held.anonymised_at is None
    assert held.victims.get().name == "Korban Sintetis"
    assert held.attachments.count() == 1

    after = compute_statistics(MARCH_2014, now=NOW)
    assert before.cases == after.cases == 2
    assert before.victims == after.victims
    for table in before.tables:
        assert after.table(table.key).rows == table.rows, table.key
    assert AuditEvent.objects.filter(action="case.anonymise", object_label=due.number).exists()
    # A second run finds nothing left to do.
    assert services.cases_anonymise_due(actor=None, now=NOW) == []


def test_a_cleared_hold_lets_the_case_be_purged(past_cases):
    held = past_cases["held"]
    services.legal_hold_clear(case=held, actor=past_cases["supervisor"], reason="Putusan berkekuatan hukum tetap")
    assert held.number in services.cases_anonymise_due(actor=None, now=NOW)
    assert AuditEvent.objects.filter(action="case.legal_hold_clear", object_label=held.number).exists()


def test_only_a_supervisor_of_the_agency_sets_a_hold(past_cases, personas):
    with pytest.raises(services.CaseError):
        services.legal_hold_set(case=past_cases["due"], actor=personas["caseworker"], reason="x")


def test_the_monthly_beat_job_runs_the_purge(past_cases):
    from config.celery import app
    from config.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["retention-purge"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert app.tasks[entry["task"]].delay().get() == 1  # today is long past 2024: the due case, not the held one
    assert Case.objects.get(pk=past_cases["due"].pk).anonymised_at is not None
    assert Case.objects.get(pk=past_cases["held"].pk).anonymised_at is None
