"""`{% load transfer_tags %}{% case_transfers_panel case %}`: the transfers (pelimpahan) of a case on its page."""

from django import template

from core.policy import Capability, can

register = template.Library()


@register.inclusion_tag("cases/transfer/_case_panel.html", takes_context=True)
def case_transfers_panel(context, case) -> dict:
    """The case page has already checked that the user may see `case`; one query whatever the case holds."""
    user = context.get("user")
    rows = list(case.transfers.select_related("sending_agency", "receiving_agency").order_by("sent_at", "id"))
    waiting = any(row.status == row.Status.PENDING for row in rows)
    can_send = (can(user, Capability.CASE_TRANSFER) and user.agency_id == case.agency_id and not case.is_closed
                and not waiting)
    return {"case": case, "transfers": rows, "can_send": can_send}
