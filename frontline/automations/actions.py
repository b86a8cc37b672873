"""What macros and rules do to a ticket: the action list, its validation, and applying it.

An action is ``{"type": ..., ...}``. Property actions (status, priority, type, tags, assignee,
team, queue, custom field) are applied together through the desk's ``ticket_update`` (one
transaction, one event each, the history naming who); a macro may add an internal note; a rule
may also notify staff, email the requester, escalate, or call a webhook — those run after the
change commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction

from frontline.core import outbound
from frontline.desk.models import Priority, Queue, StatusCategory, Ticket, TicketField, TicketType
from frontline.desk.services import (
    TicketChanges,
    custom_fields_clean,
    status_default,
    ticket_reply,
    ticket_update,
)
from frontline.people.models import STAFF_ROLES, Team, User

from . import placeholders

PROPERTY_ACTIONS = {
    "set_status": "Set status", "set_priority": "Set priority", "set_type": "Set type", "add_tags": "Add tags",
    "remove_tags": "Remove tags", "assign": "Assign", "set_team": "Set team", "set_queue": "Set queue",
    "set_field": "Set a custom field",
}
MACRO_ACTIONS = {**PROPERTY_ACTIONS, "add_note": "Add an internal note"}
RULE_ACTIONS = {**PROPERTY_ACTIONS, "notify": "Notify staff by email", "email_requester": "Email the requester",
                "escalate": "Escalate", "webhook": "Call a webhook"}
NOTIFY_TARGETS = ("assignee", "team", "team_lead")
MAX_ACTIONS = 20
TEXT_MAX = 5000


def _errors_add(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _text(value: object, *, required: bool = True, limit: int = TEXT_MAX) -> str | None:
    """The problem with a text value (None: fine)."""
    if not isinstance(value, str) or (required and not value.strip()):
        return "Give some text."
    if len(value) > limit:
        return f"Keep it under {limit} characters."
    return None


def actions_validate(actions: object, *, allowed: dict[str, str], prefix: str = "actions") -> list[dict[str, Any]]:
    """The actions cleaned (tags lower-cased, names trimmed), or ValidationError with a key per failing
    path (``actions.2.value``)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(actions, list):
        raise ValidationError({prefix: ["Give a list of actions."]})
    if len(actions) > MAX_ACTIONS:
        raise ValidationError({prefix: [f"Give at most {MAX_ACTIONS} actions."]})
    cleaned: list[dict[str, Any]] = []
    for i, action in enumerate(actions):
        here = f"{prefix}.{i}"
        if not isinstance(action, dict):
            _errors_add(errors, here, 'Give an object such as {"type": "set_priority", "value": "high"}.')
            continue
        kind = action.get("type")
        if kind not in allowed:
            _errors_add(errors, f"{here}.type", f"Unknown action {kind!r}; one of: {', '.join(allowed)}.")
            continue
        try:
            cleaned.append(_clean_one(kind, action, here))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    _errors_add(errors, key, message)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse(key: str, message: str) -> ValidationError:
    return ValidationError({key: [message]})


