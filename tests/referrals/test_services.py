"""The referral services and their rules: send (consent gate, legal-basis override, minimal disclosure),
accept, decline, record service, complete, revoke, escalate, message."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case, ServiceDelivery
from core.codes import AgencyType
from core.models import AuditEvent
from inbox.models import Notification
from referrals import services
from referrals.models import Referral
from referrals.services import ReferralError
from tests.referrals.conftest import VICTIM_NAME, VICTIM_PHONE, new_case, record_sharing_consent, send

# --- send: what is shared ---------------------------------------------------------------------------


def test_send_shares_a_minimal_summary_by_default(referral, caseworker, police_officer):
    victim = referral.victim
    assert referral.status == Referral.Status.NEW
    assert referral.number == f"0001/RJK/73.22/{timezone.localdate().year}"
    assert referral.shared["survivor_code"] == victim.survivor_code
    assert (referral.shared["age_group"], referral.shared["sex"], referral.shared["violence_types"]) == (
        "13-17", "P", ["fisik"])
    assert referral.shared["caseworker"]["name"] == caseworker.display_name
    assert "victim_name" not in referral.shared and VICTIM_NAME not in str(referral.shared)
    assert not referral.shares_identity and referral.consent is not None
    assert list(referral.requested_services.values_list("service", flat=True)) == ["penegakan_hukum"]
    event = AuditEvent.objects.get(action="referral.send")
    assert event.object_label == referral.number and VICTIM_NAME not in str(event.details)
    assert Notification.objects.filter(recipient=police_officer, kind="baru", params__number=referral.number).exists()


def test_send_shares_name_and_phone_only_when_asked_and_consented(consented_case, caseworker, police_agency):
    referral = send(caseworker, consented_case, police_agency, share_identity=True)
    assert referral.shares_identity
    assert (referral.shared["victim_name"], referral.shared["victim_phone"]) == (VICTIM_NAME, VICTIM_PHONE)


def test_send_carries_the_needs_of_the_latest_assessment(consented_case, caseworker, police_agency):
    from cases import services as case_services

    case_services.case_identify(case=consented_case, actor=caseworker, case_type="ampk", risk_level="tinggi",
                                responsibility="kabupaten")
    case_services.assessment_record(case=consented_case, actor=caseworker, risk_level="tinggi",
                                    needs=["need_health", "need_legal"], notes="Catatan asesmen rahasia.")
    referral = send(caseworker, consented_case, police_agency)
    assert referral.shared["needs"] == ["health", "legal"]
    assert "Catatan asesmen rahasia." not in str(referral.shared)


def test_a_withdrawn_consent_closes_the_gate_and_hides_the_identity_already_shared(consented_case, caseworker,
                                                                                   police_agency, hospital):
    from cases import services as case_services
    from referrals.sharing import shared_rows_for

    referral = send(caseworker, consented_case, police_agency, share_identity=True)
    assert VICTIM_NAME in str(shared_rows_for(referral))
    case_services.consent_withdraw(consent=referral.consent, actor=caseworker, reason="Korban menarik persetujuan.")
    referral.refresh_from_db()
    # UU 27/2022 PDP: processing stops when consent is withdrawn; the partner no longer sees the name.
    assert VICTIM_NAME not in str(shared_rows_for(referral)) and VICTIM_PHONE not in str(shared_rows_for(referral))
    with pytest.raises(ReferralError, match="belum mencakup"):
        send(caseworker, consented_case, hospital)


@pytest.mark.parametrize(("urgency", "hours"), [("darurat", 2), ("segera", 24)])
def test_answer_deadline_follows_the_urgency(consented_case, caseworker, police_agency, urgency, hours):
    referral = send(caseworker, consented_case, police_agency, urgency=urgency)
    assert referral.due_at - referral.sent_at == timedelta(hours=hours)
    assert referral.escalate_at - referral.due_at == timedelta(hours=hours)


def test_ordinary_referral_is_answered_within_three_working_days(db):
    from datetime import datetime

    from referrals.sharing import answer_deadline

    friday = timezone.make_aware(datetime(2026, 6, 5, 10, 0))  # a Friday, WITA
    assert timezone.localtime(answer_deadline(urgency="biasa", start=friday)) == timezone.make_aware(
        datetime(2026, 6, 10, 10, 0))  # Monday, Tuesday, Wednesday


def test_deadlines_come_from_settings(consented_case, caseworker, police_agency, settings):
    settings.REFERRAL_ANSWER_HOURS_DARURAT = 1
    referral = send(caseworker, consented_case, police_agency, urgency="darurat")
    assert referral.due_at - referral.sent_at == timedelta(hours=1)


# --- send: the consent gate and the legal-basis override ---------------------------------------------

def test_send_without_consent_is_refused_with_the_law_named(case, caseworker, police_agency):
    with pytest.raises(ReferralError, match="belum mencakup berbagi data dengan Unit PPA Polres") as error:
        send(caseworker, case, police_agency)
    assert "UU 12/2022 Pasal 41" in str(error.value) and "UU 35/2014 Pasal 59" in str(error.value)
    assert not Referral.objects.exists()


def test_consent_for_another_kind_of_agency_does_not_open_the_gate(case, caseworker, police_agency):
    record_sharing_consent(case, caseworker, [AgencyType.HOSPITAL])
    with pytest.raises(ReferralError, match="belum mencakup"):
        send(caseworker, case, police_agency)


def test_consent_awaiting_approval_does_not_open_the_gate(case, caseworker, police_agency):
    from cases import services as case_services

    # A guardian's consent for a child whose parent is the perpetrator waits for a supervisor (UU 27/2022 Pasal 25).
    case_services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["berbagi"],
                                 given_by="wali", form_version="v1", sharing_agency_types=[AgencyType.POLICE],
                                 parent_is_perpetrator=True)
    with pytest.raises(ReferralError, match="belum mencakup"):
        send(caseworker, case, police_agency)


def test_only_a_supervisor_may_record_a_legal_basis(case, caseworker, police_agency):
    with pytest.raises(ReferralError, match="Hanya koordinator"):
        send(caseworker, case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="Anak terancam.")


def test_supervisor_sends_a_child_at_risk_on_a_legal_basis_with_a_reason(case, supervisor, police_agency):
    referral = send(supervisor, case, police_agency, legal_basis="anak_berisiko",
                    legal_basis_reason="Pelaku tinggal serumah; anak perlu perlindungan segera.")
    assert (referral.legal_basis, referral.legal_basis_by, referral.consent) == ("anak_berisiko", supervisor, None)
    assert not referral.shares_identity and "victim_name" not in referral.shared
    assert referral.legal_basis_reason == "Pelaku tinggal serumah; anak perlu perlindungan segera."
    # Its own audit event, without the typed reason (free text never goes into the unchangeable log).
    event = AuditEvent.objects.get(action="referral.legal_basis")
    assert event.reason == "" and event.details == {"legal_basis": "anak_berisiko"}
    assert event.actor == supervisor and event.object_label == referral.number


def test_legal_basis_needs_a_reason(case, supervisor, police_agency):
    with pytest.raises(ReferralError, match="Tuliskan alasan penggunaan dasar hukum"):
        send(supervisor, case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="  ")


def test_legal_basis_never_shares_the_identity(case, supervisor, police_agency):
    with pytest.raises(ReferralError, match="hanya dibagikan dengan persetujuan"):
        send(supervisor, case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="Anak terancam.",
             share_identity=True)


def test_child_at_risk_basis_is_only_for_a_child(caseworker, supervisor, police_agency, regions):
    adult_case = new_case(caseworker, victim_age=30)
    with pytest.raises(ReferralError, match="hanya berlaku untuk korban anak"):
        send(supervisor, adult_case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="x")


def test_tpks_duty_to_report_applies_to_sexual_violence_sent_to_the_police(caseworker, supervisor, police_agency,
                                                                           hospital, regions):
    tpks_case = new_case(caseworker, victim_age=30, violence_types=["seksual"], tpks_forms=["perkosaan"])
    referral = send(supervisor, tpks_case, police_agency, legal_basis="lapor_tpks",
                    legal_basis_reason="Wajib lapor dalam 3x24 jam.")
    assert referral.legal_basis == "lapor_tpks"
    with pytest.raises(ReferralError, match="UU 12/2022 Pasal 41"):
        send(supervisor, tpks_case, hospital, legal_basis="lapor_tpks", legal_basis_reason="x")
    physical_case = new_case(caseworker, victim_age=30)
    with pytest.raises(ReferralError, match="hanya berlaku untuk rujukan kasus kekerasan seksual"):
        send(supervisor, physical_case, police_agency, legal_basis="lapor_tpks", legal_basis_reason="x")


def test_legal_basis_is_refused_when_consent_already_covers(consented_case, supervisor, police_agency):
    with pytest.raises(ReferralError, match="kosongkan dasar hukum"):
        send(supervisor, consented_case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="x")


# --- send: other rules ------------------------------------------------------------------------------

def test_referral_to_the_police_records_when_the_case_was_reported(consented_case, caseworker, police_agency,
                                                                   hospital):
    send(caseworker, consented_case, hospital)
    assert Case.objects.get(pk=consented_case.pk).police_reported_at is None
    first = send(caseworker, consented_case, police_agency)
    assert Case.objects.get(pk=consented_case.pk).police_reported_at == first.sent_at
    services.referral_revoke(referral=first, actor=caseworker, reason="Salah kirim.")
    send(caseworker, consented_case, police_agency)
    assert Case.objects.get(pk=consented_case.pk).police_reported_at == first.sent_at  # the first report counts
    # The case's own audit trail says when and through which referral the police were told, once.
    reports = AuditEvent.objects.filter(action="case.police_report", object_type="cases.case",
                                        object_id=str(consented_case.pk))
    assert [(e.actor, e.details) for e in reports] == [(caseworker, {"referral": first.number})]


def test_send_refuses_an_agency_that_does_not_give_the_service(consented_case, caseworker, police_agency):
    with pytest.raises(ReferralError, match="tidak memberikan layanan: Kesehatan"):
        send(caseworker, consented_case, police_agency, services=["kesehatan"])


def test_send_refuses_the_own_agency_an_empty_reason_and_a_duplicate(consented_case, caseworker, uptd,
                                                                     police_agency):
    with pytest.raises(ReferralError, match="lembaga sendiri"):
        send(caseworker, consented_case, uptd, services=["pengaduan"])
    with pytest.raises(ReferralError, match="Tuliskan alasan rujukan"):
        send(caseworker, consented_case, police_agency, reason=" ")
    first = send(caseworker, consented_case, police_agency)
    with pytest.raises(ReferralError, match=f"Sudah ada rujukan aktif {first.number}"):
        send(caseworker, consented_case, police_agency)


def test_only_who_may_see_the_case_can_send(consented_case, outsider, police_officer, police_agency, hospital):
    for actor in (outsider, police_officer):
        with pytest.raises(ReferralError, match="Hanya pendamping kasus"):
            send(actor, consented_case, hospital)


# --- the receiving agency's answers -------------------------------------------------------------------

def test_accept_by_the_receiving_agency_notifies_the_caseworker(referral, police_officer, caseworker):
    services.referral_accept(referral=referral, actor=police_officer)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.ACCEPTED and referral.answered_by == police_officer
    assert AuditEvent.objects.filter(action="referral.accept", actor=police_officer).exists()
    assert Notification.objects.get(recipient=caseworker, kind="diterima").text == (
        f"Rujukan {referral.number} diterima oleh Unit PPA Polres Uji.")
    with pytest.raises(ReferralError, match="sudah dijawab"):
        services.referral_accept(referral=referral, actor=police_officer)


def test_only_the_receiving_agency_answers(referral, caseworker, nurse):
    for actor in (caseworker, nurse):
        with pytest.raises(ReferralError, match="Hanya petugas lembaga penerima"):
            services.referral_accept(referral=referral, actor=actor)


def test_decline_needs_a_reason(referral, police_officer, caseworker):
    with pytest.raises(ReferralError, match="Tuliskan alasan penolakan"):
        services.referral_decline(referral=referral, actor=police_officer, reason="")
    services.referral_decline(referral=referral, actor=police_officer, reason="Di luar wilayah hukum kami.")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("ditolak", "Di luar wilayah hukum kami.")
    assert Notification.objects.filter(recipient=caseworker, kind="ditolak").exists()


def test_record_service_feeds_the_case_statistics(referral, police_officer, caseworker):
    today = timezone.localdate()
    with pytest.raises(ReferralError, match="Terima rujukan dulu"):
        services.referral_record_service(referral=referral, actor=police_officer, service="penegakan_hukum",
                                         delivered_on=today)
    services.referral_accept(referral=referral, actor=police_officer)
    with pytest.raises(ReferralError, match="tidak diminta"):
        services.referral_record_service(referral=referral, actor=police_officer, service="kesehatan",
                                         delivered_on=today)
    with pytest.raises(ReferralError, match="tidak boleh di masa depan"):
        services.referral_record_service(referral=referral, actor=police_officer, service="penegakan_hukum",
                                         delivered_on=today + timedelta(days=1))
    delivery = services.referral_record_service(referral=referral, actor=police_officer, service="penegakan_hukum",
                                                delivered_on=today, notes="Laporan polisi dibuat.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_PROGRESS
    # The delivery is the case's own ServiceDelivery, given by the police: it counts in the services statistics.
    assert ServiceDelivery.objects.get() == delivery
    assert (delivery.case, delivery.provider_agency, delivery.provider_user) == (
        referral.case, referral.receiving_agency, police_officer)
    assert Case.objects.get(pk=referral.case_id).first_service_at is not None
    assert Notification.objects.filter(recipient=caseworker, kind="layanan").exists()


def test_complete_needs_an_outcome_and_an_accepted_referral(referral, police_officer, caseworker):
    with pytest.raises(ReferralError, match="sudah diterima"):
        services.referral_complete(referral=referral, actor=police_officer, outcome="Selesai.")
    services.referral_accept(referral=referral, actor=police_officer)
    with pytest.raises(ReferralError, match="Tuliskan hasil"):
        services.referral_complete(referral=referral, actor=police_officer, outcome=" ")
    services.referral_complete(referral=referral, actor=police_officer, outcome="Berkas dilimpahkan ke kejaksaan.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DONE and referral.completed_at is not None
    assert Notification.objects.filter(recipient=caseworker, kind="selesai").exists()
    with pytest.raises(ReferralError, match="tidak dapat ditolak"):
        services.referral_decline(referral=referral, actor=police_officer, reason="x")


# --- the sending side ------------------------------------------------------------------------------

def test_revoke_by_the_sender_with_a_reason(referral, caseworker, police_officer):
    with pytest.raises(ReferralError, match="Hanya pendamping kasus"):
        services.referral_revoke(referral=referral, actor=police_officer, reason="x")
    with pytest.raises(ReferralError, match="alasan pencabutan"):
        services.referral_revoke(referral=referral, actor=caseworker, reason="")
    services.referral_revoke(referral=referral, actor=caseworker, reason="Korban pindah ke kabupaten lain.")
    referral.refresh_from_db()
    assert referral.status == Referral.Status.REVOKED
    assert Notification.objects.filter(recipient=police_officer, kind="dicabut").exists()
    with pytest.raises(ReferralError, match="sudah dicabut"):
        services.referral_revoke(referral=referral, actor=caseworker, reason="lagi")
    with pytest.raises(ReferralError, match="sudah dicabut oleh lembaga pengirim"):
        services.referral_accept(referral=referral, actor=police_officer)


def test_escalate_alerts_the_senders_supervisor_once(referral, caseworker, supervisor):
    services.referral_escalate(referral=referral, actor=caseworker, reason="Belum ada jawaban lewat telepon.")
    assert Notification.objects.filter(recipient=supervisor, kind="eskalasi").count() == 1
    assert AuditEvent.objects.get(action="referral.escalate").actor == caseworker
    referral.refresh_from_db()
    assert referral.escalation_reason == "Belum ada jawaban lewat telepon."
    with pytest.raises(ReferralError, match="sudah dieskalasi"):
        services.referral_escalate(referral=referral, actor=caseworker, reason="lagi")


def test_messages_go_both_ways_while_the_referral_is_active(referral, caseworker, police_officer, nurse):
    services.referral_message(referral=referral, actor=caseworker, text="Korban dapat dihubungi lewat saya.")
    services.referral_message(referral=referral, actor=police_officer, text="Baik, kami jadwalkan besok.")
    assert list(referral.messages.values_list("agency__name", flat=True)) == ["UPTD PPA Uji", "Unit PPA Polres Uji"]
    assert Notification.objects.filter(recipient=police_officer, kind="pesan").count() == 1
    assert Notification.objects.filter(recipient=caseworker, kind="pesan").count() == 1
    with pytest.raises(ReferralError, match="Hanya lembaga pengirim dan penerima"):
        services.referral_message(referral=referral, actor=nurse, text="?")
    services.referral_revoke(referral=referral, actor=caseworker, reason="Tidak diperlukan lagi.")
    with pytest.raises(ReferralError, match="sudah ditutup"):
        services.referral_message(referral=referral, actor=caseworker, text="Halo?")


def test_a_failed_action_leaves_nothing_behind(case, caseworker, police_agency, police_officer):
    with pytest.raises(ReferralError):
        send(caseworker, case, police_agency)
    assert not Notification.objects.exists() and not AuditEvent.objects.filter(action__startswith="referral").exists()


def test_supervisor_of_the_sending_agency_acts_as_sender(referral, supervisor):
    services.referral_message(referral=referral, actor=supervisor, text="Koordinator memantau.")
    assert referral.messages.get().author == supervisor

