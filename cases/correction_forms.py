"""Forms of the corrections after intake (cases.corrections). Edit forms are built from the field lists there
(`VICTIM_FIELDS`, ...) and the models' own labels and choices, so a field added to a list is in the form with
no other change; they carry the version they were read at (core.versioning). Adding forms carry a one-time key.
"""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Layout, Submit
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from agencies.selectors import district_kecamatan
from cases import corrections
from cases.forms import (
    DATE_WIDGET,
    TEXTAREA,
    VILLAGE_MISMATCH,
    VictimForm,
    _datetime_field,
    _helper,
    _village_widget_attrs,
)
from cases.models import Case, Incident, Perpetrator, Victim
from cases.services import NIK_PATTERN
from core import bounds, codes
from core.idempotency import SubmissionKeyForm
from core.versioning import VERSION_FIELD, VersionedForm

REASON_HELP = _("Wajib bila menghapus sesuatu atau menghapus kekerasan seksual/perdagangan orang. Tersimpan di "
                "riwayat, dibaca tim kasus.")
# JSON lists of codes in the models: chosen with check boxes.
CODE_LISTS = {"disability_kinds": codes.DisabilityKind, "tpks_forms": codes.TpksForm,
              "tppo_elements": codes.TppoElement}


def _known_at_field() -> forms.DateTimeField:
    return _datetime_field(_("Kapan fakta baru ini diketahui"), bounds.RECORD, required=False,
                           what=_("Waktu diketahui"),
                           help_text=_("Kosongkan bila baru diketahui sekarang. Tenggat lapor polisi (UU 12/2022 "
                                       "Pasal 41) dihitung dari waktu ini."))


def _reason_field(required: bool = False) -> forms.CharField:
    return forms.CharField(label=_("Alasan koreksi"), widget=TEXTAREA, required=required,
                           help_text=None if required else REASON_HELP)


def model_fields(model: type[models.Model], names: tuple[str, ...]) -> dict[str, forms.Field]:
    """Form fields for `names`, in that order, from the model: its labels, choices and blank/null rules."""
    fields = {}
    for name in names:
        model_field = model._meta.get_field(name)
        if name in CODE_LISTS:
            field = forms.MultipleChoiceField(label=model_field.verbose_name, choices=CODE_LISTS[name].choices,
                                              widget=forms.CheckboxSelectMultiple, required=False)
        elif isinstance(model_field, models.ForeignKey):
            field = forms.ModelChoiceField(label=model_field.verbose_name, queryset=Region.objects.none(),
                                           required=False)
        else:
            field = model_field.formfield()
            if model_field.choices:
                # Starts at what is stored; an empty stored value shows "— pilih —", never a silent default.
                field = forms.ChoiceField(label=model_field.verbose_name, required=not model_field.blank,
                                          choices=[("", _("— pilih —")), *model_field.choices])
        if isinstance(field, forms.DateField):
            field.widget = DATE_WIDGET
        fields[name] = field
    return fields


def initial_from(obj: models.Model, names: tuple[str, ...]) -> dict:
    """An edit form's initial data: the record as stored, with its version (also what a conflict compares)."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return {**values, VERSION_FIELD: obj.version}


class CorrectionForm(VersionedForm):
    """An edit form of corrections: the fields, a reason, the version read at."""

    record_fields: tuple[str, ...] = ()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.record_fields if name in self.cleaned_data}


def _correction_form(name: str, model, names: tuple[str, ...], **extra) -> type[CorrectionForm]:
    attrs = {**model_fields(model, names), **extra, "record_fields": names, "__module__": __name__}
    return type(name, (CorrectionForm,), attrs)


# --- Victims ---------------------------------------------------------------------------------------------

class _VictimEdit(CorrectionForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Two kecamatan/desa pairs: where the victim lives, and where this victim was harmed.
        empty = _("Luar kabupaten / tidak diketahui")
        for kecamatan, village in (("address_kecamatan", "address_village"), ("place_kecamatan", "place_village")):
            if kecamatan in self.fields:
                self.fields[kecamatan].queryset = district_kecamatan()
                self.fields[kecamatan].empty_label = empty
                self.fields[village].empty_label = _("Pilih kecamatan dulu")
                self.fields[village].error_messages["invalid_choice"] = VILLAGE_MISMATCH
                _village_widget_attrs(self, kecamatan, village)
        self.fields["age_at_incident"].required = False
        self.fields["age_at_incident"].help_text = _("Dihitung dari tanggal lahir bila tanggal lahir diisi.")
        self.helper = _helper(_("Simpan perubahan"))

    def clean_nik(self):
        nik = (self.cleaned_data.get("nik") or "").strip().replace(" ", "")
        if nik and not NIK_PATTERN.match(nik):
            raise forms.ValidationError(_("NIK harus 16 angka."))
        return nik

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("birth_date") and cleaned.get("age_at_incident") is None and not self.errors:
            self.add_error("age_at_incident", _("Isi tanggal lahir atau usia korban."))
        return cleaned


VictimEditForm = type("VictimEditForm", (_VictimEdit,), {
    **model_fields(Victim, corrections.VICTIM_FIELDS), "reason": _reason_field(),
    "record_fields": corrections.VICTIM_FIELDS, "__module__": __name__})


class VictimAddForm(VictimForm, SubmissionKeyForm):
    """A victim found after intake: the intake's victim row, when it became known, and each relationship."""

    known_at = _known_at_field()

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.perpetrators = list(case.perpetrators.all())
        for number, perpetrator in enumerate(self.perpetrators, start=1):
            self.fields[f"relationship_{perpetrator.pk}"] = forms.ChoiceField(
                label=_("Hubungan dengan pelaku %(n)s") % {"n": number},
                choices=[("", _("— pilih —")), *codes.Relationship.choices])
        # The intake's row is drawn inside the intake form; here it is a form of its own.
        self.helper.form_tag, self.helper.disable_csrf = True, False
        self.helper.add_input(Submit("submit", _("Tambah korban")))

    def relationships(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"relationship_{p.pk}"] for p in self.perpetrators}


