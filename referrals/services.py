"""Writes to the referral network. Every service is atomic, checks who may act and in which state,
raises ReferralError with a message staff understand, writes its audit event in the same transaction, and
notifies the other agency through the inbox (e-mails leave only after commit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from cases import rules
from cases.models import Case, Consent, ServiceDelivery, Victim
from cases.selectors import cases_visible_to
from cases.services import CaseError, police_report_by_referral, service_delivery_record
from core import codes
from core.audit import SYSTEM_ACTOR, audit_record
from core.policy import NO_CASE_ACCESS_AGENCY_TYPES, Capability, can, staff_who_can
from core.sequences import sequence_next
from inbox import services as inbox_services
from inbox.services import Kind
from referrals.models import (
    Referral,
    ReferralDelivery,
    ReferralMessage,
    RequestedService,
)
from referrals.sharing import answer_deadline, escalation_deadline, shared_summary, sharing_consent

if TYPE_CHECKING:
    from inbox.models import IntakeRequest

# domain.md section 7: PATBM and PUSPAGA users never see case files. They refer people in to the UPTD PPA
# (referral_in_send) but take no part in the referrals of cases: no inbox, no referral page, no notification.
NO_CASE_ACCESS_TYPES = NO_CASE_ACCESS_AGENCY_TYPES


class ReferralError(Exception):
    """A rule of the referral network or the law refused the action; the message is for the user."""


# --- Who is who ----------------------------------------------------------------------------------

def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def _notify(recipients, kind: str, referral: Referral, *, agency_name: str, link: str = "",
            exclude: User | None = None, **params) -> None:
    # A notice names the referral by its number and the other agency by its name, nothing about the victim.
    inbox_services.notify(recipients=recipients, kind=kind, link=link or _link(referral), exclude=exclude,
                          params={"number": referral.number, "agency": agency_name, **params})


def _receiving_staff(agency_id: int):
    return User.objects.filter(staff_who_can(Capability.REFERRAL_INBOX), agency_id=agency_id, is_active=True)


def takes_part_in_referrals(user: User) -> bool:
    """Staff who may receive referrals and notifications: not PATBM or PUSPAGA (they never see case files)."""
    return can(user, Capability.REFERRAL_INBOX)


def _sending_people(referral: Referral) -> list[User]:
    people = [referral.sent_by]
    if referral.case.assigned_worker_id and referral.case.assigned_worker_id != referral.sent_by_id:
        people.append(referral.case.assigned_worker)
    return people


def _sending_supervisors(referral: Referral):
    # The coordinators: those who oversee every case of the sending agency.
    return User.objects.filter(staff_who_can(Capability.CASE_VIEW_UNIT), agency_id=referral.sending_agency_id,
                               is_active=True)


def is_sender(*, referral: Referral, user: User) -> bool:
    """The sending side is whoever may see the case (its caseworker, its agency's supervisors)."""
    return cases_visible_to(user=user).filter(pk=referral.case_id).exists()


def is_receiver(*, referral: Referral, user: User) -> bool:
    return takes_part_in_referrals(user) and user.agency_id == referral.receiving_agency_id


def _require_sender(referral: Referral, actor: User) -> None:
    if not is_sender(referral=referral, user=actor):
        raise ReferralError(_("Hanya pendamping kasus atau koordinator lembaga pengirim yang dapat melakukan ini."))


def _require_receiver(referral: Referral, actor: User) -> None:
    if not is_receiver(referral=referral, user=actor):
        raise ReferralError(_("Hanya petugas lembaga penerima yang dapat melakukan ini."))


def _lock(referral: Referral) -> Referral:
    """Re-read the row under a lock so two people acting at once cannot both move it."""
    referral.refresh_from_db(from_queryset=Referral.objects.select_for_update())
    return referral


def _require_status(referral: Referral, *statuses: str, message: str) -> None:
    if referral.status in statuses:
        return
    if referral.status == Referral.Status.REVOKED:
        raise ReferralError(_("Rujukan ini sudah dicabut oleh lembaga pengirim."))
    raise ReferralError(message)


# --- Sending -------------------------------------------------------------------------------------

@dataclass
class SendPlan:
    """What a send would do: checked by the preview and by the send itself, so both agree."""

    consent: Consent | None
    shared: dict
    legal_basis: str
    legal_basis_reason: str


def _next_number(*, sent_at: datetime) -> str:
    year = timezone.localtime(sent_at).year
    # Indonesian letter numbering: sequence first (it is also the Surat Rujukan's number).
    return f"{sequence_next(kind='referral', year=year):04d}/RJK/{settings.DISTRICT_CODE}/{year}"


def referral_plan(*, actor: User, case: Case, victim: Victim, receiving_agency: Agency, services: list[str],
                  urgency: str, reason: str, share_identity: bool = False, legal_basis: str = "",
                  legal_basis_reason: str = "") -> SendPlan:
    """Check a referral before sending it and build exactly what would be shared (no writes)."""
    if not cases_visible_to(user=actor).filter(pk=case.pk).exists():
        raise ReferralError(_("Hanya pendamping kasus atau koordinator lembaga yang dapat mengirim rujukan."))
    if case.is_closed:
        raise ReferralError(_("Kasus sudah ditutup; rujukan tidak dapat dikirim."))
    if victim.case_id != case.pk:
        raise ReferralError(_("Korban ini tidak tercatat pada kasus ini."))
    if receiving_agency.pk == case.agency_id or receiving_agency.pk == actor.agency_id:
        raise ReferralError(_("Pilih lembaga lain: rujukan tidak dikirim ke lembaga sendiri."))
    if not receiving_agency.is_active:
        raise ReferralError(_("Lembaga %(agency)s tidak aktif.") % {"agency": receiving_agency.name})
    if receiving_agency.agency_type in NO_CASE_ACCESS_TYPES:
        # PATBM and PUSPAGA work on prevention and never see case files (issue 6); they refer in, not receive.
        raise ReferralError(_("PATBM dan PUSPAGA tidak menerima rujukan kasus. Pilih lembaga layanan lain."))
    if not services:
        raise ReferralError(_("Pilih setidaknya satu layanan yang diminta."))
    offered = set(receiving_agency.services.values_list("service", flat=True))
    missing = [codes.Service(s).label for s in services if s not in offered]
    if missing:
        raise ReferralError(_("%(agency)s tidak memberikan layanan: %(services)s. Pilih lembaga lain di direktori.")
                            % {"agency": receiving_agency.name, "services": ", ".join(str(m) for m in missing)})
    if urgency not in codes.Urgency.values:
        raise ReferralError(_("Pilih urgensi rujukan."))
    if not reason.strip():
        raise ReferralError(_("Tuliskan alasan rujukan."))
    duplicate = Referral.objects.filter(victim=victim, receiving_agency=receiving_agency,
                                        status__in=Referral.ACTIVE_STATUSES).first()
    if duplicate is not None:
        raise ReferralError(_("Sudah ada rujukan aktif %(number)s ke lembaga ini untuk korban ini.")
                            % {"number": duplicate.number})

    consent = sharing_consent(victim=victim, agency_type=receiving_agency.agency_type)
    agency_type_label = codes.AgencyType(receiving_agency.agency_type).label
    if consent is not None:
        if legal_basis:
            raise ReferralError(_("Persetujuan korban sudah mencakup berbagi data dengan %(type)s; "
                                  "kosongkan dasar hukum.") % {"type": agency_type_label})
    else:
        # UU 27/2022 PDP Pasal 20: without consent, only a legal obligation or vital interest allows sharing,
        # and that judgement is a supervisor's.
        if not legal_basis:
            raise ReferralError(_(
                "Rujukan tidak dapat dikirim: persetujuan korban %(code)s belum mencakup berbagi data dengan "
                "%(type)s (UU 27/2022 Pasal 20-24). Catat persetujuan korban, atau minta koordinator mencatat "
                "dasar hukum: anak dalam situasi berisiko (UU 35/2014 Pasal 59) atau kewajiban melapor TPKS ke "
                "kepolisian dalam 3×24 jam (UU 12/2022 Pasal 41).")
                % {"code": victim.survivor_code, "type": agency_type_label})
        if not can(actor, Capability.REFERRAL_LEGAL_BASIS):
            raise ReferralError(_("Hanya koordinator yang dapat mencatat dasar hukum pengganti persetujuan."))
        if legal_basis not in Referral.LegalBasis.values:
            raise ReferralError(_("Pilih dasar hukum yang dikenal."))
        if not legal_basis_reason.strip():
            raise ReferralError(_("Tuliskan alasan penggunaan dasar hukum; alasan ini dicatat di jejak audit."))
        if legal_basis == Referral.LegalBasis.CHILD_AT_RISK and not victim.is_child:
            raise ReferralError(_("Dasar hukum anak dalam situasi berisiko hanya berlaku untuk korban anak "
                                  "(UU 35/2014 Pasal 59)."))
        if legal_basis == Referral.LegalBasis.TPKS_POLICE_REPORT and (
                receiving_agency.agency_type != codes.AgencyType.POLICE or not rules.is_tpks(case)):
            raise ReferralError(_("Kewajiban melapor (UU 12/2022 Pasal 41) hanya berlaku untuk rujukan kasus "
                                  "kekerasan seksual ke kepolisian."))
        if share_identity:
            raise ReferralError(_("Nama dan telepon korban hanya dibagikan dengan persetujuan korban; "
                                  "dengan dasar hukum hanya ringkasan yang dibagikan."))
    return SendPlan(consent=consent,
                    shared=shared_summary(case=case, victim=victim, sender=actor,
                                          include_identity=bool(share_identity and consent)),
                    legal_basis=legal_basis if consent is None else "",
                    legal_basis_reason=legal_basis_reason.strip() if consent is None else "")


@transaction.atomic
def referral_send(*, actor: User, case: Case, victim: Victim, receiving_agency: Agency, services: list[str],
                  urgency: str, reason: str, share_identity: bool = False, legal_basis: str = "",
                  legal_basis_reason: str = "", request=None) -> Referral:
    """Refer a victim to a partner agency, sharing a minimal summary (and the identity only with consent)."""
    plan = referral_plan(actor=actor, case=case, victim=victim, receiving_agency=receiving_agency,
                         services=services, urgency=urgency, reason=reason, share_identity=share_identity,
                         legal_basis=legal_basis, legal_basis_reason=legal_basis_reason)
    now = timezone.now()
    due = answer_deadline(urgency=urgency, start=now)
    referral = Referral.objects.create(
        number=_next_number(sent_at=now), case=case, victim=victim, sending_agency=case.agency,
        receiving_agency=receiving_agency, sent_by=actor, urgency=urgency, reason=reason.strip(),
        shared=plan.shared, shares_identity="victim_name" in plan.shared, consent=plan.consent,
        legal_basis=plan.legal_basis, legal_basis_reason=plan.legal_basis_reason,
        legal_basis_by=actor if plan.legal_basis else None,
        sent_at=now, due_at=due, escalate_at=escalation_deadline(urgency=urgency, due=due))
    RequestedService.objects.bulk_create(
        [RequestedService(referral=referral, service=s) for s in sorted(set(services))])
    if receiving_agency.agency_type == codes.AgencyType.POLICE:
        # UU 12/2022 Pasal 41: the report to the police is a time-standard fact of the case; the first one counts.
        police_report_by_referral(case=case, actor=actor, referral_number=referral.number, at=now, request=request)
    # Reasons typed here stay on the referral (shown to its sender), never in the unchangeable audit row.
    audit_record(actor=actor, action="referral.send", obj=referral, request=request,
                 details={"case": case.number, "victim": victim.survivor_code, "to": receiving_agency.pk,
                          "urgency": urgency, "services": sorted(set(services)),
                          "shares_identity": referral.shares_identity,
                          "consent": plan.consent.pk if plan.consent else None,
                          "legal_basis": plan.legal_basis})
    if plan.legal_basis:
        # The override is its own event so a supervisor's audit page lists every use of it.
        audit_record(actor=actor, action="referral.legal_basis", obj=referral, request=request,
                     details={"legal_basis": plan.legal_basis})
    _notify(_receiving_staff(receiving_agency.pk), Kind.REFERRAL_NEW, referral, agency_name=case.agency.name,
            urgency=urgency, exclude=actor)
    return referral


# --- The receiving agency's answers ---------------------------------------------------------------

def _notify_sender(referral: Referral, kind: str, actor: User) -> None:
    _notify(_sending_people(referral), kind, referral, agency_name=referral.receiving_agency.name, exclude=actor)


@transaction.atomic
def referral_accept(*, referral: Referral, actor: User, request=None) -> Referral:
    """The receiving agency takes the referral on."""
    _require_receiver(referral, actor)
    _lock(referral)
    _require_status(referral, Referral.Status.NEW, message=_("Rujukan ini sudah dijawab."))
    referral.status = Referral.Status.ACCEPTED
    referral.answered_at, referral.answered_by = timezone.now(), actor
    referral.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    audit_record(actor=actor, action="referral.accept", obj=referral, request=request)
    _notify_sender(referral, Kind.REFERRAL_ACCEPTED, actor)
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, reason: str, request=None) -> Referral:
    """The receiving agency declines, saying why (the sender then refers elsewhere)."""
    _require_receiver(referral, actor)
    if not reason.strip():
        raise ReferralError(_("Tuliskan alasan penolakan agar pengirim dapat merujuk ke lembaga lain."))
    _lock(referral)
    _require_status(referral, Referral.Status.NEW, Referral.Status.ACCEPTED,
                    message=_("Rujukan yang sudah ditangani, selesai atau dicabut tidak dapat ditolak."))
    now = timezone.now()
    referral.status, referral.decline_reason, referral.closed_by = Referral.Status.DECLINED, reason.strip(), actor
    if referral.answered_at is None:
        referral.answered_at, referral.answered_by = now, actor
    referral.save(update_fields=["status", "decline_reason", "answered_at", "answered_by", "closed_by",
                                 "updated_at"])
    audit_record(actor=actor, action="referral.decline", obj=referral, request=request)
    _notify_sender(referral, Kind.REFERRAL_DECLINED, actor)
    return referral


