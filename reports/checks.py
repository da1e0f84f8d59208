"""System checks of the reports settings (run by `manage.py check` and at worker start)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def report_lease_outlives_the_run(app_configs, **kwargs) -> list[Error]:
    # A run renews its lease between steps; if the hard time limit let one step outlast the lease, the heal job
    # would hand a live run's report to a second run (harmless, but wasted work and a doubled render).
    if settings.REPORT_LEASE_SECONDS < settings.REPORT_TASK_TIME_LIMIT:
        return [Error("REPORT_LEASE_SECONDS must be at least REPORT_TASK_TIME_LIMIT "
                      f"({settings.REPORT_LEASE_SECONDS} < {settings.REPORT_TASK_TIME_LIMIT})", id="reports.E001")]
    if settings.REPORT_TASK_SOFT_TIME_LIMIT >= settings.REPORT_TASK_TIME_LIMIT:
        return [Error("REPORT_TASK_SOFT_TIME_LIMIT must be below REPORT_TASK_TIME_LIMIT", id="reports.E002")]
    return []
