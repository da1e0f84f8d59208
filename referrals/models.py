"""The referral network (sistem rujukan): a case's victim referred to a partner agency, what was shared
with it, its answer, the services it gave, messages between the two agencies and deadlines (notifications
about them are the inbox's).

Glossary: rujukan = referral, lembaga pengirim/penerima = sending/receiving agency, surat rujukan =
referral letter, eskalasi = escalation to the sender's supervisor.

What the receiving agency may see is frozen in `Referral.shared` when the referral is sent (minimal
disclosure): never the case file itself, and the victim's name and phone only when the victim's
effective consent covers sharing with that kind of agency (UU 27/2022 PDP Pasal 20-24).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from core import codes
from core.crypto import EncryptedJSONField, EncryptedTextField
from core.models import TimeStampedModel


class Referral(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "baru", _("Baru")
        ACCEPTED = "diterima", _("Diterima")
        IN_PROGRESS = "diproses", _("Sedang ditangani")
        DONE = "selesai", _("Selesai")
        DECLINED = "ditolak", _("Ditolak")
        REVOKED = "dicabut", _("Dicabut")

    class LegalBasis(models.TextChoices):
        # Used instead of consent only by a supervisor, with a reason (UU 27/2022 PDP Pasal 20: legal obligation,
        # vital interest).
        CHILD_AT_RISK = "anak_berisiko", _("Anak dalam situasi berisiko (UU 35/2014 Pasal 59)")
        TPKS_POLICE_REPORT = "lapor_tpks", _(
            "Kewajiban melapor TPKS ke kepolisian dalam 3×24 jam (UU 12/2022 Pasal 41)")

    number = models.CharField(_("nomor rujukan"), max_length=40, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("kasus"))
    victim = models.ForeignKey("cases.Victim", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("korban"))
    sending_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_sent",
                                       verbose_name=_("lembaga pengirim"))
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals_received",
                                         verbose_name=_("lembaga penerima"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("dikirim oleh"))
    urgency = models.CharField(_("urgensi"), max_length=8, choices=codes.Urgency.choices)
    reason = models.TextField(_("alasan rujukan"))  # shared with the receiving agency; the form asks for no names

    # The snapshot of what the receiving agency sees (see referrals.sharing.SharedSummary).
    shared = EncryptedJSONField(_("data yang dibagikan"), default=dict)
    shares_identity = models.BooleanField(_("nama dan kontak korban dibagikan"), default=False)
    consent = models.ForeignKey("cases.Consent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("persetujuan yang menjadi dasar"))
    legal_basis = models.CharField(_("dasar hukum tanpa persetujuan"), max_length=16, choices=LegalBasis.choices,
                                   blank=True)
    legal_basis_reason = models.TextField(_("alasan dasar hukum"), blank=True)
    legal_basis_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("dasar hukum dicatat oleh"))

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    sent_at = models.DateTimeField(_("waktu dikirim"))
    due_at = models.DateTimeField(_("batas waktu jawaban"))
    escalate_at = models.DateTimeField(_("batas eskalasi"))
    answered_at = models.DateTimeField(_("waktu dijawab"), null=True, blank=True)  # accepted or declined
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)
    completed_at = models.DateTimeField(_("waktu selesai"), null=True, blank=True)
    outcome = models.TextField(_("hasil"), blank=True)
    revoked_at = models.DateTimeField(_("waktu dicabut"), null=True, blank=True)
    revoke_reason = models.TextField(_("alasan pencabutan"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    # Markers set once by a conditional UPDATE, so the deadline job never notifies twice.
    overdue_at = models.DateTimeField(_("ditandai terlambat"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("dieskalasi"), null=True, blank=True)
    escalation_reason = models.TextField(_("alasan eskalasi"), blank=True)

    ACTIVE_STATUSES = (Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS)
    # The receiving agency keeps the Surat Rujukan once it completes the referral: it is its official record of
    # what it received. A declined or revoked referral was never taken on, so its letter goes with it.
    LETTER_KEPT_STATUSES = (*ACTIVE_STATUSES, Status.DONE)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        indexes = [
            # The receiving agency's inbox: its referrals by status, newest first.
            models.Index(fields=["receiving_agency", "status", "-sent_at"], name="referral_inbox_idx"),
            # The deadline job: unanswered referrals whose answer time has passed.
            models.Index(fields=["status", "due_at"], name="referral_due_idx"),
            # The case page panel: a case's referrals, newest first.
            models.Index(fields=["case", "-sent_at"], name="referral_case_idx"),
            # Network figures and the sent list: referrals sent in a period.
            models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(sending_agency=F("receiving_agency")),
                                   name="referral_not_to_itself"),
            # Sharing rests on consent or on a supervisor's legal basis, never on nothing.
            models.CheckConstraint(condition=Q(consent__isnull=False) | ~Q(legal_basis=""),
                                   name="referral_consent_or_legal_basis"),
            models.CheckConstraint(
                condition=Q(legal_basis="") | (~Q(legal_basis_reason="") & Q(legal_basis_by__isnull=False)),
                name="referral_legal_basis_has_reason"),
            # The victim's identity travels only with consent.
            models.CheckConstraint(condition=Q(shares_identity=False) | Q(consent__isnull=False),
                                   name="referral_identity_needs_consent"),
            models.CheckConstraint(condition=Q(escalate_at__gte=F("due_at")) & Q(due_at__gte=F("sent_at")),
                                   name="referral_deadlines_ordered"),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | (~Q(decline_reason="") & Q(answered_at__isnull=False)),
                name="referral_declined_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="selesai") | (~Q(outcome="") & Q(completed_at__isnull=False)),
                name="referral_done_has_outcome"),
            models.CheckConstraint(
                condition=~Q(status="dicabut") | (~Q(revoke_reason="") & Q(revoked_at__isnull=False)),
                name="referral_revoked_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_label(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def letter_available(self, *, is_sender: bool) -> bool:
        """Whether this side may download the Surat Rujukan: the sender always, the receiver while the referral
        is active and after it completed it."""
        return is_sender or self.status in self.LETTER_KEPT_STATUSES

    def is_overdue(self, now=None) -> bool:
        """Unanswered past its answer time (the job's marker may lag by one run)."""
        from django.utils import timezone

        if self.status != self.Status.NEW:
            return False
        return self.overdue_at is not None or self.due_at <= (now or timezone.now())


class RequestedService(models.Model):
    """A SIMFONI-PPA service asked for in a referral; a row per service so the inbox can filter by it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="requested_services")
    service = models.CharField(_("layanan"), max_length=32, choices=codes.Service.choices)

    class Meta:
        ordering = ["service"]
        constraints = [models.UniqueConstraint(fields=["referral", "service"], name="referral_service_unique")]
        # The unique constraint's index serves the inbox's "referrals asking for service X" via (service) below.
        indexes = [models.Index(fields=["service"], name="referral_service_idx")]

    def __str__(self) -> str:
        return self.get_service_display()


class ReferralDelivery(models.Model):
    """Links a service the receiving agency gave (a cases.ServiceDelivery, so it counts in the statistics of
    services given) to the referral it answered."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deliveries")
    delivery = models.OneToOneField("cases.ServiceDelivery", on_delete=models.CASCADE, related_name="referral_link")

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.delivery_id}"


class ReferralMessage(models.Model):
    """A message between the sending and the receiving agency on one referral."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("pesan"))  # may hold personal data: shown only while the referral is active
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.referral_id}/{self.pk}"
