"""The audit trail's readable names of actions (core/audit_actions.py)."""

from django import template

from core.audit_actions import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    return action_label(code)
