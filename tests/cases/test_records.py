"""Records on a case: accompaniment, notes, attachments, consent approval and withdrawal, the police report."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Attachment
from core.models import AuditEvent
from tests.conftest import register_case

PDF = b"%PDF-1.4\n% sintetis\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def test_accompaniment_is_recorded_and_counts_as_first_service(caseworker, regions):
    case = register_case(caseworker)
    at = timezone.now() - timedelta(minutes=10)
    session = services.accompaniment_record(case=case, actor=caseworker, occurred_at=at, kind="kepolisian",
                                            notes="Mendampingi pembuatan laporan")
    case.refresh_from_db()
    assert session.accompanied_by == caseworker and case.first_service_at == at
    with pytest.raises(services.CaseError, match="Pilih jenis pendampingan."):
        services.accompaniment_record(case=case, actor=caseworker, occurred_at=at, kind="pasar")
    with pytest.raises(services.CaseError, match="sebelum pengaduan diterima"):
        services.accompaniment_record(case=case, actor=caseworker, occurred_at=case.received_at - timedelta(days=1),
                                      kind="medis")


def test_an_earlier_service_recorded_later_moves_the_first_service_time_back(caseworker, regions):
    case = register_case(caseworker, received_at=timezone.now() - timedelta(hours=5))
    services.accompaniment_record(case=case, actor=caseworker, occurred_at=timezone.now(), kind="medis")
    earlier = timezone.now() - timedelta(hours=4)
    services.accompaniment_record(case=case, actor=caseworker, occurred_at=earlier, kind="psikologis")
    case.refresh_from_db()
    assert case.first_service_at == earlier


def test_notes_need_text_and_are_audited_without_their_content(caseworker, regions):
    case = register_case(caseworker)
    with pytest.raises(services.CaseError, match="Catatan tidak boleh kosong."):
        services.case_note_add(case=case, actor=caseworker, text="   ")
    services.case_note_add(case=case, actor=caseworker, text="Ibu korban menelepon, rahasia")
    event = AuditEvent.objects.get(action="case.note")
    assert "rahasia" not in str(event.details)


@pytest.mark.parametrize(("content", "content_type"), [(PDF, "application/pdf"), (PNG, "image/png"),
                                                       (JPEG, "image/jpeg")])
def test_attachments_of_accepted_types_are_stored_privately_under_a_random_name(caseworker, regions, private_media,
                                                                                 content, content_type):
    case = register_case(caseworker)
    upload = SimpleUploadedFile("visum Ani Sintetis.bin", content)
    attachment = services.attachment_add(case=case, actor=caseworker, document_type="visum", upload=upload)
    stored = Path(attachment.file.path)
    # On disk only ciphertext (core.crypto); read through the storage, the bytes come back as uploaded.
    assert stored.is_relative_to(private_media) and content[:8] not in stored.read_bytes()
    with attachment.file.open("rb") as opened:
        assert opened.read() == content
    assert "Ani" not in attachment.file.name
    assert attachment.content_type == content_type and attachment.size == len(content)


def test_an_attachment_of_the_wrong_type_is_refused(caseworker, regions, private_media):
    case = register_case(caseworker)
    upload = SimpleUploadedFile("catatan.pdf", b"MZ\x90\x00 this is an executable")  # named .pdf, it is not
    with pytest.raises(services.CaseError, match="Jenis berkas tidak diterima. Unggah PDF, JPEG atau PNG."):
        services.attachment_add(case=case, actor=caseworker, document_type="lainnya", upload=upload)
    assert not Attachment.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(caseworker, regions, private_media, settings):
    settings.CASE_ATTACHMENT_MAX_MB = 1
    case = register_case(caseworker)
    upload = SimpleUploadedFile("besar.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(services.CaseError, match=r"Berkas terlalu besar \(1.0 MB\). Batasnya 1 MB."):
        services.attachment_add(case=case, actor=caseworker, document_type="lainnya", upload=upload)
    assert not Attachment.objects.exists() and not any(private_media.rglob("*.pdf"))


def test_consent_from_a_guardian_when_the_parent_is_the_perpetrator_needs_the_supervisor(caseworker, supervisor,
                                                                                         regions):
    case = register_case(caseworker, victim_age=9)
    victim = case.victims.get()
    consent = services.consent_record(case=case, victim=victim, actor=caseworker, scopes=["layanan"],
                                      given_by="wali", given_by_name="Nenek Sintetis", form_version="IC-2026-1",
                                      parent_is_perpetrator=True)
    with pytest.raises(services.CaseError, match="Hanya koordinator"):
        services.consent_approve(consent=consent, actor=caseworker)
    services.consent_approve(consent=consent, actor=supervisor)
    consent.refresh_from_db()
    assert consent.is_effective and consent.approved_by == supervisor
    with pytest.raises(services.CaseError, match="sudah disetujui"):
        services.consent_approve(consent=consent, actor=supervisor)


def test_consent_that_needs_no_approval_is_not_approved(caseworker, supervisor, regions):
    case = register_case(caseworker, victim_age=30)
    consent = services.consent_record(case=case, victim=case.victims.get(), actor=caseworker, scopes=["layanan"],
                                      given_by="korban", form_version="IC-2026-1")
    with pytest.raises(services.CaseError, match="tidak memerlukan persetujuan koordinator"):
        services.consent_approve(consent=consent, actor=supervisor)


def test_consent_withdrawal_needs_a_reason_and_ends_its_effect(caseworker, regions):
    case = register_case(caseworker, victim_age=30)
    consent = services.consent_record(case=case, victim=case.victims.get(), actor=caseworker,
                                      scopes=["layanan", "berbagi"], sharing_agency_types=["unit_ppa"],
                                      given_by="korban", form_version="IC-2026-1")
    assert consent.is_effective
    with pytest.raises(services.CaseError, match="alasan atau keterangan pencabutan"):
        services.consent_withdraw(consent=consent, actor=caseworker, reason="")
    services.consent_withdraw(consent=consent, actor=caseworker, reason="Korban tidak ingin data dibagikan")
    consent.refresh_from_db()
    assert not consent.is_effective and consent.withdrawn_at
    with pytest.raises(services.CaseError, match="sudah dicabut"):
        services.consent_withdraw(consent=consent, actor=caseworker, reason="lagi")


def test_police_report_is_recorded_once(caseworker, regions):
    case = register_case(caseworker, violence_types=["seksual"])
    with pytest.raises(services.CaseError, match="masa depan"):
        services.police_report_record(case=case, actor=caseworker, reported_at=timezone.now() + timedelta(hours=2))
    services.police_report_record(case=case, actor=caseworker, reference="LP/B/12/2026")
    case.refresh_from_db()
    assert case.police_reported_at and case.police_report_reference == "LP/B/12/2026"
    with pytest.raises(services.CaseError, match="sudah tercatat"):
        services.police_report_record(case=case, actor=caseworker)
