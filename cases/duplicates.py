"""Possible duplicates in another agency (issue 10): a supervisor asks that agency whether its case concerns
the same victim. The question carries the asking agency's name and the other agency's own case number, which
its supervisors may open anyway; never a name, NIK or birth date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from cases.models import Case
from cases.selectors import possible_duplicates
from cases.services import CaseError
from core.audit import audit_record
from core.policy import Capability, can, staff_who_can
from inbox import services as inbox_services


@transaction.atomic
def duplicate_inquiry_send(*, actor: User, agency_id: int, typed: list[tuple[str, str, date | None]],
                           request=None) -> Agency:
    """Ask the supervisors of `agency_id` about their cases that possibly match what `actor` typed at intake."""
    if not can(actor, Capability.CASE_DUPLICATE_ASK):
        raise CaseError(_("Hanya koordinator yang dapat menanyakan kepada lembaga lain."))
    # Recomputed here, never taken from the request: the asker cannot point the question at a case of choice.
    matches = possible_duplicates(user=actor, victims=typed)
    case_ids = sorted({m.case_id for m in matches if not m.in_scope and m.agency_id == agency_id})
    if not case_ids:
        raise CaseError(_("Tidak ada kemungkinan kasus yang sama di lembaga itu."))
    agency = Agency.objects.get(pk=agency_id)
    supervisors = list(User.objects.filter(staff_who_can(Capability.CASE_VIEW_UNIT), agency_id=agency_id))
    for case_id, number in Case.objects.filter(pk__in=case_ids).values_list("pk", "number"):
        inbox_services.notify(recipients=supervisors, kind=inbox_services.Kind.DUPLICATE_INQUIRY,
                              link=reverse("cases:detail", args=[case_id]),
                              params={"agency": actor.agency.name, "number": number}, exclude=actor)
    audit_record(actor=actor, action="case.duplicate_inquiry", request=request, object_label=agency.name,
                 details={"agency": agency_id, "cases": case_ids})
    return agency
