"""The workflow of the UPTD PPA service standard (Permen PPPA 2/2022): each transition checks its
preconditions, refuses with a message a caseworker understands, and writes an audit event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Role
from cases import services
from cases.models import Case
from core.models import AuditEvent
from tests.conftest import make_user, register_case


def identify(case, actor, risk="sedang"):
    return services.case_identify(case=case, actor=actor, case_type="ampk", risk_level=risk,
                                  responsibility="kabupaten")


def assess(case, actor, risk="sedang"):
    return services.assessment_record(case=case, actor=actor, risk_level=risk,
                                      needs=["need_health", "need_psychological"], notes="Asesmen sintetis")


def plan(case, actor):
    return services.planned_service_add(case=case, actor=actor, service="kesehatan",
                                        due_on=timezone.localdate() + timedelta(days=7),
                                        provider_agency=actor.agency)


def deliver(case, actor):
    return services.service_delivery_record(case=case, victim=case.victims.first(), actor=actor,
                                            service="kesehatan", delivered_on=timezone.localdate())


def stage_of(case) -> str:
    return Case.objects.get(pk=case.pk).stage


def test_the_whole_path_from_complaint_to_closure(caseworker, supervisor, regions):
    case = register_case(caseworker)
    assert case.stage == "pengaduan"
    identify(case, caseworker)
    assert stage_of(case) == "identifikasi"
    assess(case, caseworker, risk="tinggi")
    case.refresh_from_db()
    assert (case.stage, case.risk_level) == ("asesmen", "tinggi")
    plan(case, caseworker)
    assert stage_of(case) == "rencana"
    services.intervention_start(case=case, actor=caseworker)
    assert stage_of(case) == "pelaksanaan"
    deliver(case, caseworker)
    services.monitoring_start(case=case, actor=caseworker, notes="Korban sudah kembali sekolah")
    assert stage_of(case) == "pemantauan"
    services.closure_request(case=case, actor=caseworker, reason="Tujuan intervensi tercapai")
    assert stage_of(case) == "pemantauan"  # only the supervisor's approval closes it
    services.closure_approve(case=case, actor=supervisor)
    case.refresh_from_db()
    assert case.stage == "terminasi" and case.closed_at and case.closure_approved_by == supervisor
    actions = list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["case.register", "case.identify", "case.assessment", "case.plan_add",
                       "case.intervention_start", "case.service_delivery", "case.monitoring_start",
                       "case.closure_request", "case.closure_approve"]


def test_assessment_needs_an_identified_open_case(caseworker, regions):
    case = register_case(caseworker)
    with pytest.raises(services.CaseError, match="Lakukan identifikasi kasus sebelum asesmen."):
        assess(case, caseworker)
    identify(case, caseworker)
    with pytest.raises(services.CaseError, match="tingkat risiko"):
        services.assessment_record(case=case, actor=caseworker, risk_level="", needs=[])
    assert not case.assessments.exists()


def test_reassessment_updates_risk_but_not_stage(caseworker, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    assess(case, caseworker)
    plan(case, caseworker)
    assess(case, caseworker, risk="rendah")
    case.refresh_from_db()
    assert (case.stage, case.risk_level, case.assessments.count()) == ("rencana", "rendah", 2)


def test_no_intervention_plan_without_an_assessment(caseworker, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    with pytest.raises(services.CaseError, match="Rencana intervensi memerlukan asesmen lebih dahulu."):
        plan(case, caseworker)
    assert stage_of(case) == "identifikasi" and not case.planned_services.exists()


def test_a_plan_line_needs_a_provider_and_a_date_not_in_the_past(caseworker, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    assess(case, caseworker)
    with pytest.raises(services.CaseError, match="Pilih lembaga atau petugas"):
        services.planned_service_add(case=case, actor=caseworker, service="kesehatan",
                                     due_on=timezone.localdate())
    with pytest.raises(services.CaseError, match="Target tanggal tidak boleh sebelum rencana dibuat."):
        services.planned_service_add(case=case, actor=caseworker, service="kesehatan", provider_user=caseworker,
                                     due_on=timezone.localdate() - timedelta(days=1))


def test_intervention_starts_only_from_a_plan_with_lines(caseworker, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    with pytest.raises(services.CaseError, match="dari tahap rencana intervensi"):
        services.intervention_start(case=case, actor=caseworker)


def test_monitoring_needs_a_service_or_accompaniment(caseworker, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    assess(case, caseworker)
    plan(case, caseworker)
    services.intervention_start(case=case, actor=caseworker)
    with pytest.raises(services.CaseError, match="Catat setidaknya satu layanan atau pendampingan"):
        services.monitoring_start(case=case, actor=caseworker)
    services.accompaniment_record(case=case, actor=caseworker, occurred_at=timezone.now(), kind="medis")
    services.monitoring_start(case=case, actor=caseworker)
    assert stage_of(case) == "pemantauan"


def test_closure_needs_a_reason_and_a_supervisors_approval(caseworker, supervisor, regions):
    case = register_case(caseworker)
    identify(case, caseworker)
    with pytest.raises(services.CaseError, match="Tuliskan alasan terminasi."):
        services.closure_request(case=case, actor=caseworker, reason="  ")
    with pytest.raises(services.CaseError, match="Belum ada pengajuan terminasi"):
        services.closure_approve(case=case, actor=supervisor)
    services.closure_request(case=case, actor=caseworker, reason="Korban pindah ke provinsi lain")
    with pytest.raises(services.CaseError, match="sudah diajukan"):
        services.closure_request(case=case, actor=caseworker, reason="Lagi")
    with pytest.raises(services.CaseError, match="Hanya koordinator lembaga ini"):
        services.closure_approve(case=case, actor=caseworker)
    assert stage_of(case) == "identifikasi"


def test_a_supervisor_does_not_approve_their_own_closure_request(caseworker, supervisor, uptd, regions):
    case = register_case(caseworker)
    services.closure_request(case=case, actor=supervisor, reason="Pengaduan salah sasaran")
    with pytest.raises(services.CaseError, match="bukan oleh yang mengajukan"):
        services.closure_approve(case=case, actor=supervisor)
    second = make_user("koordinator_dua", Role.SUPERVISOR, uptd)
    services.closure_approve(case=case, actor=second)
    assert stage_of(case) == "terminasi"


def test_a_supervisor_of_another_agency_cannot_approve(caseworker, outsider, other_agency, regions):
    case = register_case(caseworker)
    services.closure_request(case=case, actor=caseworker, reason="Selesai")
    foreign = make_user("koordinator_luar", Role.SUPERVISOR, other_agency)
    with pytest.raises(services.CaseError, match="Hanya koordinator lembaga ini"):
        services.closure_approve(case=case, actor=foreign)


def test_rejected_closure_keeps_the_case_open_with_the_reason(caseworker, supervisor, regions):
    case = register_case(caseworker)
    services.closure_request(case=case, actor=caseworker, reason="Korban tidak dapat dihubungi")
    with pytest.raises(services.CaseError, match="alasan penolakan"):
        services.closure_reject(case=case, actor=supervisor, reason="")
    services.closure_reject(case=case, actor=supervisor, reason="Coba kunjungan rumah dulu")
    case.refresh_from_db()
    assert case.stage == "pengaduan" and case.closure_requested_at is None
    assert case.closure_rejection_reason == "Coba kunjungan rumah dulu"
    assert AuditEvent.objects.filter(action="case.closure_reject", actor=supervisor).exists()
    # The worker may ask again.
    services.closure_request(case=case, actor=caseworker, reason="Sudah dikunjungi, korban menolak layanan")


def closed_case(caseworker, supervisor):
    case = register_case(caseworker)
    identify(case, caseworker)
    services.closure_request(case=case, actor=caseworker, reason="Selesai")
    return services.closure_approve(case=case, actor=supervisor)


def test_a_closed_case_refuses_further_work_until_reopened(caseworker, supervisor, regions):
    case = closed_case(caseworker, supervisor)
    with pytest.raises(services.CaseError, match="Kasus sudah ditutup"):
        assess(case, caseworker)
    with pytest.raises(services.CaseError, match="Kasus sudah ditutup"):
        deliver(case, caseworker)
    with pytest.raises(services.CaseError, match="alasan membuka kembali"):
        services.case_reopen(case=case, actor=supervisor, reason="")
    services.case_reopen(case=case, actor=supervisor, reason="Kekerasan berulang dilaporkan")
    case.refresh_from_db()
    assert (case.stage, case.closed_at, case.reopen_count) == ("asesmen", None, 1)
    assert case.reopen_reason == "Kekerasan berulang dilaporkan" and case.closure_reason == ""
    # The closure reason it replaces is kept in the case's notes, for its team.
    assert case.notes.get().text == ("Kasus dibuka kembali. Alasan: Kekerasan berulang dilaporkan\n"
                                     "Alasan terminasi sebelumnya: Selesai")
    assess(case, caseworker)  # work goes on


def test_only_a_closed_case_is_reopened(caseworker, regions):
    case = register_case(caseworker)
    with pytest.raises(services.CaseError, match="Hanya kasus yang sudah ditutup"):
        services.case_reopen(case=case, actor=caseworker, reason="x")


def test_supervisor_assigns_and_reassigns_within_the_agency(caseworker, supervisor, outsider, uptd, regions):
    case = register_case(supervisor)
    assert case.assigned_worker is None
    services.case_assign(case=case, actor=supervisor, worker=caseworker)
    second = make_user("pendamping_dua", Role.CASEWORKER, uptd)
    services.case_assign(case=case, actor=supervisor, worker=second)
    case.refresh_from_db()
    assert case.assigned_worker == second
    event = AuditEvent.objects.filter(action="case.assign").latest("id")
    assert event.details == {"from": "pendamping_uji", "to": "pendamping_dua"}
    with pytest.raises(services.CaseError, match="staf aktif lembaga"):
        services.case_assign(case=case, actor=supervisor, worker=outsider)
    with pytest.raises(services.CaseError, match="Hanya koordinator"):
        services.case_assign(case=case, actor=caseworker, worker=caseworker)


def test_recording_after_the_fact_never_goes_before_the_complaint_or_into_the_future(caseworker, regions):
    received = timezone.now() - timedelta(days=2)
    case = register_case(caseworker, received_at=received)
    with pytest.raises(services.CaseError, match="sebelum pengaduan diterima"):
        services.case_identify(case=case, actor=caseworker, case_type="ktp", risk_level="rendah",
                               responsibility="kabupaten", at=received - timedelta(hours=1))
    with pytest.raises(services.CaseError, match="masa depan"):
        services.case_identify(case=case, actor=caseworker, case_type="ktp", risk_level="rendah",
                               responsibility="kabupaten", at=timezone.now() + timedelta(hours=1))
    services.case_identify(case=case, actor=caseworker, case_type="ktp", risk_level="rendah",
                           responsibility="kabupaten", at=received + timedelta(hours=3))
    case.refresh_from_db()
    assert case.identified_at == received + timedelta(hours=3)
