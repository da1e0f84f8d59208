"""Pelimpahan: a case handed to another UPTD PPA or service provider, also of another district.

Decisions (domain.md section 2, UU 27/2022 PDP):
- The sending agency's supervisor sends. Who owns a case (its kewenangan, identified at step 2) is the case
  manager's decision, and the UPTD head is the case manager (step 4); a caseworker who sees the need asks
  their supervisor, as a referral's legal basis is the supervisor's judgement too.
- It rests on every victim's effective consent covering sharing with the receiving agency's type (the same
  question a referral asks: cases.selectors.sharing_consent), or on a legal basis a supervisor records with a
  reason (UU 27/2022 Pasal 20).
- What the receiving agency reads before deciding is a minimal summary frozen when it is sent (codes, needs,
  the sender's contact; never names or the chronology); the send form previews exactly that summary.
- The receiving agency's supervisor accepts, choosing the caseworker, or declines with a reason. On
  acceptance the receiving agency owns the case (Case.agency) and sees the whole file. The case keeps its
  number: it is the pseudonymous key of its audit trail, its referrals and letters already sent, and one case
  must stay one case wherever it is handled (SIMFONI-PPA v3 ends double counting; domain.md section 1).
- The sending agency keeps read access to what it recorded before acceptance (cases.selectors.cases_handed_on_by
  and `handed_on_file` below), not to what the new owner records later.
- Statistics: a case counts once, in the period of its received date as every table does, at the unit that held
  it at the end of that period (`case_counts_by_agency`): after acceptance at the receiving unit; a period that
  ended before acceptance shows the sending unit, and a published report keeps its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Agency, User
from cases import rules
from cases.models import Case, CaseTransfer, Consent
from cases.selectors import agency_workers, cases_received_in, cases_visible_to, sharing_consent
from cases.services import CaseError
from core import codes
from core.audit import audit_record
from core.models import AuditEvent
from core.policy import NO_CASE_ACCESS_AGENCY_TYPES, Capability, can, staff_who_can
from core.versioning import version_claim
from inbox import services as inbox_services
from inbox.services import Kind


class TransferError(CaseError):
    """A rule of the transfer or the law refused it; the message is for the user."""


# --- The summary sent ----------------------------------------------------------------------------

SUMMARY_LABELS = {
    "number": gettext_lazy("Nomor kasus"),
    "received_on": gettext_lazy("Pengaduan diterima"),
    "stage": gettext_lazy("Tahap"),
    "case_type": gettext_lazy("Jenis kasus"),
    "risk_level": gettext_lazy("Tingkat risiko"),
    "tpks": gettext_lazy("Kekerasan seksual (UU 12/2022)"),
    "police_reported": gettext_lazy("Sudah dilaporkan ke kepolisian"),
    "victims": gettext_lazy("Korban"),
    "perpetrators": gettext_lazy("Jumlah pelaku"),
    "needs": gettext_lazy("Kebutuhan hasil asesmen"),
    "caseworker": gettext_lazy("Pendamping yang dapat dihubungi"),
}


def transfer_summary(*, case: Case, sender: User) -> dict:
    """What the receiving agency reads before it decides: codes and contacts, never names or the chronology."""
    assessment = case.assessments.order_by("-assessed_at", "-id").first()
    worker = case.assigned_worker or sender
    return {
        "number": case.number,
        "received_on": timezone.localdate(case.received_at).isoformat(),
        "stage": case.stage,
        "case_type": case.case_type,
        "risk_level": case.risk_level,
        "tpks": rules.is_tpks(case),
        "police_reported": case.police_reported_at is not None,
        "victims": [{"survivor_code": v.survivor_code, "age_group": v.age_group, "is_child": v.is_child,
                     "sex": v.sex, "violence_types": sorted(t.violence_type for t in v.violence_types.all())}
                    for v in case.victims.prefetch_related("violence_types")],
        "perpetrators": case.perpetrators.count(),
        "needs": [str(label) for label in rules.assessment_needs(assessment)] if assessment else [],
        "caseworker": {"name": worker.display_name, "phone": worker.phone or case.agency.phone,
                       "email": worker.email, "agency": case.agency.name},
    }


def _label(choices, value: str) -> str:
    return str(dict(choices).get(value, value or "–"))


def summary_rows(summary: dict) -> list[tuple[str, str]]:
    """The summary as (label, value) rows, for the send form's preview and the transfer page alike."""
    yes, no, child = _("Ya"), _("Tidak"), _("anak")
    victims = "; ".join(
        " · ".join(filter(None, [
            v.get("survivor_code", ""),
            _label(codes.Sex.choices, v.get("sex", "")),
            v.get("age_group", "") + (f" ({child})" if v.get("is_child") else ""),
            ", ".join(_label(codes.ViolenceType.choices, t) for t in v.get("violence_types", []))]))
        for v in summary.get("victims", []))
    worker = summary.get("caseworker") or {}
    rows = [
        ("number", summary.get("number", "")),
        ("received_on", summary.get("received_on", "")),
        ("stage", _label(codes.CaseStage.choices, summary.get("stage", ""))),
        ("case_type", _label(codes.CaseType.choices, summary.get("case_type", ""))),
        ("risk_level", _label(codes.RiskLevel.choices, summary.get("risk_level", ""))),
        ("tpks", yes if summary.get("tpks") else no),
        ("police_reported", yes if summary.get("police_reported") else no),
        ("victims", victims),
        ("perpetrators", str(summary.get("perpetrators", 0))),
        ("needs", ", ".join(summary.get("needs", [])) or "–"),
        ("caseworker", ", ".join(part for part in (worker.get("name"), worker.get("agency"), worker.get("phone"),
                                                    worker.get("email")) if part)),
    ]
    return [(str(SUMMARY_LABELS[key]), str(value)) for key, value in rows]


