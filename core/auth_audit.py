"""Logins, logouts and failed logins go to the audit log. Django announces them only as signals."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _audit_login(sender, request, user, **kwargs) -> None:
    audit_record(actor=user, action="auth.login", request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.logout", request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The typed username is kept (it is staff, not survivor, data); the password never is.
    audit_record(actor=credentials.get("username", "")[:150], action="auth.login_failed", request=request)
