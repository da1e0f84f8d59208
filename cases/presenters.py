"""The case page, decided in Python: which sections it has, which actions it offers (label and URL), where the
case stands and what comes next, for this user on this case. templates/cases/detail/ only lays it out.

Everything is read from the case as `selectors.case_for_page` loaded it: the presenter adds no query but the
supervisor's audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from cases import deadlines, documents, rules, selectors
from cases.agenda import AgendaRow, case_agenda_rows
from cases.deadlines import DeadlineItem
from cases.models import Assessment, Case, Consent, Perpetrator, PlannedService, ServiceDelivery, Victim
from core import codes
from core.policy import Capability, can

S = codes.CaseStage


@dataclass(frozen=True)
class Capabilities:
    """What this user may do on the case beyond recording its work, asked of the access policy once per page."""

    assign: bool = False
    decide_closure: bool = False
    approve_consent: bool = False
    read_audit_trail: bool = False
    # The identity section, on the page and in every printed document (cases.documents asks this too).
    see_identity: bool = False

    @classmethod
    def for_user(cls, user: User) -> Capabilities:
        return cls(assign=can(user, Capability.CASE_ASSIGN), decide_closure=can(user, Capability.CASE_DECIDE_CLOSURE),
                   approve_consent=can(user, Capability.CASE_APPROVE_CONSENT),
                   read_audit_trail=can(user, Capability.CASE_VIEW_READS),
                   see_identity=can(user, Capability.CASE_VIEW_IDENTITY))


@dataclass(frozen=True)
class Action:
    """A link the page offers: what it says and where it goes."""

    label: str
    url: str


@dataclass(frozen=True)
class Step:
    label: str
    url: str
    explanation: str = ""
    primary: bool = False

    @property
    def button_class(self) -> str:
        return "btn-primary" if self.primary else "btn-outline-primary"


@dataclass(frozen=True)
class ProgressStep:
    label: str
    state: str  # "done", "current" or "todo": also the CSS class

    @property
    def is_current(self) -> bool:
        return self.state == "current"

    @property
    def icon(self) -> str:
        return {"done": "bi-check-circle-fill", "current": "bi-arrow-right-circle-fill"}.get(self.state, "bi-circle")

    @property
    def spoken(self) -> str:
        """What a screen reader hears before the label (the icon is hidden from it)."""
        return {"done": _("selesai:"), "current": _("sekarang:")}.get(self.state, "")


@dataclass(frozen=True)
class Section:
    """A card of the page: its anchor and name in the section navigation, and the action in its heading."""

    anchor: str
    label: str
    action: Action | None = None
    visible: bool = True


@dataclass(frozen=True)
class VictimRow:
    victim: Victim
    life_stage: str  # "anak" or "dewasa"
    violence: str
    disability: str
    perpetrators: str  # "Pelaku 1: Tetangga; ..."
    missing: list[str]  # which identity facts are still to be completed (their names, never their values)
    place: str = ""  # where this victim was harmed: place, KDRT (the victim's own, SIMFONI counts per victim)
    area: str = ""  # desa, kecamatan or "luar daerah"
    corrections: tuple[Action, ...] = ()  # change, violence types, remove (cases.corrections)


@dataclass(frozen=True)
class PerpetratorRow:
    number: int
    perpetrator: Perpetrator
    description: str  # sex and age
    corrections: tuple[Action, ...] = ()


@dataclass(frozen=True)
class AssessmentRow:
    assessment: Assessment
    needs: str


@dataclass(frozen=True)
class ServiceRow:
    """A line of the intervention plan (`item` is a PlannedService) or a service given (a ServiceDelivery)."""

    item: PlannedService | ServiceDelivery
    provider: str
    status: str = ""  # a plan line: whether it was delivered (cases.selectors.planned_delivered_q), in words


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    withdrawn: bool
    awaiting_approval: bool
    approve: Action | None
    withdraw: Action | None


@dataclass(frozen=True)
class ReadRow:
    at: datetime
    actor_label: str
    page: str


@dataclass(frozen=True)
class IdentityRow:
    """PERSONAL: shown only in the identity section (UU 27/2022), never in lists, logs or other sections."""

    survivor_code: str
    name: str
    nik: str
    birth_date: date | None
    address: str
    phone: str


@dataclass(frozen=True)
class Identity:
    """PERSONAL: the identity section's content, kept apart so no other section reaches for it."""

    victims: list[IdentityRow]
    reporter: str
    perpetrator_names: str
    chronology: str


