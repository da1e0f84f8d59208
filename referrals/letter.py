"""The referral letter (Surat Rujukan) as a PDF, rendered by WeasyPrint from an HTML template.

It carries only what the referral shared (its snapshot), never the case file: the same rule as the
referral page. Always in Indonesian, the language of official letters.
"""

from django.utils import timezone

from core.pdf import render_pdf
from core.policy import signature_title
from referrals.models import Referral
from referrals.sharing import shared_rows_for


def render_referral_letter(referral: Referral) -> bytes:
    """The Surat Rujukan of one referral, as PDF bytes."""
    return render_pdf("referrals/letter.html", lambda: {
        "referral": referral,
        "signer_title": signature_title(referral.sent_by),
        "rows": shared_rows_for(referral),
        "services": [s.get_service_display() for s in referral.requested_services.all()],
        "sent_on": timezone.localtime(referral.sent_at),
        "printed_at": timezone.localtime(),
    })
