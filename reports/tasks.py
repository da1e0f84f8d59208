"""Report jobs: thin, they take an id or a kind and call a service (HackSoft styleguide)."""

from celery import shared_task

from reports import services


# A failure (database gone, WeasyPrint error) is recorded on the report by the service and retried here:
# three more tries, 1, 2 then 4 minutes apart. After that the report stays "gagal" and can be retried by hand.
@shared_task(bind=True, autoretry_for=(Exception,), max_retries=3, retry_backoff=60, retry_backoff_max=600,
             retry_jitter=False, acks_late=True)
def report_generate_task(self, report_id: int) -> None:
    services.report_generate(report_id=report_id)


@shared_task
def report_schedule_task(kind: str) -> None:
    """Beat: the report of the period that just ended (config/schedule.py)."""
    services.report_schedule(kind=kind)
