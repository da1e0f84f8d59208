"""Writes of the reports app: requesting, generating, retrying, healing and downloading reports."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import socket
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.mail import send_mail
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import User
from core.audit import SYSTEM_ACTOR, audit_record
from core.outbox import outbox_enqueue
from core.policy import Capability, can, staff_who_can
from inbox import services as inbox_services
from reports.figures import figures_changes, figures_of
from reports.models import Report
from reports.periods import Period, PeriodError
from reports.presentation import present
from reports.rendering import render_report
from reports.statistics import compute_statistics

logger = logging.getLogger(__name__)

CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes, as the survivor codes


class ReportError(Exception):
    """The report cannot be requested or retried; the message is for the official."""


def verification_code_for(*, kind: str, period: str, edition: str, version: int) -> str:
    """An HMAC of the report's identity under the secret key: printed in the PDF, checked on the verification page.

    Deterministic, so a lost row cannot be replaced by a forged one, and unguessable without the key.
    """
    message = f"simpul-report:{settings.DISTRICT_CODE}:{kind}:{period}:{edition}:{version}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    letters = "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:16])
    return "-".join(letters[i:i + 4] for i in range(0, 16, 4))


def normalise_code(text: str) -> str:
    letters = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def _check_edition_allowed(*, actor: User | None, edition: str) -> None:
    if edition not in Report.Edition.values:
        raise ReportError(_("Edisi laporan tidak dikenal."))
    # The internal edition shows small counts: only supervisors (koordinator) may have it.
    if edition == Report.Edition.INTERNAL and actor is not None and not can(actor, Capability.REPORT_INTERNAL):
        raise ReportError(_("Edisi internal hanya untuk koordinator."))


def _new_version(*, kind: str, period: Period, edition: str, actor: User | None, trigger: str) -> Report:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = Report.objects.filter(kind=kind, period=period.code, edition=edition).aggregate(
                    v=Max("version"))["v"] or 0
                version = latest + 1
                return Report.objects.create(
                    kind=kind, period=period.code, period_start=period.start, period_end=period.end,
                    edition=edition, version=version, trigger=trigger, requested_by=actor, queued_at=timezone.now(),
                    verification_code=verification_code_for(kind=kind, period=period.code, edition=edition,
                                                             version=version))
        except IntegrityError:
            # Two requests took the same version number at once: take the next one.
            if trigger == Report.Trigger.SCHEDULE and Report.objects.filter(
                    kind=kind, period=period.code, edition=edition, trigger=trigger).exists():
                raise
            continue
    raise ReportError(_("Laporan sedang dibuat oleh permintaan lain. Coba lagi sebentar lagi."))


# Outbox kinds of the reports (core.outbox; handlers registered in reports.apps).
REPORT_JOB = "reports.generate_job"
REPORT_READY_EMAIL = "reports.ready_email"


def _queue(report: Report) -> None:
    """Record the job in the outbox, in the caller's transaction; it is sent right after commit (the row records
    when: `queued_at`, set by the caller)."""
    outbox_enqueue(kind=REPORT_JOB, payload={"report_id": report.pk})


def report_job_send(*, report_id: int) -> None:
    """The outbox's delivery of a report job (at commit): send it to the queue."""
    _send_job(report_id)


def _run_eagerly(report_id: int) -> None:
    from reports.tasks import report_generate_task

    # Celery's eager mode with propagation raises the first Retry instead of retrying: retry here, without the waits.
    for _attempt in range(1 + report_generate_task.max_retries):
        try:
            report_generate(report_id=report_id)
            break
        except Exception:  # noqa: S112 (report_generate logged it and recorded it on the row)
            continue


def _run_in_background(report_id: int) -> None:
    """Celery eager without a broker: make the report in a thread of its own, so the request that asked for it
    answers at once and its page shows the progress. The thread uses (and closes) its own database connection."""
    def run() -> None:
        try:
            _run_eagerly(report_id)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=f"report-{report_id}", daemon=True).start()


def _send_job(report_id: int) -> None:
    """Send one report's job to the queue. When the broker is down the report stays queued, its `queued_at`
    cleared: the heal job sends it at its next tick once the queue is back (nothing is stuck, nothing lost).
    With Celery eager (no broker: `make run`, the tests) the job runs here, with the retries the task declares,
    once the caller's transaction (the outbox's delivery) has committed."""
    from reports.tasks import report_generate_task

    try:
        if report_generate_task.app.conf.task_always_eager:
            run = _run_in_background if settings.REPORT_EAGER_IN_BACKGROUND else _run_eagerly
            transaction.on_commit(lambda: run(report_id))
        else:
            report_generate_task.delay(report_id)
    except Exception as error:
        logger.warning("report %s: job not sent, the heal job will send it: %s", report_id, type(error).__name__)
        Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(queued_at=None)


