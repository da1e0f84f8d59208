"""Prevention pages. Every record is fetched through a queryset scoped to the user (prevention.selectors)
and anything outside it is 404; a page the user's role does not use is 404 too."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.suppression import small_label, threshold
from core.versioning import VERSION_FIELD, StaleEdit
from prevention import selectors, services
from prevention.forms import (
    CoverageFilterForm,
    PatbmActivistCreateForm,
    PatbmActivistEditForm,
    PatbmActivityCreateForm,
    PatbmActivityEditForm,
    PatbmGroupCreateForm,
    PatbmGroupEditForm,
    PatbmGroupFilterForm,
    PhotoUploadForm,
    PreventionActivityCreateForm,
    PreventionActivityEditForm,
    PreventionActivityFilterForm,
    PreventionActivityForm,
    PuspagaReferForm,
    PuspagaSessionCreateForm,
    PuspagaSessionEditForm,
    PuspagaSessionFilterForm,
    area_initial,
    participants_initial,
)
from prevention.models import PatbmActivist, PatbmActivity, PatbmGroup, PreventionActivity, PuspagaSession

PAGE_SIZE = 25


def allowed(predicate: Callable) -> Callable:
    """Login required; then 404 unless `predicate(user)` holds (a refusal would reveal the page exists)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _sees_patbm(user) -> bool:
    return selectors.sees_all_prevention(user) or selectors.is_patbm_staff(user)


def _sees_puspaga(user) -> bool:
    return selectors.sees_all_prevention(user) or selectors.is_puspaga_staff(user)


def _sees_activities(user) -> bool:
    return selectors.sees_all_prevention(user) or selectors.can_record_activities(user)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request: HttpRequest, template: str, context: dict, tab: str) -> HttpResponse:
    context.update(tabs=selectors.prevention_pages_for(request.user), tab=tab)
    return render(request, template, context)


