"""Forms of the reports pages: choose a period (and an edition), request a report, verify a code."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.idempotency import SubmissionKeyForm
from core.policy import Capability, can
from reports.models import Report
from reports.periods import Period, PeriodError


def editions_for(user) -> list[tuple[str, str]]:
    """The internal edition (no suppression) is offered to supervisors only."""
    if can(user, Capability.REPORT_INTERNAL):
        return list(Report.Edition.choices)
    return [(Report.Edition.PUBLISHED, Report.Edition.PUBLISHED.label)]


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis periode"), choices=Report.Kind.choices, initial=Report.Kind.MONTHLY)
    period = forms.CharField(label=_("Periode"), max_length=8,
                             help_text=_("Bulan 2026-10, triwulan 2026-Q4, atau tahun 2026."))
    edition = forms.ChoiceField(label=_("Edisi"), choices=Report.Edition.choices, initial=Report.Edition.PUBLISHED)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = editions_for(user)
        if len(self.fields["edition"].choices) == 1:
            self.fields["edition"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("period"):
            try:
                data["parsed"] = Period.parse(data["kind"], data["period"])
            except PeriodError as error:
                self.add_error("period", str(error))
                return data
            if data["parsed"].start > timezone.localdate():
                self.add_error("period", _("Periode ini belum dimulai."))
        return data


class ReportRequestForm(SubmissionKeyForm, PeriodForm):
    """Request a report: the period form with a one-time key, so a double click makes one report, not two."""


# A report PDF is a few hundred kilobytes; the page is public, so nothing much larger is read.
VERIFY_MAX_BYTES = 20 * 1024 * 1024


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Kode verifikasi"), max_length=40,
                           help_text=_("Tertulis di sampul dan di kaki setiap halaman laporan, "
                                       "mis. ABCD-EFGH-JKLM-NPQR."))
    pdf = forms.FileField(label=_("Berkas PDF (pilihan)"), required=False,
                          help_text=_("Bila diunggah, Simpul memeriksa bahwa isinya sama persis dengan laporan asli."))

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and pdf.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar untuk sebuah laporan Simpul (paling besar 20 MB)."))
        return pdf
