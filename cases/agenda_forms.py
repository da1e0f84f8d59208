"""Forms of the agenda: they validate and clean; cases.agenda decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from cases.agenda import NOTE_MAX, Period, agenda_assignees
from cases.forms import BLANK, _ActionForm, _date_field, _helper, worker_filter
from cases.models import Case
from core import bounds, codes

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AgendaItemForm(_ActionForm):
    submit_label = _("Tambahkan ke agenda")
    # A planned service's target date comes from the plan (cases.agenda): not offered here.
    kind = forms.ChoiceField(label=_("Jenis agenda"), choices=BLANK + [
        (value, label) for value, label in codes.AgendaKind.choices if value != codes.AgendaKind.SERVICE_TARGET])
    due_on = _date_field(_("Tanggal"), bounds.PLAN)
    due_time = forms.TimeField(label=_("Jam (WITA, bila ada)"), widget=TIME_WIDGET, required=False)
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, required=False,
                                      empty_label=_("Pendamping kasus"))
    note = forms.CharField(label=_("Catatan"), max_length=NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Hanya tampil di halaman kasus, tidak di daftar agenda atau pengingat."))

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agenda_assignees(case=case)


class AgendaFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Tampilkan"), choices=Period.CHOICES, required=False)
    worker = forms.TypedChoiceField(label=_("Pendamping"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        worker_filter(self, user)  # who sees the unit's cases may narrow the agenda to one worker's
        self.helper = _helper(_("Terapkan"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"

    def period_value(self) -> str:
        return (self.cleaned_data.get("period") if self.is_valid() else "") or Period.ALL

    def worker_id(self) -> int | None:
        return self.cleaned_data.get("worker") if self.is_valid() else None
