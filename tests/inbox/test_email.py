"""The e-mail of a notice: queued only after the action commits, sent once however often the task runs,
retried after a failed send, and never carrying a survivor's data."""

import pytest
from django.core import mail

from inbox import services
from inbox.models import Notification
from inbox.tasks import notification_email_task
from tests.inbox.conftest import email_of


def _notify(user, **extra):
    return services.notify(recipients=[user], kind=services.Kind.CLOSURE_APPROVED, link="/kasus/1/",
                           params={"number": "73.22/2026/0001"}, **extra)


def test_nothing_leaves_before_commit_and_a_rolled_back_action_sends_nothing(everyone, settings,
                                                                            django_capture_on_commit_callbacks):
    from django.db import transaction

    caseworker = everyone["caseworker"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _notify(caseworker)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [[email_of(caseworker)]]
    assert mail.outbox[0].subject == "Simpul: Terminasi kasus 73.22/2026/0001 disetujui; kasus ditutup."
    assert settings.SITE_URL.rstrip("/") + "/kasus/1/" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _notify(caseworker)
                raise RuntimeError("the action failed")
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_each_notice_is_emailed_once(everyone):
    notice, = _notify(everyone["caseworker"], email=False)
    assert services.notification_email_send(notification_id=notice.pk) is True
    assert notification_email_task.delay(notice.pk).get() is False  # a repeated task finds it claimed
    assert len(mail.outbox) == 1 and Notification.objects.get().emailed_at is not None


def test_a_failed_send_releases_the_claim_for_the_retry(everyone, settings):
    notice, = _notify(everyone["caseworker"], email=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    with pytest.raises(OSError):
        services.notification_email_send(notification_id=notice.pk)
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.notification_email_send(notification_id=notice.pk) is True
    assert len(mail.outbox) == 1


def test_people_without_an_address_inactive_people_and_the_actor_get_no_notice_or_mail(
        everyone, django_capture_on_commit_callbacks):
    from agencies import services as agency_services

    caseworker, supervisor, official = everyone["caseworker"], everyone["supervisor"], everyone["official"]
    agency_services.user_update(user=official, actor=official, email="")
    agency_services.user_update(user=everyone["outsider"], actor=supervisor, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(recipients=[caseworker, caseworker, supervisor, official, everyone["outsider"], None],
                                  kind=services.Kind.REPORT_READY, params={"report": "uji"}, exclude=supervisor)
    assert sorted(n.recipient.username for n in created) == sorted([caseworker.username, official.username])
    assert [m.to for m in mail.outbox] == [[email_of(caseworker)]]


def test_a_notice_must_fill_its_text(caseworker):
    with pytest.raises(KeyError):
        services.notify(recipients=[caseworker], kind=services.Kind.CLOSURE_APPROVED, params={})
    with pytest.raises(ValueError, match="unknown notification kind"):
        services.notify(recipients=[caseworker], kind="tidak_ada", params={})
    assert not Notification.objects.exists()


def test_an_old_notice_whose_text_changed_still_shows(caseworker):
    # Rows are written by `notify` only; an old row is simulated by changing its parameters afterwards.
    notice, = services.notify(recipients=[caseworker], kind=services.Kind.CLOSURE_APPROVED, params={"number": "1"})
    Notification.objects.filter(pk=notice.pk).update(params={})
    assert Notification.objects.get().text == "Terminasi disetujui"