@transaction.atomic
def referral_record_service(*, referral: Referral, actor: User, service: str, delivered_on: date, notes: str = "",
                            request=None) -> ServiceDelivery:
    """The receiving agency records a service it gave; it is a case ServiceDelivery so it feeds the statistics."""
    _require_receiver(referral, actor)
    _lock(referral)
    _require_status(referral, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS,
                    message=_("Terima rujukan dulu sebelum mencatat layanan; rujukan yang selesai atau dicabut "
                              "tidak dapat diubah."))
    if not referral.requested_services.filter(service=service).exists():
        raise ReferralError(_("Layanan ini tidak diminta dalam rujukan %(number)s.") % {"number": referral.number})
    if delivered_on < timezone.localdate(referral.sent_at):
        raise ReferralError(_("Tanggal layanan tidak boleh sebelum rujukan dikirim."))
    try:
        delivery = service_delivery_record(case=referral.case, victim=referral.victim, actor=actor, service=service,
                                           delivered_on=delivered_on, provider_agency=referral.receiving_agency,
                                           provider_user=actor, notes=notes, request=request)
    except CaseError as error:
        raise ReferralError(str(error)) from error
    ReferralDelivery.objects.create(referral=referral, delivery=delivery)
    if referral.status == Referral.Status.ACCEPTED:
        referral.status = Referral.Status.IN_PROGRESS
        referral.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="referral.service", obj=referral, request=request,
                 details={"service": service, "delivered_on": delivered_on.isoformat()})
    _notify_sender(referral, Kind.REFERRAL_SERVICE, actor)
    return delivery


