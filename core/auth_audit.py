"""Logins, logouts, failed logins and lockouts go to the audit log. Django and django-axes announce them only as
signals; the idle-timeout clock starts with the login for the same reason."""

import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="auth.login", request=request)
    if request is not None and hasattr(request, "session"):
        # Set with the login itself, so the first page after it does not write the session again.
        from core.middleware import IDLE_SEEN_KEY

        request.session[IDLE_SEEN_KEY] = int(time.time())


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The typed username is kept (it is staff, not survivor, data); the password never is.
    audit_record(actor=credentials.get("username", "")[:150], action="auth.login_failed", request=request)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _audit_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    # The address is recorded by audit_record from the request (core.net), as for every event.
    audit_record(actor=(username or "")[:150], action="auth.locked_out", request=request)
