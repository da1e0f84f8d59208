"""Pages of the case file. Every case is fetched through `_get_case_for_user`, which answers 404 outside
the user's scope (caseworker: assigned cases; supervisor: the agency's cases; everyone else: none).
Every read of a case page and every write is audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from agencies.selectors import district_villages
from cases import deadlines, forms, selectors, services
from cases.models import Case, Consent
from cases.presenters import case_page
from cases.services import CaseError
from core import codes
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.policy import Capability, can, requires
from core.versioning import VERSION_FIELD, StaleEdit
from inbox import selectors as inbox_selectors
from inbox import services as inbox_services

PAGE_SIZE = 25


def _get_case_for_user(request: HttpRequest, pk: int, *, page: str = "", for_page: bool = False) -> Case:
    """The one way to a case: scoped by cases_visible_to, 404 outside it; a GET is audited as a read."""
    cases = selectors.cases_visible_to(user=request.user)
    if for_page:
        cases = selectors.case_for_page(cases)
    case = get_in_scope_or_404(cases, pk=pk)
    if request.method == "GET":
        audit_record(actor=request.user, action="case.read", obj=case, request=request,
                     details={"page": page} if page else None)
    return case


def _bound(request: HttpRequest) -> tuple:
    """Form data for a POST (even an empty one: a form with only optional fields is still submitted)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


# --- Lists ---------------------------------------------------------------------------------------

@requires(Capability.CASE_WORK)
def case_list(request: HttpRequest) -> HttpResponse:
    """"Kasus saya" for a caseworker, the unit's cases for a supervisor. Never names, NIK or addresses."""
    form = forms.CaseFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    now = timezone.now()
    cases = selectors.cases_filter(selectors.cases_visible_to(user=request.user), filters, now=now)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"case": case,
             "survivor_codes": [victim.survivor_code for victim in case.victims.all()],
             "violence": sorted({v.get_violence_type_display() for victim in case.victims.all()
                                 for v in victim.violence_types.all()}),
             "overdue": any(item.is_overdue for item in
                            deadlines.open_deadlines(case, is_tpks=case.is_tpks, now=now))}
            for case in page]
    title = _("Kasus unit") if can(request.user, Capability.CASE_VIEW_UNIT) else _("Kasus saya")
    return render(request, "cases/list.html", {"form": form, "page": page, "rows": rows, "title": title})


@requires(Capability.CASE_WORK)
def deadline_list(request: HttpRequest) -> HttpResponse:
    """"Tenggat": every unmet time standard of the worker's cases, or of the whole unit for a supervisor."""
    form = forms.DeadlineFilterForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_valid() else {}
    cases = selectors.cases_visible_to(user=request.user)
    if data.get("worker"):
        cases = cases.filter(assigned_worker_id=data["worker"])
    now = timezone.now()
    items = deadlines.deadline_items(cases, now=now)
    if data.get("overdue"):
        items = [item for item in items if item.is_overdue]
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    breaches = ([row for row in selectors.breach_rows(user=request.user, now=now) if row.is_open]
                if can(request.user, Capability.BREACH_REGISTER) else [])
    return render(request, "cases/deadlines.html", {"form": form, "page": page, "now": now, "breaches": breaches,
                                                    "overdue_total": sum(1 for i in items if i.is_overdue)})


# --- Intake ----------------------------------------------------------------------------------------

def _bound_rows(data, formset_class, prefix: str, add: bool) -> str | None:
    """Set the row count of a posted formset (in `data`, a copy) to what can be built: never more rows than
    the formset's maximum, nor than the request carries when it claims more (a forged count costs nothing);
    one more when "add a row" was pressed. Returns the message when the rows asked for exceed the maximum."""
    key, most = f"{prefix}-TOTAL_FORMS", formset_class.max_num
    try:
        claimed = max(0, int(data.get(key, "0")))
    except ValueError:  # not a number: the rows the request carries
        claimed = None
    carried = len({name.split("-")[1] for name in data if name.startswith(f"{prefix}-")
                   and name.split("-")[1].isdecimal() and int(name.split("-")[1][:4]) < most})
    rows = carried if claimed is None or claimed > most else claimed
    too_many = (claimed or 0) > most or (add and rows >= most)
    data[key] = str(min(rows + (1 if add else 0), most))
    full = formset_class.default_error_messages["too_many_forms"]  # "at most N victims" (or perpetrators)
    return str(full % {"num": most}) if too_many else None


