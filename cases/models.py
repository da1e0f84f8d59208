"""The case file: intake to closure under the UPTD PPA service standard (Permen PPPA 2/2022).

SIMFONI-PPA counts cases, victims and perpetrators separately (domain.md section 9), so a Case has one
or more Victims and zero or more Perpetrators; the relationship is stored per victim-perpetrator pair;
violence types are rows per victim (several allowed); the place of incident, its kecamatan/desa, the KDRT
flag and the case type (KtP/AMPK) are the victim's own (SIMFONI counts them per victim), defaulting at intake
to the case's one Incident, which keeps the main values of the complaint and counts the case.

Glossary: korban = victim, pelaku = perpetrator, pendampingan = accompaniment, asesmen = assessment,
terminasi = closure, rujukan = referral, pengaduan = complaint.

Personal data (name, NIK, birth date, address, phone, chronology) lives only in the fields marked
PERSONAL below, encrypted at rest (core.crypto). Lists, URLs, logs and audit labels use `Case.number` and
`Victim.survivor_code`. A birth date is kept only to show and to check duplicates: the age and SIMFONI age
group at the incident, which the statistics count, are stored in plain beside it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from core import codes
from core.crypto import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    blind_index,
    encrypted_storage,
    normalised_name,
)
from core.models import TimeStampedModel, Versioned


class Present(models.Manager):
    """The rows still on the case file: a victim, perpetrator or violence type removed by a correction (with its
    reason, cases.corrections) leaves the page, the lists and the statistics but stays in the history. Default
    manager, so every `case.victims.all()` and prefetch reads only these; `all_objects` reads the removed too.

    `removal_fields` is a class attribute, not an argument: Django builds related managers (`case.victims`) by
    subclassing the default manager and calling it without arguments."""

    removal_fields: tuple[str, ...] = ("removed_at",)

    def get_queryset(self):
        return super().get_queryset().filter(**{f"{name}__isnull": True for name in self.removal_fields})


class PresentViolence(Present):
    # A removed victim's violence types leave the statistics with the victim.
    removal_fields = ("removed_at", "victim__removed_at")


class PresentPair(Present):
    # A pair of a removed victim or perpetrator leaves the relationship totals with them.
    removal_fields = ("victim__removed_at", "perpetrator__removed_at")


class Removable(models.Model):
    """Soft removal by a correction: who, when and why (never a hard delete: the history keeps the record)."""

    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    removal_reason = EncryptedTextField(_("alasan penghapusan"), blank=True)  # PERSONAL: may name people

    class Meta:
        abstract = True

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None


class Case(Versioned, TimeStampedModel):
    number = models.CharField(_("nomor kasus"), max_length=32, unique=True)
    agency = models.ForeignKey(Agency, verbose_name=_("lembaga penanganan"), on_delete=models.PROTECT,
                               related_name="cases")
    stage = models.CharField(_("tahap"), max_length=16, choices=codes.CaseStage.choices,
                             default=codes.CaseStage.COMPLAINT)
    assigned_worker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pendamping"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="assigned_cases")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    # Intake (penerimaan pengaduan)
    received_at = models.DateTimeField(_("waktu pengaduan diterima"))
    intake_channel = models.CharField(_("sumber pengaduan"), max_length=16, choices=codes.IntakeChannel.choices)
    reporter_name = EncryptedCharField(_("nama pelapor"), max_length=150, blank=True)  # PERSONAL
    reporter_relation = models.CharField(_("hubungan pelapor dengan korban"), max_length=100, blank=True)
    reporter_contact = EncryptedCharField(_("kontak pelapor"), max_length=100, blank=True)  # PERSONAL
    intake_request = models.OneToOneField("inbox.IntakeRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="case", verbose_name=_("rujukan masuk"))

    # Identification (identifikasi)
    # The worker's classification of the case as a whole at identification (the case list shows and filters by
    # it). The statistics count each victim's own type instead (Victim.case_type): one case can hold both.
    case_type = models.CharField(_("jenis kasus"), max_length=8, choices=codes.CaseType.choices, blank=True)
    risk_level = models.CharField(_("tingkat risiko"), max_length=8, choices=codes.RiskLevel.choices, blank=True)
    responsibility = models.CharField(_("kewenangan"), max_length=12, choices=codes.Responsibility.choices,
                                      blank=True)
    identified_at = models.DateTimeField(_("waktu identifikasi"), null=True, blank=True)

    # Time-standard facts, written by the services that cause them (deadlines are computed from these).
    first_service_at = models.DateTimeField(_("layanan pertama"), null=True, blank=True)
    police_reported_at = models.DateTimeField(_("dilaporkan ke kepolisian"), null=True, blank=True)
    # When sexual violence became known, if after intake (cases.corrections): the UU 12/2022 Pasal 41 clock runs
    # from here, not from the complaint. Null: known at intake (or not a TPKS case).
    tpks_known_at = models.DateTimeField(_("TPKS diketahui pada"), null=True, blank=True)

    # Closure (terminasi): requested by the worker, approved by a supervisor.
    closure_reason = models.TextField(_("alasan terminasi"), blank=True)
    closure_requested_at = models.DateTimeField(_("terminasi diminta"), null=True, blank=True)
    closure_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("waktu terminasi"), null=True, blank=True)
    closure_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    # The supervisor's last refusal of a closure request, shown to the worker until they ask again.
    closure_rejection_reason = models.TextField(_("alasan penolakan terminasi"), blank=True)
    closure_rejected_at = models.DateTimeField(_("terminasi ditolak"), null=True, blank=True)

    # Workflow moments written by the transition services (the stage says where the case is now).
    intervention_started_at = models.DateTimeField(_("pelaksanaan intervensi dimulai"), null=True, blank=True)
    monitoring_started_at = models.DateTimeField(_("pemantauan dimulai"), null=True, blank=True)
    police_report_reference = models.CharField(_("nomor laporan polisi"), max_length=100, blank=True)
    # Re-opening (each one is also in the audit trail): the last reason and how often.
    reopened_at = models.DateTimeField(_("dibuka kembali"), null=True, blank=True)
    reopen_reason = models.TextField(_("alasan dibuka kembali"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("berapa kali dibuka kembali"), default=0)
    # Legal hold (UU 27/2022 PDP): a supervisor keeps a case out of the retention purge while a court, an
    # appeal or a complaint still needs it. Set and cleared with a reason, both in the audit trail.
    legal_hold_at = models.DateTimeField(_("ditahan untuk keperluan hukum sejak"), null=True, blank=True)
    legal_hold_reason = models.TextField(_("alasan penahanan"), blank=True)
    legal_hold_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    # When the retention purge blanked its identifying data (cases.services.cases_anonymise_due).
    anonymised_at = models.DateTimeField(_("dianonimkan"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("kasus")
        verbose_name_plural = _("kasus")
        indexes = [
            # "Kasus saya": a worker's cases, newest first.
            models.Index(fields=["assigned_worker", "-received_at"], name="case_worker_received_idx"),
            # The supervisor's unit list and the reports: one agency's cases by received date.
            models.Index(fields=["agency", "-received_at"], name="case_agency_received_idx"),
            # Reports count by period of the complaint's received date across agencies.
            models.Index(fields=["received_at"], name="case_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=codes.CaseStage.CLOSED) | (Q(closed_at__isnull=False) & ~Q(closure_reason="")),
                name="case_closed_has_date_and_reason"),
            # No closure request without a reason (Permen PPPA 2/2022: terminasi is decided, not drifted into).
            models.CheckConstraint(condition=Q(closure_requested_at__isnull=True) | ~Q(closure_reason=""),
                                   name="case_closure_request_has_reason"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_label(self) -> str:
        return self.number

    @property
    def is_closed(self) -> bool:
        return self.stage == codes.CaseStage.CLOSED

    @property
    def on_legal_hold(self) -> bool:
        return self.legal_hold_at is not None


class Incident(Versioned, TimeStampedModel):
    """What happened: one incident per case. Its place, kecamatan/desa and KDRT flag are the case's main values:
    the default of every victim at intake, and what counts the case (cases per kecamatan, per desa in the
    coverage). Each victim holds its own (Victim.place...), which the victim statistics count."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="incident")
    occurred_on = models.DateField(_("tanggal kejadian"))
    place = models.CharField(_("tempat kejadian"), max_length=32, choices=codes.Place.choices)
    kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, verbose_name=_("desa/kelurahan"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="incidents")
    outside_district = models.BooleanField(_("di luar kabupaten (luar daerah)"), default=False)
    is_online = models.BooleanField(_("terjadi daring / media sosial"), default=False)
    is_kdrt = models.BooleanField(_("KDRT (kekerasan dalam rumah tangga)"), default=False)
    tpks_forms = models.JSONField(_("bentuk TPKS"), default=list, blank=True)  # codes.TpksForm values
    tppo_elements = models.JSONField(_("unsur TPPO"), default=list, blank=True)  # codes.TppoElement values
    chronology = EncryptedTextField(_("kronologi"), blank=True)  # PERSONAL

    class Meta:
        indexes = [
            # Coverage and reports: cases per desa / kecamatan.
            models.Index(fields=["village"], name="incident_village_idx"),
            models.Index(fields=["kecamatan"], name="incident_kecamatan_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(outside_district=False) | Q(kecamatan__isnull=True),
                                   name="incident_outside_has_no_kecamatan"),
        ]


