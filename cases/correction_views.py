"""Pages of the corrections after intake and of the case's history (Riwayat).

Every case is fetched through `_get_case_for_team`: the case team's cases (selectors.case_team_cases), 404 for
everyone else, a GET audited as a read. Each view parses its form, calls one service of cases.corrections and
redirects to the case page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import correction_forms as cforms
from cases import corrections, history, selectors
from cases.models import Case, Perpetrator, Victim
from cases.services import CaseError
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.policy import Capability, requires
from core.versioning import VERSION_FIELD, StaleEdit


def _get_case_for_team(request: HttpRequest, pk: int, *, page: str) -> Case:
    case = get_in_scope_or_404(selectors.case_team_cases(user=request.user).select_related("incident"), pk=pk)
    if request.method == "GET":
        audit_record(actor=request.user, action="case.read", obj=case, request=request, details={"page": page})
    return case


def _case_url(case: Case, anchor: str) -> str:
    return reverse("cases:detail", args=[case.pk]) + f"#{anchor}"


def _bound(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _page(request, case, form, title: str, *, intro: str = "", record_label: str = "") -> HttpResponse:
    return render(request, "cases/corrections/form.html", {"case": case, "form": form, "title": title,
                                                           "intro": intro, "record_label": record_label})


def _save(request, case, form, *, perform: Callable[[dict], str], anchor: str,
          stored: Callable[[], dict] | None = None) -> HttpResponse | None:
    """Run the service of a valid posted form: a redirect on success, None to show the form again (its error,
    or the conflict with what another person saved meanwhile)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        with submission_claim(form=form, user=request.user) as claim:
            message = perform(form.cleaned_data)
            claim.done(_case_url(case, anchor))
    except AlreadySubmitted as repeat:
        return repeated(request, repeat)
    except CaseError as error:
        form.add_error(None, str(error))
        return None
    except StaleEdit:
        if not form.show_conflict(stored()):
            return redirect(_case_url(case, anchor))  # the record already holds what was typed
        return None
    messages.success(request, message)
    return redirect(claim.url)


# --- Victims ------------------------------------------------------------------------------------------------

def _victim(case: Case, victim_pk: int) -> Victim:
    return get_in_scope_or_404(Victim.objects.filter(case=case), pk=victim_pk)