# --- Sending -------------------------------------------------------------------------------------

def receiving_agencies(*, case: Case) -> QuerySet[Agency]:
    """Units that can own a case: active, not the case's own, not PATBM or PUSPAGA (they never see case files),
    with an active supervisor to accept it; of any district."""
    holders = User.objects.filter(staff_who_can(Capability.CASE_TRANSFER), agency_id=OuterRef("pk"))
    return (Agency.objects.filter(is_active=True).exclude(pk=case.agency_id)
            .exclude(agency_type__in=NO_CASE_ACCESS_AGENCY_TYPES)
            .filter(pk__in=Subquery(holders.values("agency_id"))).select_related("district").order_by("name"))


@dataclass
class TransferPlan:
    """What a send would do: checked by the preview and the send alike, so both agree."""

    consents: list[Consent]
    summary: dict
    legal_basis: str
    legal_basis_reason: str


def _require_sender(case: Case, actor: User) -> None:
    if not (can(actor, Capability.CASE_TRANSFER) and actor.agency_id == case.agency_id):
        raise TransferError(_("Hanya koordinator lembaga yang menangani kasus yang dapat melimpahkannya."))


def transfer_plan(*, actor: User, case: Case, receiving_agency: Agency | None, reason: str = "",
                  legal_basis: str = "", legal_basis_reason: str = "", preview: bool = False) -> TransferPlan:
    """Check a transfer before sending it and build exactly the summary that would be sent (no writes).

    `preview`: only who may send and the summary are checked (the form shows the summary before it is filled).
    """
    _require_sender(case, actor)
    if case.is_closed:
        raise TransferError(_("Kasus sudah ditutup; buka kembali kasus sebelum melimpahkannya."))
    if case.closure_requested_at is not None:
        raise TransferError(_("Terminasi kasus ini sedang diajukan; putuskan terminasi dulu."))
    pending = case.transfers.filter(status=CaseTransfer.Status.PENDING).first()
    if pending is not None:
        raise TransferError(_("Kasus ini sudah dilimpahkan (%(label)s) dan menunggu jawaban lembaga penerima.")
                            % {"label": pending.audit_label})
    summary = transfer_summary(case=case, sender=actor)
    if preview:
        return TransferPlan([], summary, "", "")
    if receiving_agency is None or not receiving_agencies(case=case).filter(pk=receiving_agency.pk).exists():
        raise TransferError(_("Pilih lembaga penerima: UPTD PPA atau lembaga layanan aktif lain yang mempunyai "
                              "koordinator."))
    if not reason.strip():
        raise TransferError(_("Tuliskan alasan pelimpahan (tanpa nama korban)."))
    consents, missing = [], []
    for victim in case.victims.all():
        consent = sharing_consent(victim=victim, agency_type=receiving_agency.agency_type)
        (consents.append(consent) if consent else missing.append(victim.survivor_code))
    type_label = codes.AgencyType(receiving_agency.agency_type).label
    if not missing:
        if legal_basis:
            raise TransferError(_("Persetujuan korban sudah mencakup berbagi data dengan %(type)s; kosongkan dasar "
                                  "hukum.") % {"type": type_label})
        return TransferPlan(consents, summary, "", "")
    # UU 27/2022 PDP Pasal 20: without consent only a legal ground allows handing the file on.
    if not legal_basis:
        raise TransferError(_(
            "Kasus tidak dapat dilimpahkan: persetujuan korban %(codes)s belum mencakup berbagi data dengan "
            "%(type)s (UU 27/2022 Pasal 20-24). Catat persetujuan korban, atau catat dasar hukum beserta "
            "alasannya.") % {"codes": ", ".join(missing), "type": type_label})
    if legal_basis not in CaseTransfer.LegalBasis.values:
        raise TransferError(_("Pilih dasar hukum yang dikenal."))
    if not legal_basis_reason.strip():
        raise TransferError(_("Tuliskan alasan penggunaan dasar hukum."))
    if legal_basis == CaseTransfer.LegalBasis.CHILD_AT_RISK and not all(v.is_child for v in case.victims.all()):
        raise TransferError(_("Dasar hukum anak dalam situasi berisiko hanya berlaku bila semua korban anak "
                              "(UU 35/2014 Pasal 59)."))
    return TransferPlan(consents, summary, legal_basis, legal_basis_reason.strip())


