"""In-app and e-mail notifications about referrals.

A notification names a referral by its number and the agencies by their names: never a survivor's name,
code, contact or story, so neither the bell nor an e-mail (which leaves our servers) discloses anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import User
from core.codes import Urgency
from referrals.models import Notification, Referral

TEXTS = {
    Notification.Kind.NEW: lambda p: _("Rujukan baru %(number)s dari %(agency)s (urgensi: %(urgency)s).") % p,
    Notification.Kind.ACCEPTED: lambda p: _("Rujukan %(number)s diterima oleh %(agency)s.") % p,
    Notification.Kind.DECLINED: lambda p: _("Rujukan %(number)s ditolak oleh %(agency)s.") % p,
    Notification.Kind.SERVICE: lambda p: _("%(agency)s mencatat layanan pada rujukan %(number)s.") % p,
    Notification.Kind.DONE: lambda p: _("Rujukan %(number)s diselesaikan oleh %(agency)s.") % p,
    Notification.Kind.REVOKED: lambda p: _("Rujukan %(number)s dicabut oleh %(agency)s.") % p,
    Notification.Kind.MESSAGE: lambda p: _("Pesan baru dari %(agency)s pada rujukan %(number)s.") % p,
    Notification.Kind.OVERDUE: lambda p: _("Rujukan %(number)s ke %(agency)s melewati batas waktu jawaban.") % p,
    Notification.Kind.ESCALATED: lambda p: _("Eskalasi: rujukan %(number)s ke %(agency)s perlu perhatian koordinator.")
    % p,
    Notification.Kind.INTAKE: lambda p: _("Rujukan masuk %(number)s dari %(agency)s menunggu registrasi.") % p,
    Notification.Kind.REPORT: lambda p: _("Laporan %(report)s siap diunduh.") % p,
}


def notification_text(kind: str, params: dict) -> str:
    values = dict(params)
    if "urgency" in values:
        values["urgency"] = Urgency(values["urgency"]).label if values["urgency"] in Urgency.values else ""
    return TEXTS[kind](values)


def notify(*, recipients: Iterable[User], kind: str, referral: Referral | None = None, agency_name: str = "",
           number: str = "", link: str = "", exclude: User | None = None, email: bool = True,
           **params) -> list[Notification]:
    """Create in-app notifications in the caller's transaction; their e-mails are queued after it commits.

    `email=False` for callers that send their own e-mail (the reports send one message to all officials).
    """
    seen, rows = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(
            recipient=user, kind=kind, referral=referral, link=link,
            params={"number": number or (referral.number if referral else ""), "agency": agency_name, **params}))
    created = Notification.objects.bulk_create(rows)
    emailed = [n.pk for n in created if email and n.recipient.email]
    if emailed:
        from referrals.tasks import notification_email_task

        # After commit: a rolled-back action must not e-mail anyone, and the worker must find the row.
        transaction.on_commit(lambda: [notification_email_task.delay(pk) for pk in emailed])
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail once: the row is claimed by a conditional UPDATE before sending."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    with translation.override(settings.LANGUAGE_CODE):
        text = notification.text
        body = "\n\n".join([
            text,
            _("Buka Simpul untuk melihat rinciannya: %(url)s") % {"url": settings.SITE_URL.rstrip("/")
                                                                  + (notification.link or "/")},
            _("Email ini sengaja tidak memuat data korban. Jangan teruskan email ini."),
        ])
        subject = _("Simpul: %(text)s") % {"text": text}
    try:
        send_mail(subject[:150], body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email])
    except Exception:
        # Release the claim so the task's retry can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
