"""Writes of the reports app: requesting, generating, retrying and downloading reports."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from core.audit import SYSTEM_ACTOR, audit_record
from core.policy import Capability, can, staff_who_can
from inbox import services as inbox_services
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
                    edition=edition, version=version, trigger=trigger, requested_by=actor,
                    verification_code=verification_code_for(kind=kind, period=period.code, edition=edition,
                                                             version=version))
        except IntegrityError:
            # Two requests took the same version number at once: take the next one.
            if trigger == Report.Trigger.SCHEDULE and Report.objects.filter(
                    kind=kind, period=period.code, edition=edition, trigger=trigger).exists():
                raise
            continue
    raise ReportError(_("Laporan sedang dibuat oleh permintaan lain. Coba lagi sebentar lagi."))


def _queue(report: Report) -> None:
    """Send the job after commit. When it cannot be sent (broker down) or, with Celery eager, when it failed
    in-process, the report row already says so: the page shows "gagal" and offers a retry."""
    from reports.tasks import report_generate_task

    def send() -> None:
        try:
            if report_generate_task.app.conf.task_always_eager:
                # In-process (no broker, `make run` and the tests): the retries the task declares, without the
                # waits. Celery's eager mode with propagation raises the first Retry instead of retrying.
                for _attempt in range(1 + report_generate_task.max_retries):
                    try:
                        report_generate(report_id=report.pk)
                        break
                    except Exception:
                        continue
            else:
                report_generate_task.delay(report.pk)
        except Exception as error:
            logger.warning("report %s: job not completed: %s", report.pk, type(error).__name__)
            Report.objects.filter(pk=report.pk, status=Report.Status.QUEUED).update(
                status=Report.Status.FAILED, failure_reason=_("Antrean tugas tidak tersedia: %(error)s")
                % {"error": type(error).__name__})

    transaction.on_commit(send)


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
def report_schedule(*, kind: str, today=None) -> list[Report]:
    """The beat job: the reports of the last complete period, both editions, once (idempotent)."""
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
                     details={"kind": kind, "period": period.code, "edition": edition})
        _queue(report)
        made.append(report)
    return made


def report_generate(*, report_id: int) -> Report:
    """Compute and render one report and store its PDF; a failure is recorded with its reason and raised."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == Report.Status.DONE:
            return report  # a duplicate delivery of the task: nothing to do
        report.status, report.started_at = Report.Status.RUNNING, timezone.now()
        report.attempts += 1
        report.failure_reason = ""
        report.save(update_fields=["status", "started_at", "attempts", "failure_reason", "updated_at"])
    began = time.monotonic()
    try:
        period = Period.parse(report.kind, report.period)
        stats = compute_statistics(period)
        pdf = render_report(period=period, edition=report.edition, verification_code=report.verification_code,
                            version=report.version, stats=stats)
        shown = present(stats, edition=report.edition, with_charts=False)
        with transaction.atomic():
            report.file.save(report.filename, ContentFile(pdf), save=False)
            report.size, report.sha256 = len(pdf), hashlib.sha256(pdf).hexdigest()
            report.summary = {"period_label": period.label, "headline": shown.headline}
            report.status, report.finished_at = Report.Status.DONE, timezone.now()
            report.duration_seconds = round(time.monotonic() - began, 3)
            report.save()
            audit_record(actor=SYSTEM_ACTOR, action="report.generate", obj=report,
                         details={"seconds": report.duration_seconds, "size": report.size})
            transaction.on_commit(lambda: report_notify_ready(report_id=report.pk))
    except Exception as error:  # recorded for the page, then raised so Celery retries
        logger.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.FAILED, finished_at=timezone.now(),
            duration_seconds=round(time.monotonic() - began, 3),
            failure_reason=f"{type(error).__name__}: {error}"[:2000] or type(error).__name__)
        raise
    return report


@transaction.atomic
def report_retry(*, report: Report, actor: User, request=None) -> Report:
    """Retry a failed report by hand (the same version: it was never made)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status != Report.Status.FAILED:
        raise ReportError(_("Hanya laporan yang gagal yang dapat dicoba lagi."))
    _check_edition_allowed(actor=actor, edition=report.edition)
    report.status = Report.Status.QUEUED
    report.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="report.retry", obj=report, request=request)
    _queue(report)
    return report


def report_notify_ready(*, report_id: int) -> None:
    """Tell officials (and supervisors for the internal edition) by email that a report is ready; no personal data.

    The reports page also lists the newest ready reports (the in-app notice).
    """
    report = Report.objects.get(pk=report_id)
    capability = Capability.REPORT_INTERNAL if report.edition == Report.Edition.INTERNAL else Capability.REPORT_VIEW
    readers = User.objects.filter(staff_who_can(capability), is_active=True)
    label = report.summary.get("period_label", report.period)
    # The bell: one in-app notice per reader (no e-mail from it: the message below goes to all at once).
    inbox_services.notify(recipients=readers, kind=inbox_services.Kind.REPORT_READY,
                          link=reverse("reports:detail", args=[report.pk]), email=False,
                          params={"report": f"{report.get_kind_display().lower()} {label}"})
    recipients = [user.email for user in readers if user.email]
    if not recipients:
        return
    subject = _("Laporan %(kind)s %(period)s siap diunduh") % {"kind": report.get_kind_display().lower(),
                                                                 "period": label}
    body = _("Laporan statistik %(kind)s %(period)s (edisi %(edition)s, versi %(version)s) sudah selesai dibuat.\n"
             "Unduh melalui halaman Laporan di Simpul: %(url)s\n") % {
        "kind": report.get_kind_display().lower(), "period": label, "edition": report.edition,
        "version": report.version, "url": reverse("reports:list")}
    try:
        send_mail(subject, body, None, recipients)
    except Exception:  # the in-app list still shows the report; a mail outage must not fail the run
        logger.warning("report %s: notification email not sent", report_id, exc_info=True)


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


def report_verify_audit(*, actor: User, code: str, found: bool, matches: bool | None, request=None) -> None:
    """Record a verification attempt (who checked which code, and the answer)."""
    audit_record(actor=actor, action="report.verify", object_label=code[:40], request=request,
                 details={"found": found, "file_matches": matches})