@transaction.atomic
def report_request(*, actor: User | None, kind: str, period_code: str, edition: str = Report.Edition.PUBLISHED,
                   today=None, request=None, queue: bool = True) -> Report:
    """Request a report of a past or current period; generating again makes a new version and keeps the old."""
    if kind not in Report.Kind.values:
        raise ReportError(_("Jenis laporan tidak dikenal."))
    try:
        period = Period.parse(kind, period_code)
    except PeriodError as error:
        raise ReportError(str(error)) from error
    today = today or timezone.localdate()
    if period.start > today:
        raise ReportError(_("Periode %(period)s belum dimulai.") % {"period": period.label})
    _check_edition_allowed(actor=actor, edition=edition)
    report = _new_version(kind=kind, period=period, edition=edition, actor=actor, trigger=Report.Trigger.MANUAL)
    audit_record(actor=actor or SYSTEM_ACTOR, action="report.request", obj=report, request=request,
                 details={"kind": kind, "period": period.code, "edition": edition, "version": report.version})
    if queue:
        _queue(report)
    return report


@transaction.atomic
def report_schedule(*, kind: str, today=None, late: bool = False) -> list[Report]:
    """The beat job: the reports of the last complete period, both editions, once (idempotent).

    `late` marks a catch-up by the heal job (the run at the scheduled time was missed: database or worker down).
    """
    period = Period.last_complete(kind, today or timezone.localdate())
    made = []
    for edition in (Report.Edition.PUBLISHED, Report.Edition.INTERNAL):
        if Report.objects.filter(kind=kind, period=period.code, edition=edition,
                                 trigger=Report.Trigger.SCHEDULE).exists():
            continue  # beat fired twice (restart, two beats): the report is already there or on its way
        try:
            with transaction.atomic():
                report = _new_version(kind=kind, period=period, edition=edition, actor=None,
                                      trigger=Report.Trigger.SCHEDULE)
        except IntegrityError:
            continue
        audit_record(actor=SYSTEM_ACTOR, action="report.schedule", obj=report,
                     details={"kind": kind, "period": period.code, "edition": edition, "late": late})
        _queue(report)
        made.append(report)
    return made


# --- Runs: a lease per run, renewed at each step -------------------------------------------------------

class LeaseLost(Exception):
    """Another run took the report over (this one's lease lapsed): this run stops and leaves no trace."""


def _worker_id() -> str:
    # host:pid of the process making the report (shown to nobody but operators; the fault tests kill it).
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lease_until(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.REPORT_LEASE_SECONDS)


def report_claim(*, report_id: int, now: datetime | None = None) -> str | None:
    """Take the lease of a report for one run and return its token; None when the report is done or a live run
    holds it. A conditional UPDATE: two deliveries of the same job (a requeue, a redelivery) never both run."""
    now = now or timezone.now()
    token = secrets.token_hex(16)
    claimed = (Report.objects.filter(pk=report_id).exclude(status=Report.Status.DONE)
               .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lte=now))
               .update(status=Report.Status.RUNNING, lease_token=token, leased_by=_worker_id(),
                       lease_expires_at=_lease_until(now), started_at=now, finished_at=None, failure_reason="",
                       step=Report.Step.STATISTICS,
                       attempts=F("attempts") + 1, updated_at=now))
    return token if claimed else None


def _renew(report_id: int, token: str, *, step: int | None = None) -> None:
    """The heartbeat: extend this run's lease and record the step it has reached (shown on the report's page),
    or stop the run if the heal job has handed the report on."""
    progress = {} if step is None else {"step": step}
    if not Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, lease_token=token).update(
            lease_expires_at=_lease_until(timezone.now()), **progress):
        raise LeaseLost


def _pdf_name(report: Report) -> str:
    # The same name for every run of one version: a re-run after a killed run replaces, never adds, a file.
    return f"reports/{timezone.localtime(report.created_at):%Y}/{report.filename}"


