"""Search for the case team: a victim by NIK, name or birth date, within the user's own case scope.

What is possible over encrypted columns, and what the page says:
- NIK: an exact match through its blind index (core.crypto), in the database, whatever the scope's size.
- Name and/or birth date: these columns are encrypted at rest, so no SQL can compare them. They are compared
  after decryption, for the victims of the user's scope only (cases_visible_to), and only while that scope
  holds at most SCAN_LIMIT victims (a district's caseload; beyond it the page asks for the NIK). The name
  matches any part of it, ignoring case and spacing.
Every search asks its reason (a category); the audit event keeps the category, which criteria were used
and how many cases were found, never the value searched. Results show case numbers and survivor codes only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from cases.models import Victim
from cases.selectors import cases_visible_to
from core.audit import audit_record
from core.crypto import blind_index, normalised_name

# Victims decrypted at most for one name / birth-date search (a few milliseconds each thousand).
SCAN_LIMIT = 5000
MIN_NAME_LENGTH = 3


class SearchReason(models.TextChoices):
    """Why a team member searches (asked every search, kept in the audit log)."""

    NEW_COMPLAINT = "pengaduan_baru", _("Memeriksa pengaduan baru (mungkin korban yang sama)")
    RETURNING = "korban_kembali", _("Korban datang atau menghubungi kembali")
    AGENCY_REQUEST = "permintaan_lembaga", _("Pertanyaan lembaga lain (rujukan, kepolisian)")
    DATA_CHECK = "periksa_data", _("Memeriksa kelengkapan atau kebenaran data")


@dataclass(frozen=True)
class SearchHit:
    case_id: int
    case_number: str
    survivor_code: str


@dataclass
class SearchResult:
    hits: list[SearchHit] = field(default_factory=list)
    too_broad: bool = False  # name/birth-date search over a scope larger than SCAN_LIMIT: ask for the NIK


def victims_search(*, user: User, nik: str = "", name: str = "", birth_date: date | None = None) -> SearchResult:
    """Victims of the user's cases matching every criterion given; see the module's note for what matches."""
    victims = (Victim.objects.filter(case__in=cases_visible_to(user=user).values("pk"))
               .select_related("case").order_by("case__number", "id"))
    if nik:
        victims = victims.filter(nik_lookup=blind_index("victim.nik", nik.strip()))
    wanted = normalised_name(name)
    if wanted or birth_date:
        fields = ["id", "survivor_code", "case__id", "case__number", "name", "birth_date"]
        rows = list(victims.only(*fields)[:SCAN_LIMIT + 1])
        if len(rows) > SCAN_LIMIT:
            return SearchResult(too_broad=True)
        rows = [v for v in rows if (not wanted or wanted in normalised_name(v.name))
                and (birth_date is None or v.birth_date == birth_date)]
    else:
        rows = list(victims.only("id", "survivor_code", "case__id", "case__number"))
    return SearchResult(hits=[SearchHit(v.case_id, v.case.number, v.survivor_code) for v in rows])


def search_audit(*, user: User, reason: str, criteria: list[str], result: SearchResult, request=None) -> None:
    """The search is a read of personal data: audited with its reason, never with the value searched."""
    audit_record(actor=user, action="case.search", request=request,
                 object_label=str(SearchReason(reason).label),
                 details={"reason": reason, "criteria": criteria, "cases": sorted({h.case_id for h in result.hits}),
                          "too_broad": result.too_broad})