class Victim(Versioned, Removable, TimeStampedModel):
    """A survivor (korban). Lists and reports show `survivor_code`, never the name or NIK."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="victims")
    survivor_code = models.CharField(_("kode penyintas"), max_length=16, unique=True)
    name = EncryptedCharField(_("nama korban"), max_length=150)  # PERSONAL
    nik = EncryptedCharField(_("NIK"), max_length=16, blank=True)  # PERSONAL
    birth_date = EncryptedDateField(_("tanggal lahir"), null=True, blank=True)  # PERSONAL
    # The age and its SIMFONI group at the incident date are fixed at intake: re-running a report later
    # never moves a victim to another group (domain.md section 9).
    age_at_incident = models.PositiveSmallIntegerField(_("usia saat kejadian"))
    # A hotline report (SAPA 129) about an unnamed child: registered without a name, with the age estimated;
    # the case page lists what is still missing until the worker completes it.
    identity_unknown = models.BooleanField(_("identitas belum diketahui"), default=False)
    age_estimated = models.BooleanField(_("usia perkiraan"), default=False)
    age_group = models.CharField(_("kelompok usia"), max_length=8, choices=codes.AgeGroup.choices)
    is_child = models.BooleanField(_("anak (di bawah 18 tahun)"))
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=codes.Sex.choices)
    education = models.CharField(_("pendidikan"), max_length=16, choices=codes.Education.choices,
                                 default=codes.Education.OTHER)
    occupation = models.CharField(_("pekerjaan"), max_length=16, choices=codes.Occupation.choices,
                                  default=codes.Occupation.NA)
    marital_status = models.CharField(_("status perkawinan"), max_length=16, choices=codes.MaritalStatus.choices,
                                      blank=True)
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    disability_kinds = models.JSONField(_("jenis disabilitas"), default=list, blank=True)
    address_kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan domisili"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    address_village = models.ForeignKey(Region, verbose_name=_("desa domisili"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    address_detail = EncryptedCharField(_("alamat"), max_length=255, blank=True)  # PERSONAL
    phone = EncryptedCharField(_("telepon"), max_length=40, blank=True)  # PERSONAL
    # Where and how this victim was harmed. SIMFONI-PPA records the place per victim (domain.md 1.3 and
    # section 9): two victims of one case can have been harmed in different places, one by a household member
    # (KDRT) and one not, and one case can hold a KtP victim and an AMPK victim. The victim statistics count
    # these; the case's Incident keeps the main values the complaint reported (each victim's default at intake).
    place = models.CharField(_("tempat kejadian korban"), max_length=32, choices=codes.Place.choices)
    place_kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan kejadian korban"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    place_village = models.ForeignKey(Region, verbose_name=_("desa/kelurahan kejadian korban"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    place_outside_district = models.BooleanField(_("korban: kejadian di luar kabupaten"), default=False)
    is_kdrt = models.BooleanField(_("KDRT (kekerasan dalam rumah tangga)"), default=False)
    # KtP for an adult woman, AMPK for a child (cases.rules.victim_case_type); empty for an adult man.
    case_type = models.CharField(_("jenis kasus korban"), max_length=8, choices=codes.CaseType.choices, blank=True)
    # Blind indexes (core.crypto): keyed HMACs of the NIK and of name + birth date, for the duplicate check
    # at intake; the encrypted columns themselves cannot be compared in the database.
    nik_lookup = models.CharField(max_length=64, blank=True, editable=False)
    name_birth_lookup = models.CharField(max_length=64, blank=True, editable=False)

    all_objects = models.Manager()
    objects = Present()

    class Meta:
        ordering = ["id"]
        default_manager_name = "objects"  # the present ones (Present); `all_objects` is named first only for ruff
        base_manager_name = "all_objects"  # a delivery or consent of a removed victim still reaches it
        verbose_name = _("korban")
        verbose_name_plural = _("korban")
        indexes = [
            # Possible-duplicate check at intake: the same NIK, or the same name and birth date.
            models.Index(fields=["nik_lookup"], name="victim_nik_lookup_idx"),
            models.Index(fields=["name_birth_lookup"], name="victim_name_birth_lookup_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(place_outside_district=False) | Q(place_kecamatan__isnull=True),
                                   name="victim_outside_has_no_kecamatan"),
        ]

    def __str__(self) -> str:
        return self.survivor_code

    @property
    def audit_label(self) -> str:
        return self.survivor_code

    @staticmethod
    def lookup_keys(*, nik: str, name: str, birth_date) -> dict[str, str]:
        """The blind-index values for a NIK and a name with birth date (case- and spacing-insensitive name)."""
        name_birth = f"{normalised_name(name)}|{birth_date.isoformat()}" if name.strip() and birth_date else ""
        return {"nik_lookup": blind_index("victim.nik", nik.strip()),
                "name_birth_lookup": blind_index("victim.name_birth", name_birth)}


class VictimViolence(models.Model):
    """One violence type for one victim; a victim with several types counts once in each (SIMFONI)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="violence_types")
    violence_type = models.CharField(_("jenis kekerasan"), max_length=16, choices=codes.ViolenceType.choices)
    # When the unit learnt of it, if after intake (a disclosure weeks later); null: known at intake.
    known_at = models.DateTimeField(_("diketahui pada"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    removed_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    removal_reason = EncryptedTextField(_("alasan penghapusan"), blank=True)  # PERSONAL

    all_objects = models.Manager()
    objects = PresentViolence()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        constraints = [models.UniqueConstraint(fields=["victim", "violence_type"], condition=Q(removed_at__isnull=True),
                                               name="victim_violence_present_unique")]

    def __str__(self) -> str:
        return self.get_violence_type_display()


class Perpetrator(Versioned, Removable, TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    name = EncryptedCharField(_("nama pelaku"), max_length=150, blank=True)  # PERSONAL
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=codes.Sex.choices)
    age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    # Known to be a child even when the exact age is not: decides mediation vs diversion (UU 11/2012 SPPA).
    is_child = models.BooleanField(_("pelaku anak (di bawah 18 tahun)"), default=False)

    all_objects = models.Manager()
    objects = Present()

    class Meta:
        ordering = ["id"]
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        verbose_name = _("pelaku")
        verbose_name_plural = _("pelaku")

    def __str__(self) -> str:
        return f"P{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number}/P{self.pk}"


class VictimPerpetrator(models.Model):
    """The relationship is a property of the pair (SIMFONI's relationship totals count pairs)."""

    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="perpetrator_links")
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.CASCADE, related_name="victim_links")
    relationship = models.CharField(_("hubungan dengan korban"), max_length=16, choices=codes.Relationship.choices,
                                    default=codes.Relationship.NA)

    all_objects = models.Manager()
    objects = PresentPair()

    class Meta:
        default_manager_name = "objects"
        base_manager_name = "all_objects"
        constraints = [models.UniqueConstraint(fields=["victim", "perpetrator"], name="victim_perpetrator_unique")]

    def __str__(self) -> str:
        return self.get_relationship_display()


