"""Prevention and the community network: PATBM groups, PUSPAGA sessions and prevention activities.

Glossary: PATBM = Perlindungan Anak Terpadu Berbasis Masyarakat (community-based integrated child
protection; its members are "aktivis"), PUSPAGA = Pusat Pembelajaran Keluarga (family learning centre),
sosialisasi = awareness session, rakor = rapat koordinasi (coordination meeting), SK = surat keputusan
(the decree that establishes a group). Sources: domain.md section 4.

PUSPAGA serves families without a violence case, so a session's notes stay here, readable only by the
PUSPAGA staff of the agency that held it; a referral to the UPTD PPA carries a summary written for it,
never the notes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from core import codes
from core.crypto import EncryptedTextField, encrypted_storage
from core.models import TimeStampedModel, Versioned


class ActivityLevel(models.TextChoices):
    """PATBM works at three levels (sidiaperka.kemenpppa.go.id)."""

    CHILD = "anak", _("Anak")
    FAMILY = "keluarga", _("Keluarga")
    COMMUNITY = "komunitas", _("Komunitas")


class ActivistRole(models.TextChoices):
    CHAIR = "ketua", _("Ketua")
    SECRETARY = "sekretaris", _("Sekretaris")
    TREASURER = "bendahara", _("Bendahara")
    MEMBER = "anggota", _("Anggota")


class PuspagaService(models.TextChoices):
    """The two services every PUSPAGA must give."""

    COUNSELLING = "konseling", _("Konseling/konsultasi")
    INFORMATION = "informasi", _("Informasi")


class PuspagaChannel(models.TextChoices):
    FACE_TO_FACE = "tatap_muka", _("Tatap muka di PUSPAGA")
    HOME_VISIT = "kunjungan", _("Kunjungan rumah")
    PHONE = "telepon", _("Telepon/WhatsApp")
    ONLINE = "daring", _("Daring (video)")
    GROUP = "kelompok", _("Kelas/kelompok")


class PuspagaIssue(models.TextChoices):
    PARENTING = "pengasuhan", _("Pengasuhan anak")
    DEVELOPMENT = "tumbuh_kembang", _("Tumbuh kembang anak")
    COUPLE = "relasi_pasangan", _("Relasi suami-istri")
    COMMUNICATION = "komunikasi", _("Komunikasi keluarga")
    ADOLESCENT = "remaja", _("Masalah remaja")
    CHILD_MARRIAGE = "perkawinan_anak", _("Pencegahan perkawinan anak")
    DEVICES = "gawai", _("Penggunaan gawai dan internet")
    ECONOMY = "ekonomi", _("Ekonomi keluarga")
    EDUCATION = "pendidikan", _("Pendidikan anak")
    DISABILITY = "disabilitas", _("Anak dengan disabilitas")
    OTHER = "lainnya", _("Lainnya")


class ActivityKind(models.TextChoices):
    SOCIALISATION = "sosialisasi", _("Sosialisasi")
    SOCIAL_MEDIA = "kampanye_medsos", _("Kampanye media sosial")
    TRAINING = "pelatihan", _("Pelatihan")
    COORDINATION = "rakor", _("Rapat koordinasi lintas sektor")


class Topic(models.TextChoices):
    KDRT = "kdrt", _("KDRT")
    TPKS = "tpks", _("TPKS (kekerasan seksual)")
    TPPO = "tppo", _("TPPO (perdagangan orang)")
    CHILD_MARRIAGE = "perkawinan_anak", _("Perkawinan anak")
    BULLYING = "perundungan", _("Perundungan")
    KBGO = "kbgo", _("KBGO (kekerasan berbasis gender online)")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    WHATSAPP = "whatsapp", "WhatsApp"
    X = "x", "X (Twitter)"
    OTHER = "lainnya", _("Lainnya")


class TargetGroup(models.TextChoices):
    CHILDREN = "anak", _("Anak")
    ADOLESCENTS = "remaja", _("Remaja/pelajar")
    PARENTS = "orang_tua", _("Orang tua/keluarga")
    TEACHERS = "guru", _("Guru/tenaga pendidik")
    LEADERS = "tokoh", _("Tokoh agama/adat/masyarakat")
    VILLAGE_OFFICIALS = "aparat_desa", _("Aparat desa/kelurahan")
    CROSS_SECTOR = "lintas_sektor", _("Petugas lintas sektor")
    PUBLIC = "umum", _("Masyarakat umum")


VILLAGE_LEVELS = (Region.Level.VILLAGE, Region.Level.URBAN_VILLAGE)


class ParticipantCounts(models.Model):
    """Participants by sex and child/adult, the breakdown the district's prevention reports use."""

    participants_male_child = models.PositiveIntegerField(_("anak laki-laki"), default=0)
    participants_female_child = models.PositiveIntegerField(_("anak perempuan"), default=0)
    participants_male_adult = models.PositiveIntegerField(_("laki-laki dewasa"), default=0)
    participants_female_adult = models.PositiveIntegerField(_("perempuan dewasa"), default=0)

    PARTICIPANT_FIELDS = ("participants_male_child", "participants_female_child",
                          "participants_male_adult", "participants_female_adult")

    class Meta:
        abstract = True

    @property
    def participants_total(self) -> int:
        return sum(getattr(self, name) for name in self.PARTICIPANT_FIELDS)


