"""Celery tasks of the case file: thin, they call a service."""

from celery import shared_task


@shared_task(name="cases.tasks.retention_purge_task")
def retention_purge_task() -> int:
    """Beat job (config/schedule.py): anonymise the cases past retention; a second run finds none left."""
    from cases.services import cases_anonymise_due

    return len(cases_anonymise_due(actor=None))
