"""What every app shares: the timestamped base model and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record changed through edit forms: `version` counts the saves of its edit services (core.versioning).

    An edit form carries the version it was read at, and the service saves only if the row is still at that
    version, so two people editing at once never silently overwrite each other.
    """

    # A database default too: rows written without the field (an older migration state's model, raw SQL)
    # start at version 1 like the rest.
    version = models.PositiveIntegerField(_("versi"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """Who did what to which object, when, from where and why. Rows are only ever added.

    `object_label` holds a case number, survivor code or username, never a survivor's name or NIK.
    Tamper-evident: each row carries the SHA-256 of its content and of the previous row's hash
    (`core.audit.event_hash`), so `manage.py verify_audit` finds a row altered, removed or slipped in; on
    PostgreSQL a trigger refuses UPDATE and DELETE (migration 0004). An account or agency that appears in the
    trail cannot be deleted (PROTECT): it is deactivated instead.
    """

    # Set in Python, not by the database or auto_now_add, because the hash is computed before the insert.
    at = models.DateTimeField(_("waktu"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pelaku tindakan"), null=True,
                              blank=True, on_delete=models.PROTECT, related_name="+")
    # Kept apart from the FK for failed logins and events by the system ("jadwal", "sistem").
    actor_label = models.CharField(_("pengguna"), max_length=150, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("lembaga"))
    action = models.CharField(_("tindakan"), max_length=64, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=64, blank=True)
    object_id = models.CharField(_("id objek"), max_length=64, blank=True)
    object_label = models.CharField(_("objek"), max_length=120, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        indexes = [
            # The audit page filters by object ("who read this case?") newest first.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
            # The supervisor's audit page lists one agency's events newest first.
            models.Index(fields=["agency", "-at"], name="audit_agency_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"


class NumberSequence(models.Model):
    """The last number used per kind of document, district and year (case numbers, referral numbers).

    `sequence_next` locks the row, so concurrent writers never share a number.
    """

    kind = models.CharField(max_length=16)
    district_code = models.CharField(max_length=13)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "district_code", "year"],
                                               name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.district_code}/{self.year}: {self.last}"


class CalendarOverride(TimeStampedModel):
    """The system administrator's correction of the working-day calendar (core.workdays) for one date.

    The `holidays` library knows Indonesia's public holidays and the cuti bersama it has published; the
    yearly SKB of three ministers (Menteri Agama, Menteri Ketenagakerjaan, MenPAN-RB) may add a cuti
    bersama the library lacks, or move one, so a date can be made a holiday or kept a working day.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "libur", _("Hari libur tambahan (mis. cuti bersama)")
        WORKING = "kerja", _("Tetap hari kerja (hari libur pustaka dibatalkan)")

    # Unique: one correction per date. Its index also serves the per-year range read of the calendar.
    day = models.DateField(_("tanggal"), unique=True)
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("keterangan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("dicatat oleh"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("koreksi kalender kerja")
        verbose_name_plural = _("koreksi kalender kerja")

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.kind}"


class SubmissionKey(models.Model):
    """The one-time key of a creating form (core.idempotency), claimed in the same transaction as what the form
    creates, with the address of what it created: a repeat or concurrent submit of that form is sent there
    instead of creating a second record. Kept for a day (beat job `submission-keys-expire`)."""

    # Unique: a second claim of the same key waits on this index for the first transaction, then fails.
    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=255)
    # Indexed: the daily clean-up deletes the keys older than a day.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.result_url}"


class OutboxMessage(models.Model):
    """A side effect that leaves the database (an e-mail, a job), saved in the transaction of the change that
    causes it and delivered by the relay (core.outbox): the change and its effects are saved together or not
    at all, and a broker that is down delays an e-mail instead of losing it.

    `payload` holds ids and codes only, never a survivor's data: the admin lists it."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu dikirim")
        SENT = "terkirim", _("Terkirim")
        FAILED = "gagal", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=64)
    payload = models.JSONField(_("isi"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), default=timezone.now)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [
            # The relay's query: pending messages whose time has come, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
