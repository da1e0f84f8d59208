from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from core import bounds
from core.dates import DayFirstDateInput
from core.idempotency import SubmissionKeyForm
from core.models import CalendarOverride


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Tindakan (awalan, mis. auth.)"), required=False, max_length=bounds.MAX_SEARCH)
    actor = forms.CharField(label=_("Pengguna"), required=False, max_length=bounds.MAX_SEARCH)
    object_label = forms.CharField(label=_("Objek (nomor atau kode)"), required=False, max_length=bounds.MAX_SEARCH)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, validators=[bounds.SEARCH.validator()],
                                widget=DayFirstDateInput())
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, validators=[bounds.SEARCH.validator()],
                              widget=DayFirstDateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"
        self.helper.add_input(Submit("submit", _("Saring")))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return cleaned


class CalendarOverrideForm(SubmissionKeyForm):
    day = forms.DateField(label=_("Tanggal"), validators=[bounds.CALENDAR.validator()],
                          widget=DayFirstDateInput())
    kind = forms.ChoiceField(label=_("Jenis koreksi"), choices=CalendarOverride.Kind.choices,
                             initial=CalendarOverride.Kind.HOLIDAY, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Keterangan"), max_length=200,
                             help_text=_("Mis. \"Cuti bersama Idul Fitri, SKB 3 Menteri tahun 2027\"."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", _("Simpan koreksi")))
