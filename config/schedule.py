"""Every periodic job of Simpul, in one place (HackSoft styleguide). Times are WITA (CELERY_TIMEZONE)."""

BEAT_SCHEDULE: dict = {}
