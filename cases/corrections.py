"""Corrections of the case file after intake: every fact of the victims, perpetrators, their relationships and
the incident, added, changed or removed (issue 10: "the living case file").

Every service is atomic, answers only to the case team (`selectors.case_team_cases`), claims the version its
edit form was read at (core.versioning: a stale edit is a conflict), writes one history row per changed field
(cases.history) and one audit event with no personal data, in the same transaction. A removal is soft, with its
reason: the record leaves the case page, the lists and the statistics (cases.models.Present) and stays in the
history.

The law is re-applied after each change (`_law_reapply`): sexual violence or trafficking learnt later bars
mediation from then on (UU 12/2022 Pasal 23), flags a mediation already held for the supervisor, and starts the
police-report clock (UU 12/2022 Pasal 41) at the moment it became known. Age and age group are recomputed from
the corrected birth date or incident date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Region, User
from cases import history, rules, selectors
from cases.models import Case, Incident, Mediation, Perpetrator, Victim, VictimPerpetrator, VictimViolence
from cases.services import NIK_PATTERN, CaseError, VictimData, _new_survivor_code, age_on
from core import bounds, codes
from core.audit import audit_record
from core.policy import Capability, staff_who_can
from core.versioning import version_claim
from inbox import services as inbox_services

# The fields each edit form offers, in its order. A field added to a model for the case file is added here
# (and, if it identifies a person, to SENSITIVE): the form, the diff and the history follow from the model.
VICTIM_FIELDS = ("name", "nik", "birth_date", "age_at_incident", "sex", "education", "occupation",
                 "marital_status", "has_disability", "disability_kinds", "address_kecamatan", "address_village",
                 "address_detail", "phone",
                 # Where this victim was harmed (SIMFONI-PPA counts place, desa and KDRT per victim).
                 "place", "place_kecamatan", "place_village", "place_outside_district", "is_kdrt")
PERPETRATOR_FIELDS = ("name", "sex", "age", "is_child")
INCIDENT_FIELDS = ("occurred_on", "place", "kecamatan", "village", "outside_district", "is_online", "is_kdrt",
                   "tpks_forms", "tppo_elements", "chronology")
# Identity fields (UU 27/2022): their old and new values show only where the identity section would show them.
SENSITIVE = frozenset({"name", "nik", "birth_date", "address_detail", "phone", "chronology"})


def _now() -> datetime:
    return timezone.now()


# --- Who may: the case team -------------------------------------------------------------------------------

def _require_team(case: Case, actor: User) -> None:
    """Only the case team corrects the file (views answer 404 before this; a service called otherwise refuses)."""
    if not selectors.case_team_cases(user=actor).filter(pk=case.pk).exists():
        raise CaseError(_("Hanya tim kasus (pendamping yang ditugaskan dan koordinator) yang dapat mengubah data "
                          "kasus ini."))


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise CaseError(_("Kasus sudah ditutup (terminasi). Buka kembali kasus untuk mengubah datanya."))


def _check_known_at(case: Case, known_at: datetime | None) -> datetime:
    """When a fact became known: now, or an earlier moment, never before the complaint nor in the future."""
    if known_at is None:
        return _now()
    if message := bounds.RECORD.problem(known_at, what=_("Waktu diketahui")):
        raise CaseError(message)
    if known_at > _now():
        raise CaseError(_("Waktu diketahui tidak boleh di masa depan."))
    if known_at < case.received_at:
        raise CaseError(_("Waktu diketahui tidak boleh sebelum pengaduan diterima."))
    return known_at


# --- The law, re-applied ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LawState:
    tpks: bool
    tppo: bool
    mediation_barred: bool


def _fresh(case: Case) -> Case:
    # The rules read the incident and the violence rows: a fresh load sees what this transaction just wrote.
    return Case.objects.select_related("incident").get(pk=case.pk)


def _law_state(case: Case) -> LawState:
    case = _fresh(case)
    return LawState(tpks=rules.is_tpks(case), tppo=rules.is_tppo(case),
                    mediation_barred=rules.mediation_bar(case) is not None)


def _law_reapply(case: Case, before: LawState, *, actor: User, known_at: datetime, reason: str,
                 request=None) -> LawState:
    """After a change of facts: the police clock, the mediation bar and their history, from the current facts."""
    after = _law_state(case)
    if (before.tpks and not after.tpks or before.tppo and not after.tppo) and not reason.strip():
        raise CaseError(_("Tuliskan alasan koreksi: menghapus kekerasan seksual atau perdagangan orang dari kasus "
                          "mengubah penanganannya menurut hukum."))
    case = Case.objects.get(pk=case.pk)
    changes = []
    if after.tpks != before.tpks:
        # UU 12/2022 Pasal 41: 3x24 hours from when the UPTD PPA learnt of it, not from the complaint.
        case.tpks_known_at = known_at if after.tpks else None
        case.save(update_fields=["tpks_known_at", "updated_at"])
        changes.append(("tpks", _("Kekerasan seksual (UU 12/2022)"), before.tpks, after.tpks))
    if after.tppo != before.tppo:
        changes.append(("tppo", _("Perdagangan orang (UU 21/2007)"), before.tppo, after.tppo))
    flagged = 0
    if after.mediation_barred and not before.mediation_barred and not case.is_closed:
        flagged = Mediation.objects.filter(case=case, barred_at__isnull=True).update(barred_at=known_at)
        if flagged:
            # The supervisor reviews what the mediation agreed; the worker hears too. The notice names the case.
            supervisors = User.objects.filter(staff_who_can(Capability.CASE_DECIDE_CLOSURE), agency_id=case.agency_id)
            inbox_services.notify(recipients=[*supervisors, case.assigned_worker],
                                  kind=inbox_services.Kind.MEDIATION_BARRED,
                                  link=reverse("cases:detail", args=[case.pk]) + "#mediasi",
                                  params={"number": case.number}, exclude=actor)
    for field, label, old, new in changes:
        history.record(case=case, actor=actor, record_type="case", record_id=case.pk, record_label=_("Kasus"),
                       action=history.EDIT, field=field, field_label=label, old=history.yes_no(old),
                       new=history.yes_no(new), reason=reason, at=known_at)
    if changes or flagged:
        audit_record(actor=actor, action="case.law_reapply", obj=case, request=request,
                     details={"tpks": after.tpks, "tppo": after.tppo, "mediations_flagged": flagged})
    return after


# --- Applying a change: diff, history, audit ---------------------------------------------------------------

def _apply(obj, changes: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the given fields on `obj`; returns the names that really changed (their history is written by the
    caller, which knows the record's label)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise CaseError(_("Isian yang tidak dikenal: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        if field.choices and not (value in dict(field.choices) or value == "" and field.blank):
            raise CaseError(_("Pilihan untuk %(field)s tidak dikenal.") % {"field": field.verbose_name})
        if isinstance(value, str):
            value = value.strip()
        if isinstance(value, list | tuple):
            value = sorted(set(value))
        if history.stored(obj, name) != history.comparable(obj, name, value):
            changed.append(name)
            setattr(obj, name, value)
    return changed


def _record_fields(*, case: Case, actor: User, obj, record_type: str, record_label: str, olds: dict,
                   changed: list[str], reason: str, at: datetime) -> None:
    for name in changed:
        history.record(case=case, actor=actor, record_type=record_type, record_id=obj.pk, record_label=record_label,
                       action=history.EDIT, field=name, field_label=history.field_label(obj, name),
                       old=olds[name], new=history.shown(obj, name), sensitive=name in SENSITIVE, reason=reason,
                       at=at)


def _snapshot(obj, names) -> dict[str, str]:
    return {name: history.shown(obj, name) for name in names}


def _set_age(victim: Victim, occurred_on: date) -> None:
    """Age at the incident from the birth date when known (else the estimated age as entered), and its group."""
    if victim.birth_date:
        victim.age_at_incident = age_on(victim.birth_date, occurred_on)
    victim.age_group = codes.age_group_for(victim.age_at_incident)
    victim.is_child = victim.age_at_incident < codes.CHILD_AGE_LIMIT
    # The case type follows age and sex (AMPK for a child, KtP for an adult woman): a corrected birth date moves it.
    victim.case_type = rules.victim_case_type(is_child=victim.is_child, sex=victim.sex)


def _check_victim(victim: Victim) -> None:
    # Required as the model requires it (a victim of unknown identity, if the model allows one, has none yet).
    if not (victim.name or "").strip() and not Victim._meta.get_field("name").blank:
        raise CaseError(_("Isi nama korban."))
    if victim.nik and not NIK_PATTERN.match(victim.nik):
        raise CaseError(_("NIK korban harus 16 angka."))
    if message := bounds.BIRTH.problem(victim.birth_date, what=_("Tanggal lahir")):
        raise CaseError(message)
    if victim.birth_date is None and victim.age_at_incident is None:
        raise CaseError(_("Isi tanggal lahir atau usia korban."))
    if victim.age_at_incident is not None and (
            message := bounds.count_problem(victim.age_at_incident, maximum=bounds.MAX_AGE, what=_("Usia"))):
        raise CaseError(message)
    if victim.sex not in codes.Sex.values:
        raise CaseError(_("Pilih jenis kelamin korban."))
    _check_area(victim.address_kecamatan, victim.address_village)


def _check_area(kecamatan: Region | None, village: Region | None) -> None:
    if village and kecamatan and village.parent_id != kecamatan.code:
        raise CaseError(_("Desa yang dipilih tidak berada di kecamatan itu."))


def _relabel_lookups(victim: Victim) -> None:
    # The duplicate check compares blind indexes (core.crypto): they follow a corrected NIK, name or birth date.
    for key, value in Victim.lookup_keys(nik=victim.nik or "", name=victim.name or "",
                                         birth_date=victim.birth_date).items():
        setattr(victim, key, value)


# --- Victims ------------------------------------------------------------------------------------------------

@transaction.atomic
def victim_update(*, victim: Victim, actor: User, changes: dict, reason: str = "", version: int | None,
                  request=None) -> list[str]:
    """Correct a victim's facts after intake; returns the names of the fields that changed."""
    case = victim.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(victim, read_version=version)
    before = _law_state(case)
    olds = _snapshot(victim, VICTIM_FIELDS)
    if not _apply(victim, changes, VICTIM_FIELDS):
        return []
    if not victim.address_kecamatan:
        victim.address_village = None
    if victim.place_outside_district:  # outside the district: no kecamatan or desa of ours
        victim.place_kecamatan = None
    if not victim.place_kecamatan:
        victim.place_village = None
    _check_victim(victim)
    _set_age(victim, case.incident.occurred_on)  # a corrected birth date moves the age group
    _relabel_lookups(victim)
    victim.save()
    # Compared as shown, after the age is recomputed: a birth date corrected also moves the age.
    changed = [name for name in VICTIM_FIELDS if history.shown(victim, name) != olds[name]]
    now = _now()
    _record_fields(case=case, actor=actor, obj=victim, record_type="victim", record_label=history.victim_label(victim),
                   olds=olds, changed=changed, reason=reason, at=now)
    audit_record(actor=actor, action="case.victim_update", obj=case, request=request,
                 details={"victim": victim.survivor_code, "fields": changed})
    _law_reapply(case, before, actor=actor, known_at=now, reason=reason, request=request)
    return changed


