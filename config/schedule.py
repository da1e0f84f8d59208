"""Every periodic job of Simpul, in one place (HackSoft styleguide). Times are WITA (CELERY_TIMEZONE)."""

from celery.schedules import crontab

BEAT_SCHEDULE: dict = {
    # Reports of the period that just ended, at 02:00 WITA on its first day after (a quiet hour for the server).
    "report-monthly": {"task": "reports.tasks.report_schedule_task", "args": ("bulanan",),
                       "schedule": crontab(minute=0, hour=2, day_of_month=1)},
    "report-quarterly": {"task": "reports.tasks.report_schedule_task", "args": ("triwulan",),
                         "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,4,7,10")},
    "report-annual": {"task": "reports.tasks.report_schedule_task", "args": ("tahunan",),
                      "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=1)},
}
