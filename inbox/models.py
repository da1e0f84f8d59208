"""Hand-offs: intake requests into the UPTD PPA, and notifications (the bell and its e-mail).

Both tables came from other apps (cases.IntakeRequest, referrals.Notification); the migrations re-owned
the existing tables, so ids and rows are those of before.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core import codes
from core.crypto import EncryptedCharField, EncryptedTextField
from core.models import TimeStampedModel
from inbox.kinds import Kind, notification_text


class IntakeRequest(TimeStampedModel):
    """A referral into the UPTD PPA's intake queue (from PATBM, PUSPAGA, a village or another district),
    to be registered as a case. It carries a summary without the source's own file."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu registrasi")
        REGISTERED = "terdaftar", _("Terdaftar sebagai kasus")
        DECLINED = "ditolak", _("Ditolak")

    target_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="intake_requests",
                                      verbose_name=_("lembaga tujuan"))
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="intake_requests_sent",
                                      verbose_name=_("lembaga pengirim"))
    source_label = models.CharField(_("rujukan dari"), max_length=120, blank=True)
    urgency = models.CharField(_("urgensi"), max_length=8, choices=codes.Urgency.choices,
                               default=codes.Urgency.NORMAL)
    summary = EncryptedTextField(_("ringkasan"))  # PERSONAL (may describe the family)
    contact_hint = EncryptedCharField(_("cara menghubungi"), max_length=255, blank=True)  # PERSONAL
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The intake queue: one agency's pending requests, oldest first.
            models.Index(fields=["target_agency", "status", "created_at"], name="intake_queue_idx"),
        ]

    def __str__(self) -> str:
        # The request's number, as its sender and the intake staff see it (no personal data).
        return f"R-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"R-{self.pk}"


class Notification(models.Model):
    """An in-app notice to one person, also e-mailed once. It names things by number and agency only, never
    a survivor: the text is built from `kind` and `params` when shown (inbox.kinds), in the reader's language.
    It points at its subject by `link` alone, so any app can send one without this table knowing its models."""

    Kind = Kind

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict)  # number, agency name, urgency code: nothing about a survivor
    link = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # set when the e-mail is claimed (sent once)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell: a user's unread count.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The notification list: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.recipient_id}"

    @property
    def text(self) -> str:
        return notification_text(self.kind, self.params)
