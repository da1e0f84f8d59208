"""Writes of the inbox: every hand-off between apps goes through here.

- `notify` is the one way to tell people something (the bell, and an e-mail queued after commit);
- `role_change_notices_send` tells the supervisors of each change of a staff account's access (agencies records
  the changes; it is a layer below inbox, so inbox reads them and sends the notices);
- `intake_request_create` puts a referral in into the UPTD PPA's intake queue and always tells the intake
  staff who act on it; `intake_request_register` and `intake_request_decline` are the queue's two answers.
Services are atomic and write their audit event in the same transaction (conventions.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agencies.models import Agency, RoleChangeRequest, User
from agencies.selectors import role_change_approvers
from core import codes
from core.audit import audit_record
from core.outbox import outbox_enqueue
from core.policy import Capability, staff_who_can
from inbox.kinds import TEXTS, Kind
from inbox.models import IntakeRequest, Notification

# Outbox kinds delivered by inbox (handlers registered in inbox.apps).
NOTIFICATION_EMAIL = "inbox.notification_email"
ROLE_CHANGE_NOTICES = "inbox.role_change_notices"


class InboxError(Exception):
    """A hand-off was refused; the message is for the user."""


# --- Notifications ---------------------------------------------------------------------------------

@transaction.atomic
def notify(*, recipients: Iterable[User | None], kind: str, link: str = "", params: dict | None = None,
           exclude: User | None = None, email: bool = True) -> list[Notification]:
    """Notify each recipient once: a notice and its e-mail's outbox message in the caller's transaction.

    `params` fill the kind's text (inbox.kinds) and must hold numbers, agency names or codes, never a
    survivor's data. Inactive users, duplicates and `exclude` (usually the actor) are skipped. `email=False`
    for callers that send their own e-mail (the reports send one message to all readers).
    """
    if kind not in TEXTS:
        raise ValueError(f"unknown notification kind {kind!r}")
    params = dict(params or {})
    TEXTS[kind](dict(params))  # a missing parameter fails here (KeyError), not later on someone's bell
    seen, rows = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, kind=kind, link=link, params=params))
    created = Notification.objects.bulk_create(rows)
    for notification in created:
        if email and notification.recipient.email:
            # In the outbox, in this transaction: a rolled-back action e-mails nobody, a saved one is e-mailed
            # even if the broker is down now (core.outbox).
            outbox_enqueue(kind=NOTIFICATION_EMAIL, payload={"notification_id": notification.pk})
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


@transaction.atomic
def notification_open(*, notification: Notification, actor: User) -> str:
    """Mark one of the user's notifications read and return where it points."""
    if notification.recipient_id != actor.pk:
        raise InboxError(_("Pemberitahuan ini bukan untuk Anda."))
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    return notification.link or reverse("inbox:notifications")


@transaction.atomic
def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of the user read."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- Changes of staff access (agencies.RoleChangeRequest) ---------------------------------------------

ROLE_CHANGE_KINDS = {
    RoleChangeRequest.Status.PENDING: Kind.ROLE_CHANGE_PENDING,
    RoleChangeRequest.Status.APPROVED: Kind.ROLE_CHANGE_APPROVED,
    RoleChangeRequest.Status.REFUSED: Kind.ROLE_CHANGE_REFUSED,
    RoleChangeRequest.Status.APPLIED: Kind.ROLE_CHANGE_APPLIED,
}


def role_change_notices_send() -> int:
    """Tell the agency's supervisors of every change of access whose present status they have not heard of
    (requested, approved, refused, applied); the requester hears of the decision. Returns the notices sent.

    Run after each change (agencies kicks it after commit) and periodically (config.schedule), so a change
    saved while the broker was down is still told; each row is claimed, so a run twice tells once.
    """
    due = (RoleChangeRequest.objects.filter(status__in=list(ROLE_CHANGE_KINDS))
           .exclude(notified_status=F("status")).values_list("pk", flat=True))
    return sum(len(_role_change_notify(change_id)) for change_id in list(due))


