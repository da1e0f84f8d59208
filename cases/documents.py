"""The printable documents of a case (Permen PPPA 2/2022's standard documents) and the whole case file, as A4
PDFs in Indonesian: what each one holds, which a case has, and the rendering (core.pdf).

Each document is laid out from the case page's presenter (`presenters.case_page`), so a print carries no more
than the reader sees on the page: identity fields (names, NIK, birth dates, addresses, phones, the reporter,
the chronology, the names of consent givers and mediation parties) only for a reader who sees the identity
section there. Everything else is the same rows the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from cases import presenters
from cases.forms import ConsentForm
from cases.models import Case
from core import codes
from core.pdf import render_pdf

STYLESHEET = "css/documents.css"


@dataclass(frozen=True)
class Document:
    kind: str  # in the URL and the file name
    title: str
    parts: tuple[str, ...]  # templates under cases/documents/, in order
    exists: Callable[[Case], bool]
    signers: tuple[str, ...] = ()  # who signs at the foot (titles; names are written by hand)


def _always(case: Case) -> bool:
    return True


# The whole case file: every section, in the order of the service standard's workflow.
_EVERY_PART = ("_complaint.html", "_identity.html", "_consent.html", "_assessment.html", "_plan.html",
               "_services.html", "_mediation.html", "_police.html", "_notes.html", "_attachments.html",
               "_closure.html")

DOCUMENTS: tuple[Document, ...] = (
    Document("formulir-pengaduan", _("Formulir pengaduan"), ("_complaint.html", "_identity.html"), _always,
             (_("Pelapor"), _("Petugas penerima pengaduan"))),
    # Printed before consent is recorded, it is the blank form the survivor or guardian signs.
    Document("persetujuan", _("Persetujuan (informed consent)"), ("_consent.html",), _always,
             (_("Yang memberi persetujuan"), _("Petugas"))),
    Document("asesmen", _("Lembar asesmen"), ("_assessment.html",), lambda case: bool(case.assessments.all()),
             (_("Pendamping"), _("Psikolog"))),
    Document("rencana-intervensi", _("Rencana intervensi"), ("_plan.html",),
             lambda case: bool(case.planned_services.all()),
             (_("Penerima manfaat"), _("Pendamping"), _("Kepala UPTD PPA (manajer kasus)"))),
    Document("berita-acara-mediasi", _("Berita acara mediasi"), ("_mediation.html",),
             lambda case: bool(case.mediations.all()), (_("Para pihak"), _("Mediator"))),
    Document("laporan-terminasi", _("Laporan terminasi"), ("_closure.html",),
             lambda case: case.closure_requested_at is not None or case.is_closed,
             (_("Pendamping"), _("Koordinator"))),
    Document("berkas-kasus", _("Berkas kasus lengkap"), _EVERY_PART, _always),
)
BY_KIND = {document.kind: document for document in DOCUMENTS}


def available(case: Case) -> list[Document]:
    """The documents this case has (no mediation record without a mediation); reads the case page's prefetch."""
    return [document for document in DOCUMENTS if document.exists(case)]


def title_of(kind: str | None) -> str:
    document = BY_KIND.get(kind or "")
    return str(document.title) if document else (kind or "–")


def file_name(case: Case, document: Document) -> str:
    """No names, only the kind and the case number: a file name travels in downloads folders and e-mails."""
    return f"{document.kind}-{case.number.replace('/', '-')}.pdf"


@dataclass(frozen=True)
class VictimSheet:
    """One victim on paper: the page's row, the identity row (None without identity rights), their consents."""

    row: presenters.VictimRow
    identity: presenters.IdentityRow | None
    consents: list[presenters.ConsentRow]


def _context(*, case: Case, document: Document, user: User, now: datetime) -> dict:
    page = presenters.case_page(case=case, user=user, now=now)
    identities = {row.survivor_code: row for row in page.identity.victims} if page.identity else {}
    sheets = [VictimSheet(row, identities.get(row.victim.survivor_code),
                          [c for c in page.consents if c.consent.victim_id == row.victim.pk])
              for row in page.victims]
    return {
        "case": case, "page": page, "document": document, "sheets": sheets,
        "see_identity": page.identity is not None,
        "survivor_codes": ", ".join(row.victim.survivor_code for row in page.victims),
        "printed_at": timezone.localtime(now),
        # The blank form is signed by a person: processing on a legal basis instead is recorded, not signed.
        "consent_scopes": codes.ConsentScope.choices,
        "consent_givers": [(value, label) for value, label in codes.ConsentGiver.choices
                           if value != codes.ConsentGiver.LEGAL_BASIS],
        # The version the consent form records by default: the paper and the record name the same text.
        "consent_form_version": ConsentForm.base_fields["form_version"].initial,
    }


def render(*, case: Case, document: Document, user: User, now: datetime | None = None) -> bytes:
    """`document` of `case` as `user` may read it, as PDF bytes. `case` comes loaded by selectors.case_for_page."""
    now = now or timezone.now()
    return render_pdf("cases/documents/document.html",
                      lambda: _context(case=case, document=document, user=user, now=now),
                      stylesheets=[STYLESHEET])
