"""Fixtures of the inbox tests: the personas with e-mail addresses, and the UPTD PPAs placed in their districts
(the district decides which UPTD PPA receives a referral in), all set up through the real services."""

from dataclasses import dataclass, field

import pytest
from django.core import mail

from agencies import services as agency_services
from agencies.models import Region, User
from core.codes import AgencyType, Service
from inbox.models import Notification


@pytest.fixture
def uptd(regions):
    return agency_services.agency_create(actor=None, name="UPTD PPA Uji", agency_type=AgencyType.UPTD_PPA,
                                         services=[Service.COMPLAINT, Service.SOCIAL_REHAB],
                                         district=Region.objects.get(code="73.22"))


@pytest.fixture
def other_agency(regions):
    """The UPTD PPA of another district (Kota Palopo): its caseworker is the outsider."""
    return agency_services.agency_create(actor=None, name="UPTD PPA Kabupaten Tetangga",
                                         agency_type=AgencyType.UPTD_PPA, services=[Service.COMPLAINT],
                                         district=Region.objects.get(code="73.73"))


def email_of(user: User) -> str:
    return f"{user.username}@contoh.simpul.test"


@pytest.fixture
def everyone(personas, patbm_staff, puspaga_staff) -> dict[str, User]:
    """Every persona, each with an e-mail address, so 'nobody else' is checked against all of them."""
    people = personas | {"patbm_staff": patbm_staff, "puspaga_staff": puspaga_staff}
    for user in people.values():
        agency_services.user_update(user=user, actor=user, email=email_of(user))
    return people


@dataclass
class Sent:
    notices: list[tuple[str, str]] = field(default_factory=list)  # (recipient username, kind)
    mails: list[str] = field(default_factory=list)  # one address per e-mail sent
    rows: list[Notification] = field(default_factory=list)


@pytest.fixture
def handoff(django_capture_on_commit_callbacks):
    """`with handoff() as sent:` runs one action, commits it (so its e-mails leave, as in production) and
    collects what it sent: the new notices and the new e-mails, in a stable order."""
    from contextlib import contextmanager

    @contextmanager
    def run():
        sent = Sent()
        last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            yield sent
        sent.rows = list(Notification.objects.filter(pk__gt=last).select_related("recipient").order_by("pk"))
        sent.notices = sorted((n.recipient.username, n.kind) for n in sent.rows)
        sent.mails = sorted(address for message in mail.outbox[before:] for address in message.to)

    return run
