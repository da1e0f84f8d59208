from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies import services
from agencies.forms import AgencyForm, DirectoryFilterForm, UserCreateForm, UserFilterForm, UserUpdateForm
from agencies.models import Agency, User
from agencies.selectors import agencies_search, users_search
from core.access import get_in_scope_or_404
from core.policy import Capability, requires

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
    agencies = agencies_search(query=request.GET.get("q", ""), active_only=False)
    return render(request, "agencies/manage_list.html", {"page": _page(request, agencies)})


@requires(Capability.AGENCY_MANAGE)
def agency_create(request: HttpRequest) -> HttpResponse:
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agency = services.agency_create(actor=request.user, services=data.pop("services"),
                                        kecamatan=data.pop("kecamatan"), **data)
        messages.success(request, _("Lembaga %(name)s tersimpan.") % {"name": agency.name})
        return redirect("agencies:manage_list")
    return render(request, "agencies/agency_form.html", {"form": form, "title": _("Tambah lembaga")})


@requires(Capability.AGENCY_MANAGE)
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_in_scope_or_404(Agency.objects.all(), pk=pk)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.agency_update(agency=agency, actor=request.user, services=data.pop("services"),
                               kecamatan=data.pop("kecamatan"), **data)
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
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, _("Pengguna %(username)s dibuat.") % {"username": user.username})
            return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html", {"form": form, "title": _("Tambah pengguna")})


@requires(Capability.USER_MANAGE)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_in_scope_or_404(User.objects.select_related("agency"), pk=pk)
    form = UserUpdateForm(request.POST or None, instance=user)
    password_form = SetPasswordForm(user)
    if request.method == "POST" and form.is_valid():
        # The form has already copied its values onto `user`; the service records and saves them.
        services.user_update(user=user, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Perubahan pengguna %(username)s tersimpan.") % {"username": user.username})
        return redirect("agencies:user_list")
    return render(request, "agencies/user_form.html",
                  {"form": form, "password_form": password_form, "edited": user, "title": _("Ubah pengguna")})


@requires(Capability.USER_MANAGE)
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_in_scope_or_404(User.objects.all(), pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_set_password(user=user, actor=request.user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Kata sandi %(username)s diganti.") % {"username": user.username})
        return redirect("agencies:user_edit", pk=user.pk)
    return render(request, "agencies/user_password.html", {"form": form, "edited": user})
