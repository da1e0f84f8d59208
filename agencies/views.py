from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import services
from agencies.forms import (
    AgencyCreateForm,
    AgencyEditForm,
    DeviceResetRequestForm,
    DirectoryFilterForm,
    RoleChangeDecisionForm,
    UserCreateForm,
    UserFilterForm,
    UserUpdateForm,
)
from agencies.models import Agency, DeviceResetRequest, RoleChangeRequest, User
from agencies.selectors import (
    agencies_search,
    device_reset_pending,
    device_resets_to_decide,
    role_change_may_decide,
    role_change_pending,
    role_changes_visible_to,
    users_search,
)
from core import signin
from core.access import get_in_scope_or_404
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.policy import Capability, can, requires
from core.versioning import StaleEdit

PAGE_SIZE = 25


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    """Every staff member can search the referral network's agencies and their contacts."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    agencies = agencies_search(query=filters.get("q", ""), agency_type=filters.get("agency_type", ""),
                               service=filters.get("service", ""), kecamatan=filters.get("kecamatan", ""))
    return render(request, "agencies/directory.html", {"form": form, "page": _page(request, agencies)})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_in_scope_or_404(
        Agency.objects.filter(is_active=True).prefetch_related("services", "kecamatan_covered"), pk=pk)
    return render(request, "agencies/detail.html", {"agency": agency})


@requires(Capability.AGENCY_MANAGE)
def manage_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)  # its search box, validated (bounded) like the directory's
    agencies = agencies_search(query=form.cleaned_data["q"] if form.is_valid() else "", active_only=False)
    return render(request, "agencies/manage_list.html", {"page": _page(request, agencies)})


@requires(Capability.AGENCY_MANAGE)
@idempotent_post
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            with submission_claim(form=form, user=request.user) as claim:
                agency = services.agency_create(actor=request.user, services=data.pop("services"),
                                                kecamatan=data.pop("kecamatan"), **data)
                claim.done(reverse("agencies:manage_list"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        messages.success(request, _("Lembaga %(name)s tersimpan.") % {"name": agency.name})
        return redirect(claim.url)
    return render(request, "agencies/agency_form.html", {"form": form, "title": _("Tambah lembaga")})


@requires(Capability.AGENCY_MANAGE)
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_in_scope_or_404(Agency.objects.all(), pk=pk)
    form = AgencyEditForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved = False
        try:
            services.agency_update(agency=agency, actor=request.user, services=data.pop("services"),
                                   kecamatan=data.pop("kecamatan"), **data)
        except services.AccessError as error:
            form.add_error("agency_type", str(error))
        except StaleEdit as stale:
            saved = not form.show_conflict(AgencyEditForm(instance=stale.current).initial)
        else:
            saved = True
        if saved:
            messages.success(request, _("Perubahan lembaga %(name)s tersimpan.") % {"name": agency.name})
            return redirect("agencies:manage_list")
    return render(request, "agencies/agency_form.html", {"form": form, "title": _("Ubah lembaga")})


@requires(Capability.USER_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    users = users_search(query=filters.get("q", ""), role=filters.get("role", ""))
    return render(request, "agencies/user_list.html", {"form": form, "page": _page(request, users)})


@requires(Capability.USER_MANAGE)
@idempotent_post
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                user = services.user_create(actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("agencies:user_list"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.AccessError as error:
            form.add_error(None, str(error))
        else:
            pending = role_change_pending(user=user)
            if pending:
                messages.warning(request, _("Akun %(username)s dibuat, belum aktif: perannya membuka data korban, "
                                            "jadi menunggu persetujuan koordinator (%(number)s).")
                                 % {"username": user.username, "number": pending})
            else:
                messages.success(request, _("Akun %(username)s dibuat. Tautan untuk membuat kata sandi dikirim ke "
                                            "emailnya.") % {"username": user.username})
            return redirect(claim.url)
    return render(request, "agencies/user_form.html", {"form": form, "title": _("Tambah pengguna")})


@requires(Capability.USER_MANAGE)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_in_scope_or_404(User.objects.select_related("agency"), pk=pk)
    form = UserUpdateForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        # The form has already copied its values onto `user`; the service reloads it with what it saved.
        try:
            services.user_update(user=user, actor=request.user, request=request, **form.cleaned_data)
        except StaleEdit as stale:
            saved = not form.show_conflict(UserUpdateForm(instance=stale.current).initial)
        else:
            saved = True
        pending = role_change_pending(user=user)
        if saved and pending and pending.requested_by_id == request.user.pk:
            messages.warning(request, _("Perubahan pengguna %(username)s tersimpan, kecuali akses barunya: itu "
                                        "menunggu persetujuan koordinator (%(number)s).")
                             % {"username": user.username, "number": pending})
            return redirect("agencies:user_list")
        if saved:
            messages.success(request, _("Perubahan pengguna %(username)s tersimpan.") % {"username": user.username})
            return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html", {"form": form, "edited": user, "title": _("Ubah pengguna"),
                                                       "pending": role_change_pending(user=user),
                                                       "signin": _signin_state(request.user, user)})


def _signin_state(actor: User, user: User) -> dict:
    """What the user page shows and offers about signing in: a lockout to lift, a phone to reset."""
    return {"locked": signin.is_locked_out(user),
            "may_unlock": can(actor, Capability.ACCOUNT_UNLOCK) and actor.pk != user.pk,
            "has_device": signin.has_confirmed_device(user),
            "reset_pending": device_reset_pending(user=user),
            "may_ask_reset": can(actor, Capability.DEVICE_RESET_REQUEST) and actor.pk != user.pk,
            "reset_form": DeviceResetRequestForm()}


@requires(Capability.ACCOUNT_UNLOCK)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a lockout after failed logins (someone else's only; audited)."""
    user = get_in_scope_or_404(User.objects.all(), pk=pk)
    try:
        signin.account_unlock(user=user, actor=request.user, request=request)
    except signin.SignInError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Kunci akun %(username)s dibuka.") % {"username": user.username})
    return redirect("agencies:user_edit", pk=user.pk)