@transaction.atomic
def referral_complete(*, referral: Referral, actor: User, outcome: str, request=None) -> Referral:
    """The receiving agency reports the outcome and closes the referral; its access to the shared data ends."""
    _require_receiver(referral, actor)
    if not outcome.strip():
        raise ReferralError(_("Tuliskan hasil tindak lanjut rujukan."))
    _lock(referral)
    _require_status(referral, Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS,
                    message=_("Hanya rujukan yang sudah diterima dapat diselesaikan."))
    referral.status, referral.outcome = Referral.Status.DONE, outcome.strip()
    referral.completed_at, referral.closed_by = timezone.now(), actor
    referral.save(update_fields=["status", "outcome", "completed_at", "closed_by", "updated_at"])
    audit_record(actor=actor, action="referral.complete", obj=referral, request=request)
    _notify_sender(referral, Kind.REFERRAL_DONE, actor)
    return referral


# --- The sending side ------------------------------------------------------------------------------

@transaction.atomic
def referral_revoke(*, referral: Referral, actor: User, reason: str, request=None) -> Referral:
    """The sender withdraws the referral; the receiving agency loses access to it at once."""
    _require_sender(referral, actor)
    if not reason.strip():
        raise ReferralError(_("Tuliskan alasan pencabutan rujukan."))
    _lock(referral)
    _require_status(referral, *Referral.ACTIVE_STATUSES,
                    message=_("Rujukan yang sudah selesai, ditolak atau dicabut tidak dapat dicabut."))
    referral.status, referral.revoke_reason = Referral.Status.REVOKED, reason.strip()
    referral.revoked_at, referral.closed_by = timezone.now(), actor
    referral.save(update_fields=["status", "revoke_reason", "revoked_at", "closed_by", "updated_at"])
    audit_record(actor=actor, action="referral.revoke", obj=referral, request=request)
    _notify(_receiving_staff(referral.receiving_agency_id), Kind.REFERRAL_REVOKED, referral,
            agency_name=referral.sending_agency.name, link=reverse("referrals:inbox"), exclude=actor)
    return referral


