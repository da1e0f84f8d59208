"""Every hand-off tells the people who act on it, once, in the app and by e-mail, and nobody else.

Each test sets the hand-off up through the real services of the app it belongs to, commits it (e-mails
leave only after commit, through the eager Celery task) and compares what was sent with all the personas.
"""

from datetime import date

import pytest

from cases import services as case_services
from prevention import services as prevention_services
from referrals import services as referral_services
from tests.conftest import client_for, register_case
from tests.inbox.conftest import email_of
from tests.referrals.conftest import new_case, record_sharing_consent, send

SUMMARY = "Anak sintetis takut pulang; ayahnya sering memukul."
CONTACT = "Telepon ibu di 0812-0000-7777"


def _intake_staff_told(sent, everyone):
    caseworker, supervisor = everyone["caseworker"], everyone["supervisor"]
    assert sent.notices == sorted([(caseworker.username, "rujukan_masuk"), (supervisor.username, "rujukan_masuk")])
    assert sent.mails == sorted([email_of(caseworker), email_of(supervisor)])
    # What leaves in the bell and the e-mail names the request and the sender, never the family.
    for notice in sent.rows:
        assert SUMMARY not in notice.text and "0812" not in notice.text
        assert notice.link == f"/kasus/pengaduan-masuk/{notice.params['number'].removeprefix('R-')}/"


def _mail_texts():
    from django.core import mail

    return [message.subject + message.body for message in mail.outbox]


def test_a_puspaga_referral_in_tells_the_uptd_intake_staff(everyone, handoff):
    counsellor = everyone["puspaga_staff"]
    session = prevention_services.puspaga_session_record(
        actor=counsellor, held_on=date.today(), service="konseling", channel="tatap_muka", issue="pengasuhan",
        counsellor=counsellor, notes="Catatan sesi rahasia.")
    with handoff() as sent:
        prevention_services.puspaga_session_refer(session=session, actor=counsellor, summary=SUMMARY,
                                                  urgency="darurat", contact_hint=CONTACT)
    _intake_staff_told(sent, everyone)
    assert sent.rows[0].text == (f"Rujukan masuk {sent.rows[0].params['number']} dari PUSPAGA Uji menunggu "
                                 "registrasi (urgensi: Darurat).")
    assert not any(secret in text for text in _mail_texts() for secret in (SUMMARY, CONTACT, "Catatan sesi"))
    # The caseworker's bell shows it, and its link opens the request in the intake queue.
    client = client_for(everyone["caseworker"])
    assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
    notice = next(n for n in sent.rows if n.recipient == everyone["caseworker"])
    opened = client.post(f"/pemberitahuan/{notice.pk}/buka/")
    assert opened["Location"] == notice.link and client.get(notice.link).status_code == 200


def test_a_patbm_referral_in_tells_the_uptd_intake_staff(everyone, handoff):
    with handoff() as sent:
        referral_services.referral_in_send(actor=everyone["patbm_staff"], summary=SUMMARY, urgency="segera",
                                           contact_hint=CONTACT)
    _intake_staff_told(sent, everyone)
    assert "dari PATBM Uji" in sent.rows[0].text


def _case_awaiting_closure(everyone):
    caseworker = everyone["caseworker"]
    case = register_case(caseworker)  # registered by its caseworker, who is then its assigned worker
    return case_services.closure_request(case=case, actor=caseworker, reason="Layanan sudah tuntas.")


def test_an_approved_closure_tells_the_caseworker(everyone, handoff):
    case = _case_awaiting_closure(everyone)
    with handoff() as sent:
        case_services.closure_approve(case=case, actor=everyone["supervisor"])
    assert sent.notices == [(everyone["caseworker"].username, "terminasi_disetujui")]
    assert sent.mails == [email_of(everyone["caseworker"])]
    assert sent.rows[0].text == f"Terminasi kasus {case.number} disetujui; kasus ditutup."
    assert sent.rows[0].link == f"/kasus/{case.pk}/"


def test_a_refused_closure_tells_the_caseworker_without_the_reason(everyone, handoff):
    case = _case_awaiting_closure(everyone)
    with handoff() as sent:
        case_services.closure_reject(case=case, actor=everyone["supervisor"], reason="Korban masih butuh pendampingan.")
    assert sent.notices == [(everyone["caseworker"].username, "terminasi_ditolak")]
    assert sent.mails == [email_of(everyone["caseworker"])]
    assert "butuh pendampingan" not in sent.rows[0].text
    assert not any("butuh pendampingan" in text for text in _mail_texts())


def test_a_closure_asked_by_one_supervisor_and_decided_by_another_tells_both_the_worker_and_the_asker(
        everyone, handoff, uptd):
    from agencies.models import Role
    from tests.conftest import make_user

    caseworker, supervisor = everyone["caseworker"], everyone["supervisor"]
    second = make_user("koordinator_dua", Role.SUPERVISOR, uptd)
    case = register_case(caseworker)
    case_services.closure_request(case=case, actor=supervisor, reason="Korban pindah domisili.")
    with handoff() as sent:
        case_services.closure_approve(case=case, actor=second)
    assert sent.notices == sorted([(caseworker.username, "terminasi_disetujui"),
                                   (supervisor.username, "terminasi_disetujui")])


@pytest.fixture
def referral(everyone, regions):
    caseworker = everyone["caseworker"]
    case = new_case(caseworker)
    record_sharing_consent(case, caseworker)
    return send(caseworker, case, everyone["police_officer"].agency)


@pytest.mark.parametrize("answer", ["accept", "decline", "complete"])
def test_an_answered_referral_tells_the_sender(everyone, referral, handoff, answer):
    police_officer, caseworker = everyone["police_officer"], everyone["caseworker"]
    if answer == "complete":
        referral_services.referral_accept(referral=referral, actor=police_officer)
    with handoff() as sent:
        if answer == "accept":
            referral_services.referral_accept(referral=referral, actor=police_officer)
        elif answer == "decline":
            referral_services.referral_decline(referral=referral, actor=police_officer, reason="Bukan kewenangan.")
        else:
            referral_services.referral_complete(referral=referral, actor=police_officer, outcome="Laporan diproses.")
    kind = {"accept": "diterima", "decline": "ditolak", "complete": "selesai"}[answer]
    assert sent.notices == [(caseworker.username, kind)]
    assert sent.mails == [email_of(caseworker)]
    assert referral.number in sent.rows[0].text and "Unit PPA Polres Uji" in sent.rows[0].text
