"""Admin: skills and capacities editable; queue routing read-only here (its requirements are
checked by the Routing page's form, which is where managers change it); waiting work read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AgentCapacity, AgentSkill, QueueRouting, Waiting


@admin.register(QueueRouting)
class QueueRoutingAdmin(admin.ModelAdmin):
    list_display = ("queue", "mode", "offline_action", "updated_at", "updated_by")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AgentSkill)
class AgentSkillAdmin(admin.ModelAdmin):
    list_display = ("agent", "name", "value", "level")
    list_filter = ("name",)
    search_fields = ("agent__username", "value")


@admin.register(AgentCapacity)
class AgentCapacityAdmin(admin.ModelAdmin):
    list_display = ("agent", "channel", "max_open")


@admin.register(Waiting)
class WaitingAdmin(admin.ModelAdmin):
    list_display = ("ticket", "since", "stage", "reason")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