def _escalate(referral_id: int, *, now: datetime, actor, reason: str, request=None) -> Referral | None:
    # The conditional UPDATE is the claim: of two concurrent escalations (or job runs) only one changes the row.
    claimed = Referral.objects.filter(pk=referral_id, escalated_at__isnull=True,
                                      status__in=Referral.ACTIVE_STATUSES).update(
        escalated_at=now, escalation_reason=reason)
    if not claimed:
        return None
    referral = Referral.objects.select_related("case", "receiving_agency", "sending_agency").get(pk=referral_id)
    audit_record(actor=actor, action="referral.escalate", obj=referral, request=request)
    _notify(_sending_supervisors(referral), Kind.REFERRAL_ESCALATED, referral,
            agency_name=referral.receiving_agency.name, exclude=actor if isinstance(actor, User) else None)
    return referral


@transaction.atomic
def referral_escalate(*, referral: Referral, actor: User, reason: str, request=None) -> Referral:
    """The caseworker escalates a stalled referral to the sending agency's supervisor."""
    _require_sender(referral, actor)
    if not reason.strip():
        raise ReferralError(_("Tuliskan alasan eskalasi."))
    if not referral.is_active:
        raise ReferralError(_("Hanya rujukan yang masih berjalan dapat dieskalasi."))
    if _escalate(referral.pk, now=timezone.now(), actor=actor, reason=reason.strip(), request=request) is None:
        raise ReferralError(_("Rujukan ini sudah dieskalasi."))
    referral.refresh_from_db()
    return referral


