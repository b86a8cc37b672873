"""Template helpers for desk pages: event descriptions and time display."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from frontline.core import formats
from frontline.desk import links
from frontline.desk.models import EventKind, TicketEvent

register = template.Library()


@register.filter(name="tickets_link")
def tickets_link_filter(ticket_ids: list[int]) -> str:
    """``{{ ids|tickets_link }}``: a count's link to the desk's list of its tickets (``links.tickets_link``)."""
    return links.tickets_link(ticket_ids)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, "")


@register.filter
def when(value: datetime | None) -> str:
    """A time in the viewer's zone (``formats.datetime_short``), the relative age in the tooltip."""
    if value is None:
        return formats.NONE
    return format_html(
        '<time datetime="{}" title="{} ago">{}</time>',
        value.isoformat(), timesince(value), formats.datetime_short(value),
    )


@register.filter
def handle_time(seconds: int | None) -> str:
    """A handle time as people read it: "45 s", "4 min 10 s", "1 h 5 min" (``formats.duration``)."""
    return formats.duration(seconds)


@register.filter
def ago(value: datetime | None) -> str:
    if value is None:
        return formats.NONE
    local = timezone.localtime(value)
    age = timesince(value).split(",")[0]
    text = "just now" if age.startswith("0\xa0minutes") or age.startswith("0 minutes") else f"{age} ago"
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(),
                       f"{formats.datetime_short(value)} {local:%Z}", text)


def _name(names: dict[str, dict[int, str]], kind: str, value: Any, empty: str) -> str:
    if value in (None, ""):
        return empty
    return names.get(kind, {}).get(value, f"#{value}")


@register.simple_tag
def event_text(event: TicketEvent, names: dict[str, dict[int, str]]) -> str:
    p = event.payload
    kind = event.kind
    if kind == EventKind.CREATED:
        return f"created the ticket via {p.get('channel', '?')} as {p.get('status', '?')}"
    if kind == EventKind.STATUS_CHANGED:
        reason = " (merge)" if p.get("reason") == "merged" else ""
        return f"changed status from {p.get('from')} to {p.get('to')}{reason}"
    if kind == EventKind.ASSIGNED:
        return f"changed assignee from {_name(names, 'user', p.get('from'), 'nobody')} to {_name(names, 'user', p.get('to'), 'nobody')}"
    if kind == EventKind.TEAM_CHANGED:
        return f"changed team from {_name(names, 'team', p.get('from'), 'none')} to {_name(names, 'team', p.get('to'), 'none')}"
    if kind == EventKind.QUEUE_CHANGED:
        return f"changed queue from {_name(names, 'queue', p.get('from'), 'none')} to {_name(names, 'queue', p.get('to'), 'none')}"
    if kind in (EventKind.PRIORITY_CHANGED, EventKind.TYPE_CHANGED, EventKind.SUBJECT_CHANGED):
        what = {"priority_changed": "priority", "type_changed": "type", "subject_changed": "subject"}[kind]
        return f"changed {what} from {p.get('from')} to {p.get('to')}"
    if kind == EventKind.TAGGED:
        parts = []
        if p.get("added"):
            parts.append("added tags " + ", ".join(p["added"]))
        if p.get("removed"):
            parts.append("removed tags " + ", ".join(p["removed"]))
        return " and ".join(parts) or "changed tags"
    if kind == EventKind.FIELDS_CHANGED:
        return "changed " + ", ".join(f"{k} to {v.get('to')}" for k, v in p.get("changes", {}).items())
    if kind == EventKind.REPLIED:
        return "replied publicly" + (" (first response)" if p.get("first_response") else "")
    if kind == EventKind.NOTE_ADDED:
        return "added an internal note"
    if kind == EventKind.CUSTOMER_REPLIED:
        return "replied (customer)"
    if kind == EventKind.REOPENED:
        return f"reopened the ticket (reopen #{p.get('reopen_count')})"
    if kind == EventKind.MERGED:
        return f"merged this ticket into #{p.get('into')}"
    if kind == EventKind.MERGED_IN:
        return f"merged ticket #{p.get('source')} into this one"
    if kind in (EventKind.SLA_APPLIED, EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED):
        return _sla_text(kind, p)
    if kind == EventKind.ESCALATED:
        level = str(p.get("level", "")).replace("_", " ")
        why = str(p.get("trigger", "")).replace("_", " ")
        return f"escalated to {level} ({why})" + (f": {p['reason']}" if p.get("reason") else "")
    if kind == EventKind.DE_ESCALATED:
        return f"de-escalated from {str(p.get('from', '')).replace('_', ' ')} to {str(p.get('to', '')).replace('_', ' ')}"
    if kind == EventKind.ESCALATION_RESOLVED:
        return "resolved the escalation" + (f" ({p['note']})" if p.get("note") else "")
    if p.get("summary"):  # events of the newer apps (surveys, chat, phone, routing, automations ...) word themselves
        return str(p["summary"])
    return event.get_kind_display()


SLA_TARGETS = {"first_reply": "first reply", "next_reply": "next reply", "resolution": "resolution"}


def _sla_text(kind: str, p: dict[str, Any]) -> str:
    """The SLA app's events (written by frontline.sla; the desk only reads their payload)."""
    if kind == EventKind.SLA_APPLIED:
        return f"SLA policy “{p.get('policy')}” applies"
    target = SLA_TARGETS.get(p.get("target", ""), "an SLA")
    if kind == EventKind.SLA_AT_RISK:
        return f"SLA at risk: {target} target nearly used"
    return f"SLA breached: {target} target missed"
