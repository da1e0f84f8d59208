"""PUSPAGA sessions: the notes stay with the PUSPAGA that held the session, and a referral reaches the
UPTD PPA's intake queue with a summary written for it, never the notes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from inbox.models import IntakeRequest
from inbox.selectors import intake_requests_visible_to
from prevention import services
from prevention.models import PuspagaSession
from prevention.services import PreventionError
from tests.conftest import assert_hidden, client_for

NOTES = "Catatan rahasia sintetis: ayah sering marah, ibu cemas soal sekolah anak."


def _session(actor, **fields) -> PuspagaSession:
    values = dict(held_on=date.today(), service="konseling", channel="tatap_muka", issue="pengasuhan",
                  counsellor=actor, notes=NOTES) | fields
    return services.puspaga_session_record(actor=actor, **values)


def _refer(session, actor, **fields) -> PuspagaSession:
    values = dict(summary="Keluarga perlu perlindungan: anak menyampaikan takut pulang.", urgency="segera",
                  contact_hint="Melalui konselor PUSPAGA") | fields
    return services.puspaga_session_refer(session=session, actor=actor, **values)


def test_puspaga_staff_record_a_session_of_their_own_puspaga(puspaga_staff):
    session = _session(puspaga_staff)
    assert (session.agency, session.counsellor, session.referred_to_uptd) == (puspaga_staff.agency, puspaga_staff,
                                                                              False)
    event = AuditEvent.objects.get(action="prevention.puspaga_session.record")
    assert event.object_label == f"PUSPAGA S-{session.pk}" and "rahasia" not in str(event.details)


def test_only_puspaga_staff_record_sessions_and_the_counsellor_is_one_of_theirs(
        puspaga_staff, other_puspaga_staff, supervisor, patbm_staff):
    for actor in (supervisor, patbm_staff):
        with pytest.raises(PreventionError, match="Hanya petugas PUSPAGA"):
            _session(actor)
    with pytest.raises(PreventionError, match="Konselor harus petugas aktif PUSPAGA ini."):
        _session(puspaga_staff, counsellor=other_puspaga_staff)
    with pytest.raises(PreventionError, match="Tanggal tidak boleh di masa depan."):
        _session(puspaga_staff, held_on=date.today() + timedelta(days=1))
    session = _session(puspaga_staff)
    with pytest.raises(PreventionError, match="Hanya petugas PUSPAGA"):
        services.puspaga_session_update(session=session, actor=other_puspaga_staff, held_on=date.today(),
                                        service="informasi", channel="telepon", issue="remaja",
                                        counsellor=other_puspaga_staff, notes="")


def test_referral_creates_an_intake_request_without_the_session_notes(puspaga_staff, caseworker):
    session = _session(puspaga_staff)
    _refer(session, puspaga_staff)
    session.refresh_from_db()
    intake = IntakeRequest.objects.get()
    assert session.referred_to_uptd and session.referred_at is not None and session.intake_request == intake
    assert (intake.source_agency, intake.target_agency, intake.urgency, intake.status) == (
        puspaga_staff.agency, caseworker.agency, "segera", IntakeRequest.Status.PENDING)
    assert intake.summary == "Keluarga perlu perlindungan: anak menyampaikan takut pulang."
    # Nothing of the notes travels: not in any text field of the intake request.
    texts = [str(getattr(intake, f.attname)) for f in IntakeRequest._meta.concrete_fields]
    assert not any(fragment in text for text in texts for fragment in ("rahasia", "ayah sering marah", NOTES))
    # It lands in the UPTD PPA's intake queue.
    assert list(intake_requests_visible_to(user=caseworker)) == [intake]
    assert AuditEvent.objects.filter(action="prevention.puspaga_session.refer", object_id=str(session.pk)).exists()


def test_a_session_is_referred_once_and_needs_a_summary(puspaga_staff, caseworker):
    session = _session(puspaga_staff)
    with pytest.raises(PreventionError, match="Tuliskan ringkasan singkat alasan rujukan untuk UPTD PPA."):
        _refer(session, puspaga_staff, summary="  ")
    with pytest.raises(PreventionError, match="Pilih tingkat urgensi."):
        _refer(session, puspaga_staff, urgency="kapan-kapan")
    _refer(session, puspaga_staff)
    with pytest.raises(PreventionError, match="Sesi ini sudah dirujuk ke UPTD PPA."):
        _refer(session, puspaga_staff)
    assert IntakeRequest.objects.count() == 1


def test_without_a_uptd_ppa_to_receive_it_the_referral_says_so_and_changes_nothing(puspaga_staff):
    session = _session(puspaga_staff)
    with pytest.raises(PreventionError, match="Belum ada UPTD PPA aktif yang dapat menerima rujukan."):
        _refer(session, puspaga_staff)
    session.refresh_from_db()
    assert not session.referred_to_uptd and not IntakeRequest.objects.exists()


def test_refer_page_sends_the_family_to_the_intake_queue(puspaga_staff, caseworker):
    session = _session(puspaga_staff)
    client = client_for(puspaga_staff)
    form_page = client.get(f"/pencegahan/puspaga/{session.pk}/rujuk/").content.decode()
    assert "Catatan sesi tidak ikut terkirim" in form_page and NOTES not in form_page
    response = client.post(f"/pencegahan/puspaga/{session.pk}/rujuk/", {
        "summary": "Mohon segera dihubungi.", "urgency": "darurat", "contact_hint": ""})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Rujukan terkirim ke antrean pengaduan UPTD PPA." in detail and "Menunggu registrasi" in detail
    assert IntakeRequest.objects.get().urgency == "darurat"


def test_notes_are_read_only_by_the_puspaga_that_holds_the_session_and_the_read_is_audited(
        puspaga_staff, supervisor, official):
    session = _session(puspaga_staff)
    own = client_for(puspaga_staff).get(f"/pencegahan/puspaga/{session.pk}/").content.decode()
    assert NOTES in own
    assert AuditEvent.objects.filter(action="prevention.puspaga_session.read", actor=puspaga_staff).count() == 1
    for overseer in (supervisor, official):
        client = client_for(overseer)
        page = client.get(f"/pencegahan/puspaga/{session.pk}/").content.decode()
        assert "Pengasuhan anak" in page and NOTES not in page
        assert "Catatan sesi hanya dapat dibaca petugas PUSPAGA" in page
        listing = client.get("/pencegahan/puspaga/").content.decode()
        assert f"S-{session.pk}" in listing and NOTES not in listing
        for url in (f"/pencegahan/puspaga/{session.pk}/ubah/", f"/pencegahan/puspaga/{session.pk}/rujuk/",
                    "/pencegahan/puspaga/baru/"):
            assert_hidden(client.get(url))


def test_other_puspaga_and_everyone_else_get_404(puspaga_staff, other_puspaga_staff, patbm_staff, personas):
    session = _session(puspaga_staff)
    urls = [f"/pencegahan/puspaga/{session.pk}/", f"/pencegahan/puspaga/{session.pk}/ubah/",
            f"/pencegahan/puspaga/{session.pk}/rujuk/"]
    for user in (other_puspaga_staff, patbm_staff, personas["outsider"], personas["police_officer"],
                 personas["caseworker"], personas["sysadmin"], None):
        client = client_for(user)
        for url in urls:
            assert_hidden(client.get(url))
        assert_hidden(client.post(f"/pencegahan/puspaga/{session.pk}/rujuk/",
                                  {"summary": "x", "urgency": "biasa"}))
    assert not IntakeRequest.objects.exists()
    assert f"S-{session.pk}" not in client_for(other_puspaga_staff).get("/pencegahan/puspaga/").content.decode()


def test_session_form_keeps_what_was_typed(puspaga_staff):
    response = client_for(puspaga_staff).post("/pencegahan/puspaga/baru/", {
        "held_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "service": "konseling",
        "channel": "telepon", "issue": "remaja", "counsellor": puspaga_staff.pk, "notes": "Catatan yang diketik"})
    page = response.content.decode()
    assert "Tanggal tidak boleh di masa depan." in page and "Catatan yang diketik" in page
    assert not PuspagaSession.objects.exists()


def test_session_list_has_a_fixed_query_budget(puspaga_staff, supervisor, caseworker,
                                               django_assert_max_num_queries):
    for n in range(12):
        session = _session(puspaga_staff, held_on=date.today() - timedelta(days=n))
        if n % 4 == 0:
            _refer(session, puspaga_staff)
    for user in (puspaga_staff, supervisor):
        client = client_for(user)
        with django_assert_max_num_queries(7):  # +1: the second factor's device (django-otp)
            page = client.get("/pencegahan/puspaga/").content.decode()
        assert page.count("Dirujuk</span>") == 3
