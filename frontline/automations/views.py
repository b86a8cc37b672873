"""Pages of automations: rules (managers and admins: list, edit with a dry run, delete), macros
(staff: the ones they see, edit their own / their team's / shared by role), and applying a macro to
a ticket from the reply box (preview, edit, send or run the actions now)."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core.secretbox import mask
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.links import ticket_list_url
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.engine import rules as engine
from frontline.people.models import STAFF_ROLES, User

from . import actions as rule_actions
from . import placeholders, selectors, services
from .forms import MacroForm, RuleForm, errors_onto, macro_form_initial
from .models import Rule, Visibility

_SECRET_SHOWN = "automations_rule_secret_{}"  # session key: a rule's new webhook secret, until its page shows it once


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in STAFF_ROLES:
        raise PermissionDenied("Macros are for support staff.")
    return user


def _manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.sees_everything:
        raise PermissionDenied("Automation rules are set up by managers and admins.")
    return user


def _rule(viewer: User, rule_id: int) -> Rule:
    """The rule for a manager; 404 for an unknown one."""
    rule = selectors.rules_for_manager(viewer=viewer).filter(pk=rule_id).first()
    if rule is None:
        raise Http404("No such rule.")
    return rule


def _reference() -> dict[str, object]:
    registry = selectors.field_registry()
    return {"fields": sorted(registry.values(), key=lambda s: s.name), "rule_actions": rule_actions.RULE_ACTIONS,
            "macro_actions": rule_actions.MACRO_ACTIONS, "placeholders": placeholders.PLACEHOLDERS}


# --- rules -------------------------------------------------------------------------------------

@require_GET
@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    viewer = _manager(request)
    registry = selectors.field_registry()
    rows = [{"rule": r, "when": engine.describe(r.conditions, registry),
             "then": [rule_actions.describe(a) for a in r.actions]}
            for r in selectors.rules_for_manager(viewer=viewer)]
    return render(request, "automations/rule_list.html", {"nav": "automations", "rows": rows})


@require_GET
@login_required
def rule_tickets(request: HttpRequest, rule_id: int) -> HttpResponse:
    """The desk's list of the tickets the rule fired on (the latest ``FIRED_LINK_MAX``): where "Fired" leads."""
    viewer = _manager(request)
    rule = _rule(viewer, rule_id)
    return redirect(ticket_list_url(selectors.rule_fired_ticket_ids(rule=rule)))


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    viewer = _manager(request)
    rule = None
    if rule_id is not None:
        rule = _rule(viewer, rule_id)
    initial = {"conditions": '{"all": []}', "actions": "[]", "active": True, "trigger": "ticket_created"}
    if rule is not None:
        initial = {"name": rule.name, "description": rule.description, "trigger": rule.trigger,
                   "position": rule.position, "active": rule.active,
                   "conditions": json.dumps(rule.conditions, indent=2, ensure_ascii=False),
                   "actions": json.dumps(rule.actions, indent=2, ensure_ascii=False)}
    dry_get = request.method == "GET" and "dry_run" in request.GET
    form = RuleForm(request.GET if dry_get else (request.POST or None), initial=initial)
    context: dict[str, object] = {"nav": "automations", "form": form, "rule": rule, **_reference()}
    if rule is not None:
        context["firings"] = rule.firings.select_related("ticket")[:20]
        context["webhook_calls"] = rule.webhook_calls.all()[:10]
        context["secret_masked"] = mask(rule.webhook_secret)
        if request.method == "GET":  # shown once, on the page after it was made
            context["new_secret"] = request.session.pop(_SECRET_SHOWN.format(rule.pk), None)
    if request.method == "POST" or dry_get:
        if not form.is_valid():
            return render(request, "automations/rule_form.html", context, status=422)
        data = form.cleaned_data
        if "dry_run" in request.POST or dry_get:
            try:
                services.rule_conditions_validate(data["conditions"])
            except ValidationError as exc:
                errors_onto(form, exc)
                return render(request, "automations/rule_form.html", context, status=422)
            if not dry_get:  # answer on a GET of the same form, so Back and reload work
                fields = {k: request.POST.get(k, "") for k in form.fields}
                return redirect(request.path + "?" + urlencode({**fields, "dry_run": "1"}))
            run = selectors.rule_dry_run(conditions=data["conditions"], viewer=viewer, now=timezone.now(),
                                         trigger=data["trigger"])
            context["dry_run"] = run
            context["dry_run_link"] = ticket_list_url(run.ids[:1000])
            return render(request, "automations/rule_form.html", context)
        had_secret = bool(rule and rule.webhook_secret)
        try:
            saved = services.rule_save(rule=rule, actor=viewer, name=data["name"], trigger=data["trigger"],
                                       conditions=data["conditions"], actions=data["actions"],
                                       description=data["description"], position=data["position"],
                                       active=data["active"])
        except ValidationError as exc:
            errors_onto(form, exc)
            return render(request, "automations/rule_form.html", context, status=422)
        messages.success(request, f"Rule “{saved.name}” saved.")
        if saved.webhook_secret and not had_secret:  # its first webhook: show the new secret once
            request.session[_SECRET_SHOWN.format(saved.pk)] = saved.webhook_secret
            return redirect("automations:rule_edit", saved.pk)
        return redirect("automations:rule_list")
    return render(request, "automations/rule_form.html", context)


