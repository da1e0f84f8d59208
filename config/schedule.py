"""Every periodic job of Simpul, in one place (HackSoft styleguide). Times are WITA (CELERY_TIMEZONE)."""

import os

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
# REPORT_SCHEDULE_KINDS limits the scheduled reports to the kinds listed (e.g. "bulanan"; empty for none). The
# heal job catches up only what is scheduled here.
if os.environ.get("REPORT_SCHEDULE_KINDS") is not None:
    _kinds = {kind.strip() for kind in os.environ["REPORT_SCHEDULE_KINDS"].split(",")}
    BEAT_SCHEDULE = {name: entry for name, entry in BEAT_SCHEDULE.items()
                     if entry["task"] != "reports.tasks.report_schedule_task" or entry["args"][0] in _kinds}

# Self-healing reports: queue again a report whose worker was killed (its lease lapsed) or whose job was lost
# with the queue, and make a scheduled report whose run was missed (database down at 02:00). Each report is
# claimed by a conditional UPDATE, so a doubled run is harmless; ticks that waited long in the queue (worker
# down) expire rather than pile up. REPORT_HEAL_CHECK_SECONDS shortens the interval (the fault tests use 1 s).
_heal_seconds = float(os.environ.get("REPORT_HEAL_CHECK_SECONDS", "60"))
BEAT_SCHEDULE["report-heal"] = {"task": "reports.tasks.report_heal_task", "schedule": _heal_seconds,
                                "options": {"expires": max(_heal_seconds, 30.0)}}

# Referral deadlines: mark overdue referrals and escalate the long-unanswered ones. The job claims each row,
# so a doubled or late run is harmless. REFERRAL_DEADLINE_CHECK_SECONDS shortens the interval (the worker
# integration test runs it every second).
BEAT_SCHEDULE["referral-deadlines"] = {
    "task": "referrals.tasks.referral_deadlines_task",
    "schedule": float(os.environ.get("REFERRAL_DEADLINE_CHECK_SECONDS", "600")),
}

# The nightly encrypted backup of the database and every private file (core/backup.py), at 01:00 WITA: the
# quietest hour, and done before the 02:00 reports. It runs on a worker of the default queue, which needs
# pg_dump and the private file folder.
BEAT_SCHEDULE["backup-nightly"] = {"task": "core.tasks.backup_nightly_task", "schedule": crontab(minute=0, hour=1)}

# Changes of staff access: the supervisors are told right after each change; this catches any change whose
# notices were not sent then (the broker was down). Claimed per row, so a doubled run tells once.
BEAT_SCHEDULE["role-change-notices"] = {"task": "inbox.tasks.role_change_notices_task", "schedule": 60.0}

# Retention (UU 27/2022 PDP): closed cases past SIMPUL_RETENTION_YEARS are anonymised, at 03:00 WITA on the 2nd
# of each month (after the reports of the 1st). Anonymised cases are marked, so a doubled run does nothing.
BEAT_SCHEDULE["retention-purge"] = {"task": "cases.tasks.retention_purge_task",
                                    "schedule": crontab(minute=0, hour=3, day_of_month=2)}

# One-time keys of creating forms (core.idempotency) are kept a day; the hourly clean-up deletes older ones, and
# running it twice deletes nothing more.
BEAT_SCHEDULE["submission-keys-expire"] = {
    "task": "core.tasks.submission_keys_expire_task",
    "schedule": crontab(minute=17),
}

# Agenda reminders (cases.agenda): each entry's worker hears once when it falls due by the next working day and
# once when it is overdue. Hourly in working hours (a morning missed while the server was down is caught up
# later the same day); each reminder is claimed by a unique row, so a doubled run tells nobody twice.
BEAT_SCHEDULE["agenda-reminders"] = {"task": "cases.tasks.agenda_reminders_task",
                                     "schedule": crontab(minute=5, hour="7-18")}
# The outbox relay (core/outbox.py): each change kicks it right after commit; this tick delivers what a kick could
# not (the broker was down, a failure waiting for its retry). Messages are claimed with SKIP LOCKED, so two runs
# at once deliver each message once. Ticks that waited in the queue expire rather than pile up. OUTBOX_RELAY_SECONDS
# shortens the interval (the fault test uses 1 s).
_outbox_seconds = float(os.environ.get("OUTBOX_RELAY_SECONDS", "30"))
BEAT_SCHEDULE["outbox-relay"] = {"task": "core.tasks.outbox_relay_task", "schedule": _outbox_seconds,
                                 "options": {"expires": max(_outbox_seconds, 30.0)}}
# Sent outbox messages are kept OUTBOX_KEEP_DAYS (for a look in the admin), then deleted at 04:20 WITA.
BEAT_SCHEDULE["outbox-prune"] = {"task": "core.tasks.outbox_prune_task", "schedule": crontab(minute=20, hour=4)}
