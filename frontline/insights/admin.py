"""Admin: the configuration (cancellation phrases) editable; problems listed; runs read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import InsightsConfig, Problem, TopicRun


@admin.register(InsightsConfig)
class InsightsConfigAdmin(admin.ModelAdmin):
    list_display = ("__str__", "updated_at")
    fields = ("cancellation_phrases",)

    def has_add_permission(self, request: Any) -> bool:
        return not InsightsConfig.objects.exists()


@admin.register(Problem)
class ProblemAdmin(admin.ModelAdmin):
    list_display = ("title", "department", "status", "fix_shipped_on", "updated_at")
    list_filter = ("department", "status")
    readonly_fields = ("topic", "created_by", "created_at", "updated_at")
    exclude = ("feedback",)


@admin.register(TopicRun)
class TopicRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "state", "progress", "backend", "items", "topics", "created_at")
    exclude = ("embedder",)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name != "embedder"]

    def has_add_permission(self, request: Any) -> bool:
        return False
