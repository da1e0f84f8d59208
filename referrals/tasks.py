"""Celery tasks of the referral network: thin, they take ids and call a service."""

from celery import shared_task


@shared_task(name="referrals.tasks.referral_deadlines_task")
def referral_deadlines_task() -> dict:
    """Beat job (config/schedule.py): mark overdue referrals and escalate; safe to run twice or in parallel."""
    from referrals.services import referral_deadlines_check

    return referral_deadlines_check()
