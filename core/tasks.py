"""Jobs of the core app: thin, they call core.backup and core.idempotency (HackSoft styleguide)."""

import logging

from celery import shared_task

from core.backup import backup_create, backups_prune

logger = logging.getLogger(__name__)


@shared_task
def backup_nightly_task() -> str:
    """Beat (config/schedule.py): tonight's encrypted backup, then the retention rule."""
    archive = backup_create()
    removed = backups_prune()
    logger.info("backup %s written, %d old backups removed", archive.name, len(removed))
    return archive.name


@shared_task(name="core.tasks.submission_keys_expire_task")
def submission_keys_expire_task() -> int:
    """Beat (config/schedule.py): forget the one-time form keys older than a day; harmless to run twice."""
    from core.idempotency import submission_keys_expire

    return submission_keys_expire()


@shared_task(name="core.tasks.outbox_relay_task", soft_time_limit=240, time_limit=300)
def outbox_relay_task() -> dict:
    """Right after a commit that saved side effects, and from beat (config/schedule.py): deliver the outbox."""
    from core.outbox import outbox_relay

    return outbox_relay()


@shared_task(name="core.tasks.outbox_prune_task")
def outbox_prune_task() -> int:
    """Beat (config/schedule.py): forget outbox messages sent long ago."""
    from core.outbox import outbox_prune

    return outbox_prune()
