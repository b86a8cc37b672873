"""Macros: save, delete, preview, apply (reply + actions + ``macro_applied`` event + use, all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frontline.desk.content import body_from
from frontline.desk.models import EventKind, Ticket
from frontline.desk.services import atomic_with_files, ticket_reply
from frontline.people.models import STAFF_ROLES, Team, User

from .. import placeholders, selectors
from ..actions import (
    MACRO_ACTIONS,
    actions_apply,
    actions_validate,
)
from ..models import Macro, MacroUse, Visibility
from ._common import _event, _name_clean

# --- macros ------------------------------------------------------------------------------------

@transaction.atomic
def macro_save(*, macro: Macro | None, actor: User, name: str, body: str, actions: object, visibility: str,
               team: Team | None = None, active: bool = True, at: datetime | None = None) -> Macro:
    """Create (``macro`` None) or change a macro. Refused: unknown placeholders, bad actions, a place
    the actor may not put it (personal: theirs; team: a team they lead; shared: managers)."""
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if visibility not in Visibility.values:
        errors["visibility"] = [f"One of: {', '.join(Visibility.values)}."]
    if visibility == Visibility.TEAM and team is None:
        errors["team"] = ["Choose the team that uses this macro."]
    if len(body) > 20_000:
        errors["body"] = ["Keep the reply under 20,000 characters."]
    else:
        try:
            placeholders.check(body, "body")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    cleaned: list[dict[str, Any]] = []
    try:
        cleaned = actions_validate(actions, allowed=MACRO_ACTIONS)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and not body.strip() and not cleaned:
        errors["body"] = ["Give a reply, actions, or both."]
    if errors:
        raise ValidationError(errors)
    if macro is not None and not selectors.macro_may_edit(macro=macro, viewer=actor):
        raise PermissionDenied("You may not change this macro.")
    if not selectors.macro_may_edit(macro=None, viewer=actor, visibility=visibility, team=team):
        raise PermissionDenied("You may not put a macro there: personal macros are yours, team macros are their "
                               "lead's, shared macros are the managers'.")
    if macro is None:
        macro = Macro(created_by=actor, created_at=at)
    macro.name, macro.body, macro.actions, macro.visibility, macro.active = name, body, cleaned, visibility, active
    macro.owner = actor if visibility == Visibility.PERSONAL else None
    macro.team = team if visibility == Visibility.TEAM else None
    macro.updated_at = at
    macro.save()
    return macro


@transaction.atomic
def macro_delete(*, macro: Macro, actor: User) -> None:
    if not selectors.macro_may_edit(macro=macro, viewer=actor):
        raise PermissionDenied("You may not delete this macro.")
    macro.delete()


@dataclass(frozen=True)
class MacroPreview:
    text: str
    html: str
    actions: list[str]


def macro_preview(*, macro: Macro, ticket: Ticket, agent: User) -> MacroPreview:
    """The reply as the agent will see it (text to edit, HTML to read) and the actions in words."""
    from ..actions import describe

    values = placeholders.values_for(ticket=ticket, agent=agent)
    return MacroPreview(text=placeholders.render_text(macro.body, values),
                        html=placeholders.render_markdown_html(macro.body, values),
                        actions=[describe(a) for a in macro.actions])


def macro_apply(*, macro: Macro, ticket: Ticket, actor: User, reply: str | None = None, public: bool = True,
                at: datetime | None = None) -> MacroUse:
    """Apply ``macro`` to ``ticket`` as ``actor``, all or nothing: send ``reply`` (the macro's text as
    the agent left it; None or blank: actions only) as a public reply or a note, run the actions,
    write a ``macro_applied`` event and count the use.

    An unedited reply goes out as the macro's Markdown rendered (values escaped); an edited one as
    the plain text typed (everything escaped), since the agent's edits are not Markdown-checked.
    """
    at = at or timezone.now()
    if not selectors.macros_for_viewer(viewer=actor).filter(pk=macro.pk, active=True).exists():
        raise PermissionDenied("You may not use this macro.")
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only support staff apply macros.")
    sent = bool(reply and reply.strip())
    with atomic_with_files():
        if sent:
            assert reply is not None
            values = placeholders.values_for(ticket=ticket, agent=actor)
            unedited = reply.strip() == placeholders.render_text(macro.body, values).strip()
            html = placeholders.render_markdown_html(macro.body, values) if unedited else body_from(text=reply).html
            ticket_reply(ticket=ticket, author=actor, body=reply.strip(), body_html=html, public=public, at=at)
            ticket = Ticket.objects.get(pk=ticket.pk)
        applied = actions_apply(ticket=ticket, actions=macro.actions, actor=actor, at=at)
        words = [w for _, w in applied.summaries]
        if sent:
            words.insert(0, "reply sent" if public else "note added")
        _event(ticket, EventKind.MACRO_APPLIED, at, actor, macro=macro.pk, macro_name=macro.name, sent_reply=sent,
               actions=[k for k, _ in applied.summaries],
               summary=f"Macro “{macro.name}”" + (f": {'; '.join(words)}" if words else ""))
        use = MacroUse.objects.create(macro=macro, ticket=ticket, user=actor, sent_reply=sent, at=at)
        Macro.objects.filter(pk=macro.pk).update(usage_count=F("usage_count") + 1, last_used_at=at, last_used_by=actor)
    return use
