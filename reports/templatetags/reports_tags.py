from django import template

register = template.Library()


@register.simple_tag
def lookup_table(presentation, key: str):
    """The shown table with this key (templates cannot call methods with arguments)."""
    return presentation.table(key)


@register.inclusion_tag("reports/_home_panel.html", takes_context=True)
def reports_home_panel(context):
    """The home page panel of officials and supervisors: this month so far (published edition) and the newest
    ready reports. A handful of aggregate queries; no personal data."""
    from django.utils import timezone

    from core.suppression import display_count
    from reports.periods import Kind, Period
    from reports.selectors import reports_ready_for
    from reports.statistics import headline_counts

    user = context["request"].user
    period = Period.containing(Kind.MONTHLY, timezone.localdate())
    counts = headline_counts(period)
    return {"period": period, "ready": reports_ready_for(user=user, limit=3),
            "figures": [(label, display_count(counts[key], published=True)) for key, label in (
                ("cases", "Kasus"), ("victims", "Korban"), ("perpetrators", "Pelaku"))]}
