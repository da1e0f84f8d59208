"""Celery tasks of agencies: thin, they take an id and call a service."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(name="agencies.tasks.password_link_email_task", autoretry_for=(SMTPException, OSError),
             retry_backoff=60, retry_kwargs={"max_retries": 6})
def password_link_email_task(user_id: int, new_account: bool = False) -> bool:
    """E-mail an account's holder the link to set their own password."""
    from agencies.services import password_link_email_send

    return password_link_email_send(user_id=user_id, new_account=new_account)
