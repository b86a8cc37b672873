"""Admin: mailboxes (with their fetch errors), inbound mail (failures listed, "retry"), addresses."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import InboundEmail, MailAddress, Mailbox, Outcome, OutgoingEmail
from .services import inbound_retry


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ("address", "queue", "enabled", "last_fetch_at", "failures", "last_error")
    list_filter = ("enabled",)
    readonly_fields = ("uid_validity", "last_uid", "last_fetch_at", "last_error", "failures", "retry_after")
    fieldsets = (
        (None, {"fields": ("address", "from_name", "signature", "queue", "enabled")}),
        ("IMAP", {"fields": ("imap_host", "imap_port", "imap_tls", "imap_user", "password_env", "folder")}),
        ("Fetch state", {"fields": ("uid_validity", "last_uid", "last_fetch_at", "failures", "retry_after", "last_error")}),
    )


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "outcome", "from_email", "subject", "ticket", "attempts", "error")
    list_filter = ("outcome", "mailbox")
    search_fields = ("from_email", "subject", "message_id")
    actions = ["retry"]
    exclude = ("raw", "html")
    readonly_fields = [f.name for f in InboundEmail._meta.fields if f.name not in ("raw", "html")]

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundEmail]:
        return super().get_queryset(request).defer("raw", "html")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry the selected failed messages")
    def retry(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        not_failed = queryset.exclude(outcome=Outcome.FAILED).count()
        done = failed = 0
        for inbound in list(queryset.filter(outcome=Outcome.FAILED)):
            result = inbound_retry(inbound=inbound)
            done += result.outcome != Outcome.FAILED
            failed += result.outcome == Outcome.FAILED
        self.message_user(request, f"Retried: {done} processed, {failed} failed again, {not_failed} had not failed.",
                          messages.WARNING if failed else messages.SUCCESS)


@admin.register(MailAddress)
class MailAddressAdmin(admin.ModelAdmin):
    list_display = ("address", "bouncing", "bounce_count", "last_bounce_at", "last_bounce_reason")
    list_filter = ("bouncing",)
    search_fields = ("address",)


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Read-only: what became of each email Frontline sent (the ticket page shows the same)."""

    list_display = ("created_at", "status", "to_address", "ticket", "subject", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status",)
    search_fields = ("to_address", "message_id", "notice_key")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
