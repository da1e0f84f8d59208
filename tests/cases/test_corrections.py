"""Corrections after intake (issue 10, the living case file): every edit, add and remove of victims,
perpetrators, relationships, violence types and the incident goes through a service that writes its history row
and an audit event without personal data; only the case team may; a stale form is a conflict."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import Region, Role
from cases import corrections, deadlines, rules, selectors, services
from cases.models import Case, CaseChange, Perpetrator, Victim, VictimPerpetrator, VictimViolence
from cases.services import CaseError, VictimData
from core.models import AuditEvent
from core.versioning import StaleEdit
from tests.conftest import make_user, register_case


@pytest.fixture
def case(caseworker, regions):
    return register_case(caseworker, victim_age=15, received_at=timezone.now() - timedelta(days=3),
                         occurred_on=timezone.localdate() - timedelta(days=5))


def victim_of(case) -> Victim:
    return case.victims.get()


def audit(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def assert_no_personal_data(event: AuditEvent, *values: str) -> None:
    text = f"{event.object_label} {event.details} {event.reason}"
    for value in values:
        assert value not in text


# --- Victims ------------------------------------------------------------------------------------------------

def test_correcting_a_birth_date_moves_the_age_group_and_the_duplicate_index(case, caseworker):
    victim = victim_of(case)
    assert (victim.age_at_incident, victim.age_group, victim.is_child) == (15, "13-17", True)
    occurred = case.incident.occurred_on
    birth = occurred.replace(year=occurred.year - 20) - timedelta(days=1)
    changed = corrections.victim_update(victim=victim, actor=caseworker, version=victim.version,
                                        changes={"birth_date": birth, "name": "Nama Benar Sintetis"},
                                        reason="Salah ketik saat penerimaan")
    victim.refresh_from_db()
    assert set(changed) == {"birth_date", "name", "age_at_incident"}
    assert (victim.age_at_incident, victim.age_group, victim.is_child) == (20, "18-24", False)
    assert victim.name_birth_lookup == Victim.lookup_keys(nik="", name="Nama Benar Sintetis",
                                                          birth_date=birth)["name_birth_lookup"]
    rows = {row.field: row for row in CaseChange.objects.filter(case=case)}
    assert rows["name"].sensitive and rows["name"].old_value == "Korban Sintetis"
    assert rows["name"].new_value == "Nama Benar Sintetis" and rows["name"].reason == "Salah ketik saat penerimaan"
    assert rows["age_at_incident"].old_value.startswith("15 (") and rows["age_at_incident"].new_value.startswith("20")
    assert not rows["age_at_incident"].sensitive
    assert rows["birth_date"].record_label == f"Korban 1 ({victim.survivor_code})"
    assert rows["name"].actor == caseworker
    event = audit("case.victim_update")
    assert event.details == {"victim": victim.survivor_code, "fields": changed}
    assert_no_personal_data(event, "Nama Benar Sintetis", "Korban Sintetis", birth.isoformat())
    # Identity values are stored encrypted: the raw column holds no name.
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT old_value, new_value FROM cases_casechange WHERE field = 'name'")
        raw = " ".join(cursor.fetchone())
    assert "Sintetis" not in raw


def test_a_nik_is_checked_and_the_nik_index_follows_it(case, caseworker):
    victim = victim_of(case)
    with pytest.raises(CaseError, match="16 angka"):
        corrections.victim_update(victim=victim, actor=caseworker, version=victim.version, changes={"nik": "123"})
    victim = Victim.objects.get(pk=victim.pk)
    corrections.victim_update(victim=victim, actor=caseworker, version=victim.version,
                              changes={"nik": "7322010101010001"})
    victim.refresh_from_db()
    assert victim.nik_lookup == Victim.lookup_keys(nik="7322010101010001", name="", birth_date=None)["nik_lookup"]


def test_a_stale_victim_form_is_a_conflict_not_an_overwrite(case, caseworker, supervisor):
    victim = victim_of(case)
    read_at = victim.version
    corrections.victim_update(victim=victim, actor=supervisor, version=read_at, changes={"education": "slta"})
    with pytest.raises(StaleEdit):
        corrections.victim_update(victim=Victim.objects.get(pk=victim.pk), actor=caseworker, version=read_at,
                                  changes={"education": "sd"})
    assert Victim.objects.get(pk=victim.pk).education == "slta"


def test_adding_a_victim_later_counts_it_and_records_it(case, caseworker):
    perpetrator = case.perpetrators.get()
    victim = corrections.victim_add(case=case, actor=caseworker, relationships={perpetrator.pk: "orang_tua"},
                                    data=VictimData(name="Adik Sintetis", sex="L", age=9, violence_types=["psikis"]))
    assert victim.age_group == "6-12" and victim.is_child and victim.survivor_code.startswith("KRB-")
    assert VictimPerpetrator.objects.get(victim=victim).relationship == "orang_tua"
    assert VictimViolence.objects.get(victim=victim).known_at is not None
    row = CaseChange.objects.get(case=case, action="tambah")
    assert row.record_label == f"Korban 2 ({victim.survivor_code})" and row.new_value == "Psikis"
    event = audit("case.victim_add")
    assert_no_personal_data(event, "Adik Sintetis")
    assert case.victims.count() == 2


def test_removing_a_victim_is_soft_with_a_reason_and_leaves_the_statistics(case, caseworker):
    second = corrections.victim_add(case=case, actor=caseworker,
                                    data=VictimData(name="Tercatat Keliru", sex="P", age=30, violence_types=["fisik"]))
    start, end = case.received_at - timedelta(days=1), timezone.now() + timedelta(days=1)
    assert selectors.victims_received_in(start=start, end=end).count() == 2
    with pytest.raises(CaseError, match="alasan"):
        corrections.victim_remove(victim=second, actor=caseworker, reason=" ", version=second.version)
    second = Victim.objects.get(pk=second.pk)
    corrections.victim_remove(victim=second, actor=caseworker, reason="Dicatat dua kali", version=second.version)
    assert selectors.victims_received_in(start=start, end=end).count() == 1
    assert selectors.violence_types_received_in(start=start, end=end).count() == 1
    assert list(case.victims.all()) == [victim_of(case)]
    kept = Victim.all_objects.get(pk=second.pk)
    assert kept.removed_by == caseworker and kept.removal_reason == "Dicatat dua kali"
    row = CaseChange.objects.get(case=case, action="hapus")
    assert row.reason == "Dicatat dua kali" and row.record_label.startswith("Korban 2")
    assert audit("case.victim_remove").details == {"victim": second.survivor_code}
    # The last victim cannot go: a case records at least one.
    only = victim_of(case)
    with pytest.raises(CaseError, match="setidaknya satu korban"):
        corrections.victim_remove(victim=only, actor=caseworker, reason="Keliru", version=only.version)


def test_violence_types_added_with_when_known_and_removed_with_a_reason(case, caseworker):
    victim = victim_of(case)
    known = timezone.now() - timedelta(hours=2)
    added, removed = corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                                        violence_types=["fisik", "psikis"], known_at=known)
    assert (added, removed) == (["psikis"], [])
    assert VictimViolence.objects.get(victim=victim, violence_type="psikis").known_at == known
    victim = Victim.objects.get(pk=victim.pk)
    with pytest.raises(CaseError, match="alasan"):
        corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                           violence_types=["psikis"])
    victim = Victim.objects.get(pk=victim.pk)
    corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                       violence_types=["psikis"], reason="Bukan kekerasan fisik")
    assert list(VictimViolence.objects.filter(victim=victim).values_list("violence_type", flat=True)) == ["psikis"]
    gone = VictimViolence.all_objects.get(victim=victim, violence_type="fisik")
    assert gone.removed_at and gone.removal_reason == "Bukan kekerasan fisik"
    last = CaseChange.objects.filter(case=case, field="violence_types").first()
    assert (last.old_value, last.new_value, last.reason) == ("Fisik, Psikis", "Psikis", "Bukan kekerasan fisik")
    assert AuditEvent.objects.filter(action="case.victim_violence_update").count() == 2


# --- Perpetrators and relationships ---------------------------------------------------------------------

def test_a_perpetrator_and_their_relationship_corrected(case, caseworker):
    perpetrator = case.perpetrators.get()
    victim = victim_of(case)
    changed = corrections.perpetrator_update(perpetrator=perpetrator, actor=caseworker, version=perpetrator.version,
                                             changes={"name": "Pelaku Sintetis", "age": 40},
                                             relationships={victim.pk: "orang_tua"}, reason="Identitas diketahui")
    assert set(changed) == {"name", "age", f"relationship_{victim.pk}"}
    assert VictimPerpetrator.objects.get(perpetrator=perpetrator).relationship == "orang_tua"
    rows = {row.field: row for row in CaseChange.objects.filter(case=case)}
    assert rows["relationship"].old_value == "Tetangga" and rows["relationship"].new_value == "Orang Tua"
    assert rows["relationship"].record_label == f"Pelaku 1 – Korban 1 ({victim.survivor_code})"
    assert rows["name"].sensitive and rows["age"].old_value == "35" and rows["age"].new_value == "40"
    assert_no_personal_data(audit("case.perpetrator_update"), "Pelaku Sintetis")


def test_a_perpetrator_added_then_removed(case, caseworker):
    victim = victim_of(case)
    second = corrections.perpetrator_add(case=case, actor=caseworker, sex="P", age=16,
                                         relationships={victim.pk: "tetangga"})
    assert second.is_child and case.perpetrators.count() == 2
    second = Perpetrator.objects.get(pk=second.pk)
    corrections.perpetrator_remove(perpetrator=second, actor=caseworker, reason="Bukan pelaku",
                                   version=second.version)
    assert case.perpetrators.count() == 1
    assert not VictimPerpetrator.objects.filter(perpetrator=second).exists()  # the pair leaves the totals
    assert VictimPerpetrator.all_objects.filter(perpetrator=second).exists()  # and stays on file
    assert [row.action for row in CaseChange.objects.filter(case=case, record_type="perpetrator")] == [
        "hapus", "tambah"]
    assert AuditEvent.objects.filter(action__in=["case.perpetrator_add", "case.perpetrator_remove"]).count() == 2


# --- The incident -------------------------------------------------------------------------------------------

def test_an_incident_date_corrected_moves_every_victims_age(caseworker, regions):
    birth = date(2010, 6, 15)
    case = register_case(caseworker, victims=[VictimData(name="A", sex="P", birth_date=birth,
                                                         violence_types=["fisik"])],
                         received_at=timezone.now() - timedelta(days=1), occurred_on=date(2026, 6, 1))
    victim = victim_of(case)
    assert victim.age_at_incident == 15
    incident = case.incident
    corrections.incident_update(incident=incident, actor=caseworker, version=incident.version,
                                changes={"occurred_on": date(2026, 6, 20),
                                         "place": "sekolah"}, reason="Tanggal keliru")
    victim.refresh_from_db()
    assert victim.age_at_incident == 16
    fields = set(CaseChange.objects.filter(case=case).values_list("field", flat=True))
    assert fields == {"occurred_on", "place", "age_at_incident"}
    assert audit("case.incident_update").details == {"fields": ["occurred_on", "place"]}


# --- Who may ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["outsider", "police_officer", "official", "sysadmin", "colleague"])
def test_only_the_case_team_corrects(case, who, request, uptd):
    actor = (make_user("pendamping_lain", Role.CASEWORKER, uptd) if who == "colleague"
             else request.getfixturevalue(who))
    victim = victim_of(case)
    with pytest.raises(CaseError, match="tim kasus"):
        corrections.victim_update(victim=victim, actor=actor, version=victim.version, changes={"education": "sd"})
    with pytest.raises(CaseError, match="tim kasus"):
        corrections.perpetrator_add(case=case, actor=actor, sex="L")
    assert not CaseChange.objects.exists()


def test_the_supervisor_of_the_agency_is_on_the_team(case, supervisor):
    victim = victim_of(case)
    assert corrections.victim_update(victim=victim, actor=supervisor, version=victim.version,
                                     changes={"education": "sd"}) == ["education"]


# --- The law re-applied ---------------------------------------------------------------------------------------

def test_sexual_violence_learnt_later_bars_mediation_and_starts_the_police_clock_then(case, caseworker, supervisor):
    from inbox.models import Notification
    from tests.cases.test_mediation import mediate, ready_for_mediation

    case = ready_for_mediation(case, caseworker)
    adult = case.perpetrators.get()
    mediation = mediate(case, caseworker)
    assert not rules.is_tpks(case)
    victim = victim_of(case)
    known = timezone.now() - timedelta(hours=1)
    corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                       violence_types=["fisik", "seksual"], known_at=known)
    case.refresh_from_db()
    assert case.tpks_known_at == known
    police = next(i for i in deadlines.case_deadlines(case) if i.kind == deadlines.DeadlineKind.POLICE_REPORT)
    assert police.due_at == known + timedelta(hours=72)
    with pytest.raises(services.MediationRefused, match="UU 12/2022 tentang TPKS Pasal 23"):
        mediate(case, caseworker)
    mediation.refresh_from_db()
    assert mediation.barred_at == known
    notice = Notification.objects.get(kind="mediasi_dilarang")
    assert notice.recipient == supervisor and case.number in notice.text and adult.is_child is False
    assert CaseChange.objects.get(case=case, field="tpks").new_value == "Ya"
    # Removing it is a correction that needs its reason, and takes the clock away.
    victim = Victim.objects.get(pk=victim.pk)
    with pytest.raises(CaseError, match="alasan"):
        corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                           violence_types=["fisik"])
    victim = Victim.objects.get(pk=victim.pk)
    corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                       violence_types=["fisik"], reason="Salah pilih jenis")
    case.refresh_from_db()
    assert case.tpks_known_at is None and not rules.is_tpks(case)
    assert CaseChange.objects.filter(case=case, field="tpks").first().reason == "Salah pilih jenis"


def test_the_overdue_list_runs_the_police_clock_from_when_it_became_known(case, caseworker):
    victim = victim_of(case)
    corrections.victim_violence_update(victim=victim, actor=caseworker, version=victim.version,
                                       violence_types=["seksual"], reason="Kekerasan seksual terungkap",
                                       known_at=timezone.now() - timedelta(hours=1))
    # Received three days ago: from the complaint it would be overdue; from the disclosure it is not.
    cases = selectors.cases_visible_to(user=caseworker)

    def police_overdue(now):
        return [item for item in deadlines.deadline_items(cases, now=now)
                if item.kind == deadlines.DeadlineKind.POLICE_REPORT and item.is_overdue]

    assert police_overdue(timezone.now()) == []
    assert len(police_overdue(timezone.now() + timedelta(hours=72))) == 1
    # The same in the database filter the lists use (identified, so only the police clock can be overdue).
    services.case_identify(case=case, actor=caseworker, case_type="ampk", risk_level="rendah",
                           responsibility="kabupaten")
    assert deadlines.overdue_count(cases) == 0
    assert deadlines.overdue_count(cases, now=timezone.now() + timedelta(hours=72)) == 1


def test_tpks_forms_added_to_the_incident_also_start_the_clock(case, caseworker):
    incident = case.incident
    known = timezone.now() - timedelta(minutes=30)
    corrections.incident_update(incident=incident, actor=caseworker, version=incident.version, known_at=known,
                                changes={"tpks_forms": ["pelecehan_fisik"]})
    case.refresh_from_db()
    assert rules.is_tpks(case) and case.tpks_known_at == known


def test_a_region_mismatch_is_refused(case, caseworker):
    incident = case.incident
    other = Region.objects.filter(level=Region.Level.VILLAGE).exclude(parent_id=incident.kecamatan_id).first()
    with pytest.raises(CaseError, match="tidak berada di kecamatan"):
        corrections.incident_update(incident=incident, actor=caseworker, version=incident.version,
                                    changes={"village": other})


def test_an_unknown_choice_is_refused(case, caseworker):
    victim = victim_of(case)
    with pytest.raises(CaseError, match="tidak dikenal"):
        corrections.victim_update(victim=victim, actor=caseworker, version=victim.version,
                                  changes={"education": "sma"})



# --- Must-show 2: the KDRT case whose sexual violence comes out a week later -------------------------------

def test_a_kdrt_case_learns_of_sexual_abuse_a_week_later(caseworker, supervisor, regions):
    from zoneinfo import ZoneInfo

    import time_machine

    from reports.models import Report
    from reports.periods import Period
    from reports.services import report_generate, report_request
    from reports.statistics import compute_statistics
    from tests.cases.test_mediation import mediate, ready_for_mediation

    wita = ZoneInfo("Asia/Makassar")
    received = timezone.datetime(2026, 11, 24, 10, 0, tzinfo=wita)
    disclosed = received + timedelta(days=7)
    november = Period.parse("bulanan", "2026-11")

    def sexual_violence_girls() -> int:
        """Girls (Anak P) counted under sexual violence in November's live statistics."""
        table = compute_statistics(november).table("violence")
        return next(counts for label, counts in table.rows if label == "Seksual")[1]

    with time_machine.travel(received + timedelta(minutes=5), tick=False):
        village = Region.objects.get(code="73.22.03.2004")
        case = services.case_register(
            actor=caseworker, agency=caseworker.agency, received_at=received, intake_channel="langsung",
            incident=services.IncidentData(occurred_on=date(2026, 11, 22), place="rumah_tangga", is_kdrt=True,
                                           village=village, kecamatan=village.parent),
            victims=[VictimData(name="Istri Sintetis", sex="P", age=35, violence_types=["fisik"]),
                     VictimData(name="Anak Sintetis", sex="P", age=14, violence_types=["fisik"])],
            perpetrators=[services.PerpetratorData(sex="L", age=40, relationships={0: "suami_istri",
                                                                                   1: "orang_tua"})])
        ready_for_mediation(case, caseworker)
        services.mediation_check(case)  # physical KDRT with an adult perpetrator: the law allows mediation
    assert not any(i.kind == deadlines.DeadlineKind.POLICE_REPORT for i in deadlines.case_deadlines(case))

    # The November report is published on 1 December, before anyone knows.
    with time_machine.travel(disclosed - timedelta(hours=1), tick=False):
        report = report_generate(report_id=report_request(actor=None, kind="bulanan", period_code="2026-11",
                                                          queue=False).pk)
    assert report.status == Report.Status.DONE
    published = (report.sha256, report.summary, report.file.open("rb").read())
    assert sexual_violence_girls() == 0

    with time_machine.travel(disclosed, tick=False):
        daughter = case.victims.get(age_at_incident=14)
        corrections.victim_violence_update(victim=daughter, actor=caseworker, version=daughter.version,
                                           violence_types=["fisik", "seksual"])
        case = Case.objects.get(pk=case.pk)
        with pytest.raises(services.MediationRefused, match=r"UU 12/2022 tentang TPKS Pasal 23"):
            mediate(case, caseworker)
        police = next(i for i in deadlines.case_deadlines(case) if i.kind == deadlines.DeadlineKind.POLICE_REPORT)
    # UU 12/2022 Pasal 41: 3x24 hours from the disclosure, not from the complaint a week earlier.
    assert police.due_at == disclosed + timedelta(hours=72)
    assert sexual_violence_girls() == 1  # November, an open period, follows the corrected facts
    report = Report.objects.get(pk=report.pk)
    assert (report.sha256, report.summary, report.file.open("rb").read()) == published
    assert Report.objects.filter(kind="bulanan", period="2026-11").count() == 1  # nothing regenerated it


