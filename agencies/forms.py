from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region, Role, User
from agencies.selectors import district_kecamatan
from core import bounds
from core.codes import AgencyType, Service
from core.idempotency import SubmissionKeyForm
from core.versioning import VersionedForm


def staff_label(user: User, *, with_role: bool = False) -> str:
    """How a staff member is named in every dropdown: the person's name, never the login name (`pendamping2`),
    which is shown only for an account that has no name recorded."""
    return f"{user.display_name} ({user.get_role_display()})" if with_role else user.display_name


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff members, named by staff_label."""

    def __init__(self, *args, with_role: bool = False, **kwargs) -> None:
        self.with_role = with_role
        super().__init__(*args, **kwargs)

    def label_from_instance(self, user: User) -> str:
        return staff_label(user, with_role=self.with_role)


def _helper(submit_label: str, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", submit_label))
    return helper


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama lembaga"), required=False, max_length=bounds.MAX_SEARCH)
    agency_type = forms.ChoiceField(label=_("Jenis lembaga"), required=False,
                                    choices=[("", _("Semua jenis"))] + AgencyType.choices)
    service = forms.ChoiceField(label=_("Layanan"), required=False,
                                choices=[("", _("Semua layanan"))] + Service.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", _("Semua kecamatan"))] + [
            (r.code, r.name) for r in district_kecamatan()]
        self.helper = _helper(_("Cari"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"


class AgencyForm(forms.ModelForm):
    services = forms.MultipleChoiceField(label=_("Layanan yang diberikan"), choices=Service.choices,
                                         widget=forms.CheckboxSelectMultiple, required=False)
    kecamatan = forms.ModelMultipleChoiceField(label=_("Kecamatan yang dilayani"), queryset=Region.objects.none(),
                                               widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = Agency
        fields = ["name", "agency_type", "district", "address", "phone", "email", "contact_person", "is_active"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = district_kecamatan()
        self.fields["district"].queryset = Region.objects.filter(level=Region.Level.DISTRICT)
        if self.instance.pk:
            self.initial["services"] = list(self.instance.services.values_list("service", flat=True))
            self.initial["kecamatan"] = list(self.instance.kecamatan_covered.all())
        self.helper = _helper(_("Simpan"))


ROLE_HELP = _("Peran yang membuka data korban (kasus, rujukan, catatan PUSPAGA) berlaku setelah disetujui "
              "koordinator lembaga tujuan.")


class UserCreateForm(SubmissionKeyForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "phone", "role", "agency"]
        help_texts = {"email": _("Pengguna membuat kata sandinya sendiri dari tautan yang dikirim ke email ini."),
                      "role": ROLE_HELP}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["agency"].required = True
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.helper = _helper(_("Buat pengguna"))


class UserUpdateForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "role", "agency", "is_active"]
        help_texts = {"role": ROLE_HELP}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].required = True
        self.helper = _helper(_("Simpan"))


class RoleChangeDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan (wajib bila ditolak)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("approve", _("Setujui perubahan akses"), css_class="btn-success"))
        self.helper.add_input(Submit("refuse", _("Tolak"), css_class="btn-outline-danger"))


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau nama pengguna"), required=False, max_length=bounds.MAX_SEARCH)
    role = forms.ChoiceField(label=_("Peran"), required=False, choices=[("", _("Semua peran"))] + Role.choices)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cari"), method="get")
        self.helper.form_class = "row row-cols-md-auto g-2 align-items-end"


# --- The agency form creates (with a one-time key, core.idempotency) and edits (with the version it was read
# at, core.versioning).

class AgencyCreateForm(SubmissionKeyForm, AgencyForm):
    pass


class AgencyEditForm(VersionedForm, AgencyForm):
    pass


class DeviceResetRequestForm(SubmissionKeyForm):
    """Ask for a lost phone to be reset: no field of its own, only the one-time key (a repeat of the button shows
    the first request)."""
