"""Intake (penerimaan pengaduan): case numbers, survivor codes, age at incident, and refusals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, Victim, VictimPerpetrator
from cases.selectors import case_counts_by_village, cases_visible_to
from core.models import AuditEvent
from inbox import services as inbox_services
from tests.conftest import register_case


def test_register_numbers_cases_per_district_and_year(caseworker, regions):
    first = register_case(caseworker)
    second = register_case(caseworker)
    year = timezone.localdate().year
    assert first.number == f"73.22/{year}/0001"
    assert second.number == f"73.22/{year}/0002"


def test_register_gives_each_victim_a_pseudonymous_code_and_the_age_group_at_the_incident(caseworker, regions):
    victims = [
        services.VictimData(name="Anak Sintetis", sex="P", birth_date=date(2010, 6, 1), violence_types=["seksual"]),
        services.VictimData(name="Ibu Sintetis", sex="P", age=30, violence_types=["fisik", "psikis"]),
    ]
    case = register_case(caseworker, victims=victims, occurred_on=date(2026, 5, 31),
                         received_at=timezone.make_aware(timezone.datetime(2026, 6, 2, 9)), perpetrators=[])
    child, adult = case.victims.order_by("id")
    # Born 1 June 2010: 15 on 31 May 2026 (the incident), though 16 by the time of the complaint.
    assert (child.age_at_incident, child.age_group, child.is_child) == (15, "13-17", True)
    assert (adult.age_group, adult.is_child) == ("25-44", False)
    assert child.survivor_code.startswith("KRB-") and child.survivor_code != adult.survivor_code
    assert sorted(adult.violence_types.values_list("violence_type", flat=True)) == ["fisik", "psikis"]


def test_relationship_is_stored_per_victim_perpetrator_pair(caseworker, regions):
    victims = [services.VictimData(name="A", sex="P", age=12, violence_types=["fisik"]),
               services.VictimData(name="B", sex="L", age=9, violence_types=["fisik"])]
    perpetrators = [services.PerpetratorData(sex="L", age=40, relationships={0: "orang_tua", 1: "keluarga"})]
    case = register_case(caseworker, victims=victims, perpetrators=perpetrators)
    pairs = VictimPerpetrator.objects.filter(victim__case=case).order_by("victim_id")
    assert [p.relationship for p in pairs] == ["orang_tua", "keluarga"]


def test_register_is_audited_without_personal_data(caseworker, regions):
    case = register_case(caseworker)
    event = AuditEvent.objects.get(action="case.register")
    assert event.object_label == case.number
    assert "Korban Sintetis" not in str(event.details) + event.object_label


@pytest.mark.parametrize(("victim", "message"), [
    (dict(nik="12345"), "NIK korban 1 harus 16 angka."),
    (dict(birth_date=date.today() + timedelta(days=3)), "Tanggal lahir korban 1 tidak boleh di masa depan."),
    (dict(age=None), "Isi tanggal lahir atau usia korban 1."),
    (dict(violence_types=[]), "Pilih setidaknya satu jenis kekerasan untuk korban 1."),
])
def test_register_refuses_bad_victim_data_with_a_clear_message(caseworker, regions, victim, message):
    data = dict(name="X", sex="P", age=20, violence_types=["fisik"]) | victim
    with pytest.raises(services.CaseError, match=message):
        register_case(caseworker, victims=[services.VictimData(**data)])
    assert not Case.objects.exists()


def test_register_refuses_an_incident_after_the_complaint(caseworker, regions):
    received = timezone.now() - timedelta(days=5)
    with pytest.raises(services.CaseError, match="Tanggal kejadian tidak boleh sesudah pengaduan diterima."):
        register_case(caseworker, received_at=received, occurred_on=timezone.localdate(received) + timedelta(days=1))


def test_caseworker_registering_is_assigned_and_sees_the_case(caseworker, supervisor, outsider, regions):
    case = register_case(caseworker)
    assert case.assigned_worker == caseworker
    assert list(cases_visible_to(user=caseworker)) == [case]
    assert list(cases_visible_to(user=supervisor)) == [case]
    assert list(cases_visible_to(user=outsider)) == []


def test_case_counts_by_village_count_cases_by_received_date(caseworker, regions):
    register_case(caseworker, village_code="73.22.03.2004")
    register_case(caseworker, village_code="73.22.03.2004")
    register_case(caseworker, village_code="73.22.04.2002")
    register_case(caseworker, received_at=timezone.now() - timedelta(days=400), village_code="73.22.04.2002")
    today = timezone.localdate()
    counts = case_counts_by_village(start=today - timedelta(days=30), end=today)
    assert counts == {"73.22.03.2004": 2, "73.22.04.2002": 1}


def test_child_consent_must_come_from_a_parent_or_guardian(caseworker, regions):
    case = register_case(caseworker, victim_age=10)
    victim = case.victims.get()
    with pytest.raises(services.CaseError, match="UU 27/2022 Pasal 25"):
        services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan"], given_by="korban",
                                form_version="IC-2026-1")
    with pytest.raises(services.CaseError, match="Orang tua atau wali yang menjadi pelaku"):
        services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan"], given_by="orang_tua",
                                form_version="IC-2026-1", parent_is_perpetrator=True, giver_is_perpetrator=True)
    consent = services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan"],
                                      given_by="wali", given_by_name="Wali Sintetis", form_version="IC-2026-1",
                                      parent_is_perpetrator=True)
    assert consent.needs_approval and not consent.is_effective


def test_service_delivery_sets_first_service_time_and_refuses_future_dates(caseworker, regions):
    case = register_case(caseworker)
    victim = case.victims.get()
    with pytest.raises(services.CaseError, match="masa depan"):
        services.service_delivery_record(case=case, victim=victim, actor=caseworker, service="kesehatan",
                                         delivered_on=timezone.localdate() + timedelta(days=1))
    services.service_delivery_record(case=case, victim=victim, actor=caseworker, service="kesehatan",
                                     delivered_on=timezone.localdate())
    case.refresh_from_db()
    assert case.first_service_at is not None


def test_intake_request_joins_the_uptd_queue(caseworker, regions):
    from agencies.models import Agency

    patbm = Agency.objects.create(name="PATBM Uji", agency_type="patbm")
    intake = inbox_services.intake_request_create(actor=caseworker, source_agency=patbm,
                                                  summary="Keluarga perlu dibantu")
    assert intake.target_agency == caseworker.agency
    case = register_case(caseworker, intake_request=intake)
    intake.refresh_from_db()
    assert intake.status == "terdaftar" and case.intake_request == intake


def test_victim_survivor_codes_are_unique(caseworker, regions):
    for _ in range(5):
        register_case(caseworker)
    codes = list(Victim.objects.values_list("survivor_code", flat=True))
    assert len(codes) == len(set(codes)) == 5