@transaction.atomic
def victim_add(*, case: Case, actor: User, data: VictimData, known_at: datetime | None = None,
               relationships: dict[int, str] | None = None, request=None) -> Victim:
    """Add a victim found after intake (a second child in the house); `relationships` by perpetrator id."""
    _require_team(case, actor)
    _require_open(case)
    known_at = _check_known_at(case, known_at)
    if not data.violence_types:
        raise CaseError(_("Pilih setidaknya satu jenis kekerasan untuk korban ini."))
    unknown = set(data.violence_types) - set(codes.ViolenceType.values)
    if unknown:
        raise CaseError(_("Jenis kekerasan yang dipilih tidak dikenal."))
    before = _law_state(case)
    victim = Victim(case=case, survivor_code=_new_survivor_code(), name=data.name.strip(), nik=data.nik,
                    birth_date=data.birth_date, age_at_incident=data.age, sex=data.sex, education=data.education,
                    occupation=data.occupation, marital_status=data.marital_status,
                    has_disability=data.has_disability, disability_kinds=sorted(set(data.disability_kinds)),
                    address_kecamatan=data.address_kecamatan, address_village=data.address_village,
                    address_detail=data.address_detail, phone=data.phone)
    _check_victim(victim)
    _set_age(victim, case.incident.occurred_on)
    _relabel_lookups(victim)
    victim.save()
    VictimViolence.objects.bulk_create([VictimViolence(victim=victim, violence_type=t, known_at=known_at,
                                                       recorded_by=actor) for t in sorted(set(data.violence_types))])
    perpetrators = {p.pk: p for p in case.perpetrators.all()}
    for perpetrator_id, relationship in (relationships or {}).items():
        if perpetrator_id not in perpetrators or relationship not in codes.Relationship.values:
            raise CaseError(_("Pilih hubungan korban dengan setiap pelaku."))
        VictimPerpetrator.objects.create(victim=victim, perpetrator=perpetrators[perpetrator_id],
                                         relationship=relationship)
    label = history.victim_label(victim)
    history.record(case=case, actor=actor, record_type="victim", record_id=victim.pk, record_label=label,
                   action=history.ADD, field="violence_types", field_label=_("Jenis kekerasan"),
                   new=history.violence_labels(data.violence_types), at=known_at)
    audit_record(actor=actor, action="case.victim_add", obj=case, request=request,
                 details={"victim": victim.survivor_code, "violence_types": sorted(set(data.violence_types))})
    _law_reapply(case, before, actor=actor, known_at=known_at, reason="", request=request)
    return victim