def _clean_one(kind: str, action: dict[str, Any], here: str) -> dict[str, Any]:
    value = action.get("value")
    key = f"{here}.value"
    if kind == "set_status":
        allowed = [c for c in StatusCategory.values if c != StatusCategory.NEW]
        if value not in allowed:
            raise _refuse(key, f"One of: {', '.join(allowed)}.")
        return {"type": kind, "value": value}
    if kind == "set_priority":
        if value not in Priority.values:
            raise _refuse(key, f"One of: {', '.join(Priority.values)}.")
        return {"type": kind, "value": value}
    if kind == "set_type":
        if value not in TicketType.values:
            raise _refuse(key, f"One of: {', '.join(TicketType.values)}.")
        return {"type": kind, "value": value}
    if kind in ("add_tags", "remove_tags"):
        tags = [value] if isinstance(value, str) else value
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip() for t in tags):
            raise _refuse(key, "Give a tag or a list of tags.")
        if any(len(t) > 60 for t in tags):
            raise _refuse(key, "Keep tags under 60 characters.")
        return {"type": kind, "value": sorted({t.strip().lower() for t in tags})}
    if kind == "assign":
        if value in (None, ""):
            return {"type": kind, "value": ""}
        if value == "me":
            return {"type": kind, "value": "me"}
        if not isinstance(value, str) or not User.objects.filter(username=value, role__in=STAFF_ROLES,
                                                                  is_active=True).exists():
            raise _refuse(key, f"No active agent with the username {value!r} (or \"me\", or \"\" to unassign).")
        return {"type": kind, "value": value}
    if kind == "set_team":
        if value in (None, ""):
            return {"type": kind, "value": ""}
        if not isinstance(value, str) or not Team.objects.filter(name=value).exists():
            raise _refuse(key, f"No team named {value!r}.")
        return {"type": kind, "value": value}
    if kind == "set_queue":
        if value in (None, ""):
            return {"type": kind, "value": ""}
        if not isinstance(value, str) or not Queue.objects.filter(slug=value).exists():
            raise _refuse(key, f"No queue with the slug {value!r}.")
        return {"type": kind, "value": value}
    if kind == "set_field":
        field_key = action.get("key")
        if not isinstance(field_key, str) or not TicketField.objects.filter(key=field_key).exists():
            raise _refuse(f"{here}.key", f"No custom ticket field {field_key!r}.")
        try:
            cleaned = custom_fields_clean({field_key: value})
        except ValidationError as exc:
            raise _refuse(key, "; ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        return {"type": kind, "key": field_key, "value": cleaned[field_key]}
    if kind == "add_note":
        problem = _text(value)
        if problem:
            raise _refuse(key, problem)
        placeholders.check(value, key)
        return {"type": kind, "value": value}
    if kind == "notify":
        to = action.get("to")
        errors: dict[str, list[str]] = {}
        if to not in NOTIFY_TARGETS:
            try:
                EmailValidator()(to)
            except ValidationError:
                errors[f"{here}.to"] = [f"One of: {', '.join(NOTIFY_TARGETS)}, or an email address."]
        try:
            texts = _subject_body(action, here)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        return {"type": kind, "to": to, **texts}
    if kind == "email_requester":
        return {"type": kind, **_subject_body(action, here)}
    if kind == "escalate":
        reason = action.get("reason", "")
        problem = _text(reason, required=False, limit=500)
        if problem:
            raise _refuse(f"{here}.reason", problem)
        return {"type": kind, "reason": reason}
    if kind == "webhook":
        url = action.get("url")
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:  # type: ignore[arg-type]
            raise _refuse(f"{here}.url", "Give an http(s) address.")
        problem = outbound.url_problem(url)  # type: ignore[arg-type]
        if problem:
            raise _refuse(f"{here}.url", problem)
        return {"type": kind, "url": url}
    raise _refuse(f"{here}.type", "Unknown action.")  # pragma: no cover - guarded by the caller


def _subject_body(action: dict[str, Any], here: str) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    for name, limit in (("subject", 200), ("body", TEXT_MAX)):
        value = action.get(name)
        problem = _text(value, limit=limit)
        if problem:
            errors[f"{here}.{name}"] = [problem]
            continue
        try:
            placeholders.check(value, f"{here}.{name}")  # type: ignore[arg-type]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return {"subject": action["subject"], "body": action["body"]}


def needs_webhook_secret(actions: list[dict[str, Any]]) -> bool:
    return any(a["type"] == "webhook" for a in actions)


def new_webhook_secret() -> str:
    return secrets.token_hex(32)


# --- applying ----------------------------------------------------------------------------------

@dataclass
class Applied:
    """What applying actions did: a sentence per action, and the work to run after commit."""

    summaries: list[tuple[str, str]] = field(default_factory=list)  # (action type, words)
    after_commit: list[Callable[[], None]] = field(default_factory=list)


def describe(action: dict[str, Any]) -> str:
    """An action in words (for the preview, lists and the history)."""
    kind, value = action["type"], action.get("value")
    if kind == "set_status":
        return f"Status → {StatusCategory(value).label}"
    if kind == "set_priority":
        return f"Priority → {Priority(value).label}"
    if kind == "set_type":
        return f"Type → {TicketType(value).label}"
    if kind == "add_tags":
        return "Add tags " + ", ".join(value)
    if kind == "remove_tags":
        return "Remove tags " + ", ".join(value)
    if kind == "assign":
        return {"": "Unassign", "me": "Assign to me"}.get(value, f"Assign to {value}")
    if kind == "set_team":
        return f"Team → {value}" if value else "Clear the team"
    if kind == "set_queue":
        return f"Queue → {value}" if value else "Clear the queue"
    if kind == "set_field":
        return f"{action['key']} → {value}"
    if kind == "add_note":
        return "Add an internal note"
    if kind == "notify":
        return f"Email {action['to']}: {action['subject']}"
    if kind == "email_requester":
        return f"Email the requester: {action['subject']}"
    if kind == "escalate":
        return "Escalate" + (f" ({action['reason']})" if action.get("reason") else "")
    if kind == "webhook":
        return f"POST to {action['url']}"
    return kind


def _changes_for(ticket: Ticket, actions: list[dict[str, Any]], actor: User | None) -> TicketChanges:
    values: dict[str, Any] = {}
    tags = None
    for action in actions:
        kind, value = action["type"], action.get("value")
        if kind == "set_status":
            values["status"] = status_default(value)
        elif kind == "set_priority":
            values["priority"] = value
        elif kind == "set_type":
            values["ticket_type"] = value
        elif kind in ("add_tags", "remove_tags"):
            if tags is None:
                tags = set(ticket.tags.values_list("name", flat=True))
            tags = tags | set(value) if kind == "add_tags" else tags - set(value)
        elif kind == "assign":
            if value == "me":
                if actor is None:
                    raise ValidationError({"actions": ["\"Assign to me\" needs a person applying it."]})
                values["assignee"] = actor
            else:
                values["assignee"] = User.objects.filter(username=value).first() if value else None
                if value and values["assignee"] is None:
                    raise ValidationError({"actions": [f"No agent {value!r} any more."]})
        elif kind == "set_team":
            values["team"] = Team.objects.filter(name=value).first() if value else None
            if value and values["team"] is None:
                raise ValidationError({"actions": [f"No team {value!r} any more."]})
        elif kind == "set_queue":
            values["queue"] = Queue.objects.filter(slug=value).first() if value else None
            if value and values["queue"] is None:
                raise ValidationError({"actions": [f"No queue {value!r} any more."]})
        elif kind == "set_field":
            values.setdefault("custom_fields", {})[action["key"]] = value
    if tags is not None:
        values["tags"] = sorted(tags)
    return TicketChanges(**values)


@transaction.atomic
def actions_apply(*, ticket: Ticket, actions: list[dict[str, Any]], actor: User | None, at: datetime,
                  side_effects: Callable[[dict[str, Any]], Callable[[], None] | None] | None = None) -> Applied:
    """Apply ``actions`` to ``ticket`` as ``actor`` (None: the system), all or nothing.

    Property actions go through ``ticket_update`` together; notes through ``ticket_reply``; the
    rest (email, escalation, webhook) are handed to ``side_effects``, which returns work to run after
    commit (or does it in this transaction and returns None).
    """
    applied = Applied()
    changes = _changes_for(ticket, actions, actor)
    if changes != TicketChanges():
        ticket = ticket_update(ticket=ticket, changes=changes, actor=actor, at=at)
    agent = actor or ticket.assignee
    for action in actions:
        kind = action["type"]
        if kind == "add_note":
            text = placeholders.render_text(action["value"], placeholders.values_for(ticket=ticket, agent=agent))
            ticket_reply(ticket=ticket, author=actor, body=text, public=False, at=at, notify=False)
        elif kind in ("notify", "email_requester", "escalate", "webhook"):
            if side_effects is None:
                raise ValidationError({"actions": [f"{RULE_ACTIONS[kind]} is for rules only."]})
            later = side_effects(action)
            if later is not None:
                applied.after_commit.append(later)
        applied.summaries.append((kind, describe(action)))
    return applied
