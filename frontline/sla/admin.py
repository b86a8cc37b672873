"""Admin: business calendars and SLA policies (validated through the engine), applied policies read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from frontline.customers.models import Tier
from frontline.desk.models import Channel, Priority, TicketType

from .models import BusinessCalendar, SLAApplication, SLAClock, SLAPolicy


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "time_zone", "holiday_country", "holiday_subdivision")


class SLAPolicyForm(forms.ModelForm):
    """Conditions as checkboxes (stored as lists of values; none ticked: any)."""

    priorities = forms.MultipleChoiceField(choices=Priority.choices, required=False, widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple)
    tiers = forms.MultipleChoiceField(choices=Tier.choices, required=False, widget=forms.CheckboxSelectMultiple,
                                      help_text="The requester's or their company's tier.")
    ticket_types = forms.MultipleChoiceField(choices=TicketType.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = SLAPolicy
        fields = ["name", "position", "active", "calendar", "priorities", "channels", "tiers", "ticket_types",
                  "companies", "queues", "first_reply_minutes", "next_reply_minutes", "resolution_minutes",
                  "at_risk_percent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("priorities", "channels", "tiers", "ticket_types"):
            self.fields[name].help_text = (self.fields[name].help_text + " None ticked: any.").strip()


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    form = SLAPolicyForm
    list_display = ("position", "name", "active", "calendar", "first_reply_minutes", "next_reply_minutes",
                    "resolution_minutes", "at_risk_percent")
    list_display_links = ("name",)
    list_editable = ("position", "active")
    filter_horizontal = ("companies", "queues")
    fieldsets = (
        (None, {"fields": ("name", "position", "active", "calendar")}),
        ("Conditions (all must hold)", {"fields": ("priorities", "channels", "tiers", "ticket_types", "companies", "queues")}),
        ("Targets in business minutes", {"fields": ("first_reply_minutes", "next_reply_minutes", "resolution_minutes", "at_risk_percent")}),
    )


class SLAClockInline(admin.TabularInline):
    model = SLAClock
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "sequence", "target_minutes", "started_at", "stopped_at", "paused_minutes",
                                "due_at", "state", "breached_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(SLAApplication)
class SLAApplicationAdmin(admin.ModelAdmin):
    """The record of what applied: read-only (history is not edited)."""

    list_display = ("ticket", "policy_name", "applied_at", "superseded_at")
    search_fields = ("policy_name", "ticket__id")
    inlines = [SLAClockInline]

    def get_readonly_fields(self, request: Any, obj: Any = None) -> list[str]:
        return [f.name for f in SLAApplication._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
