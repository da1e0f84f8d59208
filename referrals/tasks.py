"""Celery tasks of the referral network: thin, they take ids and call a service."""

from smtplib import SMTPException

from celery import shared_task


@shared_task(name="referrals.tasks.referral_deadlines_task")
def referral_deadlines_task() -> dict:
    """Beat job (config/schedule.py): mark overdue referrals and escalate; safe to run twice or in parallel."""
    from referrals.services import referral_deadlines_check

    return referral_deadlines_check()


@shared_task(name="referrals.tasks.notification_email_task", autoretry_for=(SMTPException, OSError),
             retry_backoff=60, retry_kwargs={"max_retries": 6})
def notification_email_task(notification_id: int) -> bool:
    """E-mail one notification (its text names no survivor); sent at most once."""
    from referrals.notifications import notification_email_send

    return notification_email_send(notification_id=notification_id)