def _store_pdf(name: str, pdf: bytes) -> None:
    """Write the PDF beside its final name and move it into place, so a run killed while writing leaves no
    truncated file under the report's name (issue 11: files written to a temporary name, then moved)."""
    storage = Report._meta.get_field("file").storage
    if not isinstance(storage, FileSystemStorage):  # object storage (its upload is all-or-nothing), a wrapper
        storage.delete(name)
        storage.save(name, ContentFile(pdf))
        return
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    for leftover in final.parent.glob(f"{final.name}.part-*"):
        leftover.unlink(missing_ok=True)  # written by a run killed before its move; the row lock keeps others out
    temporary = final.with_name(f"{final.name}.part-{secrets.token_hex(4)}")
    try:
        with open(temporary, "wb") as handle:
            handle.write(pdf)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _changes_since_previous(report: Report, figures: dict) -> dict:
    """What differs from the newest finished earlier version of the same report, as printed (reports.figures)."""
    previous = (Report.objects.filter(kind=report.kind, period=report.period, edition=report.edition,
                                      status=Report.Status.DONE, version__lt=report.version)
                .order_by("-version").only("version", "figures").first())
    if previous is None:
        return {}
    changed = figures_changes(previous=previous.figures, current=figures)
    return {"since": previous.version, "tables": changed} if changed else {}


def _complete(*, report_id: int, token: str, pdf: bytes, summary: dict, seconds: float, figures: dict | None = None,
              figures_changed: dict | None = None) -> Report:
    """Record the finished report once: the conditional UPDATE succeeds for the current lease holder only and
    locks the row until commit, so the file, the audit event and the notices come from exactly one run."""
    now = timezone.now()
    report = Report.objects.get(pk=report_id)
    name = _pdf_name(report)
    with transaction.atomic():
        done = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, lease_token=token).update(
            status=Report.Status.DONE, file=name, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
            summary=summary, figures=figures or {}, figures_changed=figures_changed or {}, finished_at=now,
            duration_seconds=seconds, lease_token="", lease_expires_at=None,
            updated_at=now)
        if not done:
            raise LeaseLost
        _store_pdf(name, pdf)  # a failure here rolls the row back: it is then recorded as failed
        report.refresh_from_db()
        audit_record(actor=SYSTEM_ACTOR, action="report.generate", obj=report,
                     details={"seconds": seconds, "size": report.size, "attempt": report.attempts})
        _notify_ready(report)
        outbox_enqueue(kind=REPORT_READY_EMAIL, payload={"report_id": report_id})
    return report


def report_generate(*, report_id: int) -> Report:
    """Compute and render one report and store its PDF, holding the report's lease throughout.

    A report that is done, or being made by a live run, is left alone (a duplicate job). A failure is recorded
    with its reason and raised (the task retries); a run whose lease was taken over stops quietly.
    """
    token = report_claim(report_id=report_id)
    if token is None:
        return Report.objects.get(pk=report_id)
    began = time.monotonic()
    report = Report.objects.get(pk=report_id)
    try:
        period = Period.parse(report.kind, report.period)
        stats = compute_statistics(period)
        with translation.override("id"):  # kept as the PDF prints them, in Indonesian
            shown = present(stats, edition=report.edition, with_charts=False)
            figures = figures_of(shown)
        changed = _changes_since_previous(report, figures)
        _renew(report_id, token, step=Report.Step.CHARTS)
        logger.info("report %s: rendering", report_id)
        if settings.REPORT_RENDER_DELAY_SECONDS:
            # Fault tests only (0 otherwise): the render step takes this much longer, so that a test can kill
            # the worker while a report is being rendered. The same code path, only slowed.
            time.sleep(settings.REPORT_RENDER_DELAY_SECONDS)
        pdf = render_report(period=period, edition=report.edition, verification_code=report.verification_code,
                            version=report.version, stats=stats, changes=changed,
                            before_pdf=lambda: _renew(report_id, token, step=Report.Step.PDF))
        _renew(report_id, token, step=Report.Step.PDF)
        return _complete(report_id=report_id, token=token, pdf=pdf,
                         summary={"period_label": period.label, "headline": shown.headline},
                         seconds=round(time.monotonic() - began, 3), figures=figures, figures_changed=changed)
    except LeaseLost:
        logger.warning("report %s: this run lost its lease; another run makes the report", report_id)
        return Report.objects.get(pk=report_id)
    except Exception as error:  # recorded for the page, then raised so Celery retries
        logger.exception("report %s failed", report_id)
        Report.objects.filter(pk=report_id, lease_token=token).update(
            status=Report.Status.FAILED, finished_at=timezone.now(), lease_token="", lease_expires_at=None,
            duration_seconds=round(time.monotonic() - began, 3),
            failure_reason=f"{type(error).__name__}: {error}"[:2000] or type(error).__name__)
        raise


