"""What a referral shares with the receiving agency, and when it must be answered.

Minimal disclosure (UU 27/2022 PDP): by default the summary a partner needs to act (survivor code, age
group, sex, violence types, needs, how to reach the caseworker); the victim's name and phone only when
the victim's effective consent covers sharing with that kind of agency and the sender chose to include them.
The same function builds the send form's preview and the stored snapshot, so the preview is exactly what
is sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User
from cases.models import Case, Victim
from cases.rules import ASSESSMENT_NEEDS, need_label
from cases.selectors import sharing_consent  # noqa: F401  (one rule for referrals and transfers; used by services)
from core import codes
from core.workdays import add_working_days

# The needs of the latest biopsychosocial assessment, by the key stored in the snapshot.
NEED_LABELS = {name.removeprefix("need_"): need_label(name) for name in ASSESSMENT_NEEDS}

SHARED_LABELS = {
    "survivor_code": _("Kode penyintas"),
    "age_group": _("Kelompok usia"),
    "is_child": _("Anak"),
    "sex": _("Jenis kelamin"),
    "violence_types": _("Jenis kekerasan"),
    "needs": _("Kebutuhan hasil asesmen"),
    "caseworker": _("Pendamping yang dapat dihubungi"),
    "victim_name": _("Nama korban"),
    "victim_phone": _("Telepon korban"),
}


def shared_summary(*, case: Case, victim: Victim, sender: User, include_identity: bool) -> dict:
    """The snapshot stored on the referral: codes and contacts, never the chronology or the case file."""
    assessment = case.assessments.order_by("-assessed_at", "-id").first()
    needs = [name.removeprefix("need_") for name in ASSESSMENT_NEEDS if assessment and getattr(assessment, name)]
    worker = case.assigned_worker or sender
    summary = {
        "survivor_code": victim.survivor_code,
        "age_group": victim.age_group,
        "is_child": victim.is_child,
        "sex": victim.sex,
        "violence_types": sorted(victim.violence_types.values_list("violence_type", flat=True)),
        "needs": needs,
        "caseworker": {
            "name": worker.display_name,
            "phone": worker.phone or case.agency.phone,
            "email": worker.email,
            "agency": case.agency.name,
            "agency_phone": case.agency.phone,
        },
    }
    if include_identity:
        summary["victim_name"] = victim.name
        summary["victim_phone"] = victim.phone
    return summary


def shared_rows(shared: dict) -> list[tuple[str, str]]:
    """The snapshot as (label, value) rows for the referral page, the preview and the letter."""
    child = _("anak")
    rows = [
        (SHARED_LABELS["survivor_code"], shared.get("survivor_code", "")),
        (SHARED_LABELS["age_group"], shared.get("age_group", "") + (f" ({child})" if shared.get("is_child") else "")),
        (SHARED_LABELS["sex"], codes.Sex(shared["sex"]).label if shared.get("sex") in codes.Sex.values else ""),
        (SHARED_LABELS["violence_types"], ", ".join(str(codes.ViolenceType(v).label)
                                                    for v in shared.get("violence_types", [])
                                                    if v in codes.ViolenceType.values)),
        (SHARED_LABELS["needs"], ", ".join(str(NEED_LABELS[n]) for n in shared.get("needs", []) if n in NEED_LABELS)
         or "-"),
    ]
    if "victim_name" in shared:
        rows.append((SHARED_LABELS["victim_name"], shared["victim_name"]))
        rows.append((SHARED_LABELS["victim_phone"], shared.get("victim_phone") or "-"))
    worker = shared.get("caseworker") or {}
    contact = ", ".join(part for part in (worker.get("name"), worker.get("agency"), worker.get("phone"),
                                          worker.get("email")) if part)
    rows.append((SHARED_LABELS["caseworker"], contact))
    return [(str(label), str(value)) for label, value in rows]


# --- Deadlines ------------------------------------------------------------------------------------

def answer_deadline(*, urgency: str, start: datetime) -> datetime:
    """When a referral sent at `start` must be accepted or declined (settings REFERRAL_ANSWER_*); an ordinary
    referral counts working days of the one calendar (core.workdays, with holidays and cuti bersama)."""
    if urgency == codes.Urgency.EMERGENCY:
        return start + timedelta(hours=settings.REFERRAL_ANSWER_HOURS_DARURAT)
    if urgency == codes.Urgency.SOON:
        return start + timedelta(hours=settings.REFERRAL_ANSWER_HOURS_SEGERA)
    return add_working_days(start, settings.REFERRAL_ANSWER_WORKING_DAYS_BIASA)


def escalation_deadline(*, urgency: str, due: datetime) -> datetime:
    """The second limit: still unanswered one more answer window after the deadline, the sender's
    supervisor is alerted."""
    return answer_deadline(urgency=urgency, start=due)


def receiving_agencies(*, sender_agency: Agency | None, service: str = "", kecamatan: str = ""):
    """The directory filtered by the service asked and the kecamatan covered, without the sender's own agency.

    An agency that lists no kecamatan serves the whole district, so it matches every kecamatan.
    """
    from django.db.models import Q

    from agencies.selectors import agencies_search
    from referrals.services import NO_CASE_ACCESS_TYPES

    agencies = agencies_search(service=service).exclude(agency_type__in=NO_CASE_ACCESS_TYPES)
    if kecamatan:
        agencies = agencies.filter(Q(kecamatan_covered__code=kecamatan) | Q(kecamatan_covered__isnull=True))
    if sender_agency is not None:
        agencies = agencies.exclude(pk=sender_agency.pk)
    return agencies


def shared_rows_for(referral) -> list[tuple[str, str]]:
    """The rows of a sent referral. The identity it carried is shown only while the consent it rests on is
    still effective: a withdrawal (UU 27/2022 PDP) takes the name and phone off every referral at once."""
    shared = dict(referral.shared)
    if "victim_name" in shared and (referral.consent is None or not referral.consent.is_effective):
        shared.pop("victim_name", None)
        shared.pop("victim_phone", None)
    return shared_rows(shared)
