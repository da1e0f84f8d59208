"""Periodic and on-demand statistical reports (PDF), one row per generated version.

A report is identified by kind, period and edition; generating it again adds a new version and keeps the
old ones. Each row records its run: status, attempts, duration, the reason of a failure, the file under
the private media root, the file's SHA-256 and the verification code printed in the PDF.
Reports hold aggregate figures only, never a survivor's data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


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
        ]
        indexes = [
            # The reports page lists the newest runs first.
            models.Index(fields=["-created_at"], name="report_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} {self.edition} v{self.version}"

    @property
    def audit_label(self) -> str:
        return f"LAP-{self.kind}-{self.period}-{self.edition}-v{self.version}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        return f"laporan-{self.kind}-{self.period}-{self.edition}-v{self.version}.pdf"