def _victim_count(victim_formset) -> int:
    """Victim rows in the posted formset (bounded by its absolute maximum, whatever the request claims)."""
    return max(1, victim_formset.total_form_count())


def _duplicates_for(request: HttpRequest, victim_forms) -> selectors.DuplicateMatches:
    typed = [(f.cleaned_data.get("nik", ""), f.cleaned_data.get("name", ""), f.cleaned_data.get("birth_date"))
             for f in victim_forms]
    matches = selectors.possible_duplicates(user=request.user, victims=typed)
    if matches:
        # The check itself reveals who is on file, so it is audited (no personal data in the event).
        audit_record(actor=request.user, action="case.duplicate_check", request=request,
                     details={"matches": [m.case_id for m in matches]})
    return matches


@requires(Capability.CASE_INTAKE)
@idempotent_post  # a repeat of a registered intake would find its referral in no longer pending
def case_create(request: HttpRequest) -> HttpResponse:
    """Intake (penerimaan pengaduan): one or more victims and perpetrators, and the incident."""
    intake = None
    intake_id = request.GET.get("rujukan") or request.POST.get("rujukan")
    if intake_id:
        intake = get_in_scope_or_404(inbox_selectors.intake_requests_pending(user=request.user), pk=intake_id)
    duplicates = selectors.DuplicateMatches()
    if request.method == "POST":
        add_victim, add_perpetrator = "tambah_korban" in request.POST, "tambah_pelaku" in request.POST
        posted = request.POST.copy()
        row_problems = [problem for problem in (
            _bound_rows(posted, forms.VictimFormSet, "korban", add_victim),
            _bound_rows(posted, forms.PerpetratorFormSet, "pelaku", add_perpetrator)) if problem]
        form = forms.CaseIntakeForm(posted, user=request.user)
        victim_formset = forms.VictimFormSet(posted, prefix="korban")
        perpetrator_formset = forms.PerpetratorFormSet(posted, prefix="pelaku", form_kwargs={
            "victim_count": _victim_count(victim_formset)})
        adding = add_victim or add_perpetrator
        valid = not adding and form.is_valid() & victim_formset.is_valid() & perpetrator_formset.is_valid()
        if adding:
            forms.silence_errors(form, victim_formset, perpetrator_formset)
        for problem in row_problems:
            form.add_error(None, problem)
        if valid and not row_problems:
            kept = [f for f in victim_formset.forms if f.has_changed() and not victim_formset._should_delete_form(f)]
            positions = {victim_formset.forms.index(f): place for place, f in enumerate(kept)}
            duplicates = _duplicates_for(request, kept)
            if duplicates and not form.cleaned_data["confirm_duplicates"]:
                form.add_error("confirm_duplicates", _("Ada kemungkinan duplikat. Periksa kasus yang disebut di "
                                                       "atas, lalu centang bila tetap kasus baru."))
            else:
                perpetrators = [f.perpetrator_data(positions) for f in perpetrator_formset.forms
                                if f.has_changed() and not perpetrator_formset._should_delete_form(f)]
                data = form.cleaned_data
                try:
                    with submission_claim(form=form, user=request.user) as claim:
                        case = services.case_register(
                            actor=request.user, agency=request.user.agency, received_at=data["received_at"],
                            intake_channel=data["intake_channel"], incident=form.incident_data(),
                            victims=[f.victim_data() for f in kept], perpetrators=perpetrators,
                            reporter_name=data["reporter_name"], reporter_relation=data["reporter_relation"],
                            reporter_contact=data["reporter_contact"], assigned_worker=data.get("assigned_worker"),
                            intake_request=intake, request=request)
                        claim.done(_case_url(case))
                except AlreadySubmitted as repeat:
                    return repeated(request, repeat)
                except CaseError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(request, _("Kasus %(number)s terdaftar.") % {"number": case.number})
                    return redirect(claim.url)
    else:
        form = forms.CaseIntakeForm(initial=forms.intake_initial(intake), user=request.user)
        victim_formset = forms.VictimFormSet(prefix="korban")
        perpetrator_formset = forms.PerpetratorFormSet(prefix="pelaku", form_kwargs={"victim_count": 1})
    return render(request, "cases/intake_form.html", {
        "form": form, "victim_formset": victim_formset, "perpetrator_formset": perpetrator_formset,
        "intake": intake, "duplicates": duplicates})