def participants_total_expression():
    return (F("participants_male_child") + F("participants_female_child") + F("participants_male_adult")
            + F("participants_female_adult"))


class PatbmGroup(Versioned, TimeStampedModel):
    """One PATBM group per desa/kelurahan, run by a PATBM agency of the network."""

    village = models.OneToOneField(Region, verbose_name=_("desa/kelurahan"), on_delete=models.PROTECT,
                                   related_name="patbm_group", limit_choices_to={"level__in": VILLAGE_LEVELS})
    agency = models.ForeignKey(Agency, verbose_name=_("lembaga PATBM"), on_delete=models.PROTECT,
                               related_name="patbm_groups")
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The facilitator is named only on the group's own page (personal data).
    facilitator = models.CharField(_("fasilitator"), max_length=150, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["village_id"]
        verbose_name = _("kelompok PATBM")
        verbose_name_plural = _("kelompok PATBM")
        indexes = [
            # A PATBM agency's own list of groups.
            models.Index(fields=["agency", "village"], name="patbm_group_agency_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sk_number="", sk_date__isnull=True) | (~Q(sk_number="")
                                                                                        & Q(sk_date__isnull=False)),
                                   name="patbm_group_sk_number_and_date_together"),
        ]

    def __str__(self) -> str:
        return f"PATBM {self.village.name}"

    @property
    def audit_label(self) -> str:
        return f"PATBM {self.village_id}"


class PatbmActivist(Versioned, TimeStampedModel):
    """An aktivis PATBM: only what the group needs to know (UU 27/2022 PDP: data minimisation)."""

    group = models.ForeignKey(PatbmGroup, on_delete=models.CASCADE, related_name="activists")
    name = models.CharField(_("nama"), max_length=150)  # PERSONAL: only on the group's own page
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=codes.Sex.choices)
    age_group = models.CharField(_("kelompok usia"), max_length=8, choices=codes.AgeGroup.choices)
    role = models.CharField(_("peran"), max_length=12, choices=ActivistRole.choices, default=ActivistRole.MEMBER)
    training = models.CharField(_("pelatihan yang diikuti"), max_length=255, blank=True)
    is_active = models.BooleanField(_("masih aktif"), default=True)

    class Meta:
        ordering = ["group", "-is_active", "name"]
        verbose_name = _("aktivis PATBM")
        verbose_name_plural = _("aktivis PATBM")

    def __str__(self) -> str:
        return f"A{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"PATBM {self.group.village_id}/A{self.pk}"


