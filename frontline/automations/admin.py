from django.contrib import admin

from .models import Macro, MacroUse, Rule, RuleFiring, WebhookCall


class ReadOnly(admin.ModelAdmin):
    """Shown, not changed here: macros and rules are edited on their pages, which validate them."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Macro)
class MacroAdmin(ReadOnly):
    list_display = ["name", "visibility", "owner", "team", "active", "usage_count", "last_used_at"]
    list_filter = ["visibility", "active"]
    readonly_fields = ["usage_count", "last_used_at", "last_used_by", "created_by", "created_at", "updated_at"]


@admin.register(Rule)
class RuleAdmin(ReadOnly):
    list_display = ["position", "name", "trigger", "active", "fire_count", "last_fired_at"]
    list_filter = ["trigger", "active"]
    readonly_fields = ["fire_count", "last_fired_at", "created_by", "updated_by", "created_at", "updated_at"]


@admin.register(MacroUse)
class MacroUseAdmin(ReadOnly):
    list_display = ["at", "macro", "ticket", "user", "sent_reply"]


@admin.register(RuleFiring)
class RuleFiringAdmin(ReadOnly):
    list_display = ["at", "rule", "ticket", "depth", "summary"]


@admin.register(WebhookCall)
class WebhookCallAdmin(ReadOnly):
    list_display = ["at", "rule", "ticket", "url", "ok", "status_code", "attempts", "duration_ms"]