@dataclass(frozen=True)
class CasePage:
    case: Case
    may: Capabilities
    progress: list[ProgressStep]
    steps: list[Step]
    deadlines: list[DeadlineItem]
    # At most one closure notice holds; "reopened" may come with none.
    closed: bool
    closure_pending: bool
    closure_rejected: bool
    reopened: bool
    assign: Action | None
    sections: dict[str, Section]
    victims: list[VictimRow]
    perpetrators: list[PerpetratorRow]
    incident_place: str
    incident_area: str
    assessments: list[AssessmentRow]
    plan: list[ServiceRow]
    services: list[ServiceRow]
    mediation_bar: str  # why the law rules mediation out, or ""
    consents: list[ConsentRow]
    police_note: str
    identity: Identity | None  # None: the user may not see the identity section
    reads: list[ReadRow]
    prints: list[Action]  # the "Cetak" menu: the documents this case has
    agenda: list[AgendaRow] = field(default_factory=list)
    history: Action | None = None  # Riwayat: the corrections after intake (the case team's)
    mediation_flagged: bool = False  # a fact learnt later barred a mediation already held (UU 12/2022 Pasal 23)

    @property
    def nav(self) -> list[Section]:
        return [section for section in self.sections.values() if section.visible]


def case_page(*, case: Case, user: User, now: datetime | None = None) -> CasePage:
    """What the case page shows `user` (who may see `case`: the view fetched it in scope)."""
    now = now or timezone.now()
    may = Capabilities.for_user(user)
    is_tpks = rules.is_tpks(case)
    is_open = not case.is_closed
    bar = rules.mediation_bar(case)
    numbers = {perpetrator.pk: i for i, perpetrator in enumerate(case.perpetrators.all(), start=1)}

    def url(name: str, *args) -> str:
        return reverse(f"cases:{name}", args=[case.pk, *args])

    def offer(when: bool, label: str, name: str) -> Action | None:
        return Action(label, url(name)) if when else None

    # Corrections after intake: the case team (whoever may open this page to work on it) while the case is open.
    correct = is_open and can(user, Capability.CASE_WORK)
    sections = {
        "victims": Section("korban", _("Korban"), offer(correct, _("Tambah korban"), "victim_add")),
        "perpetrators": Section("pelaku", _("Pelaku"), offer(correct, _("Tambah pelaku"), "perpetrator_add")),
        "incident": Section("kejadian", _("Kejadian"), offer(correct, _("Ubah kejadian"), "incident_edit")),
        "assessments": Section("asesmen", _("Asesmen"),
                               offer(is_open and case.stage != S.COMPLAINT, _("Tambah asesmen"), "assess")),
        "plan": Section("rencana", _("Rencana"), offer(is_open and bool(case.assessments.all()),
                                                       _("Tambah layanan ke rencana"), "plan")),
        "services": Section("layanan", _("Layanan"), offer(is_open, _("Catat layanan"), "deliver")),
        "accompaniments": Section("pendampingan", _("Pendampingan"),
                                  offer(is_open, _("Catat pendampingan"), "accompany")),
        # UU 12/2022 Pasal 23: mediation is offered only where the law allows one.
        "mediation": Section("mediasi", _("Mediasi"), offer(is_open and bar is None, _("Mediasi"), "mediation")),
        "consents": Section("persetujuan", _("Persetujuan"), offer(True, _("Catat persetujuan"), "consent")),
        "police": Section("kepolisian", _("Kepolisian"), offer(is_open and case.police_reported_at is None,
                                                               _("Catat laporan ke kepolisian"), "police")),
        "notes": Section("catatan", _("Catatan"), offer(True, _("Tambah catatan"), "note")),
        "attachments": Section("lampiran", _("Lampiran"), offer(True, _("Unggah lampiran"), "attach")),
        "agenda": Section("agenda", _("Agenda"), offer(is_open, _("Tambah agenda"), "agenda_add")),
        "referrals": Section("rujukan", _("Rujukan")),
        "identity": Section("identitas", _("Data identitas"), visible=may.see_identity),
        "reads": Section("audit", _("Jejak baca"), visible=may.read_audit_trail),
    }
    return CasePage(
        case=case, may=may,
        progress=stage_progress(case),
        steps=next_steps(case, user=user, may=may, is_tpks=is_tpks),
        deadlines=deadlines.case_deadlines(case, is_tpks=is_tpks, now=now),
        closed=case.is_closed,
        closure_pending=is_open and case.closure_requested_at is not None,
        closure_rejected=is_open and case.closure_requested_at is None and bool(case.closure_rejection_reason),
        reopened=is_open and bool(case.reopen_count),
        assign=offer(may.assign and is_open, _("Tugaskan ulang") if case.assigned_worker_id else _("Tugaskan"),
                     "assign"),
        sections=sections,
        victims=[_victim_row(victim, numbers, _victim_corrections(victim, url) if correct else ())
                 for victim in case.victims.all()],
        perpetrators=[PerpetratorRow(numbers[p.pk], p, _perpetrator_description(p),
                                     _perpetrator_corrections(p, url) if correct else ())
                      for p in case.perpetrators.all()],
        incident_place=_incident_place(case.incident),
        incident_area=_incident_area(case.incident),
        assessments=[AssessmentRow(a, "; ".join(rules.assessment_needs(a)) or "–") for a in case.assessments.all()],
        plan=[ServiceRow(line, _provider(line), _plan_status(line)) for line in case.planned_services.all()],
        services=[ServiceRow(delivery, _provider(delivery)) for delivery in case.service_deliveries.all()],
        mediation_bar=bar.reason if bar else "",
        consents=[_consent_row(consent, may, url) for consent in case.consents.all()],
        police_note=(_("Kasus TPKS: wajib dilaporkan ke kepolisian paling lambat 3×24 jam (UU 12/2022 Pasal 41).")
                     if is_tpks else _("Belum dilaporkan.")),
        identity=_identity(case) if may.see_identity else None,
        reads=[_read_row(event) for event in selectors.case_reads(case=case)] if may.read_audit_trail else [],
        agenda=case_agenda_rows(case=case, today=timezone.localdate(now)),
        prints=[Action(document.title, reverse("cases:document", args=[case.pk, document.kind]))
                for document in documents.available(case)],
        history=offer(can(user, Capability.CASE_WORK), _("Riwayat perubahan"), "history"),
        mediation_flagged=any(m.barred_at for m in case.mediations.all()),
    )


