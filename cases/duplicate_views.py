"""The "Tanyakan ke lembaga itu" button of the duplicate check (htmx POST from the intake form)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cases.duplicates import duplicate_inquiry_send
from cases.services import NIK_PATTERN, CaseError
from core.policy import Capability, requires

VICTIM_ROWS = "korban"  # the intake form's prefix of its victim rows (cases.views.case_create)


def _typed_victims(data) -> list[tuple[str, str, date | None]]:
    """(nik, name, birth_date) of every victim row of the posted intake form."""
    rows: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == VICTIM_ROWS and parts[2] in ("nik", "name", "birth_date"):
            rows.setdefault(parts[1], {})[parts[2]] = value.strip()
    typed = []
    for row in rows.values():
        nik = row.get("nik", "")
        try:
            birth = date.fromisoformat(row.get("birth_date", ""))
        except ValueError:
            birth = None
        typed.append((nik if NIK_PATTERN.match(nik) else "", row.get("name", ""), birth))
    return typed


@requires(Capability.CASE_DUPLICATE_ASK)
def duplicate_inquiry(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        agency_id = int(request.POST.get("lembaga", ""))
    except ValueError:
        raise Http404 from None
    try:
        agency = duplicate_inquiry_send(actor=request.user, agency_id=agency_id,
                                        typed=_typed_victims(request.POST), request=request)
    except CaseError:
        raise Http404 from None  # no match there: as if the agency had never been named
    return HttpResponse(format_html('<span role="status">{}</span>', _(
        "Pertanyaan terkirim kepada koordinator %(agency)s.") % {"agency": agency.name}))
