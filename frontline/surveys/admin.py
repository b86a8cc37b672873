"""Admin: settings editable (also on /surveys/settings/); surveys and responses read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import NpsCampaign, Survey, SurveyConfig, SurveyResponse, SurveyRule, SurveyTemplate


@admin.register(SurveyRule)
class SurveyRuleAdmin(admin.ModelAdmin):
    list_display = ("channel", "queue", "enabled", "survey", "delay_minutes")


@admin.register(SurveyConfig)
class SurveyConfigAdmin(admin.ModelAdmin):
    list_display = ("throttle_days", "link_days", "nps_enabled", "nps_every_days", "nps_sample_percent")


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    list_display = ("kind", "subject")


class ReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnly):
    list_display = ("id", "kind", "trigger", "state", "ticket", "customer", "due_at", "sent_at")
    list_filter = ("kind", "state", "trigger")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnly):
    list_display = ("survey", "score", "answered_at", "changes")


@admin.register(NpsCampaign)
class NpsCampaignAdmin(ReadOnly):
    list_display = ("started_at", "eligible", "sampled", "sample_percent")