@requires(Capability.CASE_WORK)
def victim_edit(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """Correct a victim's facts."""
    case = _get_case_for_team(request, pk, page="koreksi-korban")
    victim = _victim(case, victim_pk)
    form = cforms.VictimEditForm(_bound(request), initial=cforms.initial_from(victim, corrections.VICTIM_FIELDS))

    def perform(data):
        changed = corrections.victim_update(victim=victim, actor=request.user, changes=form.changes(),
                                            reason=data["reason"], version=data[VERSION_FIELD], request=request)
        return _("Data korban diperbarui.") if changed else _("Tidak ada yang berubah.")

    def stored():
        return cforms.initial_from(Victim.objects.get(pk=victim.pk), corrections.VICTIM_FIELDS)

    return _save(request, case, form, perform=perform, anchor="korban", stored=stored) or _page(
        request, case, form, _("Ubah data korban"), record_label=history.victim_label(victim),
        intro=_("Data identitas tersimpan terenkripsi; perubahan tercatat di riwayat kasus."))


@requires(Capability.CASE_WORK)
def victim_violence(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """Add or remove a victim's violence types, with when the new ones became known."""
    case = _get_case_for_team(request, pk, page="koreksi-kekerasan")
    victim = _victim(case, victim_pk)

    def stored():
        current = Victim.objects.get(pk=victim.pk)
        return {"violence_types": sorted(current.violence_types.values_list("violence_type", flat=True)),
                VERSION_FIELD: current.version}

    form = cforms.ViolenceForm(_bound(request), initial=stored())

    def perform(data):
        added, removed = corrections.victim_violence_update(
            victim=victim, actor=request.user, violence_types=data["violence_types"], known_at=data["known_at"],
            reason=data["reason"], version=data[VERSION_FIELD], request=request)
        return _("Jenis kekerasan diperbarui.") if added or removed else _("Tidak ada yang berubah.")

    return _save(request, case, form, perform=perform, anchor="korban", stored=stored) or _page(
        request, case, form, _("Jenis kekerasan korban"), record_label=history.victim_label(victim),
        intro=_("Kekerasan seksual (UU 12/2022) atau perdagangan orang yang baru diketahui membuat mediasi tidak "
                "dibolehkan (Pasal 23) dan memulai tenggat lapor polisi 3×24 jam (Pasal 41) sejak diketahui."))


@requires(Capability.CASE_WORK)
@idempotent_post
def victim_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a victim found after intake."""
    case = _get_case_for_team(request, pk, page="tambah-korban")
    form = cforms.VictimAddForm(_bound(request), case=case)

    def perform(data):
        corrections.victim_add(case=case, actor=request.user, data=form.victim_data(), known_at=data["known_at"],
                               relationships=form.relationships(), request=request)
        return _("Korban ditambahkan.")

    return _save(request, case, form, perform=perform, anchor="korban") or _page(
        request, case, form, _("Tambah korban"))


@requires(Capability.CASE_WORK)
def victim_remove(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """Remove a victim recorded by mistake (kept in the history with the reason)."""
    case = _get_case_for_team(request, pk, page="hapus-korban")
    victim = _victim(case, victim_pk)
    form = cforms.RemoveForm(_bound(request), initial={VERSION_FIELD: victim.version},
                             submit_label=_("Hapus korban ini"))

    def perform(data):
        corrections.victim_remove(victim=victim, actor=request.user, reason=data["reason"],
                                  version=data[VERSION_FIELD], request=request)
        return _("Korban dihapus dari kasus; tetap tercatat di riwayat.")

    return _save(request, case, form, perform=perform, anchor="korban",
                 stored=lambda: {"reason": "", VERSION_FIELD: Victim.objects.get(pk=victim.pk).version}) or _page(
        request, case, form, _("Hapus korban"), record_label=history.victim_label(victim),
        intro=_("Hanya untuk korban yang tercatat keliru. Korban hilang dari halaman kasus dan statistik, tetapi "
                "tetap ada di riwayat bersama alasannya."))


# --- Perpetrators -------------------------------------------------------------------------------------------

def _perpetrator(case: Case, perpetrator_pk: int) -> Perpetrator:
    return get_in_scope_or_404(Perpetrator.objects.filter(case=case), pk=perpetrator_pk)


@requires(Capability.CASE_WORK)
def perpetrator_edit(request: HttpRequest, pk: int, perpetrator_pk: int) -> HttpResponse:
    """Correct a perpetrator's facts and relationship to each victim."""
    case = _get_case_for_team(request, pk, page="koreksi-pelaku")
    perpetrator = _perpetrator(case, perpetrator_pk)
    form = cforms.PerpetratorEditForm(_bound(request), case=case, initial=cforms.perpetrator_initial(perpetrator))

    def perform(data):
        changed = corrections.perpetrator_update(
            perpetrator=perpetrator, actor=request.user, changes=form.changes(), relationships=form.relationships(),
            reason=data["reason"], version=data[VERSION_FIELD], request=request)
        return _("Data pelaku diperbarui.") if changed else _("Tidak ada yang berubah.")

    return _save(request, case, form, perform=perform, anchor="pelaku",
                 stored=lambda: cforms.perpetrator_initial(Perpetrator.objects.get(pk=perpetrator.pk))) or _page(
        request, case, form, _("Ubah data pelaku"), record_label=history.perpetrator_label(perpetrator))


@requires(Capability.CASE_WORK)
@idempotent_post
def perpetrator_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a perpetrator learnt of after intake."""
    case = _get_case_for_team(request, pk, page="tambah-pelaku")
    form = cforms.PerpetratorAddForm(_bound(request), case=case)

    def perform(data):
        corrections.perpetrator_add(case=case, actor=request.user, sex=data["sex"], name=data["name"],
                                    age=data["age"], is_child=data["is_child"], relationships=form.relationships(),
                                    request=request)
        return _("Pelaku ditambahkan.")

    return _save(request, case, form, perform=perform, anchor="pelaku") or _page(
        request, case, form, _("Tambah pelaku"))


@requires(Capability.CASE_WORK)
def perpetrator_remove(request: HttpRequest, pk: int, perpetrator_pk: int) -> HttpResponse:
    """Remove a perpetrator recorded by mistake."""
    case = _get_case_for_team(request, pk, page="hapus-pelaku")
    perpetrator = _perpetrator(case, perpetrator_pk)
    form = cforms.RemoveForm(_bound(request), initial={VERSION_FIELD: perpetrator.version},
                             submit_label=_("Hapus pelaku ini"))

    def perform(data):
        corrections.perpetrator_remove(perpetrator=perpetrator, actor=request.user, reason=data["reason"],
                                       version=data[VERSION_FIELD], request=request)
        return _("Pelaku dihapus dari kasus; tetap tercatat di riwayat.")

    return _save(request, case, form, perform=perform, anchor="pelaku",
                 stored=lambda: {"reason": "", VERSION_FIELD: Perpetrator.objects.get(pk=perpetrator.pk).version}
                 ) or _page(request, case, form, _("Hapus pelaku"), record_label=history.perpetrator_label(perpetrator))


# --- The incident -------------------------------------------------------------------------------------------

@requires(Capability.CASE_WORK)
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the incident: date, place, area, TPKS forms, TPPO elements, chronology."""
    case = _get_case_for_team(request, pk, page="koreksi-kejadian")
    incident = case.incident
    form = cforms.IncidentEditForm(_bound(request), initial=cforms.initial_from(incident, corrections.INCIDENT_FIELDS))

    def perform(data):
        changed = corrections.incident_update(incident=incident, actor=request.user, changes=form.changes(),
                                              known_at=data["known_at"], reason=data["reason"],
                                              version=data[VERSION_FIELD], request=request)
        return _("Data kejadian diperbarui.") if changed else _("Tidak ada yang berubah.")

    def stored():
        return cforms.initial_from(type(incident).objects.get(pk=incident.pk), corrections.INCIDENT_FIELDS)

    return _save(request, case, form, perform=perform, anchor="kejadian", stored=stored) or _page(
        request, case, form, _("Ubah data kejadian"), record_label=_("Kejadian"))


# --- History ------------------------------------------------------------------------------------------------

@requires(Capability.CASE_WORK)
def case_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Riwayat: every correction of the case file, for the case team only."""
    case = _get_case_for_team(request, pk, page="riwayat")
    rows = history.case_history(case=case)
    return render(request, "cases/corrections/history.html", {
        "case": case, "rows": rows, "identity_rows": history.identity_changes(rows)})