@requires(Capability.DEVICE_RESET_REQUEST)
@require_POST
@idempotent_post
def user_device_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for a lost phone to be reset; a supervisor decides (two-person rule)."""
    user = get_in_scope_or_404(User.objects.select_related("agency"), pk=pk)
    form = DeviceResetRequestForm(request.POST)
    form.is_valid()  # only the one-time key, which is never invalid (a bad one is simply not used)
    try:
        with submission_claim(form=form, user=request.user) as claim:
            reset = services.device_reset_request(user=user, actor=request.user, request=request)
            claim.done(reverse("agencies:user_edit", args=[user.pk]))
    except AlreadySubmitted as repeat:
        return repeated(request, repeat)
    except services.AccessError as error:
        messages.error(request, str(error))
    else:
        messages.warning(request, _("Penggantian ponsel %(number)s diminta; berlaku setelah disetujui koordinator.")
                         % {"number": reset})
    return redirect("agencies:user_edit", pk=user.pk)


@login_required
@require_POST
def device_reset_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse a pending phone reset (a supervisor who is neither requester nor holder)."""
    if not can(request.user, Capability.ROLE_APPROVE):
        raise Http404
    reset = get_in_scope_or_404(DeviceResetRequest.objects.select_related("user__agency"), pk=pk)
    try:
        if "refuse" in request.POST:
            services.device_reset_refuse(reset=reset, actor=request.user, request=request)
            messages.success(request, _("Penggantian ponsel %(number)s ditolak.") % {"number": reset})
        else:
            services.device_reset_approve(reset=reset, actor=request.user, request=request)
            messages.success(request, _("Penggantian ponsel %(number)s disetujui: pemilik akun mendaftarkan ponsel "
                                        "baru saat masuk berikutnya.") % {"number": reset})
    except services.AccessError as error:
        messages.error(request, str(error))
    return redirect("agencies:device_reset_list")


@requires(Capability.USER_MANAGE)
@require_POST
def user_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """The administrator never sets another person's password: it sends them a link to set their own."""
    user = get_in_scope_or_404(User.objects.all(), pk=pk)
    try:
        services.user_password_link_send(user=user, actor=request.user, request=request)
    except services.AccessError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tautan untuk mengatur kata sandi dikirim ke email %(username)s.")
                         % {"username": user.username})
    return redirect("agencies:user_edit", pk=user.pk)


def _may_read_role_changes(user) -> bool:
    return can(user, Capability.USER_MANAGE) or can(user, Capability.ROLE_APPROVE)


@login_required
def role_change_list(request: HttpRequest) -> HttpResponse:
    """Changes of staff access: those waiting for a decision first, then the latest decided."""
    if not _may_read_role_changes(request.user):
        raise Http404
    changes = role_changes_visible_to(user=request.user)
    pending = changes.filter(status=RoleChangeRequest.Status.PENDING).order_by("created_at")
    done = changes.exclude(status=RoleChangeRequest.Status.PENDING)
    return render(request, "agencies/role_change_list.html", {"pending": pending, "page": _page(request, done)})


@login_required
def device_reset_list(request: HttpRequest) -> HttpResponse:
    """Lost phones waiting for a second person: the supervisors who may decide them see buttons."""
    if not _may_read_role_changes(request.user):
        raise Http404
    return render(request, "agencies/device_reset_list.html",
                  {"device_resets": device_resets_to_decide(user=request.user)})


@login_required
def role_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One change of access; its approval or refusal by a supervisor who is neither requester nor holder."""
    if not _may_read_role_changes(request.user):
        raise Http404
    change = get_in_scope_or_404(role_changes_visible_to(user=request.user), pk=pk)
    may_decide = role_change_may_decide(user=request.user, change=change)
    form = RoleChangeDecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if "refuse" in request.POST:
                services.role_change_refuse(change=change, actor=request.user, reason=form.cleaned_data["reason"],
                                            request=request)
                messages.success(request, _("Perubahan akses %(number)s ditolak.") % {"number": change})
            else:
                services.role_change_approve(change=change, actor=request.user, request=request)
                messages.success(request, _("Perubahan akses %(number)s disetujui dan berlaku.") % {"number": change})
        except services.AccessError as error:
            form.add_error(None, str(error))
        else:
            return redirect("agencies:role_change", pk=change.pk)
    return render(request, "agencies/role_change_detail.html", {"change": change, "form": form})
