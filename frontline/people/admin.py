from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AgentProfile, ApiToken, AvailabilityChange, Team, User


class AgentProfileInline(admin.StackedInline):
    model = AgentProfile
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "is_active", "teams")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Frontline", {"fields": ("role", "time_zone")}))
    inlines = [AgentProfileInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "lead", "parent", "time_zone")
    filter_horizontal = ("members",)
    search_fields = ("name",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")


@admin.register(AvailabilityChange)
class AvailabilityChangeAdmin(admin.ModelAdmin):
    list_display = ("user", "previous", "availability", "changed_at")
    list_filter = ("availability",)
    date_hierarchy = "changed_at"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
