"""The code lists of SIMFONI-PPA, the UPTD PPA service standard and the laws, in one place.

Sources and status markers are in docs of `../shared/domain.md` (copied to README's "Domain" section).
Values are stable codes stored in the database; labels are Indonesian (translated to English by gettext).
Glossary: korban = victim, pelaku = perpetrator, pendampingan = accompaniment, rujukan = referral.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeGroup(models.TextChoices):
    """SIMFONI-PPA age bands, always computed from the age at the incident date."""

    A0_5 = "0-5", "0-5"
    A6_12 = "6-12", "6-12"
    A13_17 = "13-17", "13-17"
    A18_24 = "18-24", "18-24"
    A25_44 = "25-44", "25-44"
    A45_59 = "45-59", "45-59"
    A60 = "60+", "60+"


AGE_GROUP_BOUNDS = [(0, 5, AgeGroup.A0_5), (6, 12, AgeGroup.A6_12), (13, 17, AgeGroup.A13_17),
                    (18, 24, AgeGroup.A18_24), (25, 44, AgeGroup.A25_44), (45, 59, AgeGroup.A45_59),
                    (60, 200, AgeGroup.A60)]


def age_group_for(age: int) -> str:
    for low, high, group in AGE_GROUP_BOUNDS:
        if low <= age <= high:
            return group
    raise ValueError(f"age out of range: {age}")


CHILD_AGE_LIMIT = 18  # UU 35/2014 Pasal 1: anak = under 18


class Education(models.TextChoices):
    NONE = "tidak_sekolah", _("Tidak Sekolah")
    PAUD = "paud", _("PAUD")
    TK = "tk", _("TK")
    SD = "sd", _("SD")
    SLTP = "sltp", _("SLTP/SMP")
    SLTA = "slta", _("SLTA/SMA")
    TERTIARY = "pt", _("Perguruan Tinggi")
    OTHER = "na", _("Lainnya/NA")


class Occupation(models.TextChoices):
    STUDENT = "pelajar", _("Pelajar")
    HOUSEWIFE = "irt", _("Ibu Rumah Tangga")
    NOT_WORKING = "tidak_bekerja", _("Tidak Bekerja")
    PRIVATE = "swasta", _("Swasta/Buruh")
    WORKING = "bekerja", _("Bekerja")
    CIVIL_SERVANT = "pns", _("PNS/TNI/Polri")
    TRADER_FARMER = "tani", _("Pedagang/Tani/Nelayan")
    NA = "na", _("N/A")


class MaritalStatus(models.TextChoices):
    # SIMFONI's list was not found (domain.md 1.1, [U]); this is the documented proposal.
    NEVER = "belum_kawin", _("Belum Kawin")
    MARRIED = "kawin", _("Kawin")
    DIVORCED = "cerai_hidup", _("Cerai Hidup")
    WIDOWED = "cerai_mati", _("Cerai Mati")


class DisabilityKind(models.TextChoices):
    PHYSICAL = "fisik", _("Fisik")
    INTELLECTUAL = "intelektual", _("Intelektual")
    MENTAL = "mental", _("Mental")
    SENSORY = "sensorik", _("Sensorik")


class ViolenceType(models.TextChoices):
    """More than one per victim is allowed (domain.md 1.2)."""

    PHYSICAL = "fisik", _("Fisik")
    PSYCHOLOGICAL = "psikis", _("Psikis")
    SEXUAL = "seksual", _("Seksual")
    EXPLOITATION = "eksploitasi", _("Eksploitasi")
    TRAFFICKING = "tppo", _("Perdagangan orang (TPPO)")
    NEGLECT = "penelantaran", _("Penelantaran")
    OTHER = "lainnya", _("Lainnya")


class Place(models.TextChoices):
    """Exactly one per victim (domain.md 1.3)."""

    HOUSEHOLD = "rumah_tangga", _("Rumah Tangga")
    WORKPLACE = "tempat_kerja", _("Tempat Kerja")
    SCHOOL = "sekolah", _("Sekolah")
    PUBLIC = "fasilitas_umum", _("Fasilitas Umum")
    SHORT_COURSE = "lembaga_pendidikan_kilat", _("Lembaga Pendidikan Kilat")
    OTHER = "lainnya", _("Lainnya")


class Relationship(models.TextChoices):
    """Stored per victim-perpetrator pair (domain.md 1.4)."""

    PARENT = "orang_tua", _("Orang Tua")
    RELATIVE = "keluarga", _("Keluarga/Saudara")
    SPOUSE = "suami_istri", _("Suami/Istri")
    PARTNER_FRIEND = "pacar_teman", _("Pacar/Teman")
    NEIGHBOUR = "tetangga", _("Tetangga")
    TEACHER = "guru", _("Guru")
    EMPLOYER = "majikan", _("Majikan")
    COWORKER = "rekan_kerja", _("Rekan Kerja")
    OTHER = "lainnya", _("Lainnya")
    NA = "na", _("NA")


class Service(models.TextChoices):
    """SIMFONI-PPA service codes (domain.md 1.5)."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    HEALTH = "kesehatan", _("Kesehatan")
    LEGAL_AID = "bantuan_hukum", _("Bantuan Hukum")
    LAW_ENFORCEMENT = "penegakan_hukum", _("Penegakan Hukum")
    SOCIAL_REHAB = "rehabilitasi_sosial", _("Rehabilitasi Sosial")
    REINTEGRATION = "reintegrasi_sosial", _("Reintegrasi Sosial")
    REPATRIATION = "pemulangan", _("Pemulangan")
    RELIGIOUS = "pendampingan_tokoh_agama", _("Pendampingan Tokoh Agama")


