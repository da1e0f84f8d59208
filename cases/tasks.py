"""Celery tasks of the case file: thin, they call a service."""

from celery import shared_task


@shared_task(name="cases.tasks.retention_purge_task")
def retention_purge_task() -> int:
    """Beat job (config/schedule.py): anonymise the cases past retention; a second run finds none left."""
    from cases.services import cases_anonymise_due

    return len(cases_anonymise_due(actor=None))


@shared_task(name="cases.tasks.agenda_reminders_task")
def agenda_reminders_task() -> dict:
    """Beat job (config/schedule.py): remind workers of agenda entries falling due or overdue, each once."""
    from cases.agenda import agenda_reminders_send

    return agenda_reminders_send()
