"""Jobs of the core app: thin, they call core.backup (HackSoft styleguide)."""

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