def _link(transfer: CaseTransfer) -> str:
    return reverse("cases:transfer_detail", args=[transfer.pk])


def _supervisors(agency_id: int) -> QuerySet[User]:
    return User.objects.filter(staff_who_can(Capability.CASE_TRANSFER), agency_id=agency_id, is_active=True)


def _notify(recipients, kind: str, transfer: CaseTransfer, *, agency_name: str, exclude: User | None) -> None:
    # The notice names the transfer and the other agency, nothing about the victims (it may leave as e-mail).
    inbox_services.notify(recipients=recipients, kind=kind, link=_link(transfer), exclude=exclude,
                          params={"number": transfer.audit_label, "agency": agency_name})


@transaction.atomic
def transfer_request(*, actor: User, case: Case, receiving_agency: Agency, reason: str, legal_basis: str = "",
                     legal_basis_reason: str = "", request=None) -> CaseTransfer:
    """The sending supervisor hands the case to another unit, which reads the summary and answers."""
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one transfer at a time per case
    plan = transfer_plan(actor=actor, case=case, receiving_agency=receiving_agency, reason=reason,
                         legal_basis=legal_basis, legal_basis_reason=legal_basis_reason)
    transfer = CaseTransfer.objects.create(
        case=case, sending_agency_id=case.agency_id, receiving_agency=receiving_agency,
        sending_worker_id=case.assigned_worker_id, sent_by=actor, sent_at=timezone.now(), reason=reason.strip(),
        summary=plan.summary, legal_basis=plan.legal_basis, legal_basis_reason=plan.legal_basis_reason)
    transfer.consents.set(plan.consents)
    # On the case, so its history shows it; the reasons stay on the transfer, never in the unchangeable row.
    audit_record(actor=actor, action="case.transfer_request", obj=case, request=request,
                 details={"transfer": transfer.pk, "from": case.agency_id, "to": receiving_agency.pk,
                          "consents": [c.pk for c in plan.consents], "legal_basis": plan.legal_basis})
    _notify(_supervisors(receiving_agency.pk), Kind.TRANSFER_NEW, transfer, agency_name=case.agency.name,
            exclude=actor)
    return transfer


# --- The receiving unit's answers -------------------------------------------------------------------

