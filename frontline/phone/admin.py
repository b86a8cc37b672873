"""Admin: calls read-only (their history is events); connectors are configured on /phone/connectors/ (secret shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Call, PhoneConnector


@admin.register(PhoneConnector)
class PhoneConnectorAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "queue", "enabled", "created_at", "secret_rotated_at")
    exclude = ("secret", "previous_secret")
    readonly_fields = ("slug", "created_at", "secret_rotated_at", "previous_secret_until")

    def has_add_permission(self, request: Any) -> bool:
        return False  # made on /phone/connectors/, which shows the secret once


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "direction", "state", "customer", "agent", "started_at", "talk_seconds", "wrap_seconds")
    list_filter = ("state", "direction", "source")

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in Call._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False
