"""Admin configures statuses, queues, tags and ticket fields. Tickets themselves are changed
through the desk (so every change writes its event); the admin shows them read-only."""

from django.contrib import admin

from .models import Queue, Status, Tag, Ticket, TicketEvent, TicketField


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "is_default", "position")
    list_editable = ("position",)


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "team")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(TicketField)
class TicketFieldAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "field_type", "required_to_solve", "visible_to_customers", "position")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("id", "subject", "status", "priority", "assignee", "team", "updated_at")
    list_filter = ("status_category", "priority", "channel")
    search_fields = ("subject",)
    show_full_result_count = False


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "ticket_id", "kind", "actor", "created_at")
    list_filter = ("kind",)
    show_full_result_count = False