class PatbmActivity(ParticipantCounts, Versioned, TimeStampedModel):
    group = models.ForeignKey(PatbmGroup, on_delete=models.PROTECT, related_name="activities",
                              verbose_name=_("kelompok PATBM"))
    held_on = models.DateField(_("tanggal kegiatan"))
    level = models.CharField(_("tingkat"), max_length=10, choices=ActivityLevel.choices)
    topic = models.CharField(_("topik"), max_length=200)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("kegiatan PATBM")
        verbose_name_plural = _("kegiatan PATBM")
        indexes = [
            # The group page (its activities, newest first) and coverage: activities per group in a period.
            models.Index(fields=["group", "-held_on"], name="patbm_activity_group_idx"),
            # Coverage and reports: PATBM activities in a period across the district.
            models.Index(fields=["held_on"], name="patbm_activity_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(participants_male_child__gt=0) | Q(participants_female_child__gt=0)
                                   | Q(participants_male_adult__gt=0) | Q(participants_female_adult__gt=0),
                                   name="patbm_activity_has_participants"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


def _photo_path(instance: "PatbmActivityPhoto", filename: str) -> str:
    # A random name: an uploaded file's own name may carry a person's name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"prevention/patbm/{uuid.uuid4().hex}.{extension}"


class PatbmActivityPhoto(TimeStampedModel):
    """Documentation of an activity; stored under the private media root, served by an access-checked view."""

    activity = models.ForeignKey(PatbmActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("foto"), upload_to=_photo_path, storage=encrypted_storage)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto kegiatan PATBM")
        verbose_name_plural = _("foto kegiatan PATBM")

    def __str__(self) -> str:
        return f"F{self.pk}"


class PuspagaSession(Versioned, TimeStampedModel):
    """A PUSPAGA counselling or information session. No family identity is kept here."""

    agency = models.ForeignKey(Agency, verbose_name=_("PUSPAGA"), on_delete=models.PROTECT,
                               related_name="puspaga_sessions")
    held_on = models.DateField(_("tanggal sesi"))
    service = models.CharField(_("layanan"), max_length=10, choices=PuspagaService.choices,
                               default=PuspagaService.COUNSELLING)
    channel = models.CharField(_("saluran"), max_length=12, choices=PuspagaChannel.choices)
    issue = models.CharField(_("kategori masalah"), max_length=16, choices=PuspagaIssue.choices)
    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("konselor"), on_delete=models.PROTECT,
                                   related_name="puspaga_sessions")
    # CONFIDENTIAL: read only by the PUSPAGA staff of `agency`; never copied into a referral.
    notes = EncryptedTextField(_("catatan sesi"), blank=True)  # PERSONAL (encrypted at rest)
    referred_to_uptd = models.BooleanField(_("dirujuk ke UPTD PPA"), default=False)
    referred_at = models.DateTimeField(_("waktu dirujuk"), null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    intake_request = models.OneToOneField("inbox.IntakeRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="puspaga_session", verbose_name=_("rujukan masuk"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("sesi PUSPAGA")
        verbose_name_plural = _("sesi PUSPAGA")
        indexes = [
            # A PUSPAGA's own session list, newest first.
            models.Index(fields=["agency", "-held_on"], name="puspaga_session_agency_idx"),
            # Reports: sessions in a period across the district.
            models.Index(fields=["held_on"], name="puspaga_session_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(referred_to_uptd=False) | Q(referred_at__isnull=False),
                                   name="puspaga_referred_has_time"),
        ]

    def __str__(self) -> str:
        return f"S-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"PUSPAGA S-{self.pk}"


class PreventionActivity(ParticipantCounts, Versioned, TimeStampedModel):
    """Sosialisasi, social-media campaign, training or cross-sector meeting.

    The place is the district (no kecamatan), a kecamatan (no desa), or one desa/kelurahan.
    """

    kind = models.CharField(_("jenis kegiatan"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("nama kegiatan"), max_length=200)
    held_on = models.DateField(_("tanggal kegiatan"))
    agency = models.ForeignKey(Agency, verbose_name=_("lembaga penyelenggara"), on_delete=models.PROTECT,
                               related_name="prevention_activities")
    kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, verbose_name=_("desa/kelurahan"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="prevention_activities")
    target_group = models.CharField(_("sasaran"), max_length=16, choices=TargetGroup.choices)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    reach = models.PositiveIntegerField(_("jangkauan (akun yang melihat)"), null=True, blank=True)
    engagement = models.PositiveIntegerField(_("interaksi (suka, komentar, bagikan)"), null=True, blank=True)
    budget_line = models.CharField(_("sumber anggaran"), max_length=150, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("kegiatan pencegahan")
        verbose_name_plural = _("kegiatan pencegahan")
        indexes = [
            # An agency's own list of activities, newest first.
            models.Index(fields=["agency", "-held_on"], name="prevention_agency_idx"),
            # Coverage: activities per desa (and per kecamatan) in a period.
            models.Index(fields=["village", "held_on"], name="prevention_village_idx"),
            models.Index(fields=["kecamatan", "held_on"], name="prevention_kecamatan_idx"),
            # The supervisors' list and the reports: activities in a period.
            models.Index(fields=["held_on"], name="prevention_date_idx"),
        ]
        constraints = [
            # A desa is always given with its kecamatan.
            models.CheckConstraint(condition=Q(village__isnull=True) | Q(kecamatan__isnull=False),
                                   name="prevention_village_has_kecamatan"),
            # A social-media campaign is measured by its platform and reach; a meeting by who attended.
            models.CheckConstraint(
                condition=~Q(kind=ActivityKind.SOCIAL_MEDIA) | (~Q(platform="") & Q(reach__isnull=False)),
                name="prevention_campaign_has_platform_and_reach"),
            models.CheckConstraint(
                condition=Q(kind=ActivityKind.SOCIAL_MEDIA)
                | (Q(platform="") & Q(reach__isnull=True) & Q(engagement__isnull=True)),
                name="prevention_only_campaign_has_platform"),
            models.CheckConstraint(
                condition=Q(kind=ActivityKind.SOCIAL_MEDIA) | Q(participants_male_child__gt=0)
                | Q(participants_female_child__gt=0) | Q(participants_male_adult__gt=0)
                | Q(participants_female_adult__gt=0),
                name="prevention_activity_has_participants"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return f"K-{self.pk}"

    @property
    def is_campaign(self) -> bool:
        """A social-media campaign counts reach and engagement instead of participants."""
        return self.kind == ActivityKind.SOCIAL_MEDIA

    @property
    def area_label(self) -> str:
        if self.village_id:
            return self.village.name
        if self.kecamatan_id:
            return str(_("Kec. %(name)s") % {"name": self.kecamatan.name})
        return str(_("Seluruh kabupaten"))


class PreventionActivityTopic(models.Model):
    """One topic of an activity; a row each so reports can count activities per topic in the database."""

    activity = models.ForeignKey(PreventionActivity, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topik"), max_length=16, choices=Topic.choices)

    class Meta:
        ordering = ["topic"]
        constraints = [models.UniqueConstraint(fields=["activity", "topic"], name="prevention_topic_unique")]
        # The unique constraint's index serves the activity's own topics; this one "activities on topic X".
        indexes = [models.Index(fields=["topic"], name="prevention_topic_idx")]

    def __str__(self) -> str:
        return self.get_topic_display()