@transaction.atomic
def report_retry(*, report: Report, actor: User, request=None) -> Report:
    """Retry by hand any report that is not done: failed, queued (its job perhaps lost) or running on a lapsed
    lease (its worker stopped). A run in progress is not doubled. The same version: it was never made."""
    now = timezone.now()
    report = Report.objects.select_for_update().get(pk=report.pk)
    _check_edition_allowed(actor=actor, edition=report.edition)
    if report.status == Report.Status.DONE:
        raise ReportError(_("Laporan ini sudah selesai dibuat."))
    if report.status == Report.Status.RUNNING and not report.lease_lapsed(now):
        raise ReportError(_("Laporan sedang dibuat. Bila prosesnya terhenti, laporan dicoba lagi otomatis."))
    previous = report.status
    Report.objects.filter(pk=report.pk).update(status=Report.Status.QUEUED, queued_at=now, lease_token="",
                                               lease_expires_at=None, recoveries=0, updated_at=now)
    report.refresh_from_db()
    audit_record(actor=actor, action="report.retry", obj=report, request=request, details={"from": previous})
    _queue(report)
    return report


# --- The heal job ---------------------------------------------------------------------------------------

SCHEDULE_TASK = "reports.tasks.report_schedule_task"


def _scheduled_kinds() -> list[tuple[str, timedelta]]:
    """The periodic reports in the beat schedule (config/schedule.py owns which and when), each with the time
    of day it fires on the first day after its period."""
    kinds = []
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        if entry.get("task") != SCHEDULE_TASK:
            continue
        schedule = entry["schedule"]
        hour, minute = min(getattr(schedule, "hour", None) or {0}), min(getattr(schedule, "minute", None) or {0})
        kinds.append((entry["args"][0], timedelta(hours=hour, minutes=minute)))
    return kinds


@transaction.atomic
def _requeue_lapsed(report: Report, *, now: datetime) -> bool:
    """Put back a report whose run stopped renewing its lease (worker killed), or fail it when that keeps
    happening (a report that exhausts the worker's memory every time must not loop for ever)."""
    match = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, lease_token=report.lease_token,
                                  lease_expires_at__lte=now)
    if report.recoveries >= settings.REPORT_MAX_RECOVERIES:
        reason = _("Proses pembuatan laporan terhenti %(count)s kali (kehabisan memori atau waktu). "
                   "Coba lagi nanti atau hubungi pengelola sistem.") % {"count": report.recoveries + 1}
        if match.update(status=Report.Status.FAILED, failure_reason=reason, finished_at=now, lease_token="",
                        lease_expires_at=None, updated_at=now):
            audit_record(actor=SYSTEM_ACTOR, action="report.fail", obj=report, details={"reason": "lease",
                                                                                      "attempts": report.attempts})
        return False
    if not match.update(status=Report.Status.QUEUED, queued_at=now, lease_token="", lease_expires_at=None,
                        recoveries=F("recoveries") + 1, updated_at=now):
        return False  # renewed meanwhile, or another heal job got there first
    audit_record(actor=SYSTEM_ACTOR, action="report.requeue", obj=report,
                 details={"reason": "lease", "worker": report.leased_by, "attempts": report.attempts})
    _queue(report)
    return True


@transaction.atomic
def _requeue_lost(report: Report, *, now: datetime) -> bool:
    """Send again the job of a report queued long ago and never started (its message was lost with the queue)."""
    if not Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED, queued_at=report.queued_at).update(
            queued_at=now, updated_at=now):
        return False
    audit_record(actor=SYSTEM_ACTOR, action="report.requeue", obj=report,
                 details={"reason": "queue", "queued_at": report.queued_at.isoformat() if report.queued_at else None})
    _queue(report)
    return True


@transaction.atomic
def _requeue_failed_scheduled(report: Report, *, now: datetime) -> bool:
    """Try a failed scheduled report again: nobody asked for it, so nobody would press the retry button."""
    if not Report.objects.filter(pk=report.pk, status=Report.Status.FAILED, finished_at=report.finished_at).update(
            status=Report.Status.QUEUED, queued_at=now, updated_at=now):
        return False
    audit_record(actor=SYSTEM_ACTOR, action="report.requeue", obj=report,
                 details={"reason": "failed", "attempts": report.attempts})
    _queue(report)
    return True


