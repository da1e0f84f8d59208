"""Template tags with which other apps' pages show referral information.

`{% load referral_tags %}{% case_referrals_panel case %}` on the case page: the referrals of a case
and the button to send one. The referrals issue fills it in; until then it renders nothing.
"""

from django import template

register = template.Library()


@register.inclusion_tag("referrals/_case_panel.html", takes_context=True)
def case_referrals_panel(context, case) -> dict:
    return {"case": case, "request": context.get("request"), "user": context.get("user")}