@transaction.atomic
def victim_remove(*, victim: Victim, actor: User, reason: str, version: int | None, request=None) -> Victim:
    """Remove a victim recorded by mistake (soft, with the reason): gone from the page and the statistics."""
    case = victim.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(victim, read_version=version)
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan penghapusan."))
    if case.victims.exclude(pk=victim.pk).count() == 0:
        raise CaseError(_("Kasus harus mencatat setidaknya satu korban. Tambahkan korban yang benar lebih dulu."))
    before = _law_state(case)
    now = _now()
    victim.removed_at, victim.removed_by, victim.removal_reason = now, actor, reason.strip()
    victim.save(update_fields=["removed_at", "removed_by", "removal_reason", "updated_at"])
    history.record(case=case, actor=actor, record_type="victim", record_id=victim.pk,
                   record_label=history.victim_label(victim), action=history.REMOVE, reason=reason, at=now)
    audit_record(actor=actor, action="case.victim_remove", obj=case, request=request,
                 details={"victim": victim.survivor_code})
    _law_reapply(case, before, actor=actor, known_at=now, reason=reason, request=request)
    return victim


@transaction.atomic
def victim_violence_update(*, victim: Victim, actor: User, violence_types: list[str],
                           known_at: datetime | None = None, reason: str = "", version: int | None,
                           request=None) -> tuple[list[str], list[str]]:
    """Set a victim's violence types: the added ones with the moment they became known, the removed ones kept
    with the reason. Returns (added, removed)."""
    case = victim.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(victim, read_version=version)
    wanted = set(violence_types)
    if not wanted:
        raise CaseError(_("Pilih setidaknya satu jenis kekerasan untuk korban ini."))
    if wanted - set(codes.ViolenceType.values):
        raise CaseError(_("Jenis kekerasan yang dipilih tidak dikenal."))
    rows = {row.violence_type: row for row in VictimViolence.objects.filter(victim=victim)}
    added, removed = sorted(wanted - set(rows)), sorted(set(rows) - wanted)
    if not (added or removed):
        return [], []
    if removed and not reason.strip():
        raise CaseError(_("Tuliskan alasan menghapus jenis kekerasan."))
    known_at = _check_known_at(case, known_at)
    before = _law_state(case)
    now = _now()
    for kind in removed:
        row = rows[kind]
        row.removed_at, row.removed_by, row.removal_reason = now, actor, reason.strip()
        row.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    VictimViolence.objects.bulk_create([VictimViolence(victim=victim, violence_type=kind, known_at=known_at,
                                                       recorded_by=actor) for kind in added])
    history.record(case=case, actor=actor, record_type="victim", record_id=victim.pk,
                   record_label=history.victim_label(victim), action=history.EDIT, field="violence_types",
                   field_label=_("Jenis kekerasan"), old=history.violence_labels(rows),
                   new=history.violence_labels(wanted), reason=reason, at=known_at if added else now)
    audit_record(actor=actor, action="case.victim_violence_update", obj=case, request=request,
                 details={"victim": victim.survivor_code, "added": added, "removed": removed})
    _law_reapply(case, before, actor=actor, known_at=known_at, reason=reason, request=request)
    return added, removed


