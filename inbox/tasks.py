"""Celery tasks of the inbox: thin, they take an id and call a service."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(name="inbox.tasks.notification_email_task", autoretry_for=(SMTPException, OSError),
             retry_backoff=60, retry_kwargs={"max_retries": 6})
def notification_email_task(notification_id: int) -> bool:
    """E-mail one notification (its text names no survivor); sent at most once."""
    from inbox.services import notification_email_send

    return notification_email_send(notification_id=notification_id)


@shared_task(name="inbox.tasks.role_change_notices_task")
def role_change_notices_task() -> int:
    """Tell the supervisors of changes of staff access not told yet (agencies kicks it after each change)."""
    from inbox.services import role_change_notices_send

    return role_change_notices_send()
