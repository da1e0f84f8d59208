"""Forms of the prevention pages: validate and clean only; the services decide the rules."""

from __future__ import annotations

from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from agencies.forms import StaffChoiceField
from agencies.models import Region, User
from agencies.selectors import district_kecamatan, district_villages
from core import bounds, codes
from core.dates import DayFirstDateInput
from core.idempotency import SubmissionKeyForm
from core.versioning import VersionedForm
from prevention.models import (
    ActivistRole,
    ActivityKind,
    ActivityLevel,
    Platform,
    PuspagaChannel,
    PuspagaIssue,
    PuspagaService,
    TargetGroup,
    Topic,
)
from prevention.selectors import COVERAGE_SORTS
from prevention.services import PHOTOS_PER_ACTIVITY, Participants

DATE_WIDGET = DayFirstDateInput()


def _date_field(label, bound: bounds.DateRange, **kwargs) -> forms.DateField:
    """A date within `bound` (core.bounds, which the services ask too)."""
    return forms.DateField(label=label, widget=DATE_WIDGET, validators=[bound.validator()], **kwargs)


def _helper(submit_label, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", submit_label))
    return helper


def _filter_helper() -> FormHelper:
    helper = _helper(_("Tampilkan"), method="get")
    helper.form_class = "row row-cols-md-auto g-2 align-items-end mb-3"
    return helper


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several photos in one field (Django's documented pattern); the service checks each one."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple):
            return [single_clean(item, initial) for item in data]
        return [single_clean(data, initial)] if data else []




def _photo_help() -> str:
    return _("JPG atau PNG, paling besar 5 MB per foto, paling banyak %(max)s foto. Hindari wajah anak yang "
             "dapat dikenali.") % {"max": PHOTOS_PER_ACTIVITY}


# Lazy as a whole: `%` on a lazy string translates it at import, in the default language, for good.
PHOTO_HELP = lazy(_photo_help, str)()


def village_choices(*, exclude_with_group: bool = False) -> list:
    """Desa/kelurahan grouped by kecamatan (one query)."""
    villages = district_villages().select_related("parent")
    if exclude_with_group:
        villages = villages.filter(patbm_group__isnull=True)
    groups: dict[str, tuple[str, list]] = {}
    for village in villages:
        groups.setdefault(village.parent_id, (village.parent.name, []))[1].append((village.code, village.name))
    return [("", _("— pilih desa/kelurahan —"))] + [
        (_("Kec. %(name)s") % {"name": name}, sorted(options, key=lambda option: option[1]))
        for _code, (name, options) in sorted(groups.items())]


def area_choices() -> list:
    """The district, each kecamatan as a whole, and each desa/kelurahan (one query for the villages)."""
    kecamatan = {k.code: k.name for k in district_kecamatan()}
    villages: dict[str, list] = {code: [] for code in kecamatan}
    for village in district_villages().order_by("name"):
        villages.setdefault(village.parent_id, []).append((village.code, village.name))
    choices: list = [("", _("Seluruh kabupaten"))]
    for code, name in kecamatan.items():
        label = _("Kec. %(name)s") % {"name": name}
        choices.append((label, [(code, _("Seluruh Kec. %(name)s") % {"name": name})] + villages.get(code, [])))
    return choices


class ParticipantsMixin(forms.Form):
    participants_male_child = forms.IntegerField(label=_("Anak laki-laki"), min_value=0,
                                                 max_value=bounds.MAX_PARTICIPANTS, initial=0)
    participants_female_child = forms.IntegerField(label=_("Anak perempuan"), min_value=0,
                                                   max_value=bounds.MAX_PARTICIPANTS, initial=0)
    participants_male_adult = forms.IntegerField(label=_("Laki-laki dewasa"), min_value=0,
                                                 max_value=bounds.MAX_PARTICIPANTS, initial=0)
    participants_female_adult = forms.IntegerField(label=_("Perempuan dewasa"), min_value=0,
                                                   max_value=bounds.MAX_PARTICIPANTS, initial=0)

    def participants(self) -> Participants:
        data = self.cleaned_data
        return Participants(male_child=data["participants_male_child"], female_child=data["participants_female_child"],
                            male_adult=data["participants_male_adult"], female_adult=data["participants_female_adult"])


def participants_fieldset() -> Fieldset:
    return Fieldset(
        _("Jumlah peserta (anak: di bawah 18 tahun)"),
        Row(Column("participants_male_child", css_class="col-6 col-md-3"),
            Column("participants_female_child", css_class="col-6 col-md-3"),
            Column("participants_male_adult", css_class="col-6 col-md-3"),
            Column("participants_female_adult", css_class="col-6 col-md-3"), css_class="align-items-end"))


def participants_initial(record) -> dict:
    return {name: getattr(record, name) for name in ("participants_male_child", "participants_female_child",
                                                     "participants_male_adult", "participants_female_adult")}


# --- PATBM ---------------------------------------------------------------------------------------------

class PatbmGroupForm(forms.Form):
    village = forms.ChoiceField(label=_("Desa/kelurahan"))
    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100, required=False,
                                help_text=_("Kosongkan bila SK pembentukan belum terbit."))
    sk_date = _date_field(_("Tanggal SK"), bounds.RECORD, required=False)
    facilitator = forms.CharField(label=_("Fasilitator"), max_length=150, required=False)
    is_active = forms.BooleanField(label=_("Kelompok aktif"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["village"]
        else:
            self.fields["village"].choices = village_choices(exclude_with_group=True)
        self.helper = _helper(_("Simpan"))

    def clean_village(self) -> Region:
        return Region.objects.get(code=self.cleaned_data["village"])


class PatbmActivistForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=codes.Sex.choices)
    age_group = forms.ChoiceField(label=_("Kelompok usia"), choices=codes.AgeGroup.choices)
    role = forms.ChoiceField(label=_("Peran dalam kelompok"), choices=ActivistRole.choices,
                             initial=ActivistRole.MEMBER)
    training = forms.CharField(label=_("Pelatihan yang diikuti"), max_length=255, required=False,
                               help_text=_("Mis. Pelatihan Aktivis PATBM 2024."))
    is_active = forms.BooleanField(label=_("Masih aktif"), required=False, initial=True)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
        self.helper = _helper(_("Simpan"))


class PatbmActivityForm(ParticipantsMixin):
    held_on = _date_field(_("Tanggal kegiatan"), bounds.RECORD)
    level = forms.ChoiceField(label=_("Tingkat"), choices=ActivityLevel.choices, widget=forms.RadioSelect)
    topic = forms.CharField(label=_("Topik"), max_length=200,
                            help_text=_("Mis. Pengasuhan positif, Forum Anak, pencegahan perkawinan anak."))
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Jangan menulis nama anak atau keluarga yang mengalami kekerasan."))
    photos = MultiplePhotoField(label=_("Foto dokumentasi"), required=False, help_text=PHOTO_HELP)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["photos"]
        self.fields["held_on"].initial = timezone.localdate
        self.helper = _helper(_("Simpan kegiatan"))
        self.helper.layout = Layout("held_on", "level", "topic", participants_fieldset(), "notes",
                                    *([] if editing else ["photos"]))


class PhotoUploadForm(SubmissionKeyForm):
    photos = MultiplePhotoField(label=_("Tambah foto"), help_text=PHOTO_HELP)

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Unggah foto"))
        self.helper.form_action = action


class PatbmGroupFilterForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    active = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua")), ("1", _("Aktif")), ("0", _("Tidak aktif"))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (k.code, k.name) for k in district_kecamatan()]
        self.helper = _filter_helper()


# --- PUSPAGA -------------------------------------------------------------------------------------------

class PuspagaSessionForm(forms.Form):
    held_on = _date_field(_("Tanggal sesi"), bounds.RECORD)
    service = forms.ChoiceField(label=_("Layanan"), choices=PuspagaService.choices, widget=forms.RadioSelect,
                                initial=PuspagaService.COUNSELLING)
    channel = forms.ChoiceField(label=_("Saluran"), choices=PuspagaChannel.choices)
    issue = forms.ChoiceField(label=_("Kategori masalah"), choices=PuspagaIssue.choices)
    counsellor = StaffChoiceField(label=_("Konselor"), queryset=User.objects.none())
    notes = forms.CharField(label=_("Catatan sesi (rahasia)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("Hanya dapat dibaca petugas PUSPAGA ini. Tidak ikut terkirim bila keluarga "
                                        "dirujuk ke UPTD PPA."))

    def __init__(self, *args, agency, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate
        self.fields["counsellor"].queryset = User.objects.filter(agency=agency, is_active=True).order_by(
            "first_name", "username")
        self.helper = _helper(_("Simpan sesi"))


class PuspagaReferForm(SubmissionKeyForm):
    summary = forms.CharField(
        label=_("Ringkasan untuk UPTD PPA"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tulis hanya yang perlu diketahui UPTD PPA untuk menghubungi dan melindungi keluarga. "
                    "Catatan sesi tidak ikut terkirim."))
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=codes.Urgency.choices, widget=forms.RadioSelect,
                                initial=codes.Urgency.SOON)
    contact_hint = forms.CharField(label=_("Cara menghubungi keluarga"), max_length=255, required=False,
                                   help_text=_("Mis. melalui konselor PUSPAGA, atau nomor yang disetujui keluarga."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Rujuk ke UPTD PPA"))


class PuspagaSessionFilterForm(forms.Form):
    start = _date_field(_("Dari tanggal"), bounds.SEARCH, required=False)
    end = _date_field(_("Sampai tanggal"), bounds.SEARCH, required=False)
    issue = forms.ChoiceField(label=_("Kategori masalah"), required=False,
                              choices=[("", _("Semua kategori"))] + PuspagaIssue.choices)
    referred = forms.ChoiceField(label=_("Dirujuk"), required=False,
                                 choices=[("", _("Semua")), ("1", _("Dirujuk ke UPTD PPA")), ("0", _("Tidak dirujuk"))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _filter_helper()

    def clean(self):
        return _check_period(super().clean())


# --- Prevention activities -----------------------------------------------------------------------------

class PreventionActivityForm(ParticipantsMixin):
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200)
    held_on = _date_field(_("Tanggal kegiatan"), bounds.RECORD)
    topics = forms.MultipleChoiceField(label=_("Topik (boleh lebih dari satu)"), choices=Topic.choices,
                                       widget=forms.CheckboxSelectMultiple)
    area = forms.ChoiceField(label=_("Wilayah kegiatan"), required=False,
                             help_text=_("Pilih desa bila kegiatan diadakan di satu desa; kecamatan bila untuk seluruh "
                                         "kecamatan; kosongkan untuk seluruh kabupaten."))
    target_group = forms.ChoiceField(label=_("Sasaran"), choices=TargetGroup.choices)
    platform = forms.ChoiceField(label=_("Platform"), required=False, choices=[("", "—")] + Platform.choices)
    reach = forms.IntegerField(label=_("Jangkauan (akun yang melihat)"), min_value=0, max_value=bounds.MAX_REACH,
                               required=False)
    engagement = forms.IntegerField(label=_("Interaksi (suka, komentar, bagikan)"), min_value=0,
                                    max_value=bounds.MAX_REACH, required=False)
    budget_line = forms.CharField(label=_("Sumber anggaran"), max_length=150, required=False)
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()
        self.fields["held_on"].initial = timezone.localdate
        for name in ("participants_male_child", "participants_female_child", "participants_male_adult",
                     "participants_female_adult"):
            self.fields[name].required = False
        self.helper = _helper(_("Simpan kegiatan"))
        self.helper.layout = Layout(
            "kind", "title", "held_on", "topics", "area", "target_group", participants_fieldset(),
            Fieldset(_("Khusus kampanye media sosial"),
                          Row(Column("platform", css_class="col-md-4"), Column("reach", css_class="col-md-4"),
                         Column("engagement", css_class="col-md-4"), css_class="align-items-end")),
            "budget_line", "notes")

    def clean(self):
        cleaned = super().clean()
        for name in ("participants_male_child", "participants_female_child", "participants_male_adult",
                     "participants_female_adult"):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0
        return cleaned

    def area_regions(self) -> tuple[Region | None, Region | None]:
        """(kecamatan, village) for the chosen area; both None for the whole district."""
        code = self.cleaned_data.get("area") or ""
        if not code:
            return None, None
        region = Region.objects.select_related("parent").get(code=code)
        if region.level == Region.Level.SUBDISTRICT:
            return region, None
        return region.parent, region


def area_initial(activity) -> str:
    return activity.village_id or activity.kecamatan_id or ""


class PreventionActivityFilterForm(forms.Form):
    start = _date_field(_("Dari tanggal"), bounds.SEARCH, required=False)
    end = _date_field(_("Sampai tanggal"), bounds.SEARCH, required=False)
    kind = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis"))] + ActivityKind.choices)
    topic = forms.ChoiceField(label=_("Topik"), required=False, choices=[("", _("Semua topik"))] + Topic.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (k.code, k.name) for k in district_kecamatan()]
        self.helper = _filter_helper()

    def clean(self):
        return _check_period(super().clean())


# --- Coverage ------------------------------------------------------------------------------------------

def _check_period(cleaned: dict) -> dict:
    if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
        raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
    return cleaned


SORT_LABELS = {
    "wilayah": _("Per kecamatan (kode wilayah)"),
    "kesenjangan": _("Ada kasus tanpa pencegahan lebih dulu"),
    "kasus": _("Kasus terbanyak lebih dulu"),
    "kegiatan": _("Kegiatan paling sedikit lebih dulu"),
}


class CoverageFilterForm(forms.Form):
    start = _date_field(_("Dari tanggal"), bounds.SEARCH, required=False)
    end = _date_field(_("Sampai tanggal"), bounds.SEARCH, required=False)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=[(key, SORT_LABELS[key])
                                                                          for key in COVERAGE_SORTS])
    gaps_only = forms.BooleanField(label=_("Hanya desa yang ada kasus tanpa pencegahan"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (k.code, k.name) for k in district_kecamatan()]
        self.helper = _filter_helper()

    def clean(self):
        return _check_period(super().clean())

    def period(self) -> tuple[date, date]:
        """The chosen period; by default this year up to today (WITA)."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end")
        start = data.get("start") or date((end or today).year, 1, 1)
        if end is None:
            end = today if start.year == today.year and start <= today else date(start.year, 12, 31)
        return start, end



# --- Creating forms carry a one-time key, editing forms the version they were read at (core.idempotency,
# core.versioning); the fields and rules stay in the forms above.

class PatbmGroupCreateForm(SubmissionKeyForm, PatbmGroupForm):
    pass


class PatbmGroupEditForm(VersionedForm, PatbmGroupForm):
    pass


class PatbmActivistCreateForm(SubmissionKeyForm, PatbmActivistForm):
    pass


class PatbmActivistEditForm(VersionedForm, PatbmActivistForm):
    pass


class PatbmActivityCreateForm(SubmissionKeyForm, PatbmActivityForm):
    pass


class PatbmActivityEditForm(VersionedForm, PatbmActivityForm):
    pass


class PuspagaSessionCreateForm(SubmissionKeyForm, PuspagaSessionForm):
    pass


class PuspagaSessionEditForm(VersionedForm, PuspagaSessionForm):
    pass


class PreventionActivityCreateForm(SubmissionKeyForm, PreventionActivityForm):
    pass


class PreventionActivityEditForm(VersionedForm, PreventionActivityForm):
    pass
