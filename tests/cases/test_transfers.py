"""Pelimpahan (cases.transfers): a case handed to a UPTD PPA of another district, with its consent and summary,
accepted or declined by the receiving supervisor; access, history and statistics follow the owner."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import services as agency_services
from agencies.models import Region, Role
from cases import selectors, transfers
from cases import services as case_services
from cases.models import CaseTransfer
from cases.transfers import TransferError
from core.codes import AgencyType, Service
from core.models import AuditEvent
from inbox.models import Notification
from tests.conftest import make_user, register_case

NEIGHBOUR_DISTRICT = "73.17"  # Kabupaten Luwu, Luwu Utara's neighbour


@pytest.fixture
def receiving_agency(regions):
    """A UPTD PPA of the neighbouring district (Agency.district says which district an agency serves)."""
    return agency_services.agency_create(actor=None, name="UPTD PPA Kabupaten Luwu", agency_type=AgencyType.UPTD_PPA,
                                         district=Region.objects.get(code=NEIGHBOUR_DISTRICT),
                                         services=[Service.COMPLAINT])


@pytest.fixture
def receiving_supervisor(receiving_agency):
    return make_user("koordinator_luwu", Role.SUPERVISOR, receiving_agency)


@pytest.fixture
def receiving_worker(receiving_agency):
    return make_user("pendamping_luwu", Role.CASEWORKER, receiving_agency)


@pytest.fixture
def case(caseworker, supervisor, regions, uptd):
    agency_services.agency_update(agency=uptd, actor=supervisor, services=[Service.COMPLAINT], kecamatan=[],
                                  district=Region.objects.get(code="73.22"))
    return register_case(caseworker, assigned_worker=caseworker)


def consent_for(case, actor, agency_types=(AgencyType.UPTD_PPA,)):
    victim = case.victims.get()
    return case_services.consent_record(case=case, victim=victim, actor=actor, scopes=["layanan", "berbagi"],
                                        given_by="orang_tua", given_by_name="Ibu Sintetis", form_version="PDP-2026-1",
                                        sharing_agency_types=list(agency_types))


def send(supervisor, case, agency, **extra):
    return transfers.transfer_request(actor=supervisor, case=case, receiving_agency=agency,
                                      reason="Keluarga pindah ke Kabupaten Luwu.", **extra)


def audit_actions(case) -> list[str]:
    return list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
                .order_by("id").values_list("action", flat=True))


# --- Request -------------------------------------------------------------------------------------

def test_request_rests_on_consent_and_freezes_a_summary_without_names(case, caseworker, supervisor,
                                                                      receiving_agency, receiving_supervisor):
    consent = consent_for(case, caseworker)
    # The send form's preview is built by the same function as the summary sent.
    preview = transfers.transfer_plan(actor=supervisor, case=case, receiving_agency=None, preview=True)
    transfer = send(supervisor, case, receiving_agency)

    assert transfer.status == CaseTransfer.Status.PENDING
    assert list(transfer.consents.all()) == [consent]
    assert transfer.sending_agency_id == case.agency_id and transfer.sending_worker == caseworker
    victim = case.victims.get()
    assert transfer.summary["victims"][0]["survivor_code"] == victim.survivor_code
    assert "Korban Sintetis" not in str(transfer.summary)  # the name never travels in the summary
    assert preview.summary == transfer.summary
    assert "case.transfer_request" in audit_actions(case)
    notice = Notification.objects.get(recipient=receiving_supervisor)
    assert transfer.audit_label in notice.text and "Sintetis" not in notice.text
    # The case stays with the sender until the receiving unit answers.
    case.refresh_from_db()
    assert case.agency_id != receiving_agency.pk


def test_request_without_consent_needs_a_legal_basis_with_a_reason(case, supervisor, receiving_agency,
                                                                   receiving_supervisor):
    with pytest.raises(TransferError, match="UU 27/2022 Pasal 20"):
        send(supervisor, case, receiving_agency)
    with pytest.raises(TransferError, match="alasan"):
        send(supervisor, case, receiving_agency, legal_basis=CaseTransfer.LegalBasis.PUBLIC_TASK)
    transfer = send(supervisor, case, receiving_agency, legal_basis=CaseTransfer.LegalBasis.PUBLIC_TASK,
                    legal_basis_reason="Korban kini berdomisili di wilayah kewenangan penerima.")
    assert transfer.legal_basis == "kewenangan" and not transfer.consents.exists()


def test_only_the_sending_supervisor_may_send_and_only_once(case, caseworker, supervisor, outsider,
                                                           receiving_agency, receiving_supervisor):
    consent_for(case, caseworker)
    for actor in (caseworker, outsider):
        with pytest.raises(TransferError, match="koordinator"):
            send(actor, case, receiving_agency)
    with pytest.raises(TransferError, match="lembaga penerima"):
        send(supervisor, case, case.agency)
    send(supervisor, case, receiving_agency)
    with pytest.raises(TransferError, match="menunggu jawaban"):
        send(supervisor, case, receiving_agency)
    assert CaseTransfer.objects.count() == 1


# --- Accept and decline ---------------------------------------------------------------------------

def test_accept_moves_the_case_to_the_receiving_unit(case, caseworker, supervisor, receiving_agency,
                                                     receiving_supervisor, receiving_worker, outsider):
    consent_for(case, caseworker)
    transfer = send(supervisor, case, receiving_agency)
    with pytest.raises(TransferError, match="koordinator lembaga penerima"):
        transfers.transfer_accept(transfer=transfer, actor=supervisor, worker=caseworker)
    with pytest.raises(TransferError, match="pendamping dari lembaga Anda"):
        transfers.transfer_accept(transfer=transfer, actor=receiving_supervisor, worker=caseworker)

    transfers.transfer_accept(transfer=transfer, actor=receiving_supervisor, worker=receiving_worker)

    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.agency == receiving_agency and case.assigned_worker == receiving_worker
    assert transfer.status == CaseTransfer.Status.ACCEPTED and transfer.answered_by == receiving_supervisor
    assert audit_actions(case)[-1] == "case.transfer_accept"
    assert Notification.objects.filter(recipient=caseworker, kind="pelimpahan_diterima").exists()
    assert Notification.objects.filter(recipient=receiving_worker, kind="pelimpahan_ditugaskan").exists()
    with pytest.raises(TransferError, match="sudah dijawab"):
        transfers.transfer_decline(transfer=transfer, actor=receiving_supervisor, reason="Terlambat.")


def test_decline_keeps_the_case_with_the_sender_and_says_why(case, caseworker, supervisor, receiving_agency,
                                                             receiving_supervisor):
    consent_for(case, caseworker)
    transfer = send(supervisor, case, receiving_agency)
    with pytest.raises(TransferError, match="alasan"):
        transfers.transfer_decline(transfer=transfer, actor=receiving_supervisor, reason=" ")
    transfers.transfer_decline(transfer=transfer, actor=receiving_supervisor, reason="Bukan wilayah kami.")

    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.agency_id == supervisor.agency_id
    assert transfer.status == CaseTransfer.Status.DECLINED and transfer.decline_reason == "Bukan wilayah kami."
    assert audit_actions(case)[-1] == "case.transfer_decline"
    assert Notification.objects.filter(recipient=supervisor, kind="pelimpahan_ditolak").exists()
    # Declined, the case may be sent elsewhere (or again).
    assert send(supervisor, case, receiving_agency).status == CaseTransfer.Status.PENDING


# --- Must show 5: two districts; access, history and statistics follow the owner ----------------------------

def test_transfer_between_districts_moves_access_keeps_history_and_counts_once(
        case, caseworker, supervisor, receiving_agency, receiving_supervisor, receiving_worker, outsider):
    from tests.conftest import client_for

    assert case.agency.district_id != receiving_agency.district_id
    consent_for(case, caseworker)
    case_services.case_note_add(case=case, actor=caseworker, text="Catatan pendamping pengirim.")
    transfer = send(supervisor, case, receiving_agency)
    # Before acceptance the receiving unit reads the summary only, never the case.
    assert client_for(receiving_supervisor).get(f"/kasus/{case.pk}/").status_code == 404
    assert client_for(receiving_supervisor).get(f"/kasus/pelimpahan/{transfer.pk}/").status_code == 200
    transfers.transfer_accept(transfer=transfer, actor=receiving_supervisor, worker=receiving_worker)

    # Access moves: the receiver's caseworker opens and works on the case ...
    receiver = client_for(receiving_worker)
    assert receiver.get(f"/kasus/{case.pk}/").status_code == 200
    key = receiver.get(f"/kasus/{case.pk}/catatan/").context["form"].initial["submission_key"]
    assert receiver.post(f"/kasus/{case.pk}/catatan/", {"text": "Catatan lembaga penerima.",
                                                        "submission_key": key}).status_code == 302
    assert case.notes.filter(author=receiving_worker).exists()
    # ... the sender's caseworker and supervisor no longer open it, but read what they recorded ...
    for user in (caseworker, supervisor):
        sender = client_for(user)
        assert sender.get(f"/kasus/{case.pk}/").status_code == 404
        assert sender.get(f"/kasus/{case.pk}/catatan/").status_code == 404
        page = sender.get(f"/kasus/{case.pk}/dilimpahkan/")
        assert page.status_code == 200
        assert "Catatan pendamping pengirim." in page.content.decode()
        assert "Catatan lembaga penerima." not in page.content.decode()
    # The worker who had the case is told where to read it now.
    answer = client_for(caseworker).get(f"/kasus/pelimpahan/{transfer.pk}/").content.decode()
    assert f"/kasus/{case.pk}/dilimpahkan/" in answer
    # ... and a third agency sees nothing.
    for url in (f"/kasus/{case.pk}/", f"/kasus/{case.pk}/dilimpahkan/", f"/kasus/pelimpahan/{transfer.pk}/"):
        assert client_for(outsider).get(url).status_code == 404
    assert client_for(receiving_worker).get(f"/kasus/{case.pk}/dilimpahkan/").status_code == 404

    # History stays with the case: the new team reads the sender's steps and the transfer.
    actions = audit_actions(case)
    assert actions.index("case.register") < actions.index("case.transfer_request") < actions.index(
        "case.transfer_accept")
    history = transfers.transfer_history(case=case)
    assert [(e.action, e.from_agency, e.to_agency) for e in history] == [
        ("case.transfer_request", supervisor.agency.name, receiving_agency.name),
        ("case.transfer_accept", supervisor.agency.name, receiving_agency.name)]
    page = client_for(receiving_worker).get(f"/kasus/{case.pk}/").content.decode()
    assert transfer.audit_label in page and "Diterima" in page and supervisor.agency.name in page

    # Statistics: the period of the complaint counts the case once, at the receiving unit.
    start = case.received_at - timedelta(days=1)
    end = timezone.now() + timedelta(days=1)
    assert transfers.case_counts_by_agency(start=start, end=end) == {receiving_agency.pk: 1}
    assert selectors.cases_received_in(start=start, end=end).count() == 1
    # A period that ended before acceptance shows the unit that held it then.
    before = transfer.answered_at - timedelta(microseconds=1)
    assert transfers.case_counts_by_agency(start=start, end=before) == {supervisor.agency_id: 1}
    # The report of the period has the case once, at the receiving unit.
    from reports.periods import Kind, Period
    from reports.statistics import compute_statistics

    statistics = compute_statistics(Period.containing(Kind.ANNUAL, timezone.localdate(case.received_at)))
    assert statistics.cases == 1
    assert statistics.table("agencies").rows == [[receiving_agency.name, [1]]]


# --- Pages -----------------------------------------------------------------------------------------

def test_send_page_previews_the_summary_and_sends_it(case, caseworker, supervisor, receiving_agency,
                                                     receiving_supervisor, outsider):
    from tests.conftest import client_for

    consent_for(case, caseworker)
    url = f"/kasus/{case.pk}/limpahkan/"
    for user in (caseworker, outsider, receiving_supervisor):  # not the sending supervisor: no such page
        assert client_for(user).get(url).status_code == 404
    client = client_for(supervisor)
    assert "Limpahkan kasus" in client.get(f"/kasus/{case.pk}/").content.decode()
    assert "Limpahkan kasus" not in client_for(caseworker).get(f"/kasus/{case.pk}/").content.decode()
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert case.victims.get().survivor_code in html and "Korban Sintetis" not in html
    assert f"UPTD PPA Kabupaten Luwu ({receiving_agency.district.name})" in html  # the district is named
    key = page.context["form"].initial["submission_key"]

    response = client.post(url, {"receiving_agency": receiving_agency.pk, "reason": "Pindah domisili.",
                                 "legal_basis": "", "legal_basis_reason": "", "submission_key": key})
    assert response.status_code == 302 and response["Location"].endswith("#pelimpahan")
    transfer = CaseTransfer.objects.get()
    assert transfer.receiving_agency == receiving_agency and transfer.reason == "Pindah domisili."
    # A repeat of the same submit sends nothing twice.
    client.post(url, {"receiving_agency": receiving_agency.pk, "reason": "Pindah domisili.", "submission_key": key})
    assert CaseTransfer.objects.count() == 1


def test_receiving_supervisor_lists_accepts_and_the_outsider_sees_nothing(
        case, caseworker, supervisor, receiving_agency, receiving_supervisor, receiving_worker, outsider,
        django_assert_max_num_queries):
    from tests.conftest import client_for

    consent_for(case, caseworker)
    transfer = send(supervisor, case, receiving_agency)
    client = client_for(receiving_supervisor)
    with django_assert_max_num_queries(8):
        inbox = client.get("/kasus/pelimpahan/")
    assert transfer.audit_label in inbox.content.decode() and "Korban Sintetis" not in inbox.content.decode()
    for user in (outsider, receiving_worker):  # no caseworker answers transfers; the list is the supervisor's
        assert client_for(user).get("/kasus/pelimpahan/").status_code == 404
    assert client_for(outsider).get(f"/kasus/pelimpahan/{transfer.pk}/").status_code == 404

    page = client.get(f"/kasus/pelimpahan/{transfer.pk}/")
    assert "Terima pelimpahan" in page.content.decode()
    key = page.context["accept_form"].initial["submission_key"]
    response = client.post(f"/kasus/pelimpahan/{transfer.pk}/", {"terima-worker": receiving_worker.pk,
                                                                 "terima-submission_key": key})
    assert response.status_code == 302 and response["Location"] == f"/kasus/{case.pk}/"
    case.refresh_from_db()
    assert case.agency == receiving_agency and case.assigned_worker == receiving_worker


def test_receiving_supervisor_declines_with_a_reason_through_the_page(case, caseworker, supervisor,
                                                                      receiving_agency, receiving_supervisor):
    from tests.conftest import client_for

    consent_for(case, caseworker)
    transfer = send(supervisor, case, receiving_agency)
    client = client_for(receiving_supervisor)
    key = client.get(f"/kasus/pelimpahan/{transfer.pk}/").context["decline_form"].initial["submission_key"]
    empty = client.post(f"/kasus/pelimpahan/{transfer.pk}/", {"tolak-reason": "", "tolak-submission_key": key})
    assert empty.status_code == 200  # the form comes back with its message
    response = client.post(f"/kasus/pelimpahan/{transfer.pk}/", {"tolak-reason": "Bukan wilayah kami.",
                                                                 "tolak-submission_key": key})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == CaseTransfer.Status.DECLINED
    # The sender reads the answer on the transfer's page.
    assert "Bukan wilayah kami." in client_for(supervisor).get(f"/kasus/pelimpahan/{transfer.pk}/").content.decode()