@require_POST
@login_required
def rule_secret_rotate(request: HttpRequest, rule_id: int) -> HttpResponse:
    """A new webhook secret (the old one stops signing at once), shown once on the rule's page."""
    viewer = _manager(request)
    rule = _rule(viewer, rule_id)
    secret = services.rule_webhook_secret_rotate(rule=rule, actor=viewer)
    request.session[_SECRET_SHOWN.format(rule.pk)] = secret
    messages.success(request, "The webhook secret was replaced: give the new one to the receiver.")
    return redirect("automations:rule_edit", rule.pk)


@require_POST
@login_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    viewer = _manager(request)
    rule = _rule(viewer, rule_id)
    services.rule_delete(rule=rule, actor=viewer)
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("automations:rule_list")


# --- macros ------------------------------------------------------------------------------------

@require_GET
@login_required
def macro_list(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    macros = list(selectors.macros_for_viewer(viewer=viewer).order_by("visibility", "name"))
    rows = [{"macro": m, "may_edit": selectors.macro_may_edit(macro=m, viewer=viewer),
             "actions": [rule_actions.describe(a) for a in m.actions]} for m in macros]
    return render(request, "automations/macro_list.html", {"nav": "macros", "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def macro_edit(request: HttpRequest, macro_id: int | None = None) -> HttpResponse:
    viewer = _staff(request)
    macro = selectors.macro_get_for_viewer(macro_id=macro_id, viewer=viewer) if macro_id is not None else None
    if macro is not None and not selectors.macro_may_edit(macro=macro, viewer=viewer):
        raise PermissionDenied("You may not change this macro.")
    initial: dict[str, object] = {"visibility": Visibility.PERSONAL, "actions": "[]", "active": True}
    if macro is not None:
        initial = {"name": macro.name, "body": macro.body, "visibility": macro.visibility, "team": macro.team_id,
                   "active": macro.active, **macro_form_initial(macro.actions)}
    form = MacroForm(request.POST or None, initial=initial, teams=selectors.macro_teams_for_editor(viewer=viewer))
    context = {"nav": "macros", "form": form, "macro": macro, **_reference(),
               "usage": selectors.macro_usage_by_person(macro=macro) if macro is not None else []}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.macro_save(macro=macro, actor=viewer, name=data["name"], body=data["body"],
                                            actions=data["actions"], visibility=data["visibility"],
                                            team=data["team"], active=data["active"])
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, f"Macro “{saved.name}” saved.")
                return redirect("automations:macro_list")
        return render(request, "automations/macro_form.html", context, status=422)
    return render(request, "automations/macro_form.html", context)


@require_POST
@login_required
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    viewer = _staff(request)
    macro = selectors.macro_get_for_viewer(macro_id=macro_id, viewer=viewer)
    services.macro_delete(macro=macro, actor=viewer)
    messages.success(request, f"Macro “{macro.name}” deleted.")
    return redirect("automations:macro_list")


@require_http_methods(["GET", "POST"])
@login_required
def macro_use(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """GET ``?macro=<id>``: the preview (the reply to edit, the actions that will run). POST: send the
    reply and run the actions (``send``), or run the actions only (``apply_now``)."""
    viewer = _staff(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    raw = request.POST.get("macro") if request.method == "POST" else request.GET.get("macro")
    if not raw:
        return redirect("desk:ticket_detail", ticket_id=ticket.pk)
    try:
        macro_id = int(raw)
    except ValueError:
        raise Http404("No such macro.") from None
    macro = selectors.macro_get_for_viewer(macro_id=macro_id, viewer=viewer)
    preview = services.macro_preview(macro=macro, ticket=ticket, agent=viewer)
    context = {"nav": "desk", "ticket": ticket, "macro": macro, "preview": preview,
               "reply": preview.text, "public": True}
    template = "automations/partials/macro_preview.html" if request.htmx else "automations/macro_use.html"  # type: ignore[attr-defined]
    if request.method == "GET":
        return render(request, template, context)
    reply = request.POST.get("reply", "")
    public = request.POST.get("public", "1") == "1"
    context.update(reply=reply, public=public)
    send = "apply_now" not in request.POST
    try:
        services.macro_apply(macro=macro, ticket=ticket, actor=viewer, reply=reply if send else None, public=public)
    except ValidationError as exc:
        context["errors"] = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
        return render(request, "automations/macro_use.html", context, status=422)
    except TransitionNotAllowed as exc:
        context["errors"] = [exc.reason]
        return render(request, "automations/macro_use.html", context, status=409)
    messages.success(request, f"Macro “{macro.name}” applied.")
    return redirect(reverse("desk:ticket_detail", args=[ticket.pk]) + "?history=1#history")
