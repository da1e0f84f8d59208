from django.contrib import admin

from core.models import AuditEvent, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """django-admin may look, never change: these rows are written by services only (audited, or delivered)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only, even for superusers."""

    list_display = ("at", "actor_label", "action", "object_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_label")
    # Reasons typed by staff can carry names; the case team reads them on the case, not here.
    exclude = ("reason",)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Read-only: pending and failed e-mails and jobs, with why they failed (core.outbox). Payloads hold ids only."""

    list_display = ("created_at", "kind", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    list_filter = ("status", "kind")
    ordering = ("-created_at",)
# django-otp registers its devices in django-admin, where a superuser could give someone else a phone (or read
# its secret) and so bypass the second factor: sign-in devices change only through core.signin, audited.
def _unregister_sign_in_devices() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_sign_in_devices()