class IntakeChannel(models.TextChoices):
    """Sumber pengaduan (district SOP after Permen PPPA 2/2022)."""

    WALK_IN = "langsung", _("Datang langsung")
    REMOTE = "telepon", _("Telepon/WA/surat/email")
    THIRD_PARTY = "pihak_lain", _("Pihak lain")
    OUTREACH = "penjangkauan", _("Penjangkauan")
    REFERRAL_IN = "rujukan", _("Rujukan masuk")
    TRANSFER = "pelimpahan", _("Pelimpahan")


class CaseType(models.TextChoices):
    KTP = "ktp", _("KtP (kekerasan terhadap perempuan)")
    AMPK = "ampk", _("AMPK (anak memerlukan perlindungan khusus)")


class RiskLevel(models.TextChoices):
    HIGH = "tinggi", _("Tinggi")
    MEDIUM = "sedang", _("Sedang")
    LOW = "rendah", _("Rendah")


class Responsibility(models.TextChoices):
    """Kewenangan: which level of government handles the case."""

    DISTRICT = "kabupaten", _("Kabupaten")
    PROVINCE = "provinsi", _("Provinsi")
    NATIONAL = "pusat", _("Pusat")


class AgencyType(models.TextChoices):
    UPTD_PPA = "uptd_ppa", _("UPTD PPA / DP3AP2KB")
    POLICE = "unit_ppa", _("Unit PPA Polres")
    HOSPITAL = "rsud", _("RSUD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SOCIAL = "dinsos", _("Dinas Sosial")
    LEGAL_AID = "lbh", _("LBH / Advokat")
    PROSECUTOR = "kejaksaan", _("Kejaksaan")
    COURT = "pengadilan", _("Pengadilan")
    RELIGIOUS = "kemenag", _("Kemenag / KUA")
    SCHOOL = "sekolah", _("Sekolah / Disdik")
    VILLAGE = "desa", _("Pemerintah Desa")
    PATBM = "patbm", _("PATBM")
    PUSPAGA = "puspaga", _("PUSPAGA")
    LPSK = "lpsk", _("LPSK")
    NGO = "ngo", _("LSM / NGO")
    BUPATI = "bupati", _("Kantor Bupati")


class CaseStage(models.TextChoices):
    """The workflow of the UPTD PPA service standard (Permen PPPA 2/2022), in order."""

    COMPLAINT = "pengaduan", _("Pengaduan")
    IDENTIFICATION = "identifikasi", _("Identifikasi")
    ASSESSMENT = "asesmen", _("Asesmen")
    PLANNING = "rencana", _("Rencana intervensi")
    INTERVENTION = "pelaksanaan", _("Pelaksanaan intervensi")
    MONITORING = "pemantauan", _("Pemantauan dan evaluasi")
    CLOSED = "terminasi", _("Terminasi")


class TpksForm(models.TextChoices):
    """UU 12/2022 (TPKS) Pasal 4(1) and the main forms of Pasal 4(2)."""

    HARASSMENT_NONPHYSICAL = "pelecehan_nonfisik", _("Pelecehan seksual nonfisik")
    HARASSMENT_PHYSICAL = "pelecehan_fisik", _("Pelecehan seksual fisik")
    FORCED_CONTRACEPTION = "pemaksaan_kontrasepsi", _("Pemaksaan kontrasepsi")
    FORCED_STERILISATION = "pemaksaan_sterilisasi", _("Pemaksaan sterilisasi")
    FORCED_MARRIAGE = "pemaksaan_perkawinan", _("Pemaksaan perkawinan")
    SEXUAL_TORTURE = "penyiksaan_seksual", _("Penyiksaan seksual")
    SEXUAL_EXPLOITATION = "eksploitasi_seksual", _("Eksploitasi seksual")
    SEXUAL_SLAVERY = "perbudakan_seksual", _("Perbudakan seksual")
    ELECTRONIC = "kekerasan_seksual_elektronik", _("Kekerasan seksual berbasis elektronik")
    RAPE = "perkosaan", _("Perkosaan")
    INDECENT_ASSAULT = "perbuatan_cabul", _("Perbuatan cabul")
    CHILD_SEXUAL_ABUSE = "persetubuhan_anak", _("Persetubuhan/eksploitasi seksual terhadap anak")
    FORCED_PROSTITUTION = "pemaksaan_pelacuran", _("Pemaksaan pelacuran")
    OTHER = "lainnya", _("Bentuk TPKS lain menurut undang-undang")


class TppoElement(models.TextChoices):
    """Elements of trafficking, UU 21/2007 (PTPPO) Pasal 1: process, means, purpose."""

    RECRUITMENT = "proses_perekrutan", _("Proses: perekrutan")
    TRANSPORT = "proses_pengangkutan", _("Proses: pengangkutan")
    HARBOURING = "proses_penampungan", _("Proses: penampungan")
    SENDING = "proses_pengiriman", _("Proses: pengiriman")
    TRANSFER = "proses_pemindahan", _("Proses: pemindahan")
    RECEIPT = "proses_penerimaan", _("Proses: penerimaan")
    FORCE = "cara_kekerasan", _("Cara: kekerasan atau ancaman")
    ABDUCTION = "cara_penculikan", _("Cara: penculikan")
    CONFINEMENT = "cara_penyekapan", _("Cara: penyekapan")
    FORGERY = "cara_pemalsuan", _("Cara: pemalsuan")
    DECEPTION = "cara_penipuan", _("Cara: penipuan")
    ABUSE_OF_POWER = "cara_penyalahgunaan", _("Cara: penyalahgunaan kekuasaan atau posisi rentan")
    DEBT_BONDAGE = "cara_jeratan_utang", _("Cara: jeratan utang")
    PAYMENT = "cara_bayaran", _("Cara: bayaran")
    EXPLOITATION = "tujuan_eksploitasi", _("Tujuan: eksploitasi")


class Urgency(models.TextChoices):
    EMERGENCY = "darurat", _("Darurat")
    SOON = "segera", _("Segera")
    NORMAL = "biasa", _("Biasa")


class AgendaKind(models.TextChoices):
    """What an agenda item of a case is (cases.AgendaItem). Here rather than in cases: the inbox names it in
    reminders and knows no domain app. A planned service's target date is an agenda entry of kind SERVICE_TARGET
    read from the plan itself (cases.agenda), never stored twice."""

    SERVICE_TARGET = "target_layanan", _("Target layanan")
    MONITORING_VISIT = "kunjungan_pemantauan", _("Kunjungan pemantauan")
    MEDIATION_CHECK = "cek_kesepakatan", _("Pemeriksaan kesepakatan mediasi")
    COURT = "sidang", _("Sidang")
    OTHER = "lainnya", _("Lainnya")


class AccompanimentKind(models.TextChoices):
    POLICE = "kepolisian", _("Kepolisian")
    PROSECUTOR = "kejaksaan", _("Kejaksaan")
    COURT = "pengadilan", _("Pengadilan")
    MEDICAL = "medis", _("Medis / visum")
    PSYCHOLOGICAL = "psikologis", _("Psikologis")
    RELIGIOUS = "rohani", _("Rohani / tokoh agama")
    HOME_VISIT = "kunjungan_rumah", _("Kunjungan rumah")


class ConsentScope(models.TextChoices):
    SERVICES = "layanan", _("Menerima layanan")
    SHARING = "berbagi", _("Berbagi data dengan lembaga mitra")
    DATA_USE = "data", _("Penggunaan data untuk pencatatan dan statistik")
    MEDIATION = "mediasi", _("Mediasi")


class ConsentGiver(models.TextChoices):
    SELF = "korban", _("Korban sendiri")
    PARENT = "orang_tua", _("Orang tua")
    GUARDIAN = "wali", _("Wali")
    LEGAL_BASIS = "dasar_hukum", _("Tanpa persetujuan: dasar hukum")


class DocumentType(models.TextChoices):
    COMPLAINT_FORM = "formulir_pengaduan", _("Formulir pengaduan")
    CONSENT = "informed_consent", _("Persetujuan setelah penjelasan (informed consent)")
    ASSESSMENT = "lembar_asesmen", _("Lembar asesmen")
    PLAN = "rencana_intervensi", _("Rencana intervensi")
    REFERRAL_LETTER = "surat_rujukan", _("Surat rujukan")
    MEDIATION_RECORD = "berita_acara_mediasi", _("Berita acara mediasi")
    VISUM = "visum", _("Visum")
    PHOTO = "foto", _("Foto")
    OTHER = "lainnya", _("Lainnya")
