"""Signing in (issue 12): a second factor, lockout after failed logins, and their audit.

- Two-factor: TOTP (django-otp) for every account core.policy.needs_second_factor names. The first sign-in
  enrols a phone (QR code drawn here, the secret in text, confirmed with a code) and shows recovery codes once;
  each recovery code works once (django-otp's static device deletes it when used). A lost phone is reset by two
  people (agencies.services.device_reset_*), never by its holder.
- Lockout: django-axes counts failed logins per username and address (core.net.client_ip) and refuses the
  username there for a cool-off; an administrator can lift it for someone else, audited.

Codes and secrets never reach the audit log or the logs: only which kind of code worked or that one failed.
"""

from __future__ import annotations

import base64
from datetime import timedelta

import django_otp
from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record

RECOVERY_DEVICE_NAME = "pemulihan"
PHONE_DEVICE_NAME = "aplikasi autentikator"


class SignInError(Exception):
    """A step of signing in was refused; the message is for the person signing in."""


# --- Lockout (django-axes) ---------------------------------------------------------------------------------

class LockoutBackend(AxesStandaloneBackend):
    """django-axes' check before the password is: a locked-out username at this address is refused.

    Without a web request (the shell, the test client's `login()`) nobody is guessing over the network and there
    is no address to count against: the check stands aside instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_username(request, credentials) -> str:
    """The username axes counts and stores, as django-axes would take it, cut to what a username can be: a
    100,000-character "username" posted to the login page must be refused, not stored (its column holds 255)."""
    source = credentials if credentials else getattr(request, "POST", {})
    return str((source or {}).get("username") or "")[:150]


def lockout_message() -> str:
    # The same words for every username, existing or not, and no count of attempts: nothing to learn from.
    return _("Terlalu banyak percobaan masuk yang gagal. Demi keamanan, masuk dengan nama pengguna ini dari "
             "perangkat ini ditahan sementara. Coba lagi nanti, atau hubungi administrator sistem.")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout message (429), in place of django-axes' own page."""
    form = AuthenticationForm(request, data=None)
    form.initial = {"username": (credentials or {}).get("username", "")}
    return render(request, "registration/login.html",
                  {"form": form, "lockout": lockout_message(), "next": request.POST.get("next", "")}, status=429)


def _cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def is_locked_out(user) -> bool:
    """Is this account locked at any address right now (its page offers the unlock)?"""
    return AccessAttempt.objects.filter(username=user.get_username(),
                                        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                        attempt_time__gte=timezone.now() - _cool_off()).exists()


@transaction.atomic
def account_unlock(*, user, actor, request=None) -> int:
    """Lift the lockout of someone else's account (failed logins at every address are forgotten).

    Nobody unlocks themselves: a locked account is one someone is guessing the password of, and its holder
    signed in elsewhere (or whoever holds that session) must not be able to let the guessing go on."""
    if actor.pk == user.pk:
        raise SignInError(_("Anda tidak dapat membuka kunci akun Anda sendiri. Minta administrator lain, atau "
                            "tunggu masa tunggu berakhir."))
    removed = axes_reset(username=user.get_username())
    audit_record(actor=actor, action="auth.unlock", obj=user, request=request, details={"attempts": removed})
    return removed


# --- Two-factor (django-otp) -------------------------------------------------------------------------------

def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrolment_device(*, user) -> TOTPDevice:
    """The phone being enrolled: an unconfirmed TOTP device, the same one across reloads of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=PHONE_DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, to type into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data URI drawn here (no web service sees the secret)."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    svg = qrcode.make(device.config_url, image_factory=SvgPathImage, border=2).to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_codes_create(*, user) -> list[str]:
    """A fresh set of recovery codes (the old set stops working); shown once, kept only as django-otp keeps them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.SIGNIN_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def totp_enrolment_confirm(*, user, device: TOTPDevice, code: str, request) -> list[str]:
    """Confirm the enrolled phone with a code it shows; the session is then verified. Returns the recovery
    codes to show once."""
    if device.user_id != user.pk or device.confirmed:
        raise SignInError(_("Pendaftaran ini sudah tidak berlaku. Muat ulang halaman."))
    # Outside the transaction below: a failed try stays counted (django-otp's throttle) and audited.
    if not device.verify_token(_clean_code(code)):
        audit_record(actor=user, action="auth.otp_failed", request=request, details={"step": "enrol"})
        raise SignInError(_("Kode tidak cocok. Periksa jam ponsel Anda, lalu ketik kode yang sedang tampil."))
    return _enrolment_complete(user=user, device=device, request=request)


@transaction.atomic
def _enrolment_complete(*, user, device: TOTPDevice, request) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # An earlier phone (a reset left none, but a half-finished enrolment may have) stops working.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = recovery_codes_create(user=user)
    django_otp.login(request, device)
    audit_record(actor=user, action="auth.otp_enrolled", request=request)
    return codes


def otp_verify(*, user, code: str, request):
    """Check a code from the phone or a recovery code; the session is verified on success. Success and failure
    are both audited (which kind worked, never the code)."""
    code = _clean_code(code)
    # Outside a transaction of ours: a failed try must stay counted (django-otp's throttle) when we refuse.
    device = None
    if code:
        device = django_otp.match_token(user, code)
    if device is None:
        audit_record(actor=user, action="auth.otp_failed", request=request, details={"step": "sign_in"})
        raise SignInError(_("Kode tidak cocok atau sudah dipakai. Ketik kode yang sedang tampil di aplikasi, "
                            "atau satu kode pemulihan. Setelah beberapa kali salah, tunggu sebentar sebelum "
                            "mencoba lagi."))
    django_otp.login(request, device)
    recovery = isinstance(device, StaticDevice)
    details = {"kind": "recovery" if recovery else "totp"}
    if recovery:
        details["recovery_left"] = StaticToken.objects.filter(device=device).count()
    audit_record(actor=user, action="auth.otp_verified", request=request, details=details)
    return device


def devices_remove(*, user) -> int:
    """Forget the account's phone and recovery codes: its next sign-in enrols a new phone."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static
