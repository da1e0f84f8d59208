"""Gapless yearly numbering for documents (case numbers, referral letters), per district."""

from django.conf import settings
from django.db import transaction

from core.models import NumberSequence


@transaction.atomic
def sequence_next(*, kind: str, year: int) -> int:
    """Take the next number of `kind` for the district's `year`; the row lock serialises concurrent callers."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        kind=kind, district_code=settings.DISTRICT_CODE, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last
