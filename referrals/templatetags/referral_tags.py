"""Template tags with which other pages show referral information.

`{% load referral_tags %}{% case_referrals_panel case %}` on the case page: the referrals of a case and the
button to send one. `{% partner_referrals_panel %}` on the partner home page.
"""

from django import template

from core.policy import Capability, can
from referrals import selectors
from referrals.services import can_refer_in, takes_part_in_referrals

register = template.Library()


@register.inclusion_tag("referrals/_case_panel.html", takes_context=True)
def case_referrals_panel(context, case) -> dict:
    """The case page has already checked that the user may see `case`."""
    user = context.get("user")
    can_send = can(user, Capability.REFERRAL_SEND) and not case.is_closed
    return {"case": case, "request": context.get("request"), "user": user, "can_send": can_send,
            "referrals": list(selectors.case_referrals(case=case))}


@register.inclusion_tag("referrals/_home_partner_panel.html", takes_context=True)
def partner_referrals_panel(context) -> dict:
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.agency_id:
        return {"counts": None}
    counts = selectors.inbox_counts(user=user) if takes_part_in_referrals(user) else None
    return {"counts": counts, "can_refer_in": can_refer_in(user)}
