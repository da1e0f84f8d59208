"""Agencies of the referral network, their staff and roles, and the Kemendagri regions."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.codes import AgencyType, Service
from core.models import TimeStampedModel, Versioned


class Region(models.Model):
    """A Kemendagri region: provinsi > kabupaten/kota > kecamatan > desa/kelurahan, keyed by its code."""

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        DISTRICT = "kabupaten", _("Kabupaten/Kota")
        SUBDISTRICT = "kecamatan", _("Kecamatan")
        VILLAGE = "desa", _("Desa")
        URBAN_VILLAGE = "kelurahan", _("Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("induk"))
    # Population by sex, for rates per 100,000 (provinsi and kabupaten/kota only).
    population_male = models.PositiveIntegerField(_("penduduk laki-laki"), null=True, blank=True)
    population_female = models.PositiveIntegerField(_("penduduk perempuan"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [
            # Forms list the kecamatan of one kabupaten, and the desa of one kecamatan.
            models.Index(fields=["parent", "level"], name="region_parent_level_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def population_total(self) -> int | None:
        if self.population_male is None or self.population_female is None:
            return None
        return self.population_male + self.population_female


class Agency(Versioned, TimeStampedModel):
    """A member of the district's referral network (UPTD PPA, police Unit PPA, hospital, ...)."""

    name = models.CharField(_("nama lembaga"), max_length=200, unique=True)
    agency_type = models.CharField(_("jenis lembaga"), max_length=20, choices=AgencyType.choices)
    district = models.ForeignKey(Region, verbose_name=_("kabupaten/kota"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"level": Region.Level.DISTRICT})
    kecamatan_covered = models.ManyToManyField(Region, verbose_name=_("kecamatan yang dilayani"), blank=True,
                                               related_name="covering_agencies",
                                               limit_choices_to={"level": Region.Level.SUBDISTRICT})
    address = models.CharField(_("alamat kantor"), max_length=255, blank=True)
    phone = models.CharField(_("telepon kantor"), max_length=40, blank=True)
    email = models.EmailField(_("email kantor"), blank=True)
    contact_person = models.CharField(_("narahubung"), max_length=120, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")

    def __str__(self) -> str:
        return self.name


class AgencyService(models.Model):
    """A SIMFONI-PPA service an agency provides; a row per service so referrals can filter by it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("layanan"), max_length=32, choices=Service.choices)

    class Meta:
        ordering = ["service"]
        constraints = [models.UniqueConstraint(fields=["agency", "service"], name="agency_service_unique")]
        # The unique constraint's index also serves "agencies offering service X" lookups via (service).
        indexes = [models.Index(fields=["service"], name="agency_service_service_idx")]

    def __str__(self) -> str:
        return self.get_service_display()


class Role(models.TextChoices):
    CASEWORKER = "pendamping", _("Pendamping (caseworker)")
    SUPERVISOR = "supervisor", _("Koordinator / Kepala UPTD")
    PARTNER = "mitra", _("Petugas lembaga mitra")
    OFFICIAL = "pejabat", _("Pejabat")
    ADMIN = "admin", _("Administrator sistem")


class User(Versioned, AbstractUser):
    """A staff member. Every user belongs to one agency and has one role."""

    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.CASEWORKER)
    agency = models.ForeignKey(Agency, verbose_name=_("lembaga"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="staff")
    phone = models.CharField(_("telepon"), max_length=40, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class RoleChangeRequest(TimeStampedModel):
    """A change of a staff account's access: its role, agency, activation or e-mail address.

    The system administrator manages accounts but does not give access to survivors' data on its own word
    (two-person rule): a change that opens case content, a change of the administrator's own role, and a new
    address for someone who sees case content (a reset link sent there would hand the account over) wait,
    PENDING, for a supervisor who is neither the requester nor the account holder. Other changes are recorded
    APPLIED at once, so every change of access has a row the supervisors are told of.
    """

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu persetujuan")
        APPROVED = "disetujui", _("Disetujui dan berlaku")
        REFUSED = "ditolak", _("Ditolak")
        APPLIED = "berlaku", _("Berlaku tanpa persetujuan")
        WITHDRAWN = "diganti", _("Digantikan perubahan lain")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_changes", verbose_name=_("akun"))
    # A new account: created inactive (or, needing no approval, active at once) with the role asked for.
    new_account = models.BooleanField(_("akun baru"), default=False)
    # The account as it was when the change was asked.
    previous_role = models.CharField(_("peran semula"), max_length=12, choices=Role.choices)
    previous_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("lembaga semula"))
    previous_is_active = models.BooleanField(_("aktif semula"), default=False)
    previous_email = models.EmailField(_("email semula"), blank=True)
    # The account as the change makes it.
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("lembaga"))
    is_active = models.BooleanField(_("aktif"), default=True)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("diajukan oleh"))
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    refusal_reason = models.TextField(_("alasan penolakan"), blank=True)
    # The status the supervisors were last told of: inbox, a layer above this app, sends the notices (a small
    # table: its relay compares the two columns without an index).
    notified_status = models.CharField(max_length=10, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("perubahan akses")
        verbose_name_plural = _("perubahan akses")
        constraints = [
            # One open request per account: a newer change replaces (withdraws) the older one. Its index also
            # serves "the pending change of this account" on the user's page.
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="menunggu"),
                                    name="role_change_one_pending"),
            # The two-person rule, kept by the database too: the decider is neither requester nor holder.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("user"))),
                name="role_change_second_person"),
        ]
        indexes = [
            # A supervisor's queue: the changes at their agency by status, newest first.
            models.Index(fields=["agency", "status", "-created_at"], name="role_change_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"AK-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"AK-{self.pk}"


class DeviceResetRequest(TimeStampedModel):
    """A lost or stolen phone: forget the account's sign-in device and recovery codes, so its next sign-in enrols
    a new phone (issue 12). Never self-service: the administrator (or a supervisor) asks for someone else, and a
    second person, a supervisor who is neither requester nor holder (as for RoleChangeRequest), decides."""

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu persetujuan")
        APPROVED = "disetujui", _("Disetujui, ponsel dilepas")
        REFUSED = "ditolak", _("Ditolak")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="device_resets", verbose_name=_("akun"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("diajukan oleh"))
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("diputuskan oleh"))
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("penggantian ponsel")
        verbose_name_plural = _("penggantian ponsel")
        constraints = [
            # One open request per account; its index also serves "the pending reset of this account".
            models.UniqueConstraint(fields=["user"], condition=models.Q(status="menunggu"),
                                    name="device_reset_one_pending"),
            # No self-service reset: the holder never asks for it.
            models.CheckConstraint(condition=~models.Q(requested_by=models.F("user")),
                                   name="device_reset_not_by_holder"),
            # The two-person rule, kept by the database too: the decider is neither requester nor holder.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("user"))),
                name="device_reset_second_person"),
        ]

    def __str__(self) -> str:
        return f"PP-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"PP-{self.pk}"