@transaction.atomic
def _role_change_notify(change_id: int) -> list[Notification]:
    change = (RoleChangeRequest.objects.select_for_update(of=("self",)).select_related("agency")
              .get(pk=change_id))
    if change.notified_status == change.status:
        return []  # another run told them first
    change.notified_status = change.status
    change.save(update_fields=["notified_status"])
    holder_and_requester = (change.user_id, change.requested_by_id)
    recipients = list(role_change_approvers(agency=change.agency, exclude_ids=holder_and_requester))
    if change.previous_agency_id and change.previous_agency_id != change.agency_id:
        # The supervisors of the agency the account leaves hear of it too.
        recipients += role_change_approvers(agency=change.previous_agency, exclude_ids=holder_and_requester) \
            .filter(agency_id=change.previous_agency_id)
    if change.status in (RoleChangeRequest.Status.APPROVED, RoleChangeRequest.Status.REFUSED):
        recipients.append(change.requested_by)
    return notify(recipients=recipients, kind=ROLE_CHANGE_KINDS[change.status],
                  link=reverse("agencies:role_change", args=[change.pk]), exclude=change.decided_by,
                  params={"number": str(change), "role": change.role,
                          "agency": change.agency.name if change.agency else "—"})


# --- Intake requests (referrals in to the UPTD PPA) ---------------------------------------------------

def intake_staff(*, agency_id: int):
    """Who acts on the intake queue of a UPTD PPA: its active caseworkers and supervisors."""
    # The people who act on a referral in (core.policy): who registers or declines it at that UPTD PPA.
    return User.objects.filter(staff_who_can(Capability.CASE_INTAKE), agency_id=agency_id, is_active=True)


@transaction.atomic
def intake_request_create(*, actor: User, source_agency: Agency, summary: str, urgency: str = codes.Urgency.NORMAL,
                          contact_hint: str = "", source_label: str = "", target_agency: Agency | None = None,
                          request=None) -> IntakeRequest:
    """A referral in from PATBM, PUSPAGA, a village or another district joins the UPTD PPA's intake queue,
    and the intake staff of that UPTD PPA are notified (whichever app the referral came from)."""
    if not summary.strip():
        raise InboxError(_("Tuliskan ringkasan singkat alasan rujukan."))
    if urgency not in codes.Urgency.values:
        raise InboxError(_("Pilih tingkat urgensi."))
    # The UPTD PPA of the sender's district (or of the district Simpul serves) takes the request.
    candidates = Agency.objects.filter(staff_who_can(Capability.CASE_VIEW_OWN, prefix="staff__"),
                                       agency_type=codes.AgencyType.UPTD_PPA, is_active=True).distinct()
    district_id = source_agency.district_id or settings.DISTRICT_CODE
    target = target_agency or candidates.filter(district_id=district_id).first() or candidates.first()
    if target is None:
        raise InboxError(_("Belum ada UPTD PPA aktif yang dapat menerima rujukan."))
    intake = IntakeRequest.objects.create(
        target_agency=target, source_agency=source_agency, source_label=source_label or source_agency.name,
        urgency=urgency, summary=summary, contact_hint=contact_hint, created_by=actor)
    audit_record(actor=actor, action="intake.create", obj=intake, request=request,
                 details={"urgency": urgency, "target": target.pk})
    # The intake detail page belongs to the cases app (registering a case is its work); named, not imported.
    notify(recipients=intake_staff(agency_id=target.pk), kind=Kind.INTAKE_NEW,
           link=reverse("cases:intake_detail", args=[intake.pk]),
           params={"number": str(intake), "agency": source_agency.name, "urgency": urgency}, exclude=actor)
    return intake


def _lock_pending(intake: IntakeRequest) -> IntakeRequest:
    # Under a lock, so two staff deciding at once cannot both register (or register and decline) it.
    intake.refresh_from_db(from_queryset=IntakeRequest.objects.select_for_update())
    if intake.status != IntakeRequest.Status.PENDING:
        raise InboxError(_("Rujukan masuk ini sudah diproses."))
    return intake


@transaction.atomic
def intake_request_register(*, intake: IntakeRequest, actor: User, request=None) -> IntakeRequest:
    """Mark a referral in registered; the caller (cases.case_register) creates the case in the same transaction."""
    _lock_pending(intake)
    intake.status, intake.decided_by, intake.decided_at = IntakeRequest.Status.REGISTERED, actor, timezone.now()
    intake.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="intake.register", obj=intake, request=request)
    return intake


@transaction.atomic
def intake_request_decline(*, intake: IntakeRequest, actor: User, reason: str, request=None) -> IntakeRequest:
    """Decline a referral in (e.g. not a case for the UPTD PPA) with a reason the sender can read."""
    if not reason.strip():
        raise InboxError(_("Tuliskan alasan penolakan."))
    _lock_pending(intake)
    intake.status = IntakeRequest.Status.DECLINED
    intake.decline_reason = reason.strip()
    intake.decided_by, intake.decided_at = actor, timezone.now()
    intake.save(update_fields=["status", "decline_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action="intake.decline", obj=intake, request=request)  # the reason is on the request
    return intake
