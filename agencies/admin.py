"""django-admin shows accounts and agencies read-only: every change of them goes through Simpul's own pages and
services, which audit it and hold a change of access for a supervisor's approval (two-person rule). Even a
superuser cannot give anyone a role, a permission or a password here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group

from agencies.models import Agency, AgencyService, Region, RoleChangeRequest, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class SimpulUserAdmin(ReadOnlyAdmin, UserAdmin):
    # No password, permission or group fields: nothing to read there, and nothing here may change them.
    fieldsets = (
        (None, {"fields": ("username", "first_name", "last_name", "email", "phone")}),
        ("Simpul", {"fields": ("role", "agency", "is_active", "last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency", "is_active")

    def get_urls(self):
        # Drop UserAdmin's own password-setting page (it checks change permission, but need not exist at all).
        return [url for url in super().get_urls() if "password" not in str(url.pattern)]


# Simpul's access is its roles (core.policy); Django's groups and permissions are unused, so not offered.
admin.site.unregister(Group)


@admin.register(RoleChangeRequest)
class RoleChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "role", "agency", "status", "requested_by", "decided_by", "created_at")
    list_filter = ("status",)


class AgencyServiceInline(admin.TabularInline):
    model = AgencyService
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(ReadOnlyAdmin):
    # Read-only too: an agency's type decides what its partner staff open (core.policy).
    list_display = ("name", "agency_type", "is_active")
    list_filter = ("agency_type", "is_active")
    search_fields = ("name",)
    inlines = [AgencyServiceInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")
