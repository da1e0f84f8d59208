"""Who sees a referral. Partner staff see a referral to their agency and nothing else, and its shared details
only while it is active; everyone outside the referral gets 404 (never 403: that would reveal it exists)."""

import pytest

from core.models import AuditEvent
from referrals import services
from tests.conftest import assert_hidden, client_for
from tests.referrals.conftest import VICTIM_NAME, send


def _pages(referral) -> list[str]:
    return [f"/rujukan/{referral.pk}/", f"/rujukan/{referral.pk}/surat.pdf"]


def test_partner_sees_the_shared_summary_of_a_referral_to_their_agency(referral, police_officer):
    page = client_for(police_officer).get(f"/rujukan/{referral.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert referral.victim.survivor_code in text and "Perlu tindak lanjut lembaga Anda." in text
    assert VICTIM_NAME not in text and referral.case.number not in text  # no name, not even the case number
    event = AuditEvent.objects.get(action="referral.view")
    assert (event.actor, event.object_label, event.details) == (
        police_officer, referral.number, {"side": "receiver", "details_shown": True})


def test_partner_sees_nothing_else(consented_case, caseworker, hospital, police_officer):
    to_hospital = send(caseworker, consented_case, hospital)
    client = client_for(police_officer)
    for url in _pages(to_hospital) + [f"/kasus/{consented_case.pk}/", f"/rujukan/kirim/{consented_case.pk}/"]:
        assert_hidden(client.get(url))
    inbox = client.get("/rujukan/masuk/", {"tab": "semua"}).content.decode()
    assert to_hospital.number not in inbox


def test_revoked_referral_is_gone_for_the_partner(referral, caseworker, police_officer):
    services.referral_revoke(referral=referral, actor=caseworker, reason="Korban memilih lembaga lain.")
    client = client_for(police_officer)
    for url in _pages(referral):
        assert_hidden(client.get(url))
    assert referral.number not in client.get("/rujukan/masuk/", {"tab": "semua"}).content.decode()
    assert client_for(caseworker).get(f"/rujukan/{referral.pk}/").status_code == 200  # the sender keeps it


def test_completed_referral_shows_the_partner_only_its_status(referral, police_officer, caseworker):
    services.referral_accept(referral=referral, actor=police_officer)
    services.referral_complete(referral=referral, actor=police_officer, outcome="Laporan polisi diterbitkan.")
    client = client_for(police_officer)
    page = client.get(f"/rujukan/{referral.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Selesai" in text and referral.number in text
    for detail in (referral.victim.survivor_code, "Perlu tindak lanjut lembaga Anda.", "Laporan polisi diterbitkan.",
                   referral.shared["caseworker"]["name"]):
        assert detail not in text
    # The Surat Rujukan stays theirs (issue 14): it is the agency's official record of what it received.
    assert f'href="/rujukan/{referral.pk}/surat.pdf"' in text
    letter = client.get(f"/rujukan/{referral.pk}/surat.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    # ... while the sender still reads the whole referral and its outcome.
    sender_view = client_for(caseworker).get(f"/rujukan/{referral.pk}/").content.decode()
    assert "Laporan polisi diterbitkan." in sender_view and referral.victim.survivor_code in sender_view


def test_declined_referral_shows_the_partner_only_its_status(referral, police_officer):
    services.referral_decline(referral=referral, actor=police_officer, reason="Bukan kewenangan kami.")
    client = client_for(police_officer)
    text = client.get(f"/rujukan/{referral.pk}/").content.decode()
    assert "Ditolak" in text and referral.victim.survivor_code not in text
    # A referral never taken on leaves no letter with the agency that declined it.
    assert "surat.pdf" not in text
    assert_hidden(client.get(f"/rujukan/{referral.pk}/surat.pdf"))


@pytest.mark.parametrize("persona", ["official", "outsider", "sysadmin"])
def test_officials_outsiders_and_the_administrator_get_404(referral, personas, persona):
    client = client_for(personas[persona])
    for url in _pages(referral) + [f"/rujukan/kirim/{referral.case_id}/"]:
        assert_hidden(client.get(url))


def test_official_has_no_inbox_and_outsider_an_empty_one(referral, official, outsider):
    assert_hidden(client_for(official).get("/rujukan/masuk/"))
    assert referral.number not in client_for(outsider).get("/rujukan/masuk/", {"tab": "semua"}).content.decode()
    assert referral.number not in client_for(outsider).get("/rujukan/terkirim/").content.decode()


def test_anonymous_is_sent_to_login(referral):
    for url in _pages(referral) + ["/rujukan/masuk/", "/rujukan/terkirim/", "/pemberitahuan/"]:
        assert_hidden(client_for(None).get(url))


def test_partner_cannot_take_the_senders_actions(referral, police_officer):
    response = client_for(police_officer).post(f"/rujukan/{referral.pk}/", {"action": "revoke",
                                                                           "revoke-reason": "x"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "baru"


def test_another_caseworker_of_the_same_agency_does_not_see_the_referral(referral, uptd):
    from agencies.models import Role
    from tests.conftest import make_user

    colleague = make_user("pendamping_lain", Role.CASEWORKER, uptd)
    for url in _pages(referral):
        assert_hidden(client_for(colleague).get(url))


def test_patbm_and_puspaga_staff_take_no_part_in_referrals(caseworker, consented_case, regions):
    # domain.md section 7: PATBM and PUSPAGA users never see case files; they only refer people in.
    from agencies.models import Role
    from core.codes import AgencyType, Service
    from tests.conftest import make_agency, make_user

    patbm = make_agency("PATBM Desa Uji", AgencyType.PATBM, [Service.REINTEGRATION])
    activist = make_user("aktivis_uji", Role.PARTNER, patbm)
    client = client_for(activist)
    for url in ("/rujukan/masuk/", "/pemberitahuan/"):
        assert_hidden(client.get(url))
    home = client.get("/").content.decode()
    assert "unread-count" not in home and "/pemberitahuan/" not in home
    assert "/rujukan/masuk/" not in home and "/rujukan/ke-uptd/" in home
    form = client_for(caseworker).get(f"/rujukan/kirim/{consented_case.pk}/", {"service": "reintegrasi_sosial"})
    assert "PATBM Desa Uji" not in form.content.decode()