@requires(Capability.CASE_INTAKE)
def duplicate_check(request: HttpRequest) -> HttpResponse:
    """Possible duplicates of one victim as typed at intake (htmx POST, so the NIK never enters a URL or log)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    typed = {key.rsplit("-", 1)[-1]: value.strip() for key, value in request.POST.items()}
    nik = typed.get("nik", "")
    victim = (nik if services.NIK_PATTERN.match(nik) else "", typed.get("name", ""),
              _parse_date(typed.get("birth_date", "")))
    matches = selectors.possible_duplicates(user=request.user, victims=[victim])
    if matches:
        audit_record(actor=request.user, action="case.duplicate_check", request=request,
                     details={"matches": [m.case_id for m in matches]})
    return render(request, "cases/_duplicates.html", {"duplicates": matches})


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@requires(Capability.CASE_WORK)
@require_GET
def villages(request: HttpRequest) -> HttpResponse:
    """The desa of one kecamatan as <option>s, for the htmx kecamatan -> desa filter."""
    code = next((value for key, value in request.GET.items() if key.endswith("kecamatan")), "")
    options = district_villages(kecamatan_code=code) if code else []
    return render(request, "cases/_village_options.html", {"villages": options})


# --- The case page -----------------------------------------------------------------------------------

@requires(Capability.CASE_WORK)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The case file on one page; what it shows and offers is decided by the presenter."""
    case = _get_case_for_user(request, pk, for_page=True)
    return render(request, "cases/detail.html", {"case": case, "page": case_page(case=case, user=request.user)})


# --- Actions: one small view each, all through `_action` --------------------------------------------

@dataclass(frozen=True)
class Action:
    title: str
    form_class: type
    perform: Callable  # (request, case, cleaned_data) -> message
    page: str
    anchor: str = ""
    capability: Capability = Capability.CASE_WORK  # beyond opening the case
    form_kwargs: Callable | None = None  # (request, case) -> dict
    intro: str = ""
    # An edit of the case's own fields: (case) -> the form's initial data from the case as stored, with its
    # version. The form carries that version, and a stale submit shows these values beside the typed ones.
    stored: Callable | None = None