def _victim_corrections(victim: Victim, url) -> tuple[Action, ...]:
    return (Action(_("Ubah data"), url("victim_edit", victim.pk)),
            Action(_("Jenis kekerasan"), url("victim_violence", victim.pk)),
            Action(_("Hapus"), url("victim_remove", victim.pk)))


def _perpetrator_corrections(perpetrator: Perpetrator, url) -> tuple[Action, ...]:
    return (Action(_("Ubah data"), url("perpetrator_edit", perpetrator.pk)),
            Action(_("Hapus"), url("perpetrator_remove", perpetrator.pk)))


def stage_progress(case: Case) -> list[ProgressStep]:
    """Each stage in order, done, current or to do (a screen reader hears the current one)."""
    current = list(S.values).index(case.stage)
    return [ProgressStep(label, "done" if i < current else "current" if i == current else "todo")
            for i, (_value, label) in enumerate(S.choices)]


def next_steps(case: Case, *, user: User, may: Capabilities, is_tpks: bool) -> list[Step]:
    """The actions the service standard (Permen PPPA 2/2022) expects next on this case, for this user."""

    def url(name: str) -> str:
        return reverse(f"cases:{name}", args=[case.pk])

    if case.stage == S.CLOSED:
        return [Step(_("Buka kembali kasus"), url("reopen"), _("Bila korban memerlukan penanganan lagi."))]
    steps: list[Step] = []
    if case.closure_requested_at is not None:
        # The one who asked for the closure never decides it.
        if may.decide_closure and case.closure_requested_by_id != user.pk:
            steps.append(Step(_("Putuskan terminasi"), url("closure_decide"),
                              _("Pendamping mengajukan terminasi; setujui atau tolak dengan alasan."), primary=True))
        else:
            steps.append(Step(_("Menunggu keputusan koordinator atas terminasi"), "",
                              _("Kasus ditutup setelah koordinator menyetujui.")))
    elif case.stage == S.COMPLAINT:
        steps.append(Step(_("Identifikasi kasus"), url("identify"),
                          _("Jenis kasus, tingkat risiko dan kewenangan, paling lambat 3 hari kerja."), primary=True))
    elif case.stage == S.IDENTIFICATION:
        steps.append(Step(_("Lakukan asesmen"), url("assess"),
                          _("Kebutuhan kesehatan, psikologis, sosial, ekonomi, pendidikan, hukum dan keamanan."),
                          primary=True))
    elif case.stage == S.ASSESSMENT:
        steps.append(Step(_("Susun rencana intervensi"), url("plan"),
                          _("Layanan, pemberi layanan dan target tanggal, bersama penerima manfaat."), primary=True))
    elif case.stage == S.PLANNING:
        steps.append(Step(_("Mulai pelaksanaan intervensi"), url("intervention"), primary=True))
        steps.append(Step(_("Tambah layanan ke rencana"), url("plan")))
    elif case.stage == S.INTERVENTION:
        steps.append(Step(_("Catat layanan"), url("deliver"), primary=True))
        steps.append(Step(_("Mulai pemantauan"), url("monitoring"),
                          _("Setelah layanan diberikan, pantau dan evaluasi.")))
    elif case.stage == S.MONITORING:
        steps.append(Step(_("Ajukan terminasi"), url("closure_request"),
                          _("Bila tujuan intervensi tercapai; koordinator menyetujui."), primary=True))
    if case.closure_requested_at is None and case.stage != S.MONITORING:
        steps.append(Step(_("Ajukan terminasi"), url("closure_request"),
                          _("Juga bila kasus harus ditutup lebih awal, dengan alasan.")))
    if is_tpks and case.police_reported_at is None:
        steps.insert(0, Step(_("Catat laporan ke kepolisian"), url("police"),
                             _("Kasus TPKS dilaporkan ke kepolisian paling lambat 3×24 jam (UU 12/2022 Pasal 41)."),
                             primary=True))
    return steps


