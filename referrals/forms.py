"""Forms of the referral network: they validate and clean; the services decide."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.selectors import district_kecamatan
from core import bounds
from core.codes import Service, Urgency
from core.dates import DayFirstDateInput
from core.idempotency import SubmissionKeyForm
from core.policy import Capability, can
from referrals.models import Referral

TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _helper(submit_label: str | None = None, method: str = "post", name: str = "submit",
            form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.form_tag = form_tag
    if submit_label:
        helper.add_input(Submit(name, submit_label))
    return helper


class AgencyFilterForm(forms.Form):
    """Narrow the directory to agencies giving a service in the victim's kecamatan."""

    service = forms.ChoiceField(label=_("Layanan yang dibutuhkan"), required=False,
                                choices=[("", _("Semua layanan"))] + Service.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (r.code, r.name) for r in district_kecamatan()]
        self.helper = _helper(_("Tampilkan lembaga"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency) -> str:
        return f"{agency.name} · {agency.get_agency_type_display()}" + (f" · {agency.phone}" if agency.phone else "")


class VictimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, victim) -> str:
        # Pseudonymous: the form never lists names.
        return f"{victim.survivor_code} · {victim.age_group} · {victim.get_sex_display()}"


class ReferralSendForm(SubmissionKeyForm):
    victim = VictimChoiceField(label=_("Korban yang dirujuk"), queryset=None, empty_label=None)
    receiving_agency = AgencyChoiceField(label=_("Lembaga penerima"), queryset=None, widget=forms.RadioSelect,
                                         empty_label=None,
                                         error_messages={"invalid_choice": _("Pilih lembaga dari daftar.")})
    services = forms.MultipleChoiceField(label=_("Layanan yang diminta"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices, widget=forms.RadioSelect,
                                initial=Urgency.NORMAL)
    reason = forms.CharField(label=_("Alasan rujukan"), widget=TEXTAREA,
                             help_text=_("Dibagikan ke lembaga penerima. Jangan menulis nama, NIK, alamat atau "
                                         "telepon korban di sini."))
    share_identity = forms.BooleanField(
        label=_("Sertakan nama dan telepon korban"), required=False,
        help_text=_("Hanya bila persetujuan korban mencakup berbagi data dengan jenis lembaga ini."))
    legal_basis = forms.ChoiceField(label=_("Dasar hukum tanpa persetujuan (koordinator)"), required=False,
                                    choices=[("", _("Tidak ada: persetujuan korban"))] + Referral.LegalBasis.choices)
    legal_basis_reason = forms.CharField(label=_("Alasan penggunaan dasar hukum"), required=False, widget=TEXTAREA)

    def __init__(self, *args, case, agencies, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = case.victims.order_by("id")
        self.fields["receiving_agency"].queryset = agencies
        if not can(user, Capability.REFERRAL_LEGAL_BASIS):
            del self.fields["legal_basis"]
            del self.fields["legal_basis_reason"]
        self.helper = _helper()
        self.helper.form_tag = False


class ReasonForm(SubmissionKeyForm):
    reason = forms.CharField(label=_("Alasan"), widget=TEXTAREA)

    def __init__(self, *args, label=None, submit=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.helper = _helper(submit, form_tag=False)


class OutcomeForm(SubmissionKeyForm):
    outcome = forms.CharField(label=_("Hasil tindak lanjut"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Selesaikan rujukan"), form_tag=False)


class ServiceRecordForm(SubmissionKeyForm):
    service = forms.ChoiceField(label=_("Layanan yang diberikan"), choices=Service.choices)
    delivered_on = forms.DateField(label=_("Tanggal layanan"), validators=[bounds.RECORD.validator()],
                                   widget=DayFirstDateInput())
    notes = forms.CharField(label=_("Catatan"), required=False, widget=TEXTAREA)

    def __init__(self, *args, services=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if services:
            self.fields["service"].choices = [(s, Service(s).label) for s in services]
        self.fields["delivered_on"].initial = timezone.localdate()
        self.helper = _helper(_("Catat layanan"), form_tag=False)


class MessageForm(SubmissionKeyForm):
    text = forms.CharField(label=_("Pesan"), widget=TEXTAREA)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Kirim pesan"), form_tag=False)


class InboxFilterForm(forms.Form):
    number = forms.CharField(label=_("Nomor rujukan"), required=False, max_length=bounds.MAX_SEARCH)
    urgency = forms.ChoiceField(label=_("Urgensi"), required=False, choices=[("", _("Semua"))] + Urgency.choices)
    service = forms.ChoiceField(label=_("Layanan"), required=False,
                                choices=[("", _("Semua layanan"))] + Service.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Saring"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"


class ReferralInForm(SubmissionKeyForm):
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices, widget=forms.RadioSelect,
                                initial=Urgency.NORMAL)
    summary = forms.CharField(label=_("Ringkasan"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("Apa yang terjadi dan apa yang dibutuhkan, singkat saja."))
    contact_hint = forms.CharField(label=_("Cara menghubungi korban atau pelapor"), required=False, max_length=255)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Kirim ke UPTD PPA"))
