"""Admin: chat widgets (key, allowed origins, queue) and chat capacities; chats read-only (their history is events)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import admin

from .models import Chat, ChatCapacity, ChatWidget


@admin.register(ChatWidget)
class ChatWidgetAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "queue", "enabled", "created_at")
    readonly_fields = ("created_at",)

    def get_changeform_initial_data(self, request: Any) -> dict[str, Any]:
        return {"key": secrets.token_urlsafe(12).replace("_", "").replace("-", "").lower()[:16]}


@admin.register(ChatCapacity)
class ChatCapacityAdmin(admin.ModelAdmin):
    list_display = ("agent", "team", "max_chats")


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin):
    list_display = ("id", "ticket", "customer", "state", "agent", "started_at", "wait_seconds", "handle_seconds")
    list_filter = ("state", "ended_by")
    exclude = ("token_digest",)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in Chat._meta.fields if f.name != "token_digest"]

    def has_add_permission(self, request: Any) -> bool:
        return False
