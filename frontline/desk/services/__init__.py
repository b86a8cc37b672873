"""Writes to tickets. Every function runs in one transaction and appends TicketEvents.

Functions take keyword arguments, an ``actor`` (the user doing it, or None for the system)
and an optional ``at`` (the time it happens; the demo generator replays history through
these same functions). Access checks belong to the caller (views, API) through the
``*_for_viewer`` selectors; these functions enforce the domain rules.

Package map: ``conversation`` (create, reply, notes), ``handle_time`` (what handle time is and
how it is checked), ``properties`` (status and the
transition rules, assignee, team, queue, priority, type, subject, tags, fields, ``ticket_update``),
``merge``, and ``_common`` (what they share). Import from ``frontline.desk.services``.
"""

from __future__ import annotations

from ._common import (
    DEFAULT_STATUSES,
    SEARCH_TEXT_LIMIT,
    TAG_MAX_LENGTH,
    _clean_subject,
    _field_value,
    atomic_with_files,
    custom_fields_clean,
    fields_search_text,
    search_text_append,
    status_default,
    statuses_ensure_defaults,
    ticket_search_text,
)
from .conversation import ticket_create, ticket_create_for_contact, ticket_reply
from .handle_time import (
    CAPTURE_CAP_SECONDS,
    HANDLE_SECONDS_MAX,
    handle_seconds_clean,
    handle_seconds_since,
    handle_seconds_total,
)
from .merge import ticket_merge
from .properties import (
    UNSET,
    TicketChanges,
    ticket_assign,
    ticket_fields_update,
    ticket_priority_change,
    ticket_queue_change,
    ticket_status_change,
    ticket_subject_change,
    ticket_tags_set,
    ticket_team_change,
    ticket_type_change,
    ticket_update,
    transition_check,
)

__all__ = [
    "CAPTURE_CAP_SECONDS", "DEFAULT_STATUSES", "HANDLE_SECONDS_MAX", "SEARCH_TEXT_LIMIT", "TAG_MAX_LENGTH", "UNSET",
    "TicketChanges", "_clean_subject", "_field_value", "atomic_with_files", "custom_fields_clean",
    "fields_search_text", "handle_seconds_clean", "handle_seconds_since", "handle_seconds_total",
    "search_text_append", "status_default", "statuses_ensure_defaults", "ticket_assign", "ticket_create",
    "ticket_create_for_contact", "ticket_fields_update", "ticket_merge", "ticket_priority_change",
    "ticket_queue_change", "ticket_reply", "ticket_search_text", "ticket_status_change", "ticket_subject_change",
    "ticket_tags_set", "ticket_team_change", "ticket_type_change", "ticket_update", "transition_check",
]