def reports_heal(*, now: datetime | None = None) -> dict[str, int]:
    """The heal job (beat, every REPORT_HEAL_CHECK_SECONDS): no report stays unfinished for ever.

    Catches up the scheduled reports of each due period that do not exist (the run at the scheduled time was
    missed: database or worker down), puts back runs whose lease lapsed (worker killed) and queued reports
    whose job was lost (Redis restarted), and retries failed scheduled reports now and then. Each report is
    claimed by a conditional UPDATE, so a doubled or parallel run of this job queues nothing twice.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    caught_up = sum(len(report_schedule(kind=kind, today=(local - fires).date(), late=True))
                    for kind, fires in _scheduled_kinds())
    lapsed = Report.objects.filter(status=Report.Status.RUNNING, lease_expires_at__lte=now)
    requeued = sum(1 for report in lapsed if _requeue_lapsed(report, now=now))
    lost_before = now - timedelta(seconds=settings.REPORT_QUEUE_LOST_SECONDS)
    lost = Report.objects.filter(Q(queued_at__isnull=True) | Q(queued_at__lte=lost_before),
                                 status=Report.Status.QUEUED)
    resent = sum(1 for report in lost if _requeue_lost(report, now=now))
    failed = Report.objects.filter(
        status=Report.Status.FAILED, trigger=Report.Trigger.SCHEDULE,
        finished_at__lte=now - timedelta(minutes=settings.REPORT_CATCH_UP_RETRY_MINUTES),
        attempts__lt=settings.REPORT_CATCH_UP_MAX_ATTEMPTS)
    retried = sum(1 for report in failed if _requeue_failed_scheduled(report, now=now))
    return {"caught_up": caught_up, "requeued": requeued, "resent": resent, "retried": retried}


# --- Notices --------------------------------------------------------------------------------------------

def _readers(report: Report):
    capability = Capability.REPORT_INTERNAL if report.edition == Report.Edition.INTERNAL else Capability.REPORT_VIEW
    return User.objects.filter(staff_who_can(capability), is_active=True)


def _notify_ready(report: Report) -> None:
    """The bell: one in-app notice per reader, in the transaction that marks the report done (once per report).

    No e-mail from it: report_email_ready sends one message to all readers at once.
    """
    label = report.summary.get("period_label", report.period)
    inbox_services.notify(recipients=_readers(report), kind=inbox_services.Kind.REPORT_READY,
                          link=reverse("reports:detail", args=[report.pk]), email=False,
                          params={"report": f"{report.get_kind_display().lower()} {label}"})


def report_email_ready(*, report_id: int) -> None:
    """Tell officials (and supervisors for the internal edition) by e-mail that a report is ready; no personal
    data. The reports page also lists the newest ready reports. Delivered by the outbox, once per report."""
    report = Report.objects.get(pk=report_id)
    label = report.summary.get("period_label", report.period)
    recipients = [user.email for user in _readers(report) if user.email]
    if not recipients:
        return
    subject = _("Laporan %(kind)s %(period)s siap diunduh") % {"kind": report.get_kind_display().lower(),
                                                                 "period": label}
    body = _("Laporan statistik %(kind)s %(period)s (edisi %(edition)s, versi %(version)s) sudah selesai dibuat.\n"
             "Unduh melalui halaman Laporan di Simpul: %(url)s\n") % {
        "kind": report.get_kind_display().lower(), "period": label, "edition": report.edition,
        "version": report.version, "url": reverse("reports:list")}
    # A mail outage raises: the outbox (which alone calls this) tries again later; the run itself is done.
    send_mail(subject, body, None, recipients)


def report_download(*, report: Report, actor: User, request=None) -> None:
    """Record who downloaded which report (every download is audited)."""
    _check_edition_allowed(actor=actor, edition=report.edition)
    audit_record(actor=actor, action="report.download", obj=report, request=request,
                 details={"sha256": report.sha256})


def statistics_export_audit(*, actor: User, period: Period, edition: str, fmt: str, table: str = "",
                            request=None) -> None:
    """Record an export of aggregate tables (XLSX/CSV/GBVIMS)."""
    audit_record(actor=actor, action="report.export", object_label=f"{period.kind}-{period.code}-{edition}",
                 request=request, details={"format": fmt, "table": table, "edition": edition})


def report_verify_audit(*, actor: User | AnonymousUser, code: str, found: bool, matches: bool | None,
                        request=None) -> None:
    """Record a verification attempt (who checked which code, and the answer); anyone may verify, signed in or not."""
    audit_record(actor=actor, action="report.verify", object_label=code[:40], request=request,
                 details={"found": found, "file_matches": matches})
