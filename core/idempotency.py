"""One-time keys for creating forms: a repeat or concurrent submit of the same form returns the first result.

A creating form carries a hidden key, new at each render (`SubmissionKeyForm`). The view claims the key with
`submission_claim` around the service that creates: the claim INSERTs the key in the same transaction as
the record, so key and record are saved together or not at all. A second submit with the same key (a double
click, a resend on a slow connection, five at once) waits on the key's unique index until the first
transaction ends, then finds the key taken and is sent to what the first one made (`AlreadySubmitted`).
When the first submit fails (a rule refused it), its key is rolled back with it and the corrected form can
be sent again. A POST without a key (not from our page) is not deduplicated.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from core.guarded_forms import HiddenFieldsShownForm
from core.models import SubmissionKey

KEY_FIELD = "submission_key"
# A day: a form left open overnight and sent the next morning is new work, not a repeat.
KEY_LIFETIME = timedelta(days=1)
_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_key() -> str:
    return secrets.token_urlsafe(24)


class SubmissionKeyForm(HiddenFieldsShownForm):
    """A creating form: it carries a one-time key, new each time the empty form is drawn. After cleaning,
    the key is `form.one_time_key`, not part of `cleaned_data` (it is no data of the record)."""

    submission_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.one_time_key = ""
        if not self.is_bound:
            self.initial = {**self.initial, KEY_FIELD: new_key()}

    def _post_clean(self) -> None:
        super()._post_clean()
        key = self.cleaned_data.pop(KEY_FIELD, "") or ""
        self.one_time_key = key if _KEY_PATTERN.fullmatch(key) else ""


class AlreadySubmitted(Exception):
    """This form was sent before: `url` is the page of what that first submit made."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class Claim:
    url = ""

    def done(self, url: str) -> None:
        """Name the page of what was made: repeats of this form are sent there."""
        self.url = url


def _claim_key(*, key: str, user) -> SubmissionKey:
    for _attempt in range(2):
        try:
            with transaction.atomic():  # a savepoint: the outer transaction survives a taken key
                return SubmissionKey.objects.create(key=key, user=user, result_url="")
        except IntegrityError:
            # The key is taken by a transaction that has now committed (we waited on the unique index).
            first = SubmissionKey.objects.filter(key=key).first()
            if first is None:
                continue  # expired in between: this submit is new work after all
            if first.user_id != user.pk:
                raise SuspiciousOperation("a one-time form key sent by another user") from None
            raise AlreadySubmitted(first.result_url) from None
    raise SuspiciousOperation("a one-time form key that could be neither claimed nor read")


@contextmanager
def submission_claim(*, form: SubmissionKeyForm, user) -> Iterator[Claim]:
    """Around the service call of a creating form: the body creates and calls `claim.done(url)`; a repeat of
    the same form raises AlreadySubmitted(url of the first) before the body runs."""
    claim = Claim()
    key = getattr(form, "one_time_key", "")
    if not key:
        yield claim
        return
    with transaction.atomic():
        row = _claim_key(key=key, user=user)
        yield claim
        if not claim.url:
            raise ImproperlyConfigured("a claimed submission must name its result with claim.done(url)")
        row.result_url = claim.url[:255]
        row.save(update_fields=["result_url"])


def repeated(request: HttpRequest, repeat: AlreadySubmitted) -> HttpResponse:
    """The answer to a repeat: the first result, and why nothing new appears."""
    messages.info(request, _("Formulir ini sudah terkirim sebelumnya. Ini hasilnya; tidak ada yang tercatat dua "
                             "kali."))
    return redirect(repeat.url)


def earlier_result(request: HttpRequest) -> HttpResponse | None:
    """The answer to a repeat whose first submit has committed: its result. Only the sender's own keys count,
    so this reveals nothing."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    keys = [value for name, value in request.POST.items()
            if (name == KEY_FIELD or name.endswith("-" + KEY_FIELD)) and _KEY_PATTERN.fullmatch(value)]
    first = (SubmissionKey.objects.filter(key__in=keys, user=request.user).exclude(result_url="").first()
             if keys else None)
    return repeated(request, AlreadySubmitted(first.result_url)) if first else None


def idempotent_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view with a creating form: a repeat of a submit that has already committed is answered with the
    first result before the view runs. Otherwise the first submit's effects would meet the repeat first: a
    username now taken, a referral declined and out of reach, a desa that now has its group. If the first one
    commits while the repeat is being checked, the repeat's re-drawn form is replaced by the first result too.
    Two submits that pass the checks at the same moment meet at the claim inside the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if repeat := earlier_result(request):
            return repeat
        response = view(request, *args, **kwargs)
        if request.method == "POST" and response.status_code == 200 and (repeat := earlier_result(request)):
            return repeat
        return response

    return wrapper


def submission_keys_expire(*, now: datetime | None = None) -> int:
    """Forget the keys older than a day (the beat job); returns how many were deleted."""
    deleted, _by_model = SubmissionKey.objects.filter(created_at__lt=(now or timezone.now()) - KEY_LIFETIME).delete()
    return deleted
