"""Admin: rubrics and policies readable; reviews read-only (they change through the review pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AutoQaPolicy, Calibration, Review, Rubric, RubricVersion


class ReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "created_at")


@admin.register(RubricVersion)
class RubricVersionAdmin(ReadOnly):
    list_display = ("rubric", "number", "created_at", "note")


@admin.register(Review)
class ReviewAdmin(ReadOnly):
    list_display = ("id", "ticket", "agent", "reviewer", "version", "state", "total", "agent_response")


@admin.register(Calibration)
class CalibrationAdmin(ReadOnly):
    list_display = ("title", "version", "state", "created_at")


@admin.register(AutoQaPolicy)
class AutoQaPolicyAdmin(admin.ModelAdmin):
    list_display = ("queue", "greeting_required", "closing_required")
