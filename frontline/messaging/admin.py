"""Admin: messaging records read-only; connectors are configured on /messaging/ (secret shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Contact, Delivery, MessagingConnector


class _ReadOnly(admin.ModelAdmin):
    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(MessagingConnector)
class MessagingConnectorAdmin(admin.ModelAdmin):
    list_display = ("name", "platform", "slug", "outbound_url", "queue", "enabled", "created_at")
    exclude = ("secret", "previous_secret")
    readonly_fields = ("slug", "platform", "created_at", "secret_rotated_at", "previous_secret_until")

    def has_add_permission(self, request: Any) -> bool:
        return False  # made on /messaging/, which shows the secret once


@admin.register(Contact)
class ContactAdmin(_ReadOnly):
    list_display = ("display_name", "platform", "external_user_id", "customer", "created_at")
    list_filter = ("platform",)


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnly):
    list_display = ("id", "message", "status", "attempts", "next_attempt_at", "delivered_at", "last_error")
    list_filter = ("status",)
