"""The second step of signing in: a code from the phone, or enrolling one at the first sign-in (core.signin)."""

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from core import signin
from core.policy import needs_second_factor


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=32, strip=True,
                           help_text=_("Enam angka dari aplikasi autentikator, atau satu kode pemulihan."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True, "spellcheck": "false"}))


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return wanted
    return "/"


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from the enrolled phone (or a recovery code) before any page of this session."""
    if not needs_second_factor(request.user):
        raise Http404  # a step that does not exist for this account
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not signin.has_confirmed_device(request.user):
        return redirect(f"{reverse('signin:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signin.otp_verify(user=request.user, code=form.cleaned_data["code"], request=request)
        except signin.SignInError as error:
            form.add_error("code", str(error))
        else:
            return redirect(_next_url(request))
    return render(request, "signin/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: scan the QR code (or type the secret), confirm with a code, then keep the recovery codes."""
    if not needs_second_factor(request.user):
        raise Http404
    if request.user.is_verified() or signin.has_confirmed_device(request.user):
        return redirect(_next_url(request))
    device = signin.totp_enrolment_device(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = signin.totp_enrolment_confirm(user=request.user, device=device, code=form.cleaned_data["code"],
                                                  request=request)
        except signin.SignInError as error:
            form.add_error("code", str(error))
        else:
            # Shown in this answer only, never stored in a readable form: the page is their one showing.
            return render(request, "signin/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    return render(request, "signin/enrol.html", {"form": form, "next": _next_url(request),
                                                 "qr_code": signin.qr_code_data_uri(device),
                                                 "secret": signin.secret_text(device)})