def _lock_pending(transfer: CaseTransfer, actor: User) -> CaseTransfer:
    if not (can(actor, Capability.CASE_TRANSFER) and actor.agency_id == transfer.receiving_agency_id):
        raise TransferError(_("Hanya koordinator lembaga penerima yang dapat menjawab pelimpahan ini."))
    # Under a lock: two supervisors answering at once cannot both accept, or accept and decline.
    transfer.refresh_from_db(from_queryset=CaseTransfer.objects.select_for_update())
    if transfer.status != CaseTransfer.Status.PENDING:
        raise TransferError(_("Pelimpahan ini sudah dijawab."))
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: CaseTransfer, actor: User, worker: User, request=None) -> Case:
    """The receiving unit takes the case on: it owns the case from now, with the caseworker its supervisor chose."""
    _lock_pending(transfer, actor)
    if not (worker.is_active and can(worker, Capability.CASE_WORK)
            and worker.agency_id == transfer.receiving_agency_id):
        raise TransferError(_("Pilih pendamping dari lembaga Anda."))
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    # A form the sending team opened before now is stale: it must not write over the new owner's file.
    version_claim(case, read_version=None)
    now = timezone.now()
    transfer.status, transfer.answered_at, transfer.answered_by = CaseTransfer.Status.ACCEPTED, now, actor
    transfer.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    previous_worker = case.assigned_worker
    case.agency_id, case.assigned_worker = transfer.receiving_agency_id, worker
    case.save(update_fields=["agency", "assigned_worker", "updated_at"])
    audit_record(actor=actor, action="case.transfer_accept", obj=case, request=request,
                 details={"transfer": transfer.pk, "from": transfer.sending_agency_id,
                          "to": transfer.receiving_agency_id, "worker": worker.get_username(),
                          "previous_worker": previous_worker.get_username() if previous_worker else None})
    _notify([transfer.sent_by, previous_worker, *_supervisors(transfer.sending_agency_id)], Kind.TRANSFER_ACCEPTED,
            transfer, agency_name=transfer.receiving_agency.name, exclude=actor)
    _notify([worker], Kind.TRANSFER_ASSIGNED, transfer, agency_name=transfer.sending_agency.name, exclude=actor)
    return case


@transaction.atomic
def transfer_decline(*, transfer: CaseTransfer, actor: User, reason: str, request=None) -> CaseTransfer:
    """The receiving unit declines, saying why; the case stays with the sending unit."""
    if not reason.strip():
        raise TransferError(_("Tuliskan alasan penolakan agar lembaga pengirim dapat menindaklanjuti."))
    _lock_pending(transfer, actor)
    transfer.status, transfer.decline_reason = CaseTransfer.Status.DECLINED, reason.strip()
    transfer.answered_at, transfer.answered_by = timezone.now(), actor
    transfer.save(update_fields=["status", "decline_reason", "answered_at", "answered_by", "updated_at"])
    audit_record(actor=actor, action="case.transfer_decline", obj=transfer.case, request=request,
                 details={"transfer": transfer.pk, "from": transfer.sending_agency_id,
                          "to": transfer.receiving_agency_id})
    _notify([transfer.sent_by, *_supervisors(transfer.sending_agency_id)], Kind.TRANSFER_DECLINED, transfer,
            agency_name=transfer.receiving_agency.name, exclude=actor)
    return transfer


# --- Reads ------------------------------------------------------------------------------------------

def transfers_visible_to(*, user: User) -> QuerySet[CaseTransfer]:
    """Transfers to or from the user's agency (its supervisors), and those of the cases in the user's hands."""
    q = Q(case__in=cases_visible_to(user=user).values("pk"))
    if user.agency_id:  # the worker who had the case reads the answer they were notified of
        q |= Q(sending_worker_id=user.pk, sending_agency_id=user.agency_id)
    if can(user, Capability.CASE_TRANSFER) and user.agency_id:
        q |= Q(receiving_agency_id=user.agency_id) | Q(sending_agency_id=user.agency_id)
    return CaseTransfer.objects.filter(q).select_related("case", "sending_agency__district",
                                                         "receiving_agency__district", "sent_by", "answered_by")


def transfers_incoming(*, user: User) -> QuerySet[CaseTransfer]:
    """"Pelimpahan masuk": the transfers sent to the user's agency, waiting ones first, then newest."""
    if not (can(user, Capability.CASE_TRANSFER) and user.agency_id):
        return CaseTransfer.objects.none()
    return (CaseTransfer.objects.filter(receiving_agency_id=user.agency_id)
            .select_related("sending_agency__district", "sent_by", "answered_by")
            .order_by(F("answered_at").desc(nulls_first=True), "-sent_at"))


