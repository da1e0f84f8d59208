"""Forms of the pelimpahan (cases.transfers): validate and clean only; the rules are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import StaffChoiceField
from agencies.models import User
from cases.forms import BLANK, TEXTAREA, _ActionForm
from cases.models import Case, CaseTransfer
from cases.transfers import receiving_agencies, transfer_workers


class TransferSendForm(_ActionForm):
    submit_label = _("Kirim pelimpahan")
    receiving_agency = forms.ModelChoiceField(label=_("Lembaga penerima"), queryset=None,
                                              empty_label="— pilih —")
    reason = forms.CharField(label=_("Alasan pelimpahan"), widget=TEXTAREA,
                             help_text=_("Dibaca lembaga penerima. Jangan menulis nama korban."))
    legal_basis = forms.ChoiceField(label=_("Dasar hukum tanpa persetujuan"),
                                    choices=BLANK + CaseTransfer.LegalBasis.choices, required=False,
                                    help_text=_("Hanya bila persetujuan korban belum mencakup berbagi data dengan "
                                                "jenis lembaga yang dipilih."))
    legal_basis_reason = forms.CharField(label=_("Alasan dasar hukum"), widget=TEXTAREA, required=False)

    def __init__(self, *args, case: Case, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].queryset = receiving_agencies(case=case)
        self.fields["receiving_agency"].label_from_instance = lambda agency: (
            f"{agency.name} ({agency.district.name})" if agency.district_id else agency.name)


class TransferAcceptForm(_ActionForm):
    submit_label = _("Terima pelimpahan")
    worker = StaffChoiceField(label=_("Pendamping yang menangani"), queryset=User.objects.none(), with_role=True,
                              empty_label="— pilih —")

    def __init__(self, *args, transfer: CaseTransfer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = transfer_workers(transfer=transfer)
