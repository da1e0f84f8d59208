"""Forms of the case file: they validate and clean; the services decide. Labels are what staff read aloud."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict, ErrorList
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.forms import StaffChoiceField, staff_label
from agencies.models import Agency, Region, User
from agencies.selectors import district_kecamatan, district_villages
from cases import rules, services
from cases.models import Case, DataSubjectRequest, PlannedService, Victim
from cases.rules import ASSESSMENT_NEEDS, need_label
from cases.selectors import CaseFilters, agency_workers
from cases.services import NIK_PATTERN
from core import bounds, codes
from core.dates import DayFirstDateInput, DayFirstDateTimeInput
from core.idempotency import SubmissionKeyForm
from core.policy import Capability, can
from core.versioning import VersionedForm

if TYPE_CHECKING:
    from inbox.models import IntakeRequest

DATE_WIDGET = DayFirstDateInput()
DATETIME_WIDGET = DayFirstDateTimeInput()
TEXTAREA = forms.Textarea(attrs={"rows": 3})
BLANK = [("", "---------")]
# A choice on an intake row starts empty: a preselected code would go unnoticed into the statistics.
PICK = [("", _("— pilih —"))]
# The desa list holds only the chosen kecamatan's desa, so an unknown choice means a mismatch.
VILLAGE_MISMATCH = _("Desa yang dipilih tidak berada di kecamatan itu.")


def _helper(submit_label=None, *, form_tag: bool = True, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_tag = form_tag
    if not form_tag:
        helper.disable_csrf = True
    if submit_label:
        helper.add_input(Submit("submit", submit_label))
    return helper


def _date_field(label, bound: bounds.DateRange, *, what=None, **kwargs) -> forms.DateField:
    """A date within `bound` (core.bounds, which the services ask too); `what` names it in the message."""
    return forms.DateField(label=label, widget=DATE_WIDGET, validators=[bound.validator(what)], **kwargs)


def _datetime_field(label, bound: bounds.DateRange, *, what=None, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DATETIME_WIDGET, validators=[bound.validator(what or _("Waktu"))],
                               **kwargs)


def _moment_field(label=None) -> forms.DateTimeField:
    return _datetime_field(label or _("Waktu (bila dicatat kemudian)"), bounds.RECORD, required=False,
                           help_text=_("Kosongkan bila terjadi sekarang."))


def _village_widget_attrs(form: forms.Form, kecamatan_field: str, village_field: str) -> None:
    """The desa list follows the chosen kecamatan (htmx); without JavaScript it follows on the next submit."""
    form.fields[kecamatan_field].widget.attrs.update({
        "hx-get": reverse_lazy("cases:villages"), "hx-trigger": "change",
        "hx-target": f"#id_{form.add_prefix(village_field)}", "hx-swap": "innerHTML"})
    chosen = form.data.get(form.add_prefix(kecamatan_field)) if form.is_bound else form.initial.get(kecamatan_field)
    chosen = getattr(chosen, "pk", chosen)
    form.fields[village_field].queryset = (district_villages(kecamatan_code=chosen) if chosen
                                           else Region.objects.none())


def silence_errors(*forms_or_formsets) -> None:
    """Re-show a form with what was typed but without errors (after "add a row", nothing was submitted yet)."""
    for item in forms_or_formsets:
        if isinstance(item, forms.BaseForm):
            item.full_clean()
            item._errors = ErrorDict()
        else:
            item.full_clean()
            item._non_form_errors = ErrorList()
            for form in item.forms:
                form._errors = ErrorDict()
            # The formset keeps its own list of its forms' errors: without this, its error count (which
            # raises the "Kasus belum tersimpan" banner) still counted the errors silenced above.
            item._errors = [form._errors for form in item.forms]


# --- Intake (penerimaan pengaduan) -------------------------------------------------------------

class CaseIntakeForm(SubmissionKeyForm):
    received_at = _datetime_field(_("Waktu pengaduan diterima"), bounds.RECORD, what=_("Waktu pengaduan"))
    intake_channel = forms.ChoiceField(label=_("Sumber pengaduan"), choices=BLANK + codes.IntakeChannel.choices)
    reporter_name = forms.CharField(label=_("Nama pelapor"), max_length=150, required=False)
    reporter_relation = forms.CharField(label=_("Hubungan pelapor dengan korban"), max_length=100, required=False)
    reporter_contact = forms.CharField(label=_("Kontak pelapor"), max_length=100, required=False)
    assigned_worker = StaffChoiceField(label=_("Pendamping yang ditugaskan"), queryset=User.objects.none(),
                                             required=False)
    occurred_on = _date_field(_("Tanggal kejadian"), bounds.INCIDENT)
    place = forms.ChoiceField(label=_("Tempat kejadian"), choices=BLANK + codes.Place.choices)
    outside_district = forms.BooleanField(label=_("Kejadian di luar kabupaten (luar daerah)"), required=False)
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan kejadian"), queryset=Region.objects.none(), required=False)
    village = forms.ModelChoiceField(label=_("Desa/kelurahan kejadian"), queryset=Region.objects.none(),
                                     required=False, empty_label=_("Pilih kecamatan dulu"),
                                     error_messages={"invalid_choice": VILLAGE_MISMATCH})
    is_online = forms.BooleanField(label=_("Terjadi daring / media sosial"), required=False)
    is_kdrt = forms.BooleanField(label=_("KDRT (kekerasan dalam rumah tangga)"), required=False)
    tpks_forms = forms.MultipleChoiceField(label=_("Bentuk TPKS (bila kekerasan seksual, UU 12/2022 Pasal 4)"),
                                           choices=codes.TpksForm.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    tppo_elements = forms.MultipleChoiceField(label=_("Unsur TPPO (bila perdagangan orang, UU 21/2007 Pasal 1)"),
                                              choices=codes.TppoElement.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    chronology = forms.CharField(label=_("Kronologi"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("Saya sudah memeriksa kemungkinan duplikat dan tetap mendaftarkan kasus baru."), required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = district_kecamatan()
        self.fields["kecamatan"].empty_label = _("Pilih kecamatan")
        _village_widget_attrs(self, "kecamatan", "village")
        if can(user, Capability.CASE_ASSIGN):
            self.fields["assigned_worker"].queryset = agency_workers(agency_id=user.agency_id)
            self.fields["assigned_worker"].empty_label = _("Belum ditugaskan")
        else:
            del self.fields["assigned_worker"]
        self.helper = _helper(form_tag=False)

    def clean(self):
        cleaned = super().clean()
        received, occurred = cleaned.get("received_at"), cleaned.get("occurred_on")
        if received and occurred and occurred > timezone.localdate(received):
            self.add_error("occurred_on", _("Tanggal kejadian tidak boleh sesudah pengaduan diterima."))
        kecamatan, village = cleaned.get("kecamatan"), cleaned.get("village")
        if cleaned.get("outside_district"):
            if kecamatan or village:
                self.add_error("kecamatan", _("Kejadian luar daerah tidak memakai kecamatan kabupaten ini."))
        elif not kecamatan:
            self.add_error("kecamatan", _("Pilih kecamatan kejadian, atau centang luar daerah."))
        if kecamatan and village and village.parent_id != kecamatan.code:
            self.add_error("village", VILLAGE_MISMATCH)
        return cleaned

    def incident_data(self) -> services.IncidentData:
        data = self.cleaned_data
        return services.IncidentData(
            occurred_on=data["occurred_on"], place=data["place"], kecamatan=data["kecamatan"],
            village=data["village"], outside_district=data["outside_district"], is_online=data["is_online"],
            is_kdrt=data["is_kdrt"], tpks_forms=data["tpks_forms"], tppo_elements=data["tppo_elements"],
            chronology=data["chronology"])


class VictimForm(forms.Form):
    name = forms.CharField(label=_("Nama korban"), max_length=150, required=False)
    identity_unknown = forms.BooleanField(
        label=_("Identitas belum diketahui"), required=False,
        help_text=_("Mis. laporan SAPA 129 tentang anak yang belum diketahui namanya; lengkapi kemudian."))
    nik = forms.CharField(label=_("NIK"), max_length=32, required=False,
                          help_text=_("16 angka, bila diketahui."))
    birth_date = _date_field(_("Tanggal lahir"), bounds.BIRTH, what=_("Tanggal lahir"), required=False)
    age = forms.IntegerField(label=_("Usia (tahun), bila tanggal lahir tidak diketahui"), min_value=0,
                             max_value=bounds.MAX_AGE, required=False)
    age_estimated = forms.BooleanField(label=_("Usia perkiraan"), required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=PICK + codes.Sex.choices,
                            error_messages={"required": _("Pilih jenis kelamin korban.")})
    violence_types = forms.MultipleChoiceField(label=_("Jenis kekerasan (boleh lebih dari satu)"),
                                               choices=codes.ViolenceType.choices, widget=forms.CheckboxSelectMultiple,
                                               error_messages={"required": _("Pilih setidaknya satu jenis "
                                                                             "kekerasan.")})
    # SIMFONI-PPA publishes both breakdowns; its own "Lainnya/NA" and "N/A" codes say "not known".
    education = forms.ChoiceField(label=_("Pendidikan"), choices=PICK + codes.Education.choices,
                                  error_messages={"required": _("Pilih pendidikan korban (Lainnya/NA bila tidak "
                                                                "diketahui).")})
    occupation = forms.ChoiceField(label=_("Pekerjaan"), choices=PICK + codes.Occupation.choices,
                                   error_messages={"required": _("Pilih pekerjaan korban (N/A bila tidak "
                                                                 "diketahui).")})
    marital_status = forms.ChoiceField(label=_("Status perkawinan"), choices=BLANK + codes.MaritalStatus.choices,
                                       required=False)
    has_disability = forms.BooleanField(label=_("Penyandang disabilitas"), required=False)
    disability_kinds = forms.MultipleChoiceField(label=_("Jenis disabilitas"), choices=codes.DisabilityKind.choices,
                                                 widget=forms.CheckboxSelectMultiple, required=False)
    address_kecamatan = forms.ModelChoiceField(label=_("Kecamatan domisili"), queryset=Region.objects.none(),
                                               required=False, empty_label=_("Luar kabupaten / tidak diketahui"))
    address_village = forms.ModelChoiceField(label=_("Desa domisili"), queryset=Region.objects.none(),
                                             required=False, empty_label=_("Pilih kecamatan dulu"),
                                             error_messages={"invalid_choice": VILLAGE_MISMATCH})
    address_detail = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)
    # Where this victim was harmed (SIMFONI counts it per victim). "Same as the incident" is a choice the worker
    # sees and may change, not a value filled in unseen; the service then copies the incident's.
    place = forms.ChoiceField(label=_("Tempat kejadian korban ini"), required=False,
                              choices=[("", _("Sama dengan tempat kejadian"))] + codes.Place.choices)
    is_kdrt = forms.TypedChoiceField(label=_("KDRT untuk korban ini"), required=False, empty_value=None,
                                     coerce=lambda value: value == "ya",
                                     choices=[("", _("Sama dengan kejadian")), ("ya", _("KDRT")),
                                              ("tidak", _("Bukan KDRT"))])
    place_kecamatan = forms.ModelChoiceField(label=_("Kecamatan kejadian korban ini"), queryset=Region.objects.none(),
                                             required=False, empty_label=_("Sama dengan lokasi kejadian"))
    place_village = forms.ModelChoiceField(label=_("Desa kejadian korban ini"), queryset=Region.objects.none(),
                                           required=False, empty_label=_("Pilih kecamatan dulu"),
                                           error_messages={"invalid_choice": VILLAGE_MISMATCH})
    place_outside_district = forms.BooleanField(label=_("Korban ini: kejadian di luar kabupaten"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["address_kecamatan"].queryset = district_kecamatan()
        _village_widget_attrs(self, "address_kecamatan", "address_village")
        self.fields["place_kecamatan"].queryset = district_kecamatan()
        _village_widget_attrs(self, "place_kecamatan", "place_village")
        self.helper = _helper(form_tag=False)
        self.helper.render_unmentioned_fields = True  # the formset's "remove" box
        # Possible duplicates are checked as the NIK, name or birth date is typed (htmx POST: never in a URL).
        identity = [self.add_prefix(name) for name in ("nik", "name", "birth_date")]
        for name in ("nik", "name", "birth_date"):
            self.fields[name].widget.attrs.update({
                "hx-post": reverse_lazy("cases:duplicates"), "hx-trigger": "change",
                "hx-target": f"#dup-{self.prefix}", "hx-swap": "innerHTML",
                "hx-include": ",".join(f"[name='{field}']" for field in identity)})
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("nik", css_class="col-md-6")),
            "identity_unknown",
            HTML(f'<div id="dup-{self.prefix}" aria-live="polite"></div>'),
            Row(Column("birth_date", css_class="col-md-4"),
                Column("age", "age_estimated", css_class="col-md-4"), Column("sex", css_class="col-md-4")),
            InlineCheckboxes("violence_types"),
            Row(Column("education", css_class="col-md-4"), Column("occupation", css_class="col-md-4"),
                Column("marital_status", css_class="col-md-4")),
            Row(Column("has_disability", css_class="col-md-4"),
                Column(InlineCheckboxes("disability_kinds"), css_class="col-md-8")),
            Row(Column("address_kecamatan", css_class="col-md-6"), Column("address_village", css_class="col-md-6")),
            Row(Column("address_detail", css_class="col-md-8"), Column("phone", css_class="col-md-4")),
            Row(Column("place", css_class="col-md-6"), Column("is_kdrt", css_class="col-md-6")),
            Row(Column("place_kecamatan", css_class="col-md-4"), Column("place_village", css_class="col-md-4"),
                Column("place_outside_district", css_class="col-md-4 pt-md-4")),
        )

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip().replace(" ", "")
        if nik and not NIK_PATTERN.match(nik):
            raise forms.ValidationError(_("NIK harus 16 angka."))
        return nik

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("birth_date") and cleaned.get("age") is None and "birth_date" not in self.errors:
            self.add_error("age", _("Isi tanggal lahir atau usia korban."))
        if not cleaned.get("name") and not cleaned.get("identity_unknown") and "name" not in self.errors:
            self.add_error("name", _("Isi nama korban, atau centang \"Identitas belum diketahui\"."))
        kecamatan, village = cleaned.get("address_kecamatan"), cleaned.get("address_village")
        if kecamatan and village and village.parent_id != kecamatan.code:
            self.add_error("address_village", VILLAGE_MISMATCH)
        kecamatan, village = cleaned.get("place_kecamatan"), cleaned.get("place_village")
        if cleaned.get("place_outside_district") and (kecamatan or village):
            self.add_error("place_kecamatan", _("Kejadian luar daerah tidak memakai kecamatan kabupaten ini."))
        if kecamatan and village and village.parent_id != kecamatan.code:
            self.add_error("place_village", VILLAGE_MISMATCH)
        return cleaned

    def victim_data(self) -> services.VictimData:
        data = self.cleaned_data
        return services.VictimData(
            name=data["name"], sex=data["sex"], violence_types=data["violence_types"], nik=data["nik"],
            birth_date=data["birth_date"], age=data["age"], age_estimated=data["age_estimated"],
            identity_unknown=data["identity_unknown"], education=data["education"],
            occupation=data["occupation"], marital_status=data["marital_status"],
            has_disability=data["has_disability"], disability_kinds=data["disability_kinds"],
            address_kecamatan=data["address_kecamatan"], address_village=data["address_village"],
            address_detail=data["address_detail"], phone=data["phone"], place=data["place"],
            own_area=bool(data["place_kecamatan"] or data["place_outside_district"]),
            place_kecamatan=data["place_kecamatan"], place_village=data["place_village"],
            place_outside_district=data["place_outside_district"], is_kdrt=data["is_kdrt"])


class PerpetratorForm(forms.Form):
    name = forms.CharField(label=_("Nama pelaku"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=PICK + codes.Sex.choices,
                            error_messages={"required": _("Pilih jenis kelamin pelaku.")})
    age = forms.IntegerField(label=_("Usia (tahun)"), min_value=0, max_value=bounds.MAX_AGE, required=False)
    is_child = forms.BooleanField(label=_("Pelaku anak (di bawah 18 tahun)"), required=False)

    def __init__(self, *args, victim_count: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The relationship is stored per victim-perpetrator pair (SIMFONI counts pairs).
        for index in range(min(victim_count, MAX_VICTIMS)):
            self.fields[f"relationship_{index}"] = forms.ChoiceField(
                label=_("Hubungan dengan korban %(n)s") % {"n": index + 1},
                choices=PICK + codes.Relationship.choices,
                error_messages={"required": _("Pilih hubungan pelaku dengan korban %(n)s (NA bila tidak "
                                              "diketahui).") % {"n": index + 1}})
        self.helper = _helper(form_tag=False)
        self.helper.render_unmentioned_fields = True  # one relationship per victim, and the "remove" box
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-6"), Column("sex", css_class="col-md-6")),
            Row(Column("age", css_class="col-md-6"), Column("is_child", css_class="col-md-6 pt-md-4")),
        )

    def perpetrator_data(self, victim_positions: dict[int, int]) -> services.PerpetratorData:
        """`victim_positions` maps a victim form's index to its place among the victims kept."""
        data = self.cleaned_data
        relationships = {position: data[f"relationship_{index}"] for index, position in victim_positions.items()
                         if f"relationship_{index}" in data}
        return services.PerpetratorData(sex=data["sex"], name=data["name"], age=data["age"],
                                        is_child=data["is_child"], relationships=relationships)


