"""`{% load inbox_tags %}{% notification_bell %}` in the navbar: the unread count in one query."""

from django import template

from core.policy import Capability, can
from inbox import selectors

register = template.Library()


@register.inclusion_tag("inbox/_bell_button.html", takes_context=True)
def notification_bell(context) -> dict:
    user = context.get("user")
    if user is None or not can(user, Capability.NOTIFICATION_VIEW):  # PATBM and PUSPAGA: no bell
        return {"user": None}
    return {"user": user, "unread": selectors.unread_count(user=user)}