class Assessment(TimeStampedModel):
    """Asesmen biopsikososial: the victim's needs, made before any intervention plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("waktu asesmen"))
    need_health = models.BooleanField(_("kesehatan"), default=False)
    need_psychological = models.BooleanField(_("dukungan psikologis"), default=False)
    need_social = models.BooleanField(_("sosial"), default=False)
    need_economic = models.BooleanField(_("ekonomi"), default=False)
    need_education = models.BooleanField(_("pendidikan"), default=False)
    need_legal = models.BooleanField(_("bantuan hukum"), default=False)
    need_safety = models.BooleanField(_("keamanan"), default=False)
    need_shelter = models.BooleanField(_("rumah aman / penampungan"), default=False)
    risk_level = models.CharField(_("tingkat risiko"), max_length=8, choices=codes.RiskLevel.choices)
    notes = EncryptedTextField(_("catatan asesmen"), blank=True)  # PERSONAL

    class Meta:
        ordering = ["-assessed_at"]


class PlannedService(TimeStampedModel):
    """One line of the intervention plan (rencana intervensi): a service, who gives it and by when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="planned_services")
    service = models.CharField(_("layanan"), max_length=32, choices=codes.Service.choices)
    provider_agency = models.ForeignKey(Agency, verbose_name=_("lembaga pemberi layanan"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    provider_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("petugas pemberi layanan"),
                                      null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("target tanggal"))
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(provider_agency__isnull=False) | Q(provider_user__isnull=False),
                                   name="planned_service_has_provider"),
        ]