def _service_error(form, error: services.PreventionError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _edit_saved(form, save: Callable[[], object], stored: Callable) -> bool:
    """Run an edit service; False (with the form showing why) when a rule refused it or someone else saved the
    record since the form was read and the typed values differ from theirs."""
    try:
        save()
    except services.PreventionError as error:
        _service_error(form, error)
        return False
    except StaleEdit as stale:
        return not form.show_conflict(stored(stale.current))  # no difference: what was typed is stored
    return True


@allowed(lambda user: any(selectors.prevention_pages_for(user).values()))
def index(request: HttpRequest) -> HttpResponse:
    """/pencegahan/ opens the first prevention page the user works with."""
    pages = selectors.prevention_pages_for(request.user)
    for key, url_name in (("coverage", "prevention:coverage"), ("patbm", "prevention:group_list"),
                          ("puspaga", "prevention:session_list"), ("activities", "prevention:activity_list")):
        if pages[key]:
            return redirect(url_name)
    raise Http404


# --- Coverage ------------------------------------------------------------------------------------------

@allowed(selectors.sees_all_prevention)
def coverage(request: HttpRequest) -> HttpResponse:
    """Every kecamatan and desa with PATBM status, activities and cases; villages with cases and no
    prevention stand out."""
    data = request.GET.copy()
    form = CoverageFilterForm(data or None)
    start, end = form.period()
    if not (data.get("start") and data.get("end")):
        # Show the period actually counted in the date fields (by default this year up to today).
        data["start"], data["end"] = start.isoformat(), end.isoformat()
        form = CoverageFilterForm(data)
    filters = form.cleaned_data if form.is_valid() else {}
    table = selectors.coverage_table(start=start, end=end)
    summary = selectors.coverage_summary(table=table, start=start, end=end)
    # Officials get the published reports' small-cell rule; supervisors exact counts.
    exact = selectors.sees_exact_case_counts(request.user)
    selectors.coverage_shown_cases(table=table, summary=summary, exact=exact)
    kecamatan_code, sort = filters.get("kecamatan", ""), filters.get("sort") or "wilayah"
    if kecamatan_code:
        table = [row for row in table if row.kecamatan_code == kecamatan_code]
    if sort == "wilayah" and not filters.get("gaps_only"):
        rows = table
    else:
        rows = selectors.coverage_sorted_villages(table, sort)
        if filters.get("gaps_only"):
            rows = [row for row in rows if row.gap]
    return _render(request, "prevention/coverage.html",
                   {"form": form, "rows": rows, "summary": summary, "start": start, "end": end,
                    "grouped": sort == "wilayah" and not filters.get("gaps_only"), "suppressed": not exact,
                    "small": small_label(), "threshold": threshold()}, "coverage")


# --- PATBM groups --------------------------------------------------------------------------------------

@allowed(_sees_patbm)
def group_list(request: HttpRequest) -> HttpResponse:
    form = PatbmGroupFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    groups = selectors.patbm_group_list(user=request.user, kecamatan_code=filters.get("kecamatan", ""),
                                        active=filters.get("active", ""))
    return _render(request, "prevention/group_list.html",
                   {"form": form, "page": _page(request, groups),
                    "can_create": selectors.is_patbm_staff(request.user)}, "patbm")


@allowed(selectors.is_patbm_staff)
@idempotent_post
def group_create(request: HttpRequest) -> HttpResponse:
    form = PatbmGroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                group = services.patbm_group_create(actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("prevention:group_detail", args=[group.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Kelompok PATBM %(village)s tersimpan.") % {"village": group.village.name})
            return redirect(claim.url)
    return _render(request, "prevention/form.html", {"form": form, "title": _("Daftarkan kelompok PATBM")}, "patbm")


def _own_group(request: HttpRequest, pk: int) -> PatbmGroup:
    """A group the user's PATBM agency runs; every other group is 404 on the pages that change it."""
    if not selectors.is_patbm_staff(request.user):
        raise Http404
    return get_in_scope_or_404(selectors.patbm_groups_visible_to(user=request.user), pk=pk)


@allowed(_sees_patbm)
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The group's own page: the only page that names its activists."""
    group = get_in_scope_or_404(selectors.patbm_groups_with_activists(user=request.user), pk=pk)
    activities = group.activities.annotate(photo_count=Count("photos")).order_by("-held_on", "-id")
    return _render(request, "prevention/group_detail.html",
                   {"group": group, "page": _page(request, activities),
                    "can_edit": selectors.is_patbm_staff(request.user) and group.agency_id == request.user.agency_id},
                   "patbm")


def _group_stored(group: PatbmGroup) -> dict:
    return {"sk_number": group.sk_number, "sk_date": group.sk_date, "facilitator": group.facilitator,
            "is_active": group.is_active, VERSION_FIELD: group.version}


@allowed(selectors.is_patbm_staff)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _own_group(request, pk)
    form = PatbmGroupEditForm(request.POST or None, editing=True, initial=_group_stored(group))
    if request.method == "POST" and form.is_valid() and _edit_saved(
            form, lambda: services.patbm_group_update(group=group, actor=request.user, request=request,
                                                      **form.cleaned_data), _group_stored):
        messages.success(request, _("Perubahan kelompok PATBM tersimpan."))
        return redirect("prevention:group_detail", pk=group.pk)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Ubah kelompok PATBM %(village)s") % {"village": group.village.name},
                    "back_url": reverse("prevention:group_detail", args=[group.pk])}, "patbm")


@allowed(selectors.is_patbm_staff)
@idempotent_post
def activist_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _own_group(request, pk)
    form = PatbmActivistCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                services.patbm_activist_add(group=group, actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("prevention:group_detail", args=[group.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Aktivis ditambahkan."))
            return redirect(claim.url)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Tambah aktivis PATBM %(village)s") % {"village": group.village.name},
                    "back_url": reverse("prevention:group_detail", args=[group.pk])}, "patbm")


def _activist_stored(activist: PatbmActivist) -> dict:
    return {"name": activist.name, "sex": activist.sex, "age_group": activist.age_group, "role": activist.role,
            "training": activist.training, "is_active": activist.is_active, VERSION_FIELD: activist.version}


@allowed(selectors.is_patbm_staff)
def activist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activist = get_in_scope_or_404(selectors.patbm_activists_visible_to(user=request.user), pk=pk)
    form = PatbmActivistEditForm(request.POST or None, editing=True, initial=_activist_stored(activist))
    if request.method == "POST" and form.is_valid() and _edit_saved(
            form, lambda: services.patbm_activist_update(activist=activist, actor=request.user, request=request,
                                                         **form.cleaned_data), _activist_stored):
        messages.success(request, _("Data aktivis tersimpan."))
        return redirect("prevention:group_detail", pk=activist.group_id)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Ubah data aktivis"),
                    "back_url": reverse("prevention:group_detail", args=[activist.group_id])}, "patbm")


# --- PATBM activities ----------------------------------------------------------------------------------

@allowed(selectors.is_patbm_staff)
@idempotent_post
def patbm_activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = _own_group(request, pk)
    form = PatbmActivityCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submission_claim(form=form, user=request.user) as claim:
                activity = services.patbm_activity_record(
                    group=group, actor=request.user, held_on=data["held_on"], level=data["level"],
                    topic=data["topic"], participants=form.participants(), notes=data["notes"],
                    photos=data["photos"], request=request)
                claim.done(reverse("prevention:patbm_activity_detail", args=[activity.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            had_photos = bool(data["photos"])
            _service_error(form, error)  # removes the field from cleaned_data
            if had_photos:
                messages.warning(request, _("Kegiatan belum tersimpan. Pilih ulang fotonya sebelum menyimpan lagi."))
        else:
            messages.success(request, _("Kegiatan PATBM di %(village)s tersimpan.") % {"village": group.village.name})
            return redirect(claim.url)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Catat kegiatan PATBM %(village)s") % {"village": group.village.name},
                    "back_url": reverse("prevention:group_detail", args=[group.pk])}, "patbm")


@allowed(_sees_patbm)
def patbm_activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope_or_404(selectors.patbm_activities_visible_to(user=request.user).prefetch_related(
        "photos"), pk=pk)
    can_edit = selectors.is_patbm_staff(request.user) and activity.group.agency_id == request.user.agency_id
    return _render(request, "prevention/patbm_activity_detail.html",
                   {"activity": activity, "can_edit": can_edit,
                    "photo_form": PhotoUploadForm(action=reverse("prevention:patbm_photo_upload", args=[activity.pk]))
                    if can_edit else None}, "patbm")


def _patbm_activity_stored(activity: PatbmActivity) -> dict:
    return {"held_on": activity.held_on, "level": activity.level, "topic": activity.topic, "notes": activity.notes,
            **participants_initial(activity), VERSION_FIELD: activity.version}


@allowed(selectors.is_patbm_staff)
def patbm_activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope_or_404(selectors.patbm_activities_visible_to(user=request.user), pk=pk)
    form = PatbmActivityEditForm(request.POST or None, editing=True, initial=_patbm_activity_stored(activity))
    data = form.cleaned_data if request.method == "POST" and form.is_valid() else None
    if data is not None and _edit_saved(
            form, lambda: services.patbm_activity_update(
                activity=activity, actor=request.user, held_on=data["held_on"], level=data["level"],
                topic=data["topic"], participants=form.participants(), notes=data["notes"],
                version=data[VERSION_FIELD], request=request), _patbm_activity_stored):
        messages.success(request, _("Perubahan kegiatan tersimpan."))
        return redirect("prevention:patbm_activity_detail", pk=activity.pk)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Ubah kegiatan PATBM"),
                    "back_url": reverse("prevention:patbm_activity_detail", args=[activity.pk])}, "patbm")