class _RowFormSet(forms.BaseFormSet):
    delete_label = _("Hapus baris ini")

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label


class _VictimFormSet(_RowFormSet):
    delete_label = _("Hapus korban ini")
    default_error_messages = {
        "too_many_forms": _("Paling banyak %(num)d korban dalam satu pengaduan."),
        "too_few_forms": _("Catat setidaknya satu korban."),
    }


class _PerpetratorFormSet(_RowFormSet):
    delete_label = _("Hapus pelaku ini")
    default_error_messages = {"too_many_forms": _("Paling banyak %(num)d pelaku dalam satu pengaduan.")}


# The row counts come from the request: absolute_max caps the forms built whatever TOTAL_FORMS claims, and
# each perpetrator row holds one relationship per victim, so the work of one intake stays bounded.
MAX_VICTIMS = MAX_PERPETRATORS = 20
VictimFormSet = forms.formset_factory(VictimForm, formset=_VictimFormSet, extra=0, min_num=1, validate_min=True,
                                      can_delete=True, max_num=MAX_VICTIMS, absolute_max=MAX_VICTIMS,
                                      validate_max=True)
# One empty perpetrator row to start with; left empty, it is skipped (the perpetrator may be unknown).
PerpetratorFormSet = forms.formset_factory(PerpetratorForm, formset=_PerpetratorFormSet, extra=1, min_num=0,
                                           can_delete=True, max_num=MAX_PERPETRATORS,
                                           absolute_max=MAX_PERPETRATORS, validate_max=True)


