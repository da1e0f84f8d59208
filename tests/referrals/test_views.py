"""The referral pages: send form with the directory filter and the preview, the inbox, the sent list, the
actions on one referral, the case panel, notifications and referrals in; with pinned query budgets."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from agencies.models import Role
from core.codes import AgencyType, Service
from core.models import AuditEvent
from inbox.models import IntakeRequest, Notification
from referrals import services
from referrals.models import Referral
from tests.conftest import client_for, make_agency, make_user
from tests.referrals.conftest import VICTIM_NAME, new_case, record_sharing_consent, send

# --- the send form ----------------------------------------------------------------------------------


@pytest.fixture
def puskesmas(regions):
    sabbang = make_agency("Puskesmas Sabbang Uji", AgencyType.PUSKESMAS, [Service.HEALTH], kecamatan=["73.22.04"])
    masamba = make_agency("Puskesmas Masamba Uji", AgencyType.PUSKESMAS, [Service.HEALTH], kecamatan=["73.22.03"])
    return sabbang, masamba


def test_send_form_offers_agencies_giving_the_service_in_the_kecamatan(consented_case, caseworker, puskesmas,
                                                                      hospital, police_agency):
    # The case's incident is in Masamba: the form starts with that kecamatan.
    url = f"/rujukan/kirim/{consented_case.pk}/"
    text = client_for(caseworker).get(url, {"service": "kesehatan", "kecamatan": "73.22.03"}).content.decode()
    assert "Puskesmas Masamba Uji" in text and "RSUD Uji" in text  # RSUD lists no kecamatan: the whole district
    assert "Puskesmas Sabbang Uji" not in text and "Unit PPA Polres Uji" not in text
    assert "UPTD PPA Uji ·" not in text  # never the own agency


def test_preview_shows_exactly_what_will_be_shared_then_send(consented_case, caseworker, police_agency,
                                                             police_officer):
    client = client_for(caseworker)
    url = f"/rujukan/kirim/{consented_case.pk}/"
    data = {"victim": consented_case.victims.get().pk, "receiving_agency": police_agency.pk,
            "services": ["penegakan_hukum"], "urgency": "darurat", "reason": "Ancaman berulang dari pelaku."}
    preview = client.post(url, data | {"action": "preview"}).content.decode()
    assert "Pratinjau: yang akan dibagikan" in preview
    assert consented_case.victims.get().survivor_code in preview
    assert "Nama dan kontak korban tidak dibagikan." in preview
    assert VICTIM_NAME not in preview
    assert not Referral.objects.exists()
    with_identity = client.post(url, data | {"action": "preview", "share_identity": "on"}).content.decode()
    assert VICTIM_NAME in with_identity
    response = client.post(url, data | {"action": "send"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rujukan/{referral.pk}/"
    assert (referral.urgency, referral.shares_identity) == ("darurat", False)
    assert AuditEvent.objects.filter(action="referral.send_form", object_label=consented_case.number).count() == 2
    assert AuditEvent.objects.filter(action="referral.send", object_label=referral.number).exists()


def test_consent_gate_message_keeps_what_was_typed(case, caseworker, police_agency):
    response = client_for(caseworker).post(f"/rujukan/kirim/{case.pk}/", {
        "victim": case.victims.get().pk, "receiving_agency": police_agency.pk, "services": ["penegakan_hukum"],
        "urgency": "segera", "reason": "Alasan yang sudah diketik panjang.", "action": "send"})
    text = response.content.decode()
    assert response.status_code == 200 and "belum mencakup berbagi data" in text
    assert "Alasan yang sudah diketik panjang." in text
    assert "Dasar hukum tanpa persetujuan" not in text  # only a supervisor may record one
    assert not Referral.objects.exists()


def test_supervisor_records_the_legal_basis_on_the_form(case, supervisor, police_agency):
    client = client_for(supervisor)
    assert "Dasar hukum tanpa persetujuan" in client.get(f"/rujukan/kirim/{case.pk}/").content.decode()
    client.post(f"/rujukan/kirim/{case.pk}/", {
        "victim": case.victims.get().pk, "receiving_agency": police_agency.pk, "services": ["penegakan_hukum"],
        "urgency": "darurat", "reason": "Anak dalam bahaya.", "legal_basis": "anak_berisiko",
        "legal_basis_reason": "Pelaku serumah.", "action": "send"})
    assert Referral.objects.get().legal_basis == "anak_berisiko"


# --- one referral: the actions ------------------------------------------------------------------------

def test_receiver_accepts_records_a_service_and_completes_on_the_page(referral, police_officer, caseworker):
    client = client_for(police_officer)
    url = f"/rujukan/{referral.pk}/"
    assert "Terima rujukan" in client.get(url).content.decode()
    client.post(url, {"action": "accept"})
    client.post(url, {"action": "service", "service-service": "penegakan_hukum",
                      "service-delivered_on": timezone.localdate().isoformat(), "service-notes": "BAP dibuat."})
    page = client.get(url).content.decode()
    assert "Sedang ditangani" in page and "BAP dibuat." in page
    client.post(url, {"action": "complete", "complete-outcome": "Berkas lengkap."})
    referral.refresh_from_db()
    assert referral.status == "selesai"
    sender_page = client_for(caseworker).get(url).content.decode()
    assert "Berkas lengkap." in sender_page and "Penegakan Hukum" in sender_page


def test_a_refused_action_keeps_the_typed_text(referral, police_officer):
    response = client_for(police_officer).post(f"/rujukan/{referral.pk}/", {
        "action": "service", "service-service": "penegakan_hukum",
        "service-delivered_on": timezone.localdate().isoformat(), "service-notes": "Catatan panjang."})
    # Not accepted yet: the service form is not offered in this state.
    assert response.status_code == 404
    client_for(police_officer).post(f"/rujukan/{referral.pk}/", {"action": "accept"})
    response = client_for(police_officer).post(f"/rujukan/{referral.pk}/", {
        "action": "service", "service-service": "penegakan_hukum", "service-delivered_on": "2001-01-01",
        "service-notes": "Catatan panjang."})
    text = response.content.decode()
    assert response.status_code == 200 and "tidak boleh sebelum" in text and "Catatan panjang." in text


def test_decline_revoke_escalate_and_messages_on_the_page(referral, police_officer, caseworker, supervisor):
    police, worker = client_for(police_officer), client_for(caseworker)
    url = f"/rujukan/{referral.pk}/"
    worker.post(url, {"action": "message", "message-text": "Mohon dijawab hari ini."})
    assert "Mohon dijawab hari ini." in police.get(url).content.decode()
    worker.post(url, {"action": "escalate", "escalate-reason": "Tidak ada jawaban."})
    assert Notification.objects.filter(recipient=supervisor, kind="eskalasi").exists()
    response = police.post(url, {"action": "decline", "decline-reason": ""})
    assert "Bidang ini tidak boleh kosong." in response.content.decode()
    police.post(url, {"action": "decline", "decline-reason": "Korban sudah melapor langsung."})
    referral.refresh_from_db()
    assert referral.status == "ditolak"
    assert "Korban sudah melapor langsung." in worker.get(url).content.decode()


def test_detail_query_budget(referral, police_officer, caseworker, django_assert_max_num_queries):
    services.referral_accept(referral=referral, actor=police_officer)
    for day in range(3):
        services.referral_message(referral=referral, actor=caseworker, text=f"Pesan {day}")
        services.referral_record_service(referral=referral, actor=police_officer, service="penegakan_hukum",
                                         delivered_on=timezone.localdate())
    for user in (police_officer, caseworker):
        client = client_for(user)
        with django_assert_max_num_queries(12):  # +1: the second factor's device (django-otp)
            assert client.get(f"/rujukan/{referral.pk}/").status_code == 200


# --- lists ------------------------------------------------------------------------------------------

@pytest.fixture
def many_referrals(caseworker, police_agency, police_officer, regions):
    def make(count):
        made = []
        for _ in range(count):
            case = new_case(caseworker)
            record_sharing_consent(case, caseworker)
            made.append(send(caseworker, case, police_agency))
        return made
    return make


def test_inbox_tabs_and_filters(many_referrals, police_officer, caseworker):
    new, accepted, declined = many_referrals(3)
    services.referral_accept(referral=accepted, actor=police_officer)
    services.referral_decline(referral=declined, actor=police_officer, reason="Bukan wilayah kami.")
    Referral.objects.filter(pk=new.pk).update(due_at=timezone.now())  # its answer time has just passed
    client = client_for(police_officer)
    text = client.get("/rujukan/masuk/", {"tab": "baru"}).content.decode()
    assert new.number in text and accepted.number not in text
    overdue = client.get("/rujukan/masuk/", {"tab": "terlambat"}).content.decode()
    assert new.number in overdue and "Terlambat" in overdue and accepted.number not in overdue
    assert declined.number in client.get("/rujukan/masuk/", {"tab": "ditolak"}).content.decode()
    by_number = client.get("/rujukan/masuk/", {"tab": "semua", "number": accepted.number}).content.decode()
    assert accepted.number in by_number and new.number not in by_number
    assert new.number not in client.get("/rujukan/masuk/", {"tab": "semua", "service": "kesehatan"}).content.decode()
    assert new.victim.survivor_code not in text  # the list names no survivor


@pytest.mark.parametrize("count", [1, 12])
def test_list_query_budgets_do_not_grow_with_rows(many_referrals, police_officer, caseworker, count,
                                                  django_assert_max_num_queries):
    many_referrals(count)
    for user, url in ((police_officer, "/rujukan/masuk/?tab=semua"), (caseworker, "/rujukan/terkirim/"),
                      (police_officer, "/pemberitahuan/")):
        client = client_for(user)
        with django_assert_max_num_queries(11):  # +1: the second factor's device (django-otp)
            assert client.get(url).status_code == 200


def test_sent_list_shows_the_answers(many_referrals, police_officer, caseworker, supervisor):
    first, second = many_referrals(2)
    services.referral_accept(referral=first, actor=police_officer)
    text = client_for(caseworker).get("/rujukan/terkirim/").content.decode()
    assert first.number in text and second.number in text and "Diterima" in text
    assert first.number in client_for(supervisor).get("/rujukan/terkirim/").content.decode()
    accepted_only = client_for(caseworker).get("/rujukan/terkirim/", {"status": "diterima"}).content.decode()
    assert second.number not in accepted_only


def test_case_panel_lists_the_referrals_and_offers_to_send(referral, caseworker, police_officer,
                                                          django_assert_max_num_queries):
    request = RequestFactory().get("/")
    request.user = caseworker
    template = Template("{% load referral_tags %}{% case_referrals_panel case %}")
    with django_assert_max_num_queries(2):
        html = template.render(Context({"case": referral.case, "user": caseworker, "request": request}))
    assert referral.number in html and "Unit PPA Polres Uji" in html and "Baru" in html
    assert f'href="/rujukan/kirim/{referral.case_id}/"' in html and "Kirim rujukan" in html


def test_partner_home_shows_the_inbox_counts(referral, police_officer):
    text = client_for(police_officer).get("/").content.decode()
    assert "Rujukan untuk lembaga Anda" in text and "/rujukan/masuk/?tab=baru" in text


# --- referrals in ---------------------------------------------------------------------------------------

def test_village_refers_someone_to_the_uptd_intake_queue(caseworker, supervisor, uptd, police_officer, db):
    village = make_agency("Pemerintah Desa Uji", AgencyType.VILLAGE)
    clerk = make_user("desa_uji", Role.PARTNER, village)
    client = client_for(clerk)
    assert "Rujuk ke UPTD PPA" in client.get("/").content.decode()
    response = client.post("/rujukan/ke-uptd/", {"urgency": "segera", "summary": "Anak sering dipukul ayahnya.",
                                                  "contact_hint": "Lewat kepala dusun."})
    assert response.status_code == 302
    intake = IntakeRequest.objects.get()
    assert (intake.target_agency, intake.source_agency, intake.urgency) == (uptd, village, "segera")
    assert Notification.objects.filter(recipient=caseworker, kind="rujukan_masuk").exists()
    assert "Anak sering dipukul" not in Notification.objects.get(recipient=caseworker).text
    assert str(intake) in client.get("/rujukan/ke-uptd/").content.decode()


def test_another_districts_agency_may_refer_in_but_not_the_police(caseworker, uptd, police_officer, regions):
    from agencies.models import Region

    neighbour = make_agency("UPTD PPA Kota Palopo Uji", AgencyType.UPTD_PPA)
    neighbour.district = Region.objects.get(code="73.73")
    neighbour.save()
    worker = make_user("pendamping_palopo", Role.CASEWORKER, neighbour)
    client_for(worker).post("/rujukan/ke-uptd/", {"urgency": "biasa", "summary": "Korban pindah ke Masamba."})
    assert IntakeRequest.objects.get().source_agency == neighbour
    assert client_for(police_officer).get("/rujukan/ke-uptd/").status_code == 404


def test_refer_in_keeps_the_text_on_a_missing_field(db, caseworker):
    clerk = make_user("desa_uji", Role.PARTNER, make_agency("Pemerintah Desa Uji", AgencyType.VILLAGE))
    response = client_for(clerk).post("/rujukan/ke-uptd/", {"urgency": "segera", "summary": "",
                                                             "contact_hint": "Telepon kantor desa."})
    assert response.status_code == 200 and "Telepon kantor desa." in response.content.decode()
    assert not IntakeRequest.objects.exists()


def test_inbox_lists_what_is_due_first_first(consented_case, caseworker, police_agency, police_officer):
    # The "segera" referral arrives after the "darurat" one, which must be answered sooner: newest first (the old
    # order) put the "segera" one on top (issue 14).
    other_case = new_case(caseworker)
    record_sharing_consent(other_case, caseworker)
    emergency = send(caseworker, consented_case, police_agency, urgency="darurat")
    soon = send(caseworker, other_case, police_agency, urgency="segera")
    assert emergency.due_at < soon.due_at and emergency.sent_at < soon.sent_at
    for tab in ("baru", "semua"):
        text = client_for(police_officer).get("/rujukan/masuk/", {"tab": tab}).content.decode()
        assert text.index(emergency.number) < text.index(soon.number), tab
    # The closed tabs are a record: the latest first.
    for referral in (soon, emergency):
        services.referral_decline(referral=referral, actor=police_officer, reason="Bukan kewenangan kami.")
    text = client_for(police_officer).get("/rujukan/masuk/", {"tab": "ditolak"}).content.decode()
    assert text.index(soon.number) < text.index(emergency.number)