class ServiceDelivery(TimeStampedModel):
    """A service given to a victim; the statistics of services given count these rows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_deliveries")
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="service_deliveries")
    planned = models.ForeignKey(PlannedService, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="deliveries")
    service = models.CharField(_("layanan"), max_length=32, choices=codes.Service.choices)
    delivered_on = models.DateField(_("tanggal layanan"))
    provider_agency = models.ForeignKey(Agency, verbose_name=_("lembaga pemberi layanan"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="service_deliveries")
    provider_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-delivered_on", "-id"]
        indexes = [
            # Reports: services given in a period.
            models.Index(fields=["delivered_on"], name="delivery_date_idx"),
        ]


class Accompaniment(TimeStampedModel):
    """Pendampingan: a session in which a worker accompanies the victim (police, court, visum, ...)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accompaniments")
    occurred_at = models.DateTimeField(_("waktu pendampingan"))
    kind = models.CharField(_("jenis pendampingan"), max_length=16, choices=codes.AccompanimentKind.choices)
    accompanied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("didampingi oleh"),
                                       on_delete=models.PROTECT, related_name="+")
    notes = EncryptedTextField(_("catatan"), blank=True)  # PERSONAL

    class Meta:
        ordering = ["-occurred_at"]


class Consent(TimeStampedModel):
    """Informed consent (UU 27/2022 PDP Pasal 22-26): what, by whom, which form, when; withdrawal kept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    victim = models.ForeignKey(Victim, on_delete=models.CASCADE, related_name="consents")
    scopes = models.JSONField(_("cakupan persetujuan"), default=list)  # codes.ConsentScope values
    # Agency types the victim agreed to share identifying data with (codes.AgencyType values).
    sharing_agency_types = models.JSONField(_("boleh dibagikan kepada"), default=list, blank=True)
    given_by = models.CharField(_("diberikan oleh"), max_length=12, choices=codes.ConsentGiver.choices)
    given_by_name = EncryptedCharField(_("nama pemberi persetujuan"), max_length=150, blank=True)  # PERSONAL
    legal_basis = models.TextField(_("dasar hukum / alasan"), blank=True)
    form_version = models.CharField(_("versi formulir"), max_length=32)
    given_at = models.DateTimeField(_("waktu persetujuan"))
    # A child's consent given by someone other than a parent who is the perpetrator, or a legal basis
    # instead of consent, needs a supervisor's approval (UU 27/2022 Pasal 25).
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("alasan pencabutan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-given_at"]

    @property
    def is_effective(self) -> bool:
        return self.withdrawn_at is None and (not self.needs_approval or self.approved_at is not None)


class Mediation(TimeStampedModel):
    """A mediation the law allows (never TPKS or TPPO with an adult perpetrator: UU 12/2022 Pasal 23)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediations")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    mediator = models.CharField(_("mediator"), max_length=150)
    parties = EncryptedTextField(_("para pihak"))  # PERSONAL
    held_on = models.DateField(_("tanggal mediasi"))
    record = EncryptedTextField(_("berita acara"), blank=True)  # PERSONAL
    agreement = EncryptedTextField(_("kesepakatan"), blank=True)  # PERSONAL
    follow_up_on = models.DateField(_("tanggal pemantauan kesepakatan"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # Set when a fact learnt later (sexual violence, TPPO) made the law rule mediation out (UU 12/2022 Pasal
    # 23): the supervisor reviews what was agreed. Written by cases.corrections.
    barred_at = models.DateTimeField(_("mediasi tidak lagi dibolehkan sejak"), null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]


class CaseNote(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = EncryptedTextField(_("catatan"))  # PERSONAL

    class Meta:
        ordering = ["-created_at"]


class Attachment(TimeStampedModel):
    """A document or photo, stored under the private media root and served only through an audited view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    document_type = models.CharField(_("jenis dokumen"), max_length=24, choices=codes.DocumentType.choices)
    file = models.FileField(_("berkas"), upload_to="cases/%Y/%m/", storage=encrypted_storage)
    original_name = EncryptedCharField(max_length=255)  # PERSONAL: often carries the name
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-created_at"]


class DataSubjectRequest(TimeStampedModel):
    """A request of the person the case is about (UU 27/2022 PDP Pasal 5-8): access, correction, deletion."""

    class Kind(models.TextChoices):
        ACCESS = "akses", _("Akses data")
        CORRECTION = "perbaikan", _("Perbaikan data")
        DELETION = "penghapusan", _("Penghapusan data")

    class Status(models.TextChoices):
        RECEIVED = "diterima", _("Diterima")
        IN_PROGRESS = "diproses", _("Diproses")
        GRANTED = "dipenuhi", _("Dipenuhi")
        REFUSED = "ditolak", _("Ditolak")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subject_requests")
    kind = models.CharField(_("jenis permintaan"), max_length=16, choices=Kind.choices)
    received_on = models.DateField(_("tanggal diterima"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    answered_on = models.DateField(_("tanggal dijawab"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("permintaan subjek data")


class BreachRecord(TimeStampedModel):
    """A personal-data breach (UU 27/2022 Pasal 46): notified within 3x24 hours of its discovery.

    The description is written without personal data: it is read by every supervisor and administrator.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    discovered_at = models.DateTimeField(_("diketahui pada"))
    description = models.TextField(_("uraian (tanpa data pribadi)"))
    affected_count = models.PositiveIntegerField(_("jumlah subjek data terdampak"))
    notified_at = models.DateTimeField(_("diberitahukan pada"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name = _("insiden kebocoran data")
        indexes = [
            # The Tenggat page: breaches not yet notified.
            models.Index(fields=["notified_at"], name="breach_notified_idx"),
        ]


class AgendaItem(TimeStampedModel):
    """A dated task of a case on its team's agenda: a monitoring visit, a check of a mediation agreement, a court
    date (sidang), ... Target dates of planned services are not copied here: cases.agenda reads them from the plan.

    The note is PERSONAL (a worker may write who is to be visited): it is shown on the case page only, never on
    the agenda list, in a reminder or in the audit trail.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(_("jenis agenda"), max_length=24, choices=codes.AgendaKind.choices)
    due_on = models.DateField(_("tanggal"))
    due_time = models.TimeField(_("jam (WITA)"), null=True, blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("petugas"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="agenda_items")
    note = EncryptedCharField(_("catatan"), max_length=300, blank=True)  # PERSONAL
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        ordering = ["due_on", "due_time", "id"]
        verbose_name = _("agenda")
        verbose_name_plural = _("agenda")
        indexes = [
            # The agenda page and the reminder job: open items by due date (done ones are history).
            models.Index(fields=["due_on"], condition=Q(done_at__isnull=True), name="agenda_open_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                                   name="agenda_done_has_who"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/A{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.number}/A{self.pk}"


class AgendaReminder(models.Model):
    """The claim of one reminder: an agenda item or a planned service, a stage, the due date it was for. Its
    unique constraints make a second run of the reminder job (or two at once) send nothing more; a due date moved
    later is reminded of again."""

    class Stage(models.TextChoices):
        DUE = "jatuh_tempo", _("Jatuh tempo")
        OVERDUE = "terlambat", _("Terlambat")

    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders")
    planned = models.ForeignKey(PlannedService, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="reminders")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(item__isnull=True) ^ Q(planned__isnull=True),
                                   name="agenda_reminder_one_source"),
            models.UniqueConstraint(fields=["item", "stage", "due_on"], condition=Q(item__isnull=False),
                                    name="agenda_reminder_item_once"),
            models.UniqueConstraint(fields=["planned", "stage", "due_on"], condition=Q(planned__isnull=False),
                                    name="agenda_reminder_planned_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}:{self.item_id or self.planned_id}"


class CaseTransfer(TimeStampedModel):
    """Pelimpahan: the case handed to another UPTD PPA or service provider (also of another district), which
    owns it from acceptance (cases.transfers). The case keeps its number; the sending agency keeps read access
    to what it recorded before acceptance.

    What the receiving agency reads before it decides is frozen in `summary` when the transfer is sent
    (minimal disclosure, as a referral's snapshot): codes, needs and the sender's contact, never names.
    """

    class Status(models.TextChoices):
        PENDING = "menunggu", _("Menunggu jawaban")
        ACCEPTED = "diterima", _("Diterima")
        DECLINED = "ditolak", _("Ditolak")

    class LegalBasis(models.TextChoices):
        # Instead of the victims' consent, only by a supervisor, with a reason (UU 27/2022 PDP Pasal 20). The
        # first code is the referral's (referrals.Referral.LegalBasis) for the same ground.
        CHILD_AT_RISK = "anak_berisiko", _("Anak dalam situasi berisiko (UU 35/2014 Pasal 59)")
        PUBLIC_TASK = "kewenangan", _("Kewenangan lembaga penerima atas kasus ini (UU 27/2022 Pasal 20 ayat 2 "
                                      "huruf e; Perpres 55/2024)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("kasus"))
    sending_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("lembaga pengirim"))
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("lembaga penerima"))
    # The worker assigned when the transfer was sent: after acceptance they keep read access to what they
    # recorded, as their agency's supervisors do.
    sending_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("dikirim oleh"))
    sent_at = models.DateTimeField(_("waktu dikirim"))
    reason = models.TextField(_("alasan pelimpahan"))  # read by the receiving agency; the form asks for no names
    summary = EncryptedJSONField(_("ringkasan yang dikirim"), default=dict)
    # Consent of every victim covering sharing with the receiving agency's type, or a supervisor's legal basis.
    consents = models.ManyToManyField(Consent, blank=True, related_name="+", verbose_name=_("persetujuan"))
    legal_basis = models.CharField(_("dasar hukum tanpa persetujuan"), max_length=16, choices=LegalBasis.choices,
                                   blank=True)
    legal_basis_reason = models.TextField(_("alasan dasar hukum"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(_("waktu dijawab"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    decline_reason = models.TextField(_("alasan penolakan"), blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("pelimpahan kasus")
        verbose_name_plural = _("pelimpahan kasus")
        indexes = [
            # "Pelimpahan masuk": an agency's transfers by status, newest first.
            models.Index(fields=["receiving_agency", "status", "-sent_at"], name="transfer_inbox_idx"),
            # The sender's read-only access: the cases its agency handed on.
            models.Index(fields=["sending_agency", "status"], name="transfer_sender_idx"),
        ]
        constraints = [
            # One open transfer per case: a second one would let two agencies accept the same case.
            models.UniqueConstraint(fields=["case"], condition=Q(status="menunggu"), name="transfer_one_pending"),
            models.CheckConstraint(condition=~Q(sending_agency=models.F("receiving_agency")),
                                   name="transfer_not_to_itself"),
            models.CheckConstraint(
                condition=Q(legal_basis="") | ~Q(legal_basis_reason=""), name="transfer_legal_basis_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | (~Q(decline_reason="") & Q(answered_at__isnull=False)),
                name="transfer_declined_has_reason"),
            models.CheckConstraint(condition=~Q(status="diterima") | Q(answered_at__isnull=False),
                                   name="transfer_accepted_has_time"),
        ]

    def __str__(self) -> str:
        return f"PL-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"PL-{self.pk}"


class CaseChange(models.Model):
    """One line of a case's history (Riwayat): a field of a victim, perpetrator, relationship or the incident
    corrected after intake, or a record added or removed; written by cases.corrections in the same transaction
    as the change and its audit event, and read by cases.history.

    Our own table rather than django-simple-history or django-pghistory: one row per changed field with a label
    and a reason is what the page shows; pghistory needs PostgreSQL (SQLite is the embedded default); and a
    shadow table per model would copy names and NIK a second time. Values are stored as shown (choice labels,
    dates), encrypted at rest: an old name is as sensitive as the current one.
    """

    class Action(models.TextChoices):
        EDIT = "ubah", _("Diubah")
        ADD = "tambah", _("Ditambahkan")
        REMOVE = "hapus", _("Dihapus")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("waktu"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    record_type = models.CharField(max_length=16)  # victim, perpetrator, relationship, violence, incident
    record_id = models.PositiveIntegerField()
    record_label = models.CharField(_("data"), max_length=80)  # "Korban 2 (KRB-XXXX)": no personal data
    action = models.CharField(_("perubahan"), max_length=8, choices=Action.choices)
    field = models.CharField(max_length=48, blank=True)
    field_label = models.CharField(_("isian"), max_length=120, blank=True)
    old_value = EncryptedTextField(_("semula"), blank=True)  # PERSONAL when `sensitive`
    new_value = EncryptedTextField(_("menjadi"), blank=True)  # PERSONAL when `sensitive`
    # An identity field (name, NIK, birth date, address, phone, chronology): shown only where the identity is.
    sensitive = models.BooleanField(default=False)
    reason = EncryptedTextField(_("alasan"), blank=True)  # PERSONAL: typed by the worker, may name people

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("riwayat perubahan")
        indexes = [
            # The Riwayat page: one case's changes, newest first.
            models.Index(fields=["case", "-at"], name="casechange_case_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_label} {self.field}"