def transfers_outgoing(*, user: User) -> QuerySet[CaseTransfer]:
    """The transfers the user's agency sent, newest first (its supervisors')."""
    if not (can(user, Capability.CASE_TRANSFER) and user.agency_id):
        return CaseTransfer.objects.none()
    return (CaseTransfer.objects.filter(sending_agency_id=user.agency_id)
            .select_related("receiving_agency__district", "sent_by", "answered_by").order_by("-sent_at", "-id"))


def transfer_workers(*, transfer: CaseTransfer) -> QuerySet[User]:
    """Whom the receiving supervisor may assign the case to."""
    return agency_workers(agency_id=transfer.receiving_agency_id)


TRANSFER_ACTIONS = {
    "case.transfer_request": gettext_lazy("Pelimpahan dikirim"),
    "case.transfer_accept": gettext_lazy("Pelimpahan diterima; lembaga penanganan berganti"),
    "case.transfer_decline": gettext_lazy("Pelimpahan ditolak"),
}


@dataclass(frozen=True)
class TransferEvent:
    """One transfer step of a case's history (who, when, what): for the case's "Riwayat" (cases.history)."""

    at: datetime
    actor_label: str
    action: str
    label: str
    from_agency: str
    to_agency: str


def transfer_history(*, case: Case) -> list[TransferEvent]:
    """The transfer steps of the case from its audit trail, oldest first (the trail stays with the case)."""
    events = list(AuditEvent.objects.filter(object_type=Case._meta.label_lower, object_id=str(case.pk),
                                            action__in=list(TRANSFER_ACTIONS)).order_by("at", "id"))
    ids = {int(e.details.get(key)) for e in events for key in ("from", "to") if e.details.get(key)}
    names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [TransferEvent(e.at, e.actor_label, e.action, str(TRANSFER_ACTIONS[e.action]),
                          names.get(e.details.get("from"), ""), names.get(e.details.get("to"), ""))
            for e in events]


@dataclass(frozen=True)
class HandedOnFile:
    """What the sending agency recorded on the case before it was handed on: its read-only view."""

    case: Case
    transfer: CaseTransfer
    summary: list[tuple[str, str]]
    assessments: list
    plan: list
    services: list
    accompaniments: list
    consents: list
    mediations: list
    notes: list


def handed_on_file(*, case: Case, user: User) -> HandedOnFile:
    """The records the user's agency created on the case until the transfer was accepted (none after)."""
    transfer = (case.transfers.filter(status=CaseTransfer.Status.ACCEPTED, sending_agency_id=user.agency_id)
                .select_related("receiving_agency", "sending_agency").order_by("-answered_at").first())
    until = transfer.answered_at
    return HandedOnFile(
        case=case, transfer=transfer, summary=summary_rows(transfer.summary),
        assessments=list(case.assessments.filter(created_at__lte=until).select_related("assessed_by")),
        plan=list(case.planned_services.filter(created_at__lte=until).select_related("provider_agency")),
        services=list(case.service_deliveries.filter(created_at__lte=until).select_related("victim",
                                                                                            "provider_agency")),
        accompaniments=list(case.accompaniments.filter(created_at__lte=until).select_related("accompanied_by")),
        consents=list(case.consents.filter(created_at__lte=until).select_related("victim")),
        mediations=list(case.mediations.filter(created_at__lte=until)),
        notes=list(case.notes.filter(created_at__lte=until).select_related("author")),
    )


# --- Statistics ------------------------------------------------------------------------------------

def holding_agency_at(moment: datetime):
    """The agency that held each case at `moment`, as a database expression: the receiver of the last transfer
    accepted before it; else the sender of the first accepted after it; else the case's agency."""
    accepted = CaseTransfer.objects.filter(case=OuterRef("pk"), status=CaseTransfer.Status.ACCEPTED)
    before = accepted.filter(answered_at__lt=moment).order_by("-answered_at", "-id").values("receiving_agency")[:1]
    after = accepted.filter(answered_at__gte=moment).order_by("answered_at", "id").values("sending_agency")[:1]
    return Coalesce(Subquery(before), Subquery(after), F("agency_id"), output_field=BigIntegerField())


def case_counts_by_agency(*, start: datetime, end: datetime) -> dict[int, int]:
    """Cases received in [start, end) per unit that held them at the end of the period: each case once."""
    rows = (cases_received_in(start=start, end=end).annotate(holder=holding_agency_at(end))
            .values("holder").annotate(n=Count("id")).order_by())
    return {row["holder"]: row["n"] for row in rows}