@transaction.atomic
def referral_message(*, referral: Referral, actor: User, text: str, request=None) -> ReferralMessage:
    """A message between the two agencies on an active referral."""
    sender_side = is_sender(referral=referral, user=actor)
    if not sender_side and not is_receiver(referral=referral, user=actor):
        raise ReferralError(_("Hanya lembaga pengirim dan penerima yang dapat berkirim pesan pada rujukan ini."))
    if not text.strip():
        raise ReferralError(_("Pesan kosong tidak dikirim."))
    if not referral.is_active:
        raise ReferralError(_("Rujukan sudah ditutup; pesan tidak dapat dikirim lagi."))
    message = ReferralMessage.objects.create(referral=referral, author=actor, agency=actor.agency, text=text.strip())
    audit_record(actor=actor, action="referral.message", obj=referral, request=request)
    recipients = _receiving_staff(referral.receiving_agency_id) if sender_side else _sending_people(referral)
    _notify(recipients, Kind.REFERRAL_MESSAGE, referral, agency_name=actor.agency.name if actor.agency else "",
            exclude=actor)
    return message


# --- Deadlines (the periodic job) ------------------------------------------------------------------

@transaction.atomic
def _mark_overdue(referral_id: int, *, now: datetime) -> bool:
    claimed = Referral.objects.filter(pk=referral_id, overdue_at__isnull=True, status=Referral.Status.NEW,
                                      due_at__lte=now).update(overdue_at=now)
    if not claimed:
        return False
    referral = Referral.objects.select_related("case__assigned_worker", "sent_by", "receiving_agency",
                                               "sending_agency").get(pk=referral_id)
    audit_record(actor=SYSTEM_ACTOR, action="referral.overdue", obj=referral,
                 details={"due_at": referral.due_at.isoformat()})
    _notify(list(_sending_people(referral)) + list(_receiving_staff(referral.receiving_agency_id)),
            Kind.REFERRAL_OVERDUE, referral, agency_name=referral.receiving_agency.name)
    return True


