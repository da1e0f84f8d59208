"""The "Cari korban" page (cases.search): a POST form, so what is searched never enters a URL or an access log."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cases.forms import _date_field
from cases.search import MIN_NAME_LENGTH, SCAN_LIMIT, SearchReason, search_audit, victims_search
from cases.services import NIK_PATTERN
from core import bounds
from core.policy import Capability, requires


class CaseSearchForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan pencarian"), choices=[("", _("— pilih —"))] + SearchReason.choices,
                               error_messages={"required": _("Pilih alasan pencarian: setiap pencarian dicatat "
                                                             "di jejak audit.")})
    nik = forms.CharField(label=_("NIK"), max_length=32, required=False)
    name = forms.CharField(label=_("Nama korban (sebagian nama boleh)"), max_length=150, required=False)
    birth_date = _date_field(_("Tanggal lahir"), bounds.BIRTH, what=_("Tanggal lahir"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("nik", "name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout("reason", Row(Column("nik", css_class="col-md-4"),
                                                  Column("name", css_class="col-md-4"),
                                                  Column("birth_date", css_class="col-md-4")))
        self.helper.add_input(Submit("submit", _("Cari")))

    def clean_nik(self):
        nik = self.cleaned_data["nik"].strip().replace(" ", "")
        if nik and not NIK_PATTERN.match(nik):
            raise forms.ValidationError(_("NIK harus 16 angka."))
        return nik

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if name and len(name) < MIN_NAME_LENGTH:
            raise forms.ValidationError(_("Ketik setidaknya %(n)s huruf nama.") % {"n": MIN_NAME_LENGTH})
        return name

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("nik") or cleaned.get("name") or cleaned.get("birth_date")):
            raise forms.ValidationError(_("Isi NIK, nama, atau tanggal lahir yang dicari."))
        return cleaned

    def criteria(self) -> list[str]:
        """Which criteria were used (their names, never their values)."""
        return [name for name in ("nik", "name", "birth_date") if self.cleaned_data.get(name)]


@requires(Capability.CASE_WORK)
def case_search(request: HttpRequest) -> HttpResponse:
    """Find a victim among the cases the user may open; the reason is asked and audited every search."""
    result = None
    if request.method == "POST":
        form = CaseSearchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            result = victims_search(user=request.user, nik=data["nik"], name=data["name"],
                                    birth_date=data["birth_date"])
            search_audit(user=request.user, reason=data["reason"], criteria=form.criteria(), result=result,
                         request=request)
            # The next search asks its reason again; the values typed are not sent back into the page.
            form = CaseSearchForm()
    else:
        form = CaseSearchForm()
    return render(request, "cases/search/search.html", {"form": form, "result": result, "scan_limit": SCAN_LIMIT})