# --- Workflow actions ----------------------------------------------------------------------------

class _ActionForm(SubmissionKeyForm):
    submit_label = _("Simpan")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self.submit_label)


class IdentifyForm(VersionedForm, _ActionForm):
    submit_label = _("Simpan identifikasi")
    case_type = forms.ChoiceField(label=_("Jenis kasus"), choices=codes.CaseType.choices, widget=forms.RadioSelect)
    risk_level = forms.ChoiceField(label=_("Tingkat risiko"), choices=codes.RiskLevel.choices,
                                   widget=forms.RadioSelect)
    responsibility = forms.ChoiceField(label=_("Kewenangan"), choices=codes.Responsibility.choices,
                                       initial=codes.Responsibility.DISTRICT, widget=forms.RadioSelect)
    at = _moment_field(_("Waktu identifikasi (bila dicatat kemudian)"))


class AssessmentForm(_ActionForm):
    submit_label = _("Simpan asesmen")
    needs = forms.MultipleChoiceField(label=_("Kebutuhan korban"), required=False,
                                      widget=forms.CheckboxSelectMultiple, choices=())
    risk_level = forms.ChoiceField(label=_("Tingkat risiko"), choices=codes.RiskLevel.choices,
                                   widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Catatan asesmen"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    at = _moment_field(_("Waktu asesmen (bila dicatat kemudian)"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = [(name, need_label(name).capitalize()) for name in ASSESSMENT_NEEDS]


class PlannedServiceForm(_ActionForm):
    submit_label = _("Tambahkan ke rencana")
    service = forms.ChoiceField(label=_("Layanan"), choices=BLANK + codes.Service.choices)
    provider_agency = forms.ModelChoiceField(label=_("Lembaga pemberi layanan"), queryset=Agency.objects.none(),
                                             required=False)
    provider_user = StaffChoiceField(label=_("Petugas pemberi layanan"), queryset=User.objects.none(),
                                           required=False)
    due_on = _date_field(_("Target tanggal"), bounds.PLAN)
    notes = forms.CharField(label=_("Catatan"), widget=TEXTAREA, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["provider_user"].queryset = agency_workers(agency_id=case.agency_id)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("provider_agency") and not cleaned.get("provider_user"):
            self.add_error("provider_agency", _("Pilih lembaga atau petugas yang memberi layanan."))
        return cleaned


class ServiceDeliveryForm(_ActionForm):
    submit_label = _("Catat layanan")
    victim = forms.ModelChoiceField(label=_("Korban (kode penyintas)"), queryset=Victim.objects.none())
    service = forms.ChoiceField(label=_("Layanan"), choices=BLANK + codes.Service.choices)
    planned = forms.ModelChoiceField(label=_("Bagian dari rencana"), queryset=PlannedService.objects.none(),
                                     required=False, empty_label=_("Di luar rencana"))
    delivered_on = _date_field(_("Tanggal layanan"), bounds.RECORD, initial=timezone.localdate)
    provider_agency = forms.ModelChoiceField(label=_("Lembaga pemberi layanan"), queryset=Agency.objects.none(),
                                             required=False)
    notes = forms.CharField(label=_("Catatan"), widget=TEXTAREA, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = case.victims.only("id", "survivor_code", "case_id")
        self.fields["victim"].label_from_instance = lambda victim: victim.survivor_code
        self.fields["planned"].queryset = case.planned_services.all()
        self.fields["planned"].label_from_instance = (
            lambda line: f"{line.get_service_display()} · {line.due_on:%d-%m-%Y}")
        self.fields["provider_agency"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["provider_agency"].initial = case.agency_id
        if case.victims.count() == 1:
            self.fields["victim"].initial = case.victims.first()


class StageForm(_ActionForm):
    at = _moment_field()


class MonitoringForm(_ActionForm):
    submit_label = _("Mulai pemantauan")
    notes = forms.CharField(label=_("Catatan evaluasi"), widget=TEXTAREA, required=False)
    at = _moment_field()


class InterventionForm(StageForm):
    submit_label = _("Mulai pelaksanaan")


class ReasonForm(_ActionForm):
    reason = forms.CharField(label=_("Alasan"), widget=TEXTAREA)


class ClosureRequestForm(ReasonForm):
    submit_label = _("Ajukan terminasi")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Alasan terminasi")


class ClosureDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan (wajib bila ditolak)"), widget=TEXTAREA, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.add_input(Submit("approve", _("Setujui terminasi"), css_class="btn-success"))
        self.helper.add_input(Submit("reject", _("Tolak terminasi"), css_class="btn-outline-danger"))


class ReopenForm(ReasonForm):
    submit_label = _("Buka kembali kasus")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Alasan membuka kembali")


class DeclineForm(ReasonForm):
    submit_label = _("Tolak rujukan masuk")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Alasan penolakan")


class ConsentWithdrawForm(ReasonForm):
    submit_label = _("Cabut persetujuan")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Keterangan pencabutan")


class AssignForm(VersionedForm, _ActionForm):
    submit_label = _("Tugaskan")
    worker = StaffChoiceField(label=_("Pendamping"), queryset=User.objects.none(), with_role=True)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = agency_workers(agency_id=case.agency_id)


class AccompanimentForm(_ActionForm):
    submit_label = _("Catat pendampingan")
    occurred_at = _datetime_field(_("Waktu pendampingan"), bounds.RECORD, initial=lambda: timezone.localtime().replace(
        second=0, microsecond=0))
    kind = forms.ChoiceField(label=_("Jenis pendampingan"), choices=BLANK + codes.AccompanimentKind.choices)
    accompanied_by = StaffChoiceField(label=_("Didampingi oleh"), queryset=User.objects.none())
    notes = forms.CharField(label=_("Catatan"), widget=TEXTAREA, required=False)

    def __init__(self, *args, case: Case, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by"].queryset = agency_workers(agency_id=case.agency_id)
        self.fields["accompanied_by"].initial = user.pk


class MediationForm(_ActionForm):
    submit_label = _("Catat mediasi")
    mediator = forms.CharField(label=_("Mediator"), max_length=150)
    parties = forms.CharField(label=_("Para pihak"), widget=TEXTAREA)
    held_on = _date_field(_("Tanggal mediasi"), bounds.RECORD)
    record = forms.CharField(label=_("Berita acara"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    agreement = forms.CharField(label=_("Kesepakatan"), widget=TEXTAREA, required=False)
    follow_up_on = _date_field(_("Tanggal pemantauan kesepakatan"), bounds.PLAN, required=False)


class ConsentForm(_ActionForm):
    submit_label = _("Catat persetujuan")
    victim = forms.ModelChoiceField(label=_("Korban (kode penyintas)"), queryset=Victim.objects.none())
    scopes = forms.MultipleChoiceField(label=_("Yang disetujui"), choices=codes.ConsentScope.choices,
                                       widget=forms.CheckboxSelectMultiple)
    sharing_agency_types = forms.MultipleChoiceField(
        label=_("Data boleh dibagikan kepada (bila berbagi disetujui)"), choices=codes.AgencyType.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    given_by = forms.ChoiceField(label=_("Diberikan oleh"), choices=codes.ConsentGiver.choices,
                                 widget=forms.RadioSelect)
    given_by_name = forms.CharField(label=_("Nama pemberi persetujuan"), max_length=150, required=False)
    # Two facts: a parent being the perpetrator does not stop the other parent (a mother when the father is the
    # perpetrator); only the person consenting being a perpetrator does.
    parent_is_perpetrator = forms.BooleanField(label=_("Salah satu orang tua korban adalah pelaku"), required=False)
    giver_is_perpetrator = forms.BooleanField(label=_("Pemberi persetujuan ini adalah pelaku"), required=False,
                                              help_text=_("Pelaku tidak dapat memberi persetujuan atas nama "
                                                          "korban."))
    legal_basis = forms.CharField(label=_("Dasar hukum / alasan (bila tanpa persetujuan atau wali lain)"),
                                  widget=TEXTAREA, required=False)
    form_version = forms.CharField(label=_("Versi formulir persetujuan"), max_length=32, initial="IC-2026-1")
    given_at = _datetime_field(_("Waktu persetujuan"), bounds.RECORD, what=_("Waktu persetujuan"), required=False,
                               help_text=_("Kosongkan bila sekarang."))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = case.victims.only("id", "survivor_code", "case_id")
        self.fields["victim"].label_from_instance = lambda victim: victim.survivor_code
        if case.victims.count() == 1:
            self.fields["victim"].initial = case.victims.first()
        # UU 12/2022 Pasal 23: where the law rules mediation out, consent to one is not asked for either.
        if rules.mediation_bar(case) is not None:
            self.fields["scopes"].choices = [choice for choice in codes.ConsentScope.choices
                                             if choice[0] != codes.ConsentScope.MEDIATION]


class PoliceReportForm(VersionedForm, _ActionForm):
    submit_label = _("Catat laporan ke kepolisian")
    reported_at = _datetime_field(_("Waktu dilaporkan ke kepolisian"), bounds.RECORD, required=False,
                                  help_text=_("Kosongkan bila sekarang."))
    reference = forms.CharField(label=_("Nomor laporan polisi (bila ada)"), max_length=100, required=False)


class NoteForm(_ActionForm):
    submit_label = _("Simpan catatan")
    text = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 4}))


class AttachmentForm(_ActionForm):
    submit_label = _("Unggah")
    document_type = forms.ChoiceField(label=_("Jenis dokumen"), choices=BLANK + codes.DocumentType.choices)
    file = forms.FileField(label=_("Berkas (PDF, JPEG atau PNG)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Paling besar %(max)s MB.") % {"max": settings.CASE_ATTACHMENT_MAX_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.attachment_check(upload)
        except services.CaseError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


# --- Lists ---------------------------------------------------------------------------------------

UNASSIGNED = "belum"
SORT_CHOICES = [("terbaru", _("Terbaru")), ("terlama", _("Terlama")), ("nomor", _("Nomor kasus")),
                ("tahap", _("Tahap")), ("risiko", _("Risiko tertinggi"))]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Nomor kasus atau kode penyintas"), required=False, max_length=bounds.MAX_SEARCH)
    stage = forms.ChoiceField(label=_("Tahap"), required=False, choices=[("", _("Semua tahap"))]
                              + codes.CaseStage.choices)
    risk_level = forms.ChoiceField(label=_("Risiko"), required=False, choices=[("", _("Semua risiko"))]
                                   + codes.RiskLevel.choices)
    case_type = forms.ChoiceField(label=_("Jenis kasus"), required=False, choices=[("", _("Semua jenis"))]
                                  + codes.CaseType.choices)
    violence_type = forms.ChoiceField(label=_("Jenis kekerasan"), required=False,
                                      choices=[("", _("Semua kekerasan"))] + codes.ViolenceType.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    worker = forms.ChoiceField(label=_("Pendamping"), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)
    closure_pending = forms.BooleanField(label=_("Hanya terminasi yang menunggu keputusan"), required=False)
    sort = forms.ChoiceField(label=_("Urutkan"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (region.code, region.name) for region in district_kecamatan()]
        if can(user, Capability.CASE_VIEW_UNIT):
            self.fields["worker"].choices = [("", _("Semua pendamping")), (UNASSIGNED, _("Belum ditugaskan"))] + [
                (str(worker.pk), staff_label(worker)) for worker in agency_workers(agency_id=user.agency_id)]
        else:
            del self.fields["worker"]
            del self.fields["closure_pending"]
        self.helper = _helper(_("Terapkan"), method="get")
        self.helper.form_class = "row row-cols-sm-2 row-cols-lg-4 g-2 align-items-end"
        self.helper.form_id = "case-filters"

    def filters(self):
        """The selector's filters from what was chosen (nothing chosen when the form is invalid)."""
        data = dict(self.cleaned_data) if self.is_valid() else {}
        worker = data.pop("worker", "")
        if worker == UNASSIGNED:
            data["unassigned"] = True
        elif worker:
            data["worker"] = int(worker)
        return CaseFilters(**{key: value for key, value in data.items() if value not in (None, "", False)})


def worker_filter(form: forms.Form, user: User) -> None:
    """The "Pendamping" filter of a unit's lists (Tenggat, Agenda): every worker of the agency for who sees the
    unit's cases (core.policy), no such filter for the others."""
    if can(user, Capability.CASE_VIEW_UNIT):
        form.fields["worker"].choices = [("", _("Semua pendamping"))] + [
            (worker.pk, staff_label(worker)) for worker in agency_workers(agency_id=user.agency_id)]
    else:
        del form.fields["worker"]


class DeadlineFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("Hanya yang lewat tenggat"), required=False)
    worker = forms.TypedChoiceField(label=_("Pendamping"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        worker_filter(self, user)
        self.helper = _helper(_("Terapkan"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"


def intake_initial(intake: IntakeRequest | None) -> dict:
    """A referral in starts its intake form with the channel and time already known."""
    initial = {"received_at": timezone.localtime().replace(second=0, microsecond=0)}
    if intake is not None:
        initial |= {"intake_channel": codes.IntakeChannel.REFERRAL_IN, "received_at":
                    timezone.localtime(intake.created_at).replace(second=0, microsecond=0),
                    "reporter_name": intake.source_label}
    return initial


class LegalHoldForm(_ActionForm):
    submit_label = _("Simpan")
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


class SubjectRequestForm(_ActionForm):
    submit_label = _("Catat permintaan")
    kind = forms.ChoiceField(label=_("Jenis permintaan"), choices=DataSubjectRequest.Kind.choices)
    received_on = _date_field(_("Tanggal diterima"), bounds.RECORD)
    status = forms.ChoiceField(label=_("Status"), choices=DataSubjectRequest.Status.choices)
    answered_on = _date_field(_("Tanggal dijawab"), bounds.RECORD, required=False)


class BreachForm(_ActionForm):
    submit_label = _("Catat insiden")
    discovered_at = _datetime_field(_("Diketahui pada"), bounds.RECORD)
    description = forms.CharField(label=_("Uraian (tanpa data pribadi)"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=2000)
    # No district holds more people than this; PostgreSQL's integer would fail far above it.
    affected_count = forms.IntegerField(label=_("Jumlah subjek data terdampak"), min_value=0, max_value=10_000_000)
    notified_at = _datetime_field(_("Diberitahukan pada"), bounds.RECORD, required=False)