class ViolenceForm(VersionedForm):
    violence_types = forms.MultipleChoiceField(
        label=_("Jenis kekerasan (boleh lebih dari satu)"), choices=codes.ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih setidaknya satu jenis kekerasan.")})
    known_at = _known_at_field()
    reason = _reason_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Simpan jenis kekerasan"))
        self.helper.layout = Layout(InlineCheckboxes("violence_types"), "known_at", "reason")


class RemoveForm(VersionedForm):
    reason = _reason_field(required=True)

    def __init__(self, *args, submit_label=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Hapus"))


# --- Perpetrators ---------------------------------------------------------------------------------------

def _relationship_fields(form: forms.Form, victims: list[Victim]) -> None:
    for number, victim in enumerate(victims, start=1):
        form.fields[f"relationship_{victim.pk}"] = forms.ChoiceField(
            label=_("Hubungan dengan korban %(n)s (%(code)s)") % {"n": number, "code": victim.survivor_code},
            choices=[("", _("— pilih —")), *codes.Relationship.choices])


class _PerpetratorEdit(CorrectionForm):
    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.victims = list(case.victims.all())
        _relationship_fields(self, self.victims)
        self.fields["reason"] = self.fields.pop("reason")  # last, after the relationships
        self.helper = _helper(_("Simpan perubahan"))

    def relationships(self) -> dict[int, str]:
        return {v.pk: self.cleaned_data[f"relationship_{v.pk}"] for v in self.victims}


PerpetratorEditForm = type("PerpetratorEditForm", (_PerpetratorEdit,), {
    **model_fields(Perpetrator, corrections.PERPETRATOR_FIELDS), "reason": _reason_field(),
    "record_fields": corrections.PERPETRATOR_FIELDS, "__module__": __name__})


def perpetrator_initial(perpetrator: Perpetrator) -> dict:
    links = {link.victim_id: link.relationship for link in perpetrator.victim_links.all()}
    return {**initial_from(perpetrator, corrections.PERPETRATOR_FIELDS),
            **{f"relationship_{victim_id}": value for victim_id, value in links.items()}}


class PerpetratorAddForm(SubmissionKeyForm):
    name = forms.CharField(label=_("Nama pelaku"), max_length=150, required=False)
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", _("— pilih —")), *codes.Sex.choices])
    age = forms.IntegerField(label=_("Usia (tahun)"), min_value=0, max_value=bounds.MAX_AGE, required=False)
    is_child = forms.BooleanField(label=_("Pelaku anak (di bawah 18 tahun)"), required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.victims = list(case.victims.all())
        _relationship_fields(self, self.victims)
        self.helper = _helper(_("Tambah pelaku"))

    def relationships(self) -> dict[int, str]:
        return {v.pk: self.cleaned_data[f"relationship_{v.pk}"] for v in self.victims}


# --- The incident ------------------------------------------------------------------------------------------

class _IncidentEdit(CorrectionForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = district_kecamatan()
        self.fields["kecamatan"].empty_label = _("Pilih kecamatan")
        self.fields["village"].empty_label = _("Pilih kecamatan dulu")
        self.fields["village"].error_messages["invalid_choice"] = VILLAGE_MISMATCH
        _village_widget_attrs(self, "kecamatan", "village")
        self.fields["chronology"].widget = forms.Textarea(attrs={"rows": 5})
        self.fields["known_at"] = self.fields.pop("known_at")
        self.fields["reason"] = self.fields.pop("reason")
        self.helper = _helper(_("Simpan perubahan"))


IncidentEditForm = type("IncidentEditForm", (_IncidentEdit,), {
    **model_fields(Incident, corrections.INCIDENT_FIELDS), "known_at": _known_at_field(), "reason": _reason_field(),
    "record_fields": corrections.INCIDENT_FIELDS, "__module__": __name__})

