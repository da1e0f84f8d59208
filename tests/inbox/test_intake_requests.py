"""Intake requests: which UPTD PPA receives a referral in, its two answers (registered as a case, declined),
each given once, and the ids and numbers the requests keep."""

import pytest

from agencies.models import Agency, Region
from core.models import AuditEvent
from inbox import selectors, services
from inbox.models import IntakeRequest
from tests.conftest import register_case


@pytest.fixture
def patbm(db) -> Agency:
    return Agency.objects.create(name="PATBM Uji", agency_type="patbm")


def test_intake_request_goes_to_the_uptd_of_the_senders_district(caseworker, outsider):
    # Another district's UPTD PPA also has caseworkers (the outsider); the district decides.
    village = Agency.objects.create(name="Pemerintah Desa Uji", agency_type="desa",
                                    district=Region.objects.get(code="73.22"))
    intake = services.intake_request_create(actor=caseworker, source_agency=village, summary="Perlu dibantu")
    assert intake.target_agency == caseworker.agency
    assert str(intake) == intake.audit_label == f"R-{intake.pk}"
    assert list(selectors.intake_requests_pending(user=caseworker)) == [intake]
    assert not selectors.intake_requests_visible_to(user=outsider).exists()


def test_a_request_needs_a_summary_and_an_urgency_and_a_uptd_to_go_to(patbm, db):
    with pytest.raises(services.InboxError, match="Belum ada UPTD PPA aktif"):
        services.intake_request_create(actor=None, source_agency=patbm, summary="Perlu kunjungan")
    with pytest.raises(services.InboxError, match="Tuliskan ringkasan"):
        services.intake_request_create(actor=None, source_agency=patbm, summary="  ")
    with pytest.raises(services.InboxError, match="Pilih tingkat urgensi."):
        services.intake_request_create(actor=None, source_agency=patbm, summary="Perlu kunjungan", urgency="nanti")
    assert not IntakeRequest.objects.exists()


def test_intake_request_is_declined_with_a_reason_once(caseworker, patbm):
    intake = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Perlu kunjungan")
    with pytest.raises(services.InboxError, match="Tuliskan alasan penolakan."):
        services.intake_request_decline(intake=intake, actor=caseworker, reason=" ")
    services.intake_request_decline(intake=intake, actor=caseworker, reason="Bukan kasus kekerasan; rujuk PUSPAGA")
    intake.refresh_from_db()
    assert intake.status == "ditolak" and intake.decided_by == caseworker
    with pytest.raises(services.InboxError, match="sudah diproses"):
        services.intake_request_decline(intake=intake, actor=caseworker, reason="x")
    assert list(selectors.intake_requests_decided(user=caseworker)) == [intake]


def test_a_registered_request_is_not_registered_again_nor_declined(caseworker, patbm, regions):
    from cases.services import CaseError

    intake = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Perlu kunjungan")
    case = register_case(caseworker, intake_request=intake)
    assert IntakeRequest.objects.get().case == case
    assert AuditEvent.objects.filter(action="intake.register", object_type="inbox.intakerequest",
                                     object_id=str(intake.pk)).exists()
    with pytest.raises(CaseError, match="sudah diproses"):
        register_case(caseworker, intake_request=intake)
    with pytest.raises(services.InboxError, match="sudah diproses"):
        services.intake_request_decline(intake=intake, actor=caseworker, reason="Terlambat")
    assert case.__class__.objects.count() == 1


def test_the_sender_sees_its_own_requests_only(caseworker, patbm):
    other = Agency.objects.create(name="PATBM Lain", agency_type="patbm")
    mine = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Perlu kunjungan")
    services.intake_request_create(actor=caseworker, source_agency=other, summary="Perlu kunjungan juga")
    assert list(selectors.intake_requests_sent_by(agency_id=patbm.pk)) == [mine]


def test_the_queue_lists_the_most_urgent_first_then_the_oldest(caseworker, patbm):
    # Intake requests carry no deadline of their own: their urgency is how soon they are due (issue 14).
    ordinary = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Biasa", urgency="biasa")
    soon = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Segera", urgency="segera")
    emergency = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Darurat",
                                               urgency="darurat")
    later_soon = services.intake_request_create(actor=caseworker, source_agency=patbm, summary="Segera 2",
                                                urgency="segera")
    assert list(selectors.intake_requests_pending(user=caseworker)) == [emergency, soon, later_soon, ordinary]