# --- Perpetrators and their relationships to the victims ------------------------------------------------

def _check_perpetrator(perpetrator: Perpetrator) -> None:
    if perpetrator.sex not in codes.Sex.values:
        raise CaseError(_("Pilih jenis kelamin pelaku."))
    if message := bounds.count_problem(perpetrator.age, maximum=bounds.MAX_AGE, what=_("Usia")):
        raise CaseError(message)


def _set_relationships(*, case: Case, actor: User, perpetrator: Perpetrator, relationships: dict[int, str],
                       reason: str, at: datetime) -> list[int]:
    """The relationship of each pair (SIMFONI counts pairs), keyed by victim id; returns the victims changed."""
    victims = {v.pk: v for v in case.victims.all()}
    links = {link.victim_id: link for link in VictimPerpetrator.objects.filter(perpetrator=perpetrator)}
    changed = []
    for victim_id, relationship in relationships.items():
        if victim_id not in victims or relationship not in codes.Relationship.values:
            raise CaseError(_("Pilih hubungan pelaku dengan setiap korban."))
        link = links.get(victim_id)
        old = link.get_relationship_display() if link else ""
        if link is None:
            link = VictimPerpetrator.objects.create(victim=victims[victim_id], perpetrator=perpetrator,
                                                    relationship=relationship)
        elif link.relationship != relationship:
            link.relationship = relationship
            link.save(update_fields=["relationship"])
        else:
            continue
        changed.append(victim_id)
        history.record(case=case, actor=actor, record_type="relationship", record_id=link.pk,
                       record_label=f"{history.perpetrator_label(perpetrator)} – "
                                    f"{history.victim_label(victims[victim_id])}",
                       action=history.EDIT, field="relationship", field_label=_("Hubungan dengan korban"),
                       old=old, new=link.get_relationship_display(), reason=reason, at=at)
    return changed