@allowed(selectors.is_patbm_staff)
@require_POST
@idempotent_post
def patbm_photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope_or_404(selectors.patbm_activities_visible_to(user=request.user).prefetch_related(
        "photos"), pk=pk)
    form = PhotoUploadForm(request.POST, request.FILES,
                           action=reverse("prevention:patbm_photo_upload", args=[activity.pk]))
    if form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                saved = services.patbm_photos_add(activity=activity, actor=request.user,
                                                  photos=form.cleaned_data["photos"], request=request)
                claim.done(reverse("prevention:patbm_activity_detail", args=[activity.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, ngettext("%(n)s foto diunggah.", "%(n)s foto diunggah.", len(saved))
                             % {"n": len(saved)})
            return redirect(claim.url)
    return _render(request, "prevention/patbm_activity_detail.html",
                   {"activity": activity, "can_edit": True, "photo_form": form}, "patbm")


@allowed(_sees_patbm)
def patbm_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo from the private media root, only for those who may see its activity."""
    photo = get_in_scope_or_404(selectors.patbm_photos_visible_to(user=request.user), pk=pk)
    response = FileResponse(photo.image.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="foto-{photo.pk}.{photo.image.name.rsplit(".", 1)[-1]}"'
    return response


# --- PUSPAGA -------------------------------------------------------------------------------------------

@allowed(_sees_puspaga)
def session_list(request: HttpRequest) -> HttpResponse:
    form = PuspagaSessionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sessions = selectors.puspaga_session_list(user=request.user, start=filters.get("start"), end=filters.get("end"),
                                              issue=filters.get("issue", ""), referred=filters.get("referred", ""))
    return _render(request, "prevention/session_list.html",
                   {"form": form, "page": _page(request, sessions),
                    "can_create": selectors.is_puspaga_staff(request.user)}, "puspaga")


@allowed(selectors.is_puspaga_staff)
@idempotent_post
def session_create(request: HttpRequest) -> HttpResponse:
    form = PuspagaSessionCreateForm(request.POST or None, agency=request.user.agency,
                                    initial={"counsellor": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                session = services.puspaga_session_record(actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("prevention:session_detail", args=[session.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Sesi PUSPAGA tersimpan."))
            return redirect(claim.url)
    return _render(request, "prevention/form.html", {"form": form, "title": _("Catat sesi PUSPAGA")}, "puspaga")


@allowed(_sees_puspaga)
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_in_scope_or_404(selectors.puspaga_sessions_visible_to(user=request.user), pk=pk)
    show_notes = selectors.may_read_session_notes(user=request.user, session=session)
    if show_notes:
        # Reading a family's counselling notes is a sensitive read: it is recorded.
        with transaction.atomic():
            audit_record(actor=request.user, action="prevention.puspaga_session.read", obj=session, request=request)
    return _render(request, "prevention/session_detail.html",
                   {"session": session, "show_notes": show_notes,
                    "can_refer": show_notes and not session.referred_to_uptd}, "puspaga")


def _own_session(request: HttpRequest, pk: int) -> PuspagaSession:
    return get_in_scope_or_404(selectors.puspaga_sessions_visible_to(user=request.user), pk=pk)


def _session_stored(session: PuspagaSession) -> dict:
    return {"held_on": session.held_on, "service": session.service, "channel": session.channel,
            "issue": session.issue, "counsellor": session.counsellor_id, "notes": session.notes,
            VERSION_FIELD: session.version}


@allowed(selectors.is_puspaga_staff)
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _own_session(request, pk)
    form = PuspagaSessionEditForm(request.POST or None, agency=request.user.agency, initial=_session_stored(session))
    if request.method == "POST" and form.is_valid() and _edit_saved(
            form, lambda: services.puspaga_session_update(session=session, actor=request.user, request=request,
                                                          **form.cleaned_data), _session_stored):
        messages.success(request, _("Perubahan sesi tersimpan."))
        return redirect("prevention:session_detail", pk=session.pk)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Ubah sesi PUSPAGA"),
                    "back_url": reverse("prevention:session_detail", args=[session.pk])}, "puspaga")


@allowed(selectors.is_puspaga_staff)
@idempotent_post
def session_refer(request: HttpRequest, pk: int) -> HttpResponse:
    """Refer the family to the UPTD PPA's intake queue with a summary written for it, never the notes."""
    session = _own_session(request, pk)
    if session.referred_to_uptd:
        messages.info(request, _("Sesi ini sudah dirujuk ke UPTD PPA."))
        return redirect("prevention:session_detail", pk=session.pk)
    form = PuspagaReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                services.puspaga_session_refer(session=session, actor=request.user, request=request,
                                               **form.cleaned_data)
                claim.done(reverse("prevention:session_detail", args=[session.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Rujukan terkirim ke antrean pengaduan UPTD PPA."))
            return redirect(claim.url)
    return _render(request, "prevention/form.html",
                   {"form": form, "title": _("Rujuk keluarga ke UPTD PPA"),
                    "intro": _("UPTD PPA menerima ringkasan yang Anda tulis di sini. Catatan sesi tetap di PUSPAGA.")},
                   "puspaga")


# --- Prevention activities -----------------------------------------------------------------------------

@allowed(_sees_activities)
def activity_list(request: HttpRequest) -> HttpResponse:
    form = PreventionActivityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    activities = selectors.prevention_activity_list(
        user=request.user, start=filters.get("start"), end=filters.get("end"), kind=filters.get("kind", ""),
        topic=filters.get("topic", ""), kecamatan_code=filters.get("kecamatan", ""))
    return _render(request, "prevention/activity_list.html",
                   {"form": form, "page": _page(request, activities),
                    "can_create": selectors.can_record_activities(request.user)}, "activities")


def _activity_kwargs(form: PreventionActivityForm) -> dict:
    data = form.cleaned_data
    kecamatan, village = form.area_regions()
    return dict(kind=data["kind"], title=data["title"], held_on=data["held_on"], topics=data["topics"],
                target_group=data["target_group"], participants=form.participants(), kecamatan=kecamatan,
                village=village, platform=data["platform"], reach=data["reach"], engagement=data["engagement"],
                budget_line=data["budget_line"], notes=data["notes"])


@allowed(selectors.can_record_activities)
@idempotent_post
def activity_create(request: HttpRequest) -> HttpResponse:
    form = PreventionActivityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                activity = services.prevention_activity_record(actor=request.user, request=request,
                                                               **_activity_kwargs(form))
                claim.done(reverse("prevention:activity_detail", args=[activity.pk]))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.PreventionError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Kegiatan pencegahan tersimpan."))
            return redirect(claim.url)
    return _render(request, "prevention/form.html", {"form": form, "title": _("Catat kegiatan pencegahan")},
                   "activities")


@allowed(_sees_activities)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope_or_404(selectors.prevention_activities_visible_to(user=request.user), pk=pk)
    can_edit = selectors.can_record_activities(request.user) and activity.agency_id == request.user.agency_id
    return _render(request, "prevention/activity_detail.html", {"activity": activity, "can_edit": can_edit},
                   "activities")


def _activity_stored(activity: PreventionActivity) -> dict:
    return {"kind": activity.kind, "title": activity.title, "held_on": activity.held_on,
            "topics": [t.topic for t in activity.topics.all()], "area": area_initial(activity),
            "target_group": activity.target_group, "platform": activity.platform, "reach": activity.reach,
            "engagement": activity.engagement, "budget_line": activity.budget_line, "notes": activity.notes,
            **participants_initial(activity), VERSION_FIELD: activity.version}


@allowed(selectors.can_record_activities)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_in_scope_or_404(
        selectors.prevention_activities_visible_to(user=request.user).filter(agency_id=request.user.agency_id), pk=pk)
    form = PreventionActivityEditForm(request.POST or None, initial=_activity_stored(activity))
    if request.method == "POST" and form.is_valid() and _edit_saved(
            form, lambda: services.prevention_activity_update(
                activity=activity, actor=request.user, request=request, version=form.cleaned_data[VERSION_FIELD],
                **_activity_kwargs(form)), _activity_stored):
        messages.success(request, _("Perubahan kegiatan tersimpan."))
        return redirect("prevention:activity_detail", pk=activity.pk)
    return _render(request, "prevention/form.html", {"form": form, "title": _("Ubah kegiatan pencegahan")},
                   "activities")
