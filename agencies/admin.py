from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from agencies.models import Agency, AgencyService, Region, User


@admin.register(User)
class SimpulUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (("Simpul", {"fields": ("role", "agency", "phone")}),)
    list_display = ("username", "first_name", "last_name", "role", "agency", "is_active")
    list_filter = ("role", "agency", "is_active")


class AgencyServiceInline(admin.TabularInline):
    model = AgencyService
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency_type", "is_active")
    list_filter = ("agency_type", "is_active")
    search_fields = ("name",)
    inlines = [AgencyServiceInline]
    filter_horizontal = ("kecamatan_covered",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")