def test_the_retention_purge_blanks_removed_victims_and_the_history(caseworker, supervisor, regions, settings):
    """UU 27/2022 Pasal 16: a removed victim and the history's old identity values are personal data too."""
    settings.SIMPUL_RETENTION_YEARS = 10
    received = timezone.datetime(2014, 3, 10, 9, tzinfo=timezone.get_default_timezone())
    case = register_case(caseworker, received_at=received, occurred_on=date(2014, 3, 7))
    victim = victim_of(case)
    corrections.victim_update(victim=victim, actor=caseworker, version=victim.version,
                              changes={"name": "Nama Baru Sari"}, reason="Ibu Sari membetulkan")
    extra = corrections.victim_add(case=case, actor=caseworker,
                                   data=VictimData(name="Keliru Sari", sex="P", age=20, violence_types=["fisik"]))
    extra = Victim.objects.get(pk=extra.pk)
    corrections.victim_remove(victim=extra, actor=caseworker, reason="Sari dicatat dua kali", version=extra.version)
    services.closure_request(case=case, actor=caseworker, reason="Selesai", at=received + timedelta(days=30))
    services.closure_approve(case=case, actor=supervisor, at=received + timedelta(days=31))

    assert services.cases_anonymise_due(actor=None) == [case.number]
    removed = Victim.all_objects.get(pk=extra.pk)
    assert (removed.name, removed.removal_reason) == ("[dianonimkan]", "")
    kept = " ".join(f"{c.old_value} {c.new_value} {c.reason}" for c in CaseChange.objects.filter(case=case))
    assert "Sari" not in kept and "Korban Sintetis" not in kept
    assert CaseChange.objects.get(case=case, field="name").old_value == "[dianonimkan]"
