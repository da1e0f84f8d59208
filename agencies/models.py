"""Agencies of the referral network, their staff and roles, and the Kemendagri regions."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.codes import AgencyType, Service
from core.models import TimeStampedModel


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


class Agency(TimeStampedModel):
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


class User(AbstractUser):
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
