"""Macros (staff: list the visible ones, preview and apply one to a ticket) and automation rules
(managers and admins: create, read, change, delete, dry-run). Writes are ``automations`` services;
a refused condition or action is a 422 whose field is its path (``conditions.all.1.field``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from frontline.automations import selectors, services
from frontline.automations.models import Macro, MacroUse, Rule, Trigger
from frontline.desk.links import ticket_list_url
from frontline.desk.selectors import ticket_get_for_viewer

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .schemas import Id

macros_router = Router(tags=["macros"])
rules_router = Router(tags=["automations"])

TriggerName = Literal["ticket_created", "ticket_updated", "customer_replied", "sla_at_risk", "sla_breached",
                      "survey_answered", "schedule"]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class MacroOut(Schema):
    id: int
    name: str
    visibility: str = Field(description="personal, team or shared.")
    team_id: int | None
    body: str = Field(description="Markdown with {{ placeholders }}.")
    actions: list[dict[str, Any]]
    usage_count: int
    last_used_at: datetime | None


class PreviewOut(Schema):
    text: str = Field(description="The reply with the placeholders filled in, as plain text to edit.")
    html: str = Field(description="The reply rendered (values escaped, sanitised).")
    actions: list[str] = Field(description="The actions that will run, in words.")


class ApplyIn(Schema):
    ticket_id: Id
    reply: Annotated[str, Field(max_length=50_000)] | None = Field(
        None, description="The reply to send (usually the preview's text, edited); null or blank: the actions only.")
    public: bool = Field(True, description="A public reply (true) or an internal note (false).")


class ApplyOut(Schema):
    use_id: int
    ticket_id: int
    sent_reply: bool
    actions: list[str]


def macro_out(m: Macro) -> MacroOut:
    return MacroOut(id=m.pk, name=m.name, visibility=m.visibility, team_id=m.team_id, body=m.body, actions=m.actions,
                    usage_count=m.usage_count, last_used_at=m.last_used_at)


def _macro(macro_id: int, request: HttpRequest) -> Macro:
    if not valid_id(macro_id):
        raise Http404("No such macro.")
    return selectors.macro_get_for_viewer(macro_id=macro_id, viewer=viewer_of(request))


@macros_router.get("", response={200: list[MacroOut], **error_responses(403)}, auth=staff_auth,
                   summary="The macros you may apply (staff)")
def macro_list(request: HttpRequest) -> list[MacroOut]:
    return [macro_out(m) for m in selectors.macros_for_viewer(viewer=viewer_of(request)).filter(active=True)
            .order_by("name", "id")]


@macros_router.get("/{macro_id}/preview", response={200: PreviewOut, **error_responses(403, 404, 422)},
                   auth=staff_auth, summary="A macro filled in for a ticket")
def macro_preview(request: HttpRequest, macro_id: int, ticket_id: Id) -> PreviewOut:
    viewer = viewer_of(request)
    macro = _macro(macro_id, request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    p = services.macro_preview(macro=macro, ticket=ticket, agent=viewer)
    return PreviewOut(text=p.text, html=p.html, actions=p.actions)


@macros_router.post("/{macro_id}/apply", response={200: ApplyOut, **error_responses(403, 404, 409, 422)},
                    auth=staff_auth, summary="Apply a macro to a ticket: send the reply and run the actions")
def macro_apply(request: HttpRequest, macro_id: int, payload: ApplyIn) -> ApplyOut:
    viewer = viewer_of(request)
    macro = _macro(macro_id, request)
    ticket = ticket_get_for_viewer(ticket_id=payload.ticket_id, viewer=viewer)
    use: MacroUse = services.macro_apply(macro=macro, ticket=ticket, actor=viewer, reply=payload.reply,
                                         public=payload.public)
    return ApplyOut(use_id=use.pk, ticket_id=ticket.pk, sent_reply=use.sent_reply,
                    actions=services.macro_preview(macro=macro, ticket=ticket, agent=viewer).actions)


# --- rules ---------------------------------------------------------------------------------------

class RuleIn(Schema):
    name: Name
    trigger: TriggerName
    conditions: dict[str, Any] = Field(description='e.g. {"all": [{"field": "ticket.priority", "op": "eq", "value": "urgent"}]}')
    actions: list[Any] = Field(description='e.g. [{"type": "add_tags", "value": ["vip"]}]')
    description: Annotated[str, Field(max_length=2000)] = ""
    position: Annotated[int, Field(ge=0, le=100_000)] | None = Field(None, description="Order; empty: after the others.")
    active: bool = True


class RuleOut(Schema):
    id: int
    name: str
    description: str
    trigger: str
    conditions: dict[str, Any]
    actions: list[dict[str, Any]]
    position: int
    active: bool
    fire_count: int
    last_fired_at: datetime | None
    updated_at: datetime


class DryRunIn(Schema):
    conditions: dict[str, Any]
    trigger: TriggerName = "schedule"


class DryRunOut(Schema):
    matched: int = Field(description="Open tickets you may see that the conditions match now.")
    looked_at: int
    ticket_ids: list[int] = Field(description="The matching tickets, most recently updated first (at most 1,000).")
    desk_url: str = Field(description="The desk's ticket list showing them.")


def rule_out(r: Rule) -> RuleOut:
    return RuleOut(id=r.pk, name=r.name, description=r.description, trigger=r.trigger, conditions=r.conditions,
                   actions=r.actions, position=r.position, active=r.active, fire_count=r.fire_count,
                   last_fired_at=r.last_fired_at, updated_at=r.updated_at)


def _manager(request: HttpRequest) -> Any:
    viewer = viewer_of(request)
    if not viewer.sees_everything:
        raise PermissionDenied("Automation rules are for managers and admins.")
    return viewer


def _rule(rule_id: int, request: HttpRequest) -> Rule:
    viewer = _manager(request)
    rule = selectors.rules_for_manager(viewer=viewer).filter(pk=rule_id).first() if valid_id(rule_id) else None
    if rule is None:
        raise Http404("No such rule.")
    return rule


@rules_router.get("", response={200: list[RuleOut], **error_responses(403)}, auth=staff_auth,
                  summary="Automation rules, in order (managers)")
def rule_list(request: HttpRequest) -> list[RuleOut]:
    return [rule_out(r) for r in selectors.rules_for_manager(viewer=_manager(request))]


@rules_router.post("", response={201: RuleOut, **error_responses(403, 422)}, auth=staff_auth,
                   summary="Create a rule (managers)")
def rule_create(request: HttpRequest, payload: RuleIn) -> Status:
    rule = services.rule_save(rule=None, actor=_manager(request), **payload.dict())
    return Status(201, rule_out(rule))


@rules_router.get("/{int:rule_id}", response={200: RuleOut, **error_responses(403, 404)}, auth=staff_auth,
                  summary="A rule (managers)")
def rule_get(request: HttpRequest, rule_id: int) -> RuleOut:
    return rule_out(_rule(rule_id, request))


@rules_router.put("/{int:rule_id}", response={200: RuleOut, **error_responses(403, 404, 422)}, auth=staff_auth,
                  summary="Change a rule (managers)")
def rule_update(request: HttpRequest, rule_id: int, payload: RuleIn) -> RuleOut:
    rule = _rule(rule_id, request)
    return rule_out(services.rule_save(rule=rule, actor=viewer_of(request), **payload.dict()))


@rules_router.delete("/{int:rule_id}", response={204: None, **error_responses(403, 404)}, auth=staff_auth,
                     summary="Delete a rule (managers)")
def rule_delete(request: HttpRequest, rule_id: int) -> Status:
    services.rule_delete(rule=_rule(rule_id, request), actor=viewer_of(request))
    return Status(204, None)


@rules_router.post("/dry-run", response={200: DryRunOut, **error_responses(403, 422)}, auth=staff_auth,
                   summary="Which open tickets would these conditions match now? (managers)")
def rule_dry_run(request: HttpRequest, payload: DryRunIn) -> DryRunOut:
    viewer = _manager(request)
    services.rule_conditions_validate(payload.conditions)
    run = selectors.rule_dry_run(conditions=payload.conditions, viewer=viewer, now=timezone.now(),
                                 trigger=payload.trigger or Trigger.SCHEDULE)
    ids = run.ids[:1000]
    return DryRunOut(matched=run.matched, looked_at=run.looked_at, ticket_ids=ids,
                     desk_url=ticket_list_url(ids))