def _action(request: HttpRequest, pk: int, action: Action) -> HttpResponse:
    if not can(request.user, action.capability):
        raise Http404
    case = _get_case_for_user(request, pk, page=action.page)
    kwargs = action.form_kwargs(request, case) if action.form_kwargs else {}
    if action.stored:
        kwargs["initial"] = action.stored(case)
    form = action.form_class(*_bound(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                message = action.perform(request, case, form.cleaned_data)
                claim.done(_case_url(case, action.anchor))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except CaseError as error:
            form.add_error(None, str(error))
        except StaleEdit as stale:
            if not form.show_conflict(action.stored(stale.current)):
                return redirect(_case_url(case, action.anchor))  # the case already holds what was typed
        else:
            messages.success(request, message)
            return redirect(claim.url)
    return render(request, "cases/action_form.html", {"case": case, "form": form, "title": action.title,
                                                      "intro": action.intro})


def _case_kwargs(request, case) -> dict:
    return {"case": case}


def _moment(data: dict):
    return data.get("at") or None


def _stored(case: Case, **values) -> dict:
    """An edit form's initial data: the case's stored values (the empty ones left to the form's defaults)."""
    return {**{name: value for name, value in values.items() if value not in ("", None)},
            VERSION_FIELD: case.version}


def _identification_stored(case: Case) -> dict:
    return _stored(case, case_type=case.case_type, risk_level=case.risk_level, responsibility=case.responsibility,
                   at=case.identified_at)


def _assignment_stored(case: Case) -> dict:
    return _stored(case, worker=case.assigned_worker_id)


def _police_report_stored(case: Case) -> dict:
    return _stored(case, reported_at=case.police_reported_at, reference=case.police_report_reference)


def _do_identify(request, case, data) -> str:
    services.case_identify(case=case, actor=request.user, case_type=data["case_type"], risk_level=data["risk_level"],
                           responsibility=data["responsibility"], at=_moment(data), version=data[VERSION_FIELD],
                           request=request)
    return _("Identifikasi tersimpan.")


def _do_assess(request, case, data) -> str:
    services.assessment_record(case=case, actor=request.user, risk_level=data["risk_level"], needs=data["needs"],
                               notes=data["notes"], at=_moment(data), request=request)
    return _("Asesmen tersimpan.")


def _assessment_kwargs(request, case) -> dict:
    # The risk set at identification (or the last assessment) is carried forward, not asked again blank.
    return {"initial": {"risk_level": case.risk_level}} if case.risk_level else {}


def _do_plan(request, case, data) -> str:
    services.planned_service_add(case=case, actor=request.user, service=data["service"], due_on=data["due_on"],
                                 provider_agency=data["provider_agency"], provider_user=data["provider_user"],
                                 notes=data["notes"], request=request)
    return _("Layanan ditambahkan ke rencana intervensi.")


def _do_intervention(request, case, data) -> str:
    services.intervention_start(case=case, actor=request.user, at=_moment(data), request=request)
    return _("Pelaksanaan intervensi dimulai.")


def _do_deliver(request, case, data) -> str:
    services.service_delivery_record(case=case, victim=data["victim"], actor=request.user, service=data["service"],
                                     delivered_on=data["delivered_on"], provider_agency=data["provider_agency"],
                                     notes=data["notes"], planned=data["planned"], request=request)
    return _("Layanan tercatat.")


def _do_monitoring(request, case, data) -> str:
    services.monitoring_start(case=case, actor=request.user, notes=data["notes"], at=_moment(data), request=request)
    return _("Kasus masuk tahap pemantauan dan evaluasi.")


def _do_closure_request(request, case, data) -> str:
    services.closure_request(case=case, actor=request.user, reason=data["reason"], request=request)
    return _("Terminasi diajukan. Koordinator akan memutuskan.")


def _do_reopen(request, case, data) -> str:
    services.case_reopen(case=case, actor=request.user, reason=data["reason"], request=request)
    return _("Kasus dibuka kembali.")


def _do_assign(request, case, data) -> str:
    services.case_assign(case=case, actor=request.user, worker=data["worker"], version=data[VERSION_FIELD],
                         request=request)
    return _("Kasus ditugaskan kepada %(name)s.") % {"name": data["worker"].display_name}


def _do_accompany(request, case, data) -> str:
    services.accompaniment_record(case=case, actor=request.user, occurred_at=data["occurred_at"], kind=data["kind"],
                                  accompanied_by=data["accompanied_by"], notes=data["notes"], request=request)
    return _("Pendampingan tercatat.")


def _do_consent(request, case, data) -> str:
    consent = services.consent_record(
        case=case, victim=data["victim"], actor=request.user, scopes=data["scopes"], given_by=data["given_by"],
        form_version=data["form_version"], given_at=data["given_at"], given_by_name=data["given_by_name"],
        sharing_agency_types=data["sharing_agency_types"], legal_basis=data["legal_basis"],
        parent_is_perpetrator=data["parent_is_perpetrator"], giver_is_perpetrator=data["giver_is_perpetrator"],
        request=request)
    if consent.needs_approval:
        return _("Persetujuan tercatat dan menunggu persetujuan koordinator.")
    return _("Persetujuan tercatat.")


def _do_police(request, case, data) -> str:
    services.police_report_record(case=case, actor=request.user, reported_at=data["reported_at"],
                                  reference=data["reference"], version=data[VERSION_FIELD], request=request)
    return _("Laporan ke kepolisian tercatat.")


def _do_note(request, case, data) -> str:
    services.case_note_add(case=case, actor=request.user, text=data["text"], request=request)
    return _("Catatan tersimpan.")


def _do_attach(request, case, data) -> str:
    services.attachment_add(case=case, actor=request.user, document_type=data["document_type"], upload=data["file"],
                            request=request)
    return _("Berkas tersimpan.")


# Titles are lazy: they are read when a page is drawn, in that request's language.
ACTIONS = {
    "identify": Action(gettext_lazy("Identifikasi kasus"), forms.IdentifyForm, _do_identify, page="identifikasi",
                       stored=_identification_stored),
    "assess": Action(gettext_lazy("Asesmen biopsikososial"), forms.AssessmentForm, _do_assess, page="asesmen",
                     anchor="asesmen", form_kwargs=_assessment_kwargs),
    "plan": Action(gettext_lazy("Tambah layanan ke rencana intervensi"), forms.PlannedServiceForm, _do_plan,
                   page="rencana", anchor="rencana", form_kwargs=_case_kwargs),
    "intervention": Action(gettext_lazy("Mulai pelaksanaan intervensi"), forms.InterventionForm, _do_intervention,
                           page="pelaksanaan"),
    "deliver": Action(gettext_lazy("Catat layanan"), forms.ServiceDeliveryForm, _do_deliver, page="layanan",
                      anchor="layanan", form_kwargs=_case_kwargs),
    "monitoring": Action(gettext_lazy("Mulai pemantauan dan evaluasi"), forms.MonitoringForm, _do_monitoring,
                         page="pemantauan"),
    "closure_request": Action(gettext_lazy("Ajukan terminasi"), forms.ClosureRequestForm, _do_closure_request,
                              page="terminasi",
                              intro=gettext_lazy("Koordinator akan menyetujui atau menolak pengajuan ini.")),
    "reopen": Action(gettext_lazy("Buka kembali kasus"), forms.ReopenForm, _do_reopen, page="buka-kembali"),
    "assign": Action(gettext_lazy("Tugaskan pendamping"), forms.AssignForm, _do_assign, page="penugasan",
                     capability=Capability.CASE_ASSIGN, form_kwargs=_case_kwargs, stored=_assignment_stored),
    "accompany": Action(gettext_lazy("Catat pendampingan"), forms.AccompanimentForm, _do_accompany,
                        page="pendampingan", anchor="pendampingan",
                        form_kwargs=lambda request, case: {"case": case, "user": request.user}),
    "consent": Action(gettext_lazy("Catat persetujuan (informed consent)"), forms.ConsentForm, _do_consent,
                      page="persetujuan", anchor="persetujuan", form_kwargs=_case_kwargs,
                      intro=gettext_lazy(
                          "UU 27/2022 Pasal 25: persetujuan untuk anak diberikan oleh orang tua atau wali. Bila "
                          "orang tua adalah pelaku, catat wali lain atau dasar hukumnya; koordinator menyetujuinya.")),
    "police": Action(gettext_lazy("Catat laporan ke kepolisian"), forms.PoliceReportForm, _do_police,
                     page="kepolisian", stored=_police_report_stored,
                     intro=gettext_lazy("UU 12/2022 Pasal 41: UPTD PPA melaporkan kasus TPKS ke kepolisian paling "
                                        "lambat 3×24 jam sejak korban melapor.")),
    "note": Action(gettext_lazy("Tambah catatan"), forms.NoteForm, _do_note, page="catatan", anchor="catatan"),
    "attach": Action(gettext_lazy("Unggah lampiran"), forms.AttachmentForm, _do_attach, page="lampiran",
                     anchor="lampiran"),
}


def _make_action_view(name: str) -> Callable:
    @requires(Capability.CASE_WORK)
    @idempotent_post
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _action(request, pk, ACTIONS[name])

    view.__name__ = f"case_{name}"
    view.__doc__ = f"The {name} form of a case."
    return view


case_identify = _make_action_view("identify")
case_assess = _make_action_view("assess")
case_plan = _make_action_view("plan")
case_intervention = _make_action_view("intervention")
case_deliver = _make_action_view("deliver")
case_monitoring = _make_action_view("monitoring")
case_closure_request = _make_action_view("closure_request")
case_reopen = _make_action_view("reopen")
case_assign = _make_action_view("assign")
case_accompany = _make_action_view("accompany")
case_consent = _make_action_view("consent")
case_police = _make_action_view("police")
case_note = _make_action_view("note")
case_attach = _make_action_view("attach")


# --- UU 27/2022 PDP: legal hold, data-subject requests, breaches --------------------------------------

def _do_legal_hold(request, case, data) -> str:
    if case.on_legal_hold:
        services.legal_hold_clear(case=case, actor=request.user, reason=data["reason"], request=request)
        return _("Penahanan dicabut. Kasus ikut jadwal retensi lagi.")
    services.legal_hold_set(case=case, actor=request.user, reason=data["reason"], request=request)
    return _("Kasus ditahan untuk keperluan hukum: tidak dianonimkan selama ditahan.")


def _do_subject_request(request, case, data) -> str:
    services.subject_request_record(case=case, actor=request.user, kind=data["kind"],
                                    received_on=data["received_on"], status=data["status"],
                                    answered_on=data["answered_on"], request=request)
    return _("Permintaan subjek data dicatat.")


ACTIONS["legal_hold"] = Action(gettext_lazy("Penahanan untuk keperluan hukum"), forms.LegalHoldForm, _do_legal_hold,
                               page="penahanan", anchor="status", capability=Capability.CASE_DECIDE_CLOSURE,
                               intro=gettext_lazy("Kasus yang ditahan tidak dianonimkan oleh jadwal retensi. "
                                                  "Bila kasus sedang ditahan, menyimpan alasan mencabut "
                                                  "penahanan."))
ACTIONS["subject_request"] = Action(gettext_lazy("Catat permintaan subjek data"), forms.SubjectRequestForm,
                                    _do_subject_request, page="permintaan-subjek-data", anchor="subjek-data")
case_legal_hold = _make_action_view("legal_hold")
case_subject_request = _make_action_view("subject_request")


@requires(Capability.CASE_WORK)
def subject_data_print(request: HttpRequest, pk: int, victim_pk: int) -> HttpResponse:
    """One person's data on the case, to print for an access request (UU 27/2022 Pasal 7); case team only."""
    case = _get_case_for_user(request, pk, page="cetak-data-subjek")
    if not can(request.user, Capability.CASE_VIEW_IDENTITY):  # names and NIK: the identity section's rule
        raise Http404
    if request.method != "GET":  # after the scope check: outsiders get 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    victim = get_object_or_404(case.victims.prefetch_related("violence_types"), pk=victim_pk)
    audit_record(actor=request.user, action="case.subject_data_print", obj=case, request=request,
                 details={"victim": victim.survivor_code})
    return render(request, "cases/subject_data_print.html", {
        "case": case, "victim": victim, "requests": case.subject_requests.all(), "printed_at": timezone.now()})


@requires(Capability.BREACH_REGISTER)
@idempotent_post
def breach_list(request: HttpRequest) -> HttpResponse:
    """The breach register of the user's agency (all agencies for the administrator), with the 3x24 h clock."""
    form = forms.BreachForm(*_bound(request))
    if request.method == "POST" and "notified" in request.POST:
        breach = get_in_scope_or_404(selectors.breaches_visible_to(user=request.user), pk=request.POST["notified"])
        services.breach_notified(breach=breach, actor=request.user, notified_at=timezone.now(), request=request)
        messages.success(request, _("Pemberitahuan insiden dicatat."))
        return redirect("cases:breaches")
    if request.method == "POST" and form.is_valid():
        try:
            # The form's one-time key: a double click on "Catat insiden" records one incident, not two.
            with submission_claim(form=form, user=request.user) as claim:
                services.breach_record(actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("cases:breaches"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Insiden dicatat."))
            return redirect(claim.url)
    return render(request, "cases/breaches.html", {
        "form": form, "rows": selectors.breach_rows(user=request.user, now=timezone.now())})


@requires(Capability.CASE_DECIDE_CLOSURE)
def case_closure_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The supervisor approves or rejects a closure request (terminasi)."""
    case = _get_case_for_user(request, pk, page="keputusan-terminasi")
    form = forms.ClosureDecisionForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            if "reject" in request.POST:
                services.closure_reject(case=case, actor=request.user, reason=form.cleaned_data["reason"],
                                        request=request)
                messages.success(request, _("Terminasi ditolak; pendamping melihat alasannya."))
            else:
                services.closure_approve(case=case, actor=request.user, request=request)
                messages.success(request, _("Terminasi disetujui. Kasus ditutup."))
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            return redirect(_case_url(case))
    return render(request, "cases/closure_decide.html", {"case": case, "form": form})


@requires(Capability.CASE_WORK)
@idempotent_post
def case_mediation(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a mediation, or say why the law does not allow one (UU 12/2022 Pasal 23)."""
    case = _get_case_for_user(request, pk, page="mediasi")
    refusal = diversion = None
    try:
        services.mediation_check(case)
    except services.DiversionRequired as error:
        diversion = str(error)
    except services.MediationRefused as error:
        refusal = str(error)
    form = forms.MediationForm(*_bound(request)) if not (refusal or diversion) else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                services.mediation_record(case=case, actor=request.user, request=request, **form.cleaned_data)
                claim.done(_case_url(case, "mediasi"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mediasi tercatat."))
            return redirect(claim.url)
    return render(request, "cases/mediation_form.html", {"case": case, "form": form, "refusal": refusal,
                                                         "diversion": diversion})


def _get_consent(request: HttpRequest, case: Case, consent_pk: int) -> Consent:
    return get_object_or_404(Consent.objects.select_related("victim", "case"), pk=consent_pk, case=case)


@requires(Capability.CASE_APPROVE_CONSENT)
def consent_approve(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = _get_case_for_user(request, pk, page="setujui-persetujuan")
    consent = _get_consent(request, case, consent_pk)
    if request.method == "POST":
        try:
            services.consent_approve(consent=consent, actor=request.user, request=request)
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Persetujuan %(code)s disetujui.") % {"code": consent.victim.survivor_code})
        return redirect(_case_url(case, "persetujuan"))
    return render(request, "cases/consent_approve.html", {"case": case, "consent": consent})


@requires(Capability.CASE_WORK)
@idempotent_post
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = _get_case_for_user(request, pk, page="cabut-persetujuan")
    consent = _get_consent(request, case, consent_pk)
    form = forms.ConsentWithdrawForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                services.consent_withdraw(consent=consent, actor=request.user, reason=form.cleaned_data["reason"],
                                          request=request)
                claim.done(_case_url(case, "persetujuan"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Persetujuan dicabut."))
            return redirect(claim.url)
    return render(request, "cases/action_form.html", {
        "case": case, "form": form, "title": _("Cabut persetujuan %(code)s") % {"code": consent.victim.survivor_code},
        "intro": _("Pencabutan tercatat; data yang sudah diproses secara sah sebelumnya tidak berubah.")})


@requires(Capability.CASE_WORK)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """Serve an attachment only to those who may see the case, and write who read it."""
    case = get_in_scope_or_404(selectors.cases_visible_to(user=request.user), pk=pk)
    attachment = get_object_or_404(case.attachments.all(), pk=attachment_pk)
    if request.method != "GET":  # only after the scope check: a 405 must not reveal that the record exists
        return HttpResponseNotAllowed(["GET"])
    with transaction.atomic():
        audit_record(actor=request.user, action="case.attachment_read", obj=case, request=request,
                     details={"attachment": attachment.pk, "document_type": attachment.document_type})
    extension = attachment.file.name.rsplit(".", 1)[-1]
    # A download name without the uploader's file name, which may carry the survivor's name.
    filename = f"{case.number.replace('/', '-')}-{attachment.document_type}-{attachment.pk}.{extension}"
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=filename,
                            content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- Intake queue (pengaduan masuk) -------------------------------------------------------------------

@requires(Capability.CASE_INTAKE)
def intake_queue(request: HttpRequest) -> HttpResponse:
    """Referrals in waiting to be registered as cases, oldest and most urgent first; recent decisions below."""
    urgency_order = {value: i for i, value in enumerate(codes.Urgency.values)}
    pending = sorted(inbox_selectors.intake_requests_pending(user=request.user),
                     key=lambda r: urgency_order.get(r.urgency, 9))
    decided = inbox_selectors.intake_requests_decided(user=request.user)[:20]
    return render(request, "cases/intake_queue.html", {"pending": pending, "decided": decided})


@requires(Capability.CASE_INTAKE)
@idempotent_post
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One referral in: its summary (personal, so only here) and the two decisions."""
    intake = get_in_scope_or_404(inbox_selectors.intake_requests_visible_to(user=request.user), pk=pk)
    form = forms.DeclineForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                inbox_services.intake_request_decline(intake=intake, actor=request.user,
                                                      reason=form.cleaned_data["reason"], request=request)
                claim.done(reverse("cases:intake_queue"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except inbox_services.InboxError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rujukan masuk %(label)s ditolak.") % {"label": intake.audit_label})
            return redirect(claim.url)
    elif request.method == "GET":
        audit_record(actor=request.user, action="intake.read", obj=intake, request=request)
    return render(request, "cases/intake_detail.html", {"intake": intake, "form": form})