# --- Rows -----------------------------------------------------------------------------------------

def _kecamatan(name: str) -> str:
    abbreviation = _("Kec.")  # gettext outside f-strings, where makemessages finds it
    return f"{abbreviation} {name}"


def _labels(values, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def _perpetrator_number(number: int | None) -> str:
    return _("Pelaku %(number)s") % {"number": number}


def _victim_row(victim: Victim, numbers: dict[int, int], corrections: tuple[Action, ...] = ()) -> VictimRow:
    if not victim.has_disability:
        disability = _("Tidak")
    elif victim.disability_kinds:
        yes = _("Ya")
        disability = f"{yes}: {_labels(victim.disability_kinds, codes.DisabilityKind.choices)}"
    else:
        disability = _("Ya")
    links = "; ".join(f"{_perpetrator_number(numbers.get(link.perpetrator_id))}: {link.get_relationship_display()}"
                      for link in victim.perpetrator_links.all())
    return VictimRow(victim=victim, life_stage=_("anak") if victim.is_child else _("dewasa"),
                     violence=", ".join(v.get_violence_type_display() for v in victim.violence_types.all()),
                     disability=disability, perpetrators=links or "–", missing=identity_missing(victim),
                     place=_victim_place(victim),
                     area=_area(outside=victim.place_outside_district, kecamatan=victim.place_kecamatan,
                                village=victim.place_village), corrections=corrections)


def _victim_place(victim: Victim) -> str:
    return " · ".join([victim.get_place_display(), *(["KDRT"] if victim.is_kdrt else [])])


def identity_missing(victim: Victim) -> list[str]:
    """What the worker still has to complete about a victim (e.g. after a hotline report about an unnamed child)."""
    missing = []
    if victim.identity_unknown or not victim.name:
        missing.append(_("nama"))
    if not victim.nik:
        missing.append(_("NIK"))
    if victim.birth_date is None:
        missing.append(_("tanggal lahir (usia perkiraan)") if victim.age_estimated else _("tanggal lahir"))
    if not (victim.address_kecamatan_id or victim.address_detail):
        missing.append(_("alamat"))
    return missing


def _perpetrator_description(perpetrator: Perpetrator) -> str:
    parts = [perpetrator.get_sex_display()]
    if perpetrator.age is not None:
        parts.append(_("%(age)s tahun") % {"age": perpetrator.age})
    return ", ".join(parts)


def _incident_place(incident) -> str:
    parts = [incident.get_place_display()]
    if incident.is_online:
        parts.append(_("daring / media sosial"))
    if incident.is_kdrt:
        parts.append("KDRT")
    return " · ".join(parts)


def _incident_area(incident) -> str:
    return _area(outside=incident.outside_district, kecamatan=incident.kecamatan, village=incident.village)


def _area(*, outside: bool, kecamatan, village) -> str:
    if outside:
        return _("Luar daerah")
    name = _kecamatan(kecamatan.name if kecamatan else "–")
    return f"{village.name}, {name}" if village else name


def _provider(item: PlannedService | ServiceDelivery) -> str:
    if item.provider_agency:
        return item.provider_agency.name
    if item.provider_user:
        return item.provider_user.display_name
    return "–"


def _plan_status(line: PlannedService) -> str:
    if line.delivered:
        return _("Selesai (%(n)s kali diberikan)") % {"n": line.delivered}
    if line.is_delivered:  # by a partner agency, through a referral
        return _("Selesai, diberikan lembaga mitra lewat rujukan")
    return _("Belum")


def _consent_row(consent: Consent, may: Capabilities, url) -> ConsentRow:
    withdrawn = consent.withdrawn_at is not None
    awaiting = not withdrawn and consent.needs_approval and consent.approved_at is None
    return ConsentRow(
        consent=consent, withdrawn=withdrawn, awaiting_approval=awaiting,
        approve=Action(_("Setujui"), url("consent_approve", consent.pk)) if awaiting and may.approve_consent else None,
        withdraw=None if withdrawn else Action(_("Cabut"), url("consent_withdraw", consent.pk)))


def _read_row(event) -> ReadRow:
    if event.action == "case.attachment_read":
        page = _("lampiran")
    elif event.action == "case.print":
        page = _("cetak: %(document)s") % {"document": documents.title_of((event.details or {}).get("document"))}
    else:
        page = (event.details or {}).get("page") or _("halaman kasus")
    return ReadRow(at=event.at, actor_label=event.actor_label, page=page)


def _identity(case: Case) -> Identity:
    victims = []
    for victim in case.victims.all():
        address = victim.address_detail or ""
        if victim.address_village:
            address += f", {victim.address_village.name}"
        if victim.address_kecamatan:
            address += f", {_kecamatan(victim.address_kecamatan.name)}"
        victims.append(IdentityRow(victim.survivor_code, victim.name, victim.nik or "–", victim.birth_date, address,
                                   victim.phone or "–"))
    reporter = case.reporter_name or "–"
    if case.reporter_relation:
        reporter += f" ({case.reporter_relation})"
    if case.reporter_contact:
        reporter += f" · {case.reporter_contact}"
    names = "; ".join(f"{_perpetrator_number(i)}: {p.name or '–'}" for i, p in enumerate(case.perpetrators.all(), 1))
    return Identity(victims=victims, reporter=reporter, perpetrator_names=names or "–",
                    chronology=case.incident.chronology)