@transaction.atomic
def perpetrator_update(*, perpetrator: Perpetrator, actor: User, changes: dict,
                       relationships: dict[int, str] | None = None, reason: str = "", version: int | None,
                       request=None) -> list[str]:
    """Correct a perpetrator's facts and relationships (identity learnt later, age corrected)."""
    case = perpetrator.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(perpetrator, read_version=version)
    before = _law_state(case)
    olds = _snapshot(perpetrator, PERPETRATOR_FIELDS)
    changed = _apply(perpetrator, changes, PERPETRATOR_FIELDS)
    if perpetrator.age is not None and perpetrator.age < codes.CHILD_AGE_LIMIT and not perpetrator.is_child:
        perpetrator.is_child = True  # as at intake: an age under 18 is a child, whatever the box says
        if "is_child" not in changed:
            changed.append("is_child")
    _check_perpetrator(perpetrator)
    now = _now()
    if changed:
        perpetrator.save()
        _record_fields(case=case, actor=actor, obj=perpetrator, record_type="perpetrator",
                       record_label=history.perpetrator_label(perpetrator), olds=olds, changed=changed,
                       reason=reason, at=now)
    pairs = _set_relationships(case=case, actor=actor, perpetrator=perpetrator, relationships=relationships or {},
                               reason=reason, at=now)
    if changed or pairs:
        audit_record(actor=actor, action="case.perpetrator_update", obj=case, request=request,
                     details={"perpetrator": perpetrator.pk, "fields": changed, "relationships": len(pairs)})
        _law_reapply(case, before, actor=actor, known_at=now, reason=reason, request=request)
    return changed + [f"relationship_{victim_id}" for victim_id in pairs]


@transaction.atomic
def perpetrator_add(*, case: Case, actor: User, sex: str, name: str = "", age: int | None = None,
                    is_child: bool = False, relationships: dict[int, str] | None = None,
                    request=None) -> Perpetrator:
    """Add a perpetrator learnt of after intake, with the relationship to each victim (by victim id)."""
    _require_team(case, actor)
    _require_open(case)
    before = _law_state(case)
    perpetrator = Perpetrator(case=case, name=name.strip(), sex=sex, age=age,
                              is_child=is_child or (age is not None and age < codes.CHILD_AGE_LIMIT))
    _check_perpetrator(perpetrator)
    perpetrator.save()
    now = _now()
    history.record(case=case, actor=actor, record_type="perpetrator", record_id=perpetrator.pk,
                   record_label=history.perpetrator_label(perpetrator), action=history.ADD, at=now)
    _set_relationships(case=case, actor=actor, perpetrator=perpetrator, relationships=relationships or {},
                       reason="", at=now)
    audit_record(actor=actor, action="case.perpetrator_add", obj=case, request=request,
                 details={"perpetrator": perpetrator.pk})
    _law_reapply(case, before, actor=actor, known_at=now, reason="", request=request)
    return perpetrator


