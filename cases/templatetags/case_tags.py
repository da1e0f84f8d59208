"""Template helpers of the case file.

`{% load case_tags %}{% case_home_panel %}` on the caseworker's and supervisor's home pages (two queries);
`{{ codes|code_labels:"TpksForm" }}` turns stored code lists into their labels.
"""

from django import template

from cases.selectors import case_home_counts
from core import codes
from core.policy import Capability, can, perms

register = template.Library()

LABELLED_CODES = {name: getattr(codes, name) for name in (
    "TpksForm", "TppoElement", "ConsentScope", "AgencyType", "DisabilityKind", "ViolenceType")}


@register.filter
def code_labels(values, code_list: str) -> str:
    """The labels of stored codes, joined with commas (unknown codes are shown as they are)."""
    choices = dict(LABELLED_CODES[code_list].choices)
    return ", ".join(str(choices.get(value, value)) for value in values or [])


@register.inclusion_tag("cases/_home_panel.html", takes_context=True)
def case_home_panel(context) -> dict:
    user = context.get("user")
    if not can(user, Capability.CASE_WORK):
        return {"counts": None}
    return {"counts": case_home_counts(user=user), "user": user, "can": perms(user)}