def referral_deadlines_check(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Mark unanswered referrals past their answer time and escalate those past the second limit, notifying
    once: each referral is claimed by a conditional UPDATE, so a second run (or a parallel one) finds nothing."""
    now = now or timezone.now()
    overdue_ids = list(Referral.objects.filter(status=Referral.Status.NEW, overdue_at__isnull=True, due_at__lte=now)
                       .order_by("due_at").values_list("pk", flat=True)[:batch])
    marked = sum(1 for pk in overdue_ids if _mark_overdue(pk, now=now))
    escalate_ids = list(Referral.objects.filter(status=Referral.Status.NEW, escalated_at__isnull=True,
                                                escalate_at__lte=now)
                        .order_by("escalate_at").values_list("pk", flat=True)[:batch])
    escalated = 0
    for pk in escalate_ids:
        with transaction.atomic():
            if _escalate(pk, now=now, actor=SYSTEM_ACTOR,
                         reason=_("Belum dijawab setelah batas waktu kedua.")) is not None:
                escalated += 1
    return {"overdue": marked, "escalated": escalated}


def referral_deadlines_recompute(*, day: date) -> int:
    """After the working-day calendar changed on `day` (core.services), count again the deadlines of the
    unanswered referrals whose window, from sending to escalation, touches that day; returns how many moved.

    Registered in ReferralsConfig.ready() and run in the calendar change's transaction. A deadline whose marker
    was already set (overdue_at, escalated_at) stays: it was passed and notified under the calendar of its time.
    """
    start = datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
    rows = (Referral.objects.select_for_update()
            .filter(status=Referral.Status.NEW, sent_at__lt=start + timedelta(days=1), escalate_at__gte=start)
            .only("id", "urgency", "sent_at", "due_at", "escalate_at", "overdue_at", "escalated_at").order_by("pk"))
    moved = []
    for referral in rows:
        due = referral.due_at if referral.overdue_at else answer_deadline(urgency=referral.urgency,
                                                                           start=referral.sent_at)
        escalate = referral.escalate_at if referral.escalated_at else escalation_deadline(urgency=referral.urgency,
                                                                                          due=due)
        if (due, escalate) != (referral.due_at, referral.escalate_at):
            referral.due_at, referral.escalate_at, referral.updated_at = due, escalate, timezone.now()
            moved.append(referral)
    Referral.objects.bulk_update(moved, ["due_at", "escalate_at", "updated_at"])
    return len(moved)


# --- Referrals in (to the UPTD PPA's intake queue) -------------------------------------------------

def can_refer_in(user: User) -> bool:
    """A village government, PATBM or PUSPAGA, or an agency of another district, refers a person in."""
    return can(user, Capability.REFERRAL_REFER_IN)


@transaction.atomic
def referral_in_send(*, actor: User, summary: str, urgency: str, contact_hint: str = "",
                     request=None) -> IntakeRequest:
    """A referral into the UPTD PPA's intake queue, to be registered there as a case (the inbox tells its
    intake staff)."""
    if not can_refer_in(actor):
        raise ReferralError(_("Lembaga Anda tidak mengirim rujukan masuk ke UPTD PPA lewat halaman ini."))
    try:
        return inbox_services.intake_request_create(actor=actor, source_agency=actor.agency, summary=summary,
                                                    urgency=urgency, contact_hint=contact_hint, request=request)
    except inbox_services.InboxError as error:
        raise ReferralError(str(error)) from error
