"""The transactional outbox (core/outbox.py): an e-mail is saved with the change that causes it or not at all,
delivered once, retried with back-off when the mail server fails, marked failed with its reason when it keeps
failing, and sent once when two relays run at the same moment."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from core import outbox
from core.models import OutboxMessage
from inbox import services as inbox_services
from inbox.models import Notification
from tests.conftest import client_for

ADDRESS = "pendamping_uji@contoh.simpul.test"


@pytest.fixture
def with_address(caseworker):
    from agencies import services as agency_services

    agency_services.user_update(user=caseworker, actor=caseworker, email=ADDRESS)
    return caseworker


def _notify(user):
    return inbox_services.notify(recipients=[user], kind=inbox_services.Kind.CLOSURE_APPROVED, link="/kasus/1/",
                                 params={"number": "73.22/2026/0001"})


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there


def test_the_email_is_saved_with_the_change_and_sent_once_after_commit(with_address,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice, = _notify(with_address)
        message = OutboxMessage.objects.get()
        # Before commit: in the outbox with the notice, nothing sent. The payload names the notice, no person.
        assert (message.kind, message.payload, message.status) == (
            inbox_services.NOTIFICATION_EMAIL, {"notification_id": notice.pk}, OutboxMessage.Status.PENDING)
        assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.sent_at is not None and message.attempts == 1
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    # A second relay (beat) finds it sent and sends nothing more.
    assert outbox.outbox_relay() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_an_exception_after_the_enqueue_rolls_back_both(with_address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _notify(with_address)
                assert OutboxMessage.objects.count() == 1
                raise RuntimeError("the action failed after its notice")
    assert not OutboxMessage.objects.exists() and not Notification.objects.exists()
    assert mail.outbox == []


def test_a_failed_send_is_retried_with_growing_waits_then_sent(with_address, smtp_down, settings,
                                                              django_capture_on_commit_callbacks):
    settings.OUTBOX_RETRY_SECONDS, settings.OUTBOX_RETRY_MAX_SECONDS = 30, 3600
    with django_capture_on_commit_callbacks(execute=True):
        _notify(with_address)  # the attempt right after commit fails: the mail server is down
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < first_wait <= timedelta(seconds=30)
    # Not due yet: a relay leaves it alone.
    assert outbox.outbox_relay() == {"sent": 0, "failed": 0}
    # Due, still failing: the next wait is twice as long.
    assert outbox.outbox_relay(now=message.next_attempt_at) == {"sent": 0, "failed": 1}
    message.refresh_from_db()
    assert message.attempts == 2
    assert timedelta(seconds=55) < message.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert mail.outbox == [] and Notification.objects.get().emailed_at is None  # the notice's claim was released
    # The mail server is back: the next due run sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.outbox_relay(now=message.next_attempt_at) == {"sent": 1, "failed": 0}
    assert outbox.outbox_relay(now=message.next_attempt_at + timedelta(hours=1)) == {"sent": 0, "failed": 0}
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_message_that_keeps_failing_is_marked_failed_and_says_why(with_address, smtp_down, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        _notify(with_address)
    far = timezone.now() + timedelta(days=1)
    outbox.outbox_relay(now=far)
    outbox.outbox_relay(now=far)
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == (OutboxMessage.Status.FAILED, 3)
    assert message.last_error.startswith("ConnectionRefusedError:"), message.last_error
    assert ADDRESS not in message.last_error
    assert outbox.outbox_relay(now=far + timedelta(days=1)) == {"sent": 0, "failed": 0}  # failed waits for a person
    # Once the cause is fixed, a person puts it back and it goes out.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_retry(message_id=message.pk) is True
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


def test_sent_messages_are_forgotten_after_the_keep_days_but_failed_ones_stay(with_address, smtp_down, settings,
                                                                            django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_KEEP_DAYS = 1, 30
    with django_capture_on_commit_callbacks(execute=True):
        _notify(with_address)  # fails once: marked failed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _notify(with_address)  # sent
    assert outbox.outbox_prune(now=timezone.now() + timedelta(days=29)) == 0
    assert outbox.outbox_prune(now=timezone.now() + timedelta(days=31)) == 1
    assert list(OutboxMessage.objects.values_list("status", flat=True)) == [OutboxMessage.Status.FAILED]


def test_the_failure_reason_names_no_address():
    error = OSError("recipient refused: korban.sintetis@contoh.simpul.test")
    assert outbox.describe_error(error) == "OSError: recipient refused: <alamat>"


def test_a_kind_without_a_handler_is_refused_at_enqueue(db):
    with pytest.raises(ValueError, match="unknown outbox kind"):
        outbox.outbox_enqueue(kind="tidak.ada")
    assert not OutboxMessage.objects.exists()


# --- Two relays at once (PostgreSQL's SKIP LOCKED; SQLite serialises whole transactions) -------------------

SLOW_KIND = "tests.slow_delivery"
_deliveries: list[int] = []


def _slow_handler(*, number: int) -> None:
    _deliveries.append(number)
    time.sleep(0.5)  # long enough that the second relay looks while the first still holds the message


outbox.register_outbox_handler(SLOW_KIND, _slow_handler)


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_deliver_each_message_once(with_address):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SKIP LOCKED is what keeps two relays apart in production")
    _deliveries.clear()
    with transaction.atomic():
        for number in range(4):
            outbox.outbox_enqueue(kind=SLOW_KIND, payload={"number": number})
        _notify(with_address)
    mail.outbox.clear()  # the kicks above (eager) delivered; put everything back to pending for the race
    OutboxMessage.objects.update(status=OutboxMessage.Status.PENDING, sent_at=None, attempts=0)
    Notification.objects.update(emailed_at=None)
    _deliveries.clear()

    start = threading.Barrier(2)
    results = []

    def relay():
        start.wait()
        try:
            results.append(outbox.outbox_relay())
        finally:
            connection.close()

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(_deliveries) == [0, 1, 2, 3]
    assert sum(result["sent"] for result in results) == 5 and all(result["sent"] for result in results)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()


def test_the_admin_lists_pending_and_failed_messages_read_only(with_address, smtp_down, settings,
                                                               django_capture_on_commit_callbacks):
    from agencies.models import User

    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify(with_address)
    message = OutboxMessage.objects.get()
    admin = User.objects.create_superuser("admin_uji", "admin@contoh.simpul.test", "kata-sandi-uji-panjang")
    client = client_for(admin)  # signed in as a person would be, second factor included where the policy asks it
    page = client.get("/django-admin/core/outboxmessage/?status__exact=gagal").content.decode()
    assert inbox_services.NOTIFICATION_EMAIL in page and "ConnectionRefusedError" in page
    assert ADDRESS not in page
    assert client.get("/django-admin/core/outboxmessage/add/").status_code == 403
    client.post(f"/django-admin/core/outboxmessage/{message.pk}/delete/", {"post": "yes"})
    assert OutboxMessage.objects.filter(pk=message.pk).exists()