@transaction.atomic
def perpetrator_remove(*, perpetrator: Perpetrator, actor: User, reason: str, version: int | None,
                       request=None) -> Perpetrator:
    """Remove a perpetrator recorded by mistake (soft, with the reason)."""
    case = perpetrator.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(perpetrator, read_version=version)
    if not reason.strip():
        raise CaseError(_("Tuliskan alasan penghapusan."))
    before = _law_state(case)
    now = _now()
    perpetrator.removed_at, perpetrator.removed_by, perpetrator.removal_reason = now, actor, reason.strip()
    perpetrator.save(update_fields=["removed_at", "removed_by", "removal_reason", "updated_at"])
    history.record(case=case, actor=actor, record_type="perpetrator", record_id=perpetrator.pk,
                   record_label=history.perpetrator_label(perpetrator), action=history.REMOVE, reason=reason, at=now)
    audit_record(actor=actor, action="case.perpetrator_remove", obj=case, request=request,
                 details={"perpetrator": perpetrator.pk})
    # Removing the only adult perpetrator can turn "TPKS" into "diversion": the bar is asked again.
    _law_reapply(case, before, actor=actor, known_at=now, reason=reason, request=request)
    return perpetrator


# --- The incident --------------------------------------------------------------------------------------------

@transaction.atomic
def incident_update(*, incident: Incident, actor: User, changes: dict, known_at: datetime | None = None,
                    reason: str = "", version: int | None, request=None) -> list[str]:
    """Correct the incident (date, place, area, TPKS forms, TPPO elements, chronology); a new date moves every
    victim's age at the incident, and TPKS or TPPO learnt now is re-applied from `known_at`."""
    case = incident.case
    _require_team(case, actor)
    _require_open(case)
    version_claim(incident, read_version=version)
    before = _law_state(case)
    olds = _snapshot(incident, INCIDENT_FIELDS)
    changed = _apply(incident, changes, INCIDENT_FIELDS)
    if not changed:
        return []
    if message := bounds.INCIDENT.problem(incident.occurred_on, what=_("Tanggal kejadian")):
        raise CaseError(message)
    if incident.occurred_on > timezone.localdate(case.received_at):
        raise CaseError(_("Tanggal kejadian tidak boleh sesudah pengaduan diterima."))
    if incident.place not in codes.Place.values:
        raise CaseError(_("Pilih tempat kejadian."))
    if incident.outside_district and (incident.kecamatan or incident.village):
        raise CaseError(_("Kejadian di luar kabupaten tidak memakai kecamatan atau desa kabupaten ini."))
    _check_area(incident.kecamatan, incident.village)
    if set(incident.tpks_forms) - set(codes.TpksForm.values) or set(incident.tppo_elements) - set(
            codes.TppoElement.values):
        raise CaseError(_("Bentuk TPKS atau unsur TPPO yang dipilih tidak dikenal."))
    known_at = _check_known_at(case, known_at)
    incident.save()
    now = _now()
    _record_fields(case=case, actor=actor, obj=incident, record_type="incident", record_label=_("Kejadian"),
                   olds=olds, changed=changed, reason=reason, at=now)
    if "occurred_on" in changed:
        _recompute_ages(case=case, actor=actor, occurred_on=incident.occurred_on, reason=reason, at=now)
    audit_record(actor=actor, action="case.incident_update", obj=case, request=request, details={"fields": changed})
    _law_reapply(case, before, actor=actor, known_at=known_at, reason=reason, request=request)
    return changed


def _recompute_ages(*, case: Case, actor: User, occurred_on: date, reason: str, at: datetime) -> None:
    for victim in case.victims.all():
        if not victim.birth_date:
            continue  # an estimated age was given as the age at the incident: it stays
        old_age, old_group = victim.age_at_incident, victim.get_age_group_display()
        _set_age(victim, occurred_on)
        if victim.age_at_incident != old_age:
            victim.save(update_fields=["age_at_incident", "age_group", "is_child", "updated_at"])
            history.record(case=case, actor=actor, record_type="victim", record_id=victim.pk,
                           record_label=history.victim_label(victim), action=history.EDIT,
                           field="age_at_incident", field_label=history.field_label(victim, "age_at_incident"),
                           old=f"{old_age} ({old_group})",
                           new=f"{victim.age_at_incident} ({victim.get_age_group_display()})", reason=reason, at=at)
