"""Report jobs: thin, they take an id or a kind and call a service (HackSoft styleguide)."""

from celery import shared_task
from django.conf import settings

from reports import services


# A failure (database gone, WeasyPrint error) is recorded on the report by the service and retried here:
# three more tries, 1, 2 then 4 minutes apart. After that the report stays "gagal" and can be retried by hand.
# A worker killed mid-run (out of memory, hard time limit) is healed by the lease (reports_heal), not by Celery:
# the message is acknowledged late and given back if the worker process is lost, but the redelivered job
# finds the dead run's lease still live and leaves the report to the heal job once it lapses, so a report
# that kills its worker every time cannot loop. The time limits stay under the lease (reports.checks).
@shared_task(bind=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=60, retry_backoff_max=600,
             retry_jitter=False, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.REPORT_TASK_SOFT_TIME_LIMIT, time_limit=settings.REPORT_TASK_TIME_LIMIT)
def report_generate_task(self, report_id: int) -> None:
    services.report_generate(report_id=report_id)


@shared_task
def report_schedule_task(kind: str) -> None:
    """Beat: the report of the period that just ended (config/schedule.py)."""
    services.report_schedule(kind=kind)


@shared_task(soft_time_limit=120, time_limit=150)
def report_heal_task() -> dict:
    """Beat (config/schedule.py): requeue stopped runs and lost jobs, catch up missed scheduled reports."""
    return services.reports_heal()
