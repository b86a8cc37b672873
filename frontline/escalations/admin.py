"""Admin: per-team escalation settings; escalations read-only (their history is events)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Escalation, EscalationSettings


@admin.register(EscalationSettings)
class EscalationSettingsAdmin(admin.ModelAdmin):
    list_display = ("team", "via_team_lead", "on_sla_at_risk", "on_sla_breached", "on_customer_asks", "reopen_limit", "vip_tiers")


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("ticket", "team", "level", "trigger", "state", "escalated_at")
    list_filter = ("state", "level", "trigger")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in Escalation._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False
