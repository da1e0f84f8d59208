"""The transactional outbox: e-mails and jobs that a change causes are saved with the change and delivered by a relay.

Why: a `.delay()` after commit is lost when the broker is down at that moment (issue 11: four e-mails lost in
an afternoon, and a 500 for work that was saved). Instead a service calls `outbox_enqueue(kind=..., payload=...)`
inside its own transaction: the message is a row, committed with the change or rolled back with it. The relay
(`outbox_relay`) delivers due messages: right after the commit that made them (a kick, `outbox_kick`) and every
OUTBOX_RELAY_SECONDS from beat (config/schedule.py), which picks up whatever a kick could not deliver (broker
down, worker gone, a failure waiting for its retry).

Each message is claimed with SELECT ... FOR UPDATE SKIP LOCKED and marked sent in the same transaction as its
handler ran, so two relays never deliver the same message and a repeated relay job finds it sent. An e-mail is
sent by the relay itself (on the worker), never by a queued job that could be lost or doubled. A handler that
fails is retried with exponential back-off; after OUTBOX_MAX_ATTEMPTS the message is marked failed, with the
reason, for a person to look at (django-admin, read-only).

core knows no domain app: each app registers the handlers of its kinds from its AppConfig.ready()
(`register_outbox_handler`), as core.workdays does with its calendar listeners. Payloads hold ids and codes,
never a survivor's data (the admin lists them).

No library: django-celery-outbox (the maintained one) publishes Celery tasks only, needs SKIP LOCKED (no SQLite,
our embedded default), a long-running relay process, and pulls in sentry-sdk, datadog and structlog.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from time import monotonic

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage

logger = logging.getLogger(__name__)

_handlers: dict[str, Callable[..., object]] = {}
_at_commit: set[str] = set()
KICK_PAUSE_SECONDS = 10.0
_broker_failed_at = -KICK_PAUSE_SECONDS  # monotonic time of this process's last failed kick
_EMAIL_ADDRESS = re.compile(r"[^\s<>'\"@]+@[^\s<>'\"@]+")


def register_outbox_handler(kind: str, handler: Callable[..., object], *, at_commit: bool = False) -> None:
    """Deliver messages of `kind` by calling `handler(**payload)`; it raises to ask for a retry.

    `at_commit`: a quick hand-off (publishing a job to the queue) that the committing process delivers itself,
    right after commit, so the job is queued as soon as the page answers. Others (e-mails) are delivered by
    the relay job on a worker, so no page waits on a mail server.
    """
    if _handlers.get(kind, handler) is not handler:
        raise ValueError(f"outbox kind {kind!r} already has a handler")
    _handlers[kind] = handler
    if at_commit:
        _at_commit.add(kind)


def registered_kinds() -> frozenset[str]:
    return frozenset(_handlers)


def outbox_enqueue(*, kind: str, payload: dict | None = None) -> OutboxMessage:
    """Save a side effect in the caller's transaction; the relay delivers it after commit."""
    if kind not in _handlers:
        raise ValueError(f"unknown outbox kind {kind!r}")
    message = OutboxMessage.objects.create(kind=kind, payload=dict(payload or {}))
    transaction.on_commit(partial(outbox_kick, message.pk))
    return message


def _deliver_at_commit(message_id: int) -> None:
    # Never raises: the change is committed and the page must say so. A failure is recorded on the message.
    try:
        _deliver_next(now=timezone.now(), message_id=message_id)
    except Exception as error:  # noqa: BLE001 (the periodic relay delivers the message)
        logger.warning("outbox: message %s not delivered at commit, left to the periodic relay: %s", message_id,
                       type(error).__name__)


# --- The kick: an attempt right after commit --------------------------------------------------------------

def outbox_kick(message_id: int) -> None:
    """Right after the commit that saved a message: deliver it here (a quick hand-off, or any message with
    Celery eager, i.e. no broker), else start the relay as a job on a worker.

    Never raises: the change is committed already, and the page that made it must answer that it is saved.
    A broker that is down makes the publish fail within CELERY_BROKER_CONNECTION_TIMEOUT; the beat relay
    delivers the message once the broker is back. After such a failure this process does not try again for
    KICK_PAUSE_SECONDS, so a change with several messages waits for the broker once, not once per message.
    (A change with several messages kicks several times; with the broker up the extra relay runs find nothing.)
    """
    global _broker_failed_at
    from core.tasks import outbox_relay_task

    kind = OutboxMessage.objects.filter(pk=message_id).values_list("kind", flat=True).first()
    if outbox_relay_task.app.conf.task_always_eager or kind in _at_commit:
        _deliver_at_commit(message_id)
        return
    if monotonic() - _broker_failed_at < KICK_PAUSE_SECONDS:
        return
    try:
        outbox_relay_task.apply_async(retry=False)
    except Exception as error:  # noqa: BLE001 (logged; the beat relay delivers what is pending)
        _broker_failed_at = monotonic()
        logger.warning("outbox: relay not started after commit, left to the periodic relay: %s",
                       type(error).__name__)


# --- The relay ---------------------------------------------------------------------------------------------

def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the n-th failed attempt: base, 2x base, 4x base... up to the ceiling."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def describe_error(error: BaseException) -> str:
    """Why a delivery failed, for the admin: the exception and its message, without e-mail addresses."""
    text = f"{type(error).__name__}: {error}"
    return _EMAIL_ADDRESS.sub("<alamat>", text)[:500]


def outbox_relay(*, limit: int = 200, now: datetime | None = None) -> dict[str, int]:
    """Deliver the due messages, each claimed on its own; returns how many were sent and how many failed."""
    counts = {"sent": 0, "failed": 0}
    for _attempt in range(limit):
        outcome = _deliver_next(now=now or timezone.now())
        if outcome is None:
            break
        counts["sent" if outcome else "failed"] += 1
    return counts


def _deliver_next(*, now: datetime, message_id: int | None = None) -> bool | None:
    """Claim one due message (or the one given), run its handler and record the outcome, all in one transaction.

    SKIP LOCKED: a second relay passes over a message being delivered instead of waiting for it, and finds it
    sent once the first commits. Returns None when nothing is due.
    """
    with transaction.atomic():
        due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        if message_id is not None:
            due = due.filter(pk=message_id)
        message = due.order_by("next_attempt_at", "pk").first()
        if message is None:
            return None
        message.attempts += 1
        try:
            handler = _handlers.get(message.kind)
            if handler is None:
                raise LookupError(f"no handler registered for {message.kind!r} in this process")
            with transaction.atomic():  # a failing handler's own writes are undone; the failure is recorded
                handler(**message.payload)
        except Exception as error:  # noqa: BLE001 (recorded on the message and retried)
            message.last_error = describe_error(error)
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning("outbox: message %s (%s) attempt %d failed: %s", message.pk, message.kind,
                           message.attempts, type(error).__name__)
            return False
        message.status, message.sent_at = OutboxMessage.Status.SENT, timezone.now()
        message.save(update_fields=["attempts", "status", "sent_at"])
        return True


def outbox_prune(*, now: datetime | None = None) -> int:
    """Forget messages sent more than OUTBOX_KEEP_DAYS ago (pending and failed ones stay); harmless twice."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _by_model = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT, sent_at__lt=cutoff).delete()
    return deleted


def outbox_retry(*, message_id: int) -> bool:
    """Put a failed message back in the queue (after its cause was fixed); True if it was failed."""
    updated = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.FAILED).update(
        status=OutboxMessage.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    if updated:
        transaction.on_commit(partial(outbox_kick, message_id))
    return bool(updated)
