"""The Surat Rujukan PDF opens and holds the shared fields and no unshared one (tested on its text)."""

import io

from django.utils import timezone
from pypdf import PdfReader

from core.models import AuditEvent
from referrals.letter import render_referral_letter
from tests.conftest import client_for
from tests.referrals.conftest import VICTIM_NAME, VICTIM_PHONE, send


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_letter_holds_the_shared_fields_and_no_unshared_one(referral, caseworker):
    text = _text(render_referral_letter(referral))
    for shared in ("SURAT RUJUKAN", f"Nomor: {referral.number}", "UPTD PPA Uji", "Unit PPA Polres Uji",
                   referral.victim.survivor_code, "13-17", "Perempuan", "Fisik", "Penegakan Hukum", "Segera",
                   "Perlu tindak lanjut lembaga Anda.", caseworker.display_name,
                   timezone.localdate(referral.sent_at).strftime("%Y").strip()):
        assert shared in text, shared
    # Not consented to be shared (identity not chosen) and never shared (the case file).
    for unshared in (VICTIM_NAME, VICTIM_PHONE, referral.case.number, "tetangga"):
        assert unshared not in text, unshared


def test_letter_carries_the_identity_when_consent_covers_it(consented_case, caseworker, police_agency):
    referral = send(caseworker, consented_case, police_agency, share_identity=True)
    text = _text(render_referral_letter(referral))
    assert VICTIM_NAME in text and VICTIM_PHONE in text


def test_letter_names_the_legal_basis(case, supervisor, police_agency):
    referral = send(supervisor, case, police_agency, legal_basis="anak_berisiko", legal_basis_reason="Anak terancam.")
    text = _text(render_referral_letter(referral))
    assert "UU 35/2014 Pasal 59" in text and "Anak terancam." not in text  # the reason stays in the audit trail


def test_letter_download_is_audited_and_never_cached(referral, police_officer):
    response = client_for(police_officer).get(f"/rujukan/{referral.pk}/surat.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert referral.victim.survivor_code in _text(response.content)
    assert AuditEvent.objects.filter(action="referral.letter", actor=police_officer).count() == 1


def test_letter_is_indonesian_whatever_the_readers_language(referral, caseworker):
    client = client_for(caseworker)
    client.cookies["django_language"] = "en"
    text = _text(client.get(f"/rujukan/{referral.pk}/surat.pdf").content)
    assert "Kelompok usia" in text and "Age group" not in text
