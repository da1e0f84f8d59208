from django.contrib import admin

from core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, even for superusers."""

    list_display = ("at", "actor_label", "action", "object_label", "ip_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "object_label")
    # Reasons typed by staff can carry names; the case team reads them on the case, not here.
    exclude = ("reason",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
