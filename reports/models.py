"""Periodic and on-demand statistical reports (PDF), one row per generated version.

A report is identified by kind, period and edition; generating it again adds a new version and keeps the
old ones. Each row records its run: status, attempts, duration, the reason of a failure, the file under
the private media root, the file's SHA-256 and the verification code printed in the PDF.
Reports hold aggregate figures only, never a survivor's data.

A run holds a lease on its report (`lease_token`, renewed at each step until `lease_expires_at`): a worker
killed mid-run stops renewing, and the heal job (reports.services.reports_heal) puts the report back in the
queue once the lease has expired. Only the holder of the current lease may complete or fail the report.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

# A report queued longer than this without starting is shown as held up (a worker usually starts in seconds).
HELD_UP_AFTER = timedelta(minutes=1)


class Report(TimeStampedModel):
    class Kind(models.TextChoices):
        MONTHLY = "bulanan", _("Bulanan")
        QUARTERLY = "triwulan", _("Triwulan")
        ANNUAL = "tahunan", _("Tahunan")

    class Edition(models.TextChoices):
        PUBLISHED = "publikasi", _("Publikasi (sel kecil disembunyikan)")
        INTERNAL = "internal", _("Internal (tanpa penyembunyian, khusus koordinator)")

    class Status(models.TextChoices):
        QUEUED = "antre", _("Dalam antrean")
        RUNNING = "berjalan", _("Sedang dibuat")
        DONE = "selesai", _("Selesai")
        FAILED = "gagal", _("Gagal")

    class Step(models.IntegerChoices):
        """The steps of one run, recorded as it goes so the report's page can show how far it is."""
        STATISTICS = 1, _("Menghitung statistik")
        CHARTS = 2, _("Menyiapkan grafik dan tabel")
        PDF = 3, _("Menyusun berkas PDF")

    class Trigger(models.TextChoices):
        SCHEDULE = "jadwal", _("Jadwal otomatis")
        MANUAL = "permintaan", _("Permintaan")

    kind = models.CharField(_("jenis laporan"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("periode"), max_length=8)  # 2026-10, 2026-Q4, 2026 (reports.periods.Period.code)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    edition = models.CharField(_("edisi"), max_length=10, choices=Edition.choices, default=Edition.PUBLISHED)
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    trigger = models.CharField(_("dibuat oleh"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("diminta oleh"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    duration_seconds = models.FloatField(_("lama (detik)"), null=True, blank=True)
    failure_reason = models.TextField(_("alasan gagal"), blank=True)
    file = models.FileField(_("berkas PDF"), upload_to="reports/%Y/", blank=True)
    size = models.PositiveIntegerField(_("ukuran"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    verification_code = models.CharField(_("kode verifikasi"), max_length=19, unique=True)
    # The headline figures as printed (shown on the verification page); aggregate and suppressed as printed.
    summary = models.JSONField(_("ringkasan"), default=dict, blank=True)
    # Every figure as printed (reports.figures): a later version of the same period is compared with it.
    figures = models.JSONField(_("angka"), default=dict, blank=True)
    # What changed since the previous finished version: {"since": N, "tables": [{"key", "title"}]}, or empty.
    figures_changed = models.JSONField(_("angka berubah"), default=dict, blank=True)
    # When the job was last sent to the queue: a report queued long ago and never started lost its message.
    queued_at = models.DateTimeField(_("masuk antrean"), null=True, blank=True)
    # The lease of the run making the report: a random token per run (only its holder may finish the report),
    # the process holding it (host:pid) and the time it lapses unless renewed.
    lease_token = models.CharField(_("token sewa"), max_length=32, blank=True)
    leased_by = models.CharField(_("dikerjakan oleh"), max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(_("sewa berakhir"), null=True, blank=True)
    # How many times the heal job put the report back after a lost run; past a limit it is failed instead.
    recoveries = models.PositiveSmallIntegerField(_("pemulihan"), default=0)
    # The step the current (or last) run reached: 0 before any run started (Step).
    step = models.PositiveSmallIntegerField(_("langkah"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        constraints = [
            # One report per kind, period and edition; generating again adds a version.
            models.UniqueConstraint(fields=["kind", "period", "edition", "version"], name="report_version_unique"),
            # The beat schedule makes each scheduled report once, however often it fires.
            models.UniqueConstraint(fields=["kind", "period", "edition"], condition=Q(trigger="jadwal"),
                                    name="report_scheduled_once"),
            models.CheckConstraint(condition=~Q(status="selesai") | ~Q(file=""), name="report_done_has_file"),
            models.CheckConstraint(condition=~Q(status="gagal") | ~Q(failure_reason=""),
                                   name="report_failed_has_reason"),
            # A run in progress always holds a lease, so the heal job can tell a live run from a dead one.
            models.CheckConstraint(condition=~Q(status="berjalan") | (Q(lease_expires_at__isnull=False)
                                                                     & ~Q(lease_token="")),
                                   name="report_running_has_lease"),
        ]
        indexes = [
            # The reports page lists the newest runs first.
            models.Index(fields=["-created_at"], name="report_created_idx"),
            # The heal job's scan for queued and running reports (a handful among all versions ever made).
            models.Index(fields=["status"], condition=Q(status__in=["antre", "berjalan"]),
                         name="report_unfinished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.edition} v{self.version}"

    @property
    def audit_label(self) -> str:
        return f"LAP-{self.kind}-{self.period}-{self.edition}-v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def lease_lapsed(self, now: datetime) -> bool:
        """Running, but its run stopped renewing the lease (the worker was killed or lost the database)."""
        return self.status == self.Status.RUNNING and (self.lease_expires_at is None or self.lease_expires_at <= now)

    @property
    def is_held_up(self) -> bool:
        """Not done and not moving: queued a while without starting, or running on a lapsed lease. The page
        then offers the retry button (the heal job would put it back too, a little later)."""
        now = timezone.now()
        if self.status == self.Status.QUEUED:
            return self.queued_at is None or now - self.queued_at > HELD_UP_AFTER
        return self.lease_lapsed(now)

    @property
    def step_count(self) -> int:
        return len(self.Step)

    @property
    def progress_label(self) -> str:
        """What the report's page says while it waits: queued, or which step of how many is being made."""
        if self.status == self.Status.RUNNING and self.step:
            return _("Sedang dibuat (langkah %(step)s dari %(count)s: %(name)s)") % {
                "step": self.step, "count": self.step_count, "name": self.Step(self.step).label}
        return self.get_status_display()

    @property
    def progress_percent(self) -> int:
        """For the progress bar (Bootstrap's w-25/w-50/w-75 classes, no inline style under the CSP): a quarter
        per step reached; a queued report has none yet, a finished one all."""
        if self.status == self.Status.DONE:
            return 100
        if self.status != self.Status.RUNNING or not self.step:
            return 0
        return 25 * self.step

    @property
    def filename(self) -> str:
        return f"laporan-{self.kind}-{self.period}-{self.edition}-v{self.version}.pdf"
