"""`{% load prevention_tags %}{% prevention_home_panel %}`: the prevention panel on the home pages.

PATBM and PUSPAGA staff see their own figures and the button to record; supervisors and officials see
how many villages this year had cases and no prevention. Everybody else sees nothing.
"""

from datetime import date

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from prevention import selectors

register = template.Library()


@register.inclusion_tag("prevention/_home_panel.html", takes_context=True)
def prevention_home_panel(context) -> dict:
    user = context.get("user")
    panel: dict = {"user": user}
    if user is None or not user.is_authenticated:
        return panel
    today = timezone.localdate()
    start = date(today.year, 1, 1)
    if selectors.is_patbm_staff(user):
        groups = selectors.patbm_groups_visible_to(user=user)
        figures = groups.aggregate(groups=Count("id", distinct=True),
                                   activities=Count("activities", filter=Q(activities__held_on__gte=start),
                                                    distinct=True))
        panel.update(kind="patbm", groups=figures["groups"], activities=figures["activities"],
                     first_group=groups.order_by("village_id").first() if figures["groups"] == 1 else None)
    elif selectors.is_puspaga_staff(user):
        sessions = selectors.puspaga_sessions_visible_to(user=user).filter(held_on__gte=start)
        figures = sessions.aggregate(sessions=Count("id"), referred=Count("id", filter=Q(referred_to_uptd=True)))
        panel.update(kind="puspaga", **figures)
    elif selectors.sees_all_prevention(user):
        table = selectors.coverage_table(start=start, end=today)
        villages = [row for row in table if not row.is_kecamatan]
        panel.update(kind="overseer", gap_villages=sum(row.gap for row in villages),
                     patbm_active=sum(row.patbm_status == selectors.PatbmStatus.ACTIVE for row in villages),
                     villages=len(villages))
    return panel
