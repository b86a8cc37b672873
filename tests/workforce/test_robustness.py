"""Every route of the workforce section, for every role, with and without garbage input:
never a 5xx, and the permission rules of ``frontline/workforce/permissions.py`` hold.

The routes are read from the URL confs (a new route is crawled without touching this file); the
input names from the section's forms and from the ``request.GET/POST.get("…")`` calls of its
views. One world is built per module; every request runs in a savepoint that is rolled back, so
a successful POST (a delete, a publish) never changes what the next request sees.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from importlib import import_module
from typing import Any

import pytest
from django import forms
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from frontline.budget import services as budget_services
from frontline.budget.models import BudgetCategory, BudgetPlan
from frontline.schedules.models import ScheduleStatus, ShiftType, TimeOff
from tests import factories
from tests.budget import helpers as budget
from tests.schedules.factories import eight_hour
from tests.schedules.factories import schedule as make_schedule
from tests.workforce import staffing_factories as wf

NAMESPACES = ("workforce", "schedules", "budget")
VIEW_MODULES = [
    "frontline.workforce.views", "frontline.workforce.views.forecasts", "frontline.workforce.views.staffing",
    "frontline.schedules.views", "frontline.schedules.adherence_views", "frontline.budget.views",
]
FORM_MODULES = [
    "frontline.workforce.forms", "frontline.workforce.forms.forecasts", "frontline.workforce.forms.staffing",
    "frontline.schedules.forms", "frontline.schedules.adherence_forms", "frontline.budget.forms",
]
JUNK = ["<script>x</script>", "-1", "99999999999", "", "2026-13-45", "9" * 25]
MISSING = 999999
HUGE = 10**20  # past a 64-bit id: the database must not be asked about it
ROLES = ("anonymous", "customer", "agent", "other_lead", "lead", "manager")
DENIED = {403, 404, 405}

pytestmark = pytest.mark.slow  # 360 requests, ~50 s of a worker: started first (tests/conftest.py)

# --- routes ------------------------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """(namespaced url name, path parameter names) of every named pattern below ``patterns``."""
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}:{p.name}", tuple(p.pattern.converters)))
    return found


def section_routes() -> list[tuple[str, tuple[str, ...]]]:
    return sorted({r for r in _walk(get_resolver().url_patterns) if r[0].split(":")[0] in NAMESPACES})


def _form_fields(*, last: bool = False) -> dict[str, forms.Field]:
    """The section's form fields by name, break fields included; where forms share a name (``start``
    is a time on a shift, a day in adherence) the first or the ``last`` declaration wins."""
    found: dict[str, forms.Field] = {}
    for module_name in FORM_MODULES:
        module = import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                for name, f in cls.base_fields.items():
                    if last:
                        found[name] = f
                    else:
                        found.setdefault(name, f)
    for n in (1, 2):
        found.setdefault(f"break{n}_start", forms.TimeField())
        found.setdefault(f"break{n}_minutes", forms.IntegerField(min_value=5, max_value=240))
        found.setdefault(f"break{n}_paid", forms.BooleanField())
    return found


def edge_values(high: bool, *, last: bool = False) -> dict[str, Any]:
    """Values each field accepts at its edge (its bounds, the first/last choice, the newest row,
    the longest text), so the input passes the form and reaches the services. Needs the database."""
    out: dict[str, Any] = {}
    for name, f in _form_fields(last=last).items():
        bound = getattr(f, "max_value" if high else "min_value", None)
        if isinstance(f, forms.ModelChoiceField):
            row = f.queryset.model._default_manager.order_by("-pk" if high else "pk").first()
            value: Any = row.pk if row else ""
        elif isinstance(f, forms.ChoiceField):
            choices = [str(c) for c, _ in f.choices if c != ""]
            value = (choices[-1] if high else choices[0]) if choices else ""
            value = [value] if isinstance(f, forms.MultipleChoiceField) else value
        elif isinstance(f, forms.BooleanField):
            value = "on"
        elif isinstance(f, forms.DecimalField):
            value = bound if bound is not None else ("9" * ((f.max_digits or 12) - (f.decimal_places or 0)) if high else "-1")
        elif isinstance(f, forms.IntegerField | forms.FloatField):
            value = bound if bound is not None else ("1e300" if isinstance(f, forms.FloatField) else 2**62) if high else -(2**62)
        elif isinstance(f, forms.DateField):
            value = "9999-12-31" if high else "0001-01-01"
        elif isinstance(f, forms.TimeField):
            value = "23:59" if high else "00:00"
        else:
            value = "a" * (f.max_length or 5000) if high else "a" * (f.min_length or 1)
        out[name] = value
    return out


def input_names() -> list[str]:
    """Every field any form of the section declares (the dynamic break fields included) and every
    parameter a view reads by name (``request.GET.get("sort")``, the adherence period's keys)."""
    names = set(_form_fields()) | {f"break{n}_{s}" for n in (1, 2) for s in ("earliest", "latest")}
    for module_name in VIEW_MODULES:
        source = inspect.getsource(import_module(module_name))
        names |= set(re.findall(r"request\.(?:GET|POST)\.get\(\"(\w+)\"", source))
        names |= set(re.findall(r'"(\w+)" in request\.GET', source))
    return sorted(names | {"preset", "start", "end", "team"})


INPUTS = input_names()
HTMX_TARGETS = sorted({t for m in VIEW_MODULES
                       for t in re.findall(r'htmx\.target == "([\w-]+)"', inspect.getsource(import_module(m)))})

# --- the world ---------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    ids: dict[str, dict[str, int]]  # variant -> path parameter -> id
    objects: dict[str, Any]
    clients: dict[str, Client] = field(default_factory=dict)  # one per role: a client is costly to start
    edges: dict[str, dict[str, Any]] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        if role not in self.clients:
            self.clients[role] = Client(raise_request_exception=False)
            if role != "anonymous":
                self.clients[role].force_login(self.users[role])
        client = self.clients[role]
        client.cookies.pop("messages", None)  # a flash message from an earlier request
        return client


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    """Team A (its lead, two agents) and team B (its lead, one agent), a manager, a customer; team A
    owns a finished forecast with a staffing plan, a published week (this one) and a draft week
    (next one) with shifts, a time-off request, a shift type and a budget with a line, an actual and
    a scenario. Rolled back after the module."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    # Thousands of expected 403/404/422 answers: their warnings (with tracebacks) cost seconds.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock(), fast_hasher:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = _build_world()
            for role in ROLES:
                world.client(role)  # signed in here, so the sessions live as long as the world
            world.edges = {"low": edge_values(high=False), "high": edge_values(high=True),
                           "high, other forms' types": edge_values(high=True, last=True)}
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            request_log.setLevel(level)


def _build_world() -> World:
    team_a, team_b = factories.team(name="Alpha"), factories.team(name="Bravo")
    agent = factories.agent(teams=[team_a])
    peer = factories.agent(teams=[team_a])
    factories.agent(teams=[team_b])
    lead = factories.lead(leads=[team_a], teams=[team_a])
    other_lead = factories.lead(leads=[team_b], teams=[team_b])
    manager = factories.manager()
    customer = factories.customer(with_login=True).user
    for u in (agent, peer):
        wf.set_profile(u, hours=40, cost=25)

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    run = wf.forecast(team=team_a, rows=wf.day_rows(today), first_date=today, last_date=today, name="Alpha forecast")
    plan = wf.plan(run, actor=manager, name="Alpha 80/20")
    published = make_schedule(team=team_a, week_start=monday, plan=plan, state=ScheduleStatus.PUBLISHED)
    draft = make_schedule(team=team_a, week_start=monday + timedelta(days=7), plan=plan)
    start = timezone.make_aware(datetime.combine(today, time(9)))
    pub_shift = wf.shift(published, agent, start, start + timedelta(hours=8),
                         breaks=[(start + timedelta(hours=4), start + timedelta(hours=4, minutes=30), False)])
    draft_shift = wf.shift(draft, agent, start + timedelta(days=7), start + timedelta(days=7, hours=8))
    off = TimeOff.objects.create(agent=agent, starts_at=start + timedelta(days=8), ends_at=start + timedelta(days=9),
                                 reason="Dentist")
    shift_type = eight_hour(team=team_a, name="Alpha day")
    bplan = budget.plan(team=team_a, start=monday.replace(day=1), end=monday.replace(day=1) + timedelta(days=89))
    bline = budget.line(bplan, BudgetCategory.TOOLS, "1200.00")
    bactual = budget.actual(bline, bplan.period_start, "300.00", today=bplan.period_start)
    scenario = budget_services.scenario_create(base=bplan, name="Volume +10%", actor=manager)
    users = {"customer": customer, "agent": agent, "other_lead": other_lead, "lead": lead, "manager": manager}
    common = {"run_id": run.pk, "agent_id": agent.pk, "line_id": bline.pk, "actual_id": bactual.pk,
              "scenario_id": scenario.pk}
    return World(
        users=users,
        ids={
            "published": common | {"pk": published.pk, "shift_id": pub_shift.pk},
            "draft": common | {"pk": draft.pk, "shift_id": draft_shift.pk},
        },
        objects={"plan": plan, "budget": bplan, "time_off": off, "shift_type": shift_type, "team_a": team_a,
                 "team_b": team_b, "peer": peer, "monday": monday},
    )


def _path_ids(world: World, name: str, params: tuple[str, ...], variant: str) -> dict[str, int]:
    if variant in ("missing", "huge"):
        return dict.fromkeys(params, MISSING if variant == "missing" else HUGE)
    ids = dict(world.ids["draft" if variant == "draft" else "published"])
    special = {
        "workforce": {"plan_id": world.objects["plan"].pk},
        "budget": {"plan_id": world.objects["budget"].pk},
    }[name.split(":")[0]] if "plan_id" in params else {}
    ids |= special
    if name in ("schedules:time_off_withdraw", "schedules:time_off_decide"):
        ids["pk"] = world.objects["time_off"].pk
    if name == "schedules:shift_type_edit":
        ids["pk"] = world.objects["shift_type"].pk
    return {p: ids[p] for p in params}


# --- the rules ---------------------------------------------------------------------------------

PLANNER_ONLY = {"workforce:forecast_list", "workforce:forecast_new", "workforce:forecast_detail",
                "workforce:forecast_progress", "workforce:forecast_refresh", "workforce:staffing_list",
                "workforce:staffing_new", "workforce:whatif", "workforce:staffing_detail", "workforce:staffing_edit",
                "workforce:staffing_delete", "schedules:time_off_list", "schedules:shift_type_list",
                "schedules:shift_type_edit"}
TEAM_WRITES = {"schedules:schedule_solve", "schedules:schedule_publish", "schedules:schedule_unpublish",
               "schedules:shift_new", "schedules:shift_edit", "schedules:shift_delete", "schedules:time_off_decide"}
TEAM_A_ONLY = {"workforce:staffing_edit", "workforce:staffing_delete", "schedules:shift_type_edit",
               "schedules:adherence_agent"}


def must_deny(name: str, method: str, variant: str) -> set[str]:
    """Signed-in roles that must get 403, 404 or 405 here (the anonymous visitor is sent to log in)."""
    if variant in ("missing", "huge"):
        return set(ROLES) - {"anonymous"}
    denied = {"customer"}
    if name.startswith("budget:") or name == "workforce:whatif_save":
        denied |= {"agent", "other_lead", "lead"}
    if name in PLANNER_ONLY:
        denied |= {"agent"}
    if name in TEAM_WRITES or name in TEAM_A_ONLY:
        denied |= {"other_lead"}
    if name in TEAM_WRITES:
        denied |= {"agent"}
    if name == "schedules:schedule_list" and method == "POST":
        denied |= {"agent"}
    if name in ("schedules:schedule_board", "schedules:schedule_progress") and variant == "draft":
        denied |= {"agent"}  # agents read published weeks only
    if name == "schedules:time_off_withdraw":
        denied |= {"lead", "other_lead", "manager"}  # the agent's own request only
    return denied


# --- requests ----------------------------------------------------------------------------------


def _rounds(names: list[str], edges: dict[str, dict[str, Any]],
            with_junk: bool) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
    """(label, params, extra headers): no params, the edge values, then each junk value in every
    input (some as htmx requests aimed at the section's htmx targets)."""
    rounds = [("no params", {}, {})]
    if with_junk:
        rounds += [(f"edge {kind}", values, {}) for kind, values in edges.items()]
        targets = itertools.cycle(HTMX_TARGETS or [""])
        for k, junk in enumerate(JUNK):
            headers = {"HX-Request": "true", "HX-Target": next(targets)} if k % 4 in (1, 2) else {}
            rounds.append((f"junk {junk!r}{' htmx' if headers else ''}", dict.fromkeys(names, junk), headers))
    return rounds


def _share(rounds: list[Any], role: str, denied: set[str], *, split: bool) -> list[Any]:
    """The rounds ``role`` sends (always the plain request first; a lean matrix keeps the crawl fast).

    The anonymous visitor and the customer are stopped at the door (sign-in, staff only): nothing
    more. A refused role and the other team's lead send one junk round: a refusal must not depend
    on the input. The team's lead and the manager share the junk values (the manager also sends
    the edges), the manager sending all where the lead is refused and the lead
    all on a draft week; an agent who gets through sends everything."""
    first, edges, junk = rounds[:1], rounds[1:4], rounds[4:]
    if role in ("anonymous", "customer"):
        return first
    if role in denied | {"other_lead"}:
        return first + junk[:1]
    if role == "lead" and split:
        return first + junk[1::2]
    if role == "manager" and "lead" not in denied and split:
        return first + edges + junk[0::2]
    return rounds


def _request(client: Client, method: str, url: str, params: dict[str, Any], headers: dict[str, str], *,
             follow: bool = False) -> Any:
    """The response, rolled back. With ``follow``, where a request succeeds with a redirect into the
    section, the page it leads to (the object just written) is fetched too, as ``followed``."""
    with transaction.atomic():
        call = client.get if method == "GET" else client.post
        response = call(url, params, headers=headers)
        response.followed = None
        location = response.get("Location", "")
        if follow and response.status_code == 302 and location.startswith("/workforce/"):
            response.followed = client.get(location)
        transaction.set_rollback(True)
    return response


def _crash(response: Any) -> str | None:
    if response.status_code < 500:
        return None
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code} {exc[0].__name__}: {exc[1]}" if exc else str(response.status_code)


def _problem(role: str, denied: set[str], response: Any) -> str | None:
    status = response.status_code
    if crash := _crash(response):
        return crash
    if getattr(response, "followed", None) is not None and (crash := _crash(response.followed)):
        return f"{status} to {response['Location']}, which answers {crash}"
    if role == "anonymous":
        location = response.get("Location", "")
        if status in (401, 403, 405) or (status == 302 and location.startswith(reverse("login"))):
            return None
        return f"anonymous got {status} {location}"
    if role in denied and status not in DENIED:
        return f"{role} must be refused, got {status} {response.get('Location', '')}"
    return None


SCHEDULE_PK = {"schedules:schedule_board", "schedules:schedule_progress", "schedules:schedule_solve",
               "schedules:schedule_publish", "schedules:schedule_unpublish", "schedules:shift_new",
               "schedules:shift_edit", "schedules:shift_delete"}
CASES = [(name, params, variant)
         for name, params in section_routes()
         for variant in (("real", "draft", "missing", "huge") if params else ("none",))
         if not (variant == "draft" and name not in SCHEDULE_PK)]


# A missing id must 404 before any role rule: probed as the manager, who passes every role check.
ROLES_FOR = {"missing": ("manager",), "huge": ("manager",),
             "draft": ("agent", "lead")}  # a draft week is what agents must not see and leads edit
MATRIX = [(name, params, variant, role) for name, params, variant in CASES for role in ROLES_FOR.get(variant, ROLES)]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "params", "variant", "role"), MATRIX,
                         ids=[f"{n}[{v}]-{r}" for n, _, v, r in MATRIX])
def test_route_never_fails_and_keeps_its_rules(world: World, name: str, params: tuple[str, ...], variant: str,
                                                role: str) -> None:
    client = world.client(role)
    url = reverse(name, kwargs=_path_ids(world, name, params, variant) if variant != "none" else {})
    inputs = INPUTS
    problems = []
    for method in ("GET", "POST"):
        denied = must_deny(name, method, variant)
        rounds = _rounds(inputs, world.edges, with_junk=variant in ("real", "none") or (variant == "draft" and role == "lead"))
        for label, data, headers in _share(rounds, role, denied, split=variant != "draft"):
            # Junk that passes is ignored input: its redirect is the plain request's, followed once.
            response = _request(client, method, url, data, headers, follow=not label.startswith("junk"))
            problem = _problem(role, denied, response)
            if problem:
                problems.append(f"{method} {url} as {role} ({label}): {problem}")
            if response.status_code == 405:
                break
    assert not problems, "\n".join(problems)


def test_every_section_route_is_crawled() -> None:
    """The crawl reads the URL confs; this pins that it found them (a resolver change would hide routes)."""
    names = {name for name, _, _ in CASES}
    assert {"workforce:erlang", "workforce:staffing_edit", "schedules:shift_edit", "schedules:adherence_agent",
            "budget:compare", "budget:actual_delete"} <= names
    assert len(names) >= 45


@pytest.mark.django_db
def test_manager_opens_every_page_of_the_world(world: World) -> None:
    """The world is wired: the manager gets 200 on every GET page with real ids (else the crawl proves little)."""
    client = world.client("manager")
    failures = []
    for name, params, variant in CASES:
        if variant in ("missing", "huge"):
            continue
        url = reverse(name, kwargs=_path_ids(world, name, params, variant) if variant != "none" else {})
        response = _request(client, "GET", url, {}, {})
        if response.status_code not in (200, 405):
            failures.append(f"{url}: {response.status_code}")
    assert not failures



@pytest.mark.django_db
def test_the_crawl_reports_a_crashing_view(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself: a view that raises is reported as a 500 with its exception, not hidden."""

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("frontline.workforce.views.ErlangForm", boom)
    response = _request(world.client("manager"), "GET", reverse("workforce:erlang"), {"calls": "1"}, {})

    assert _problem("manager", set(), response) == "500 RuntimeError: kaboom"
    assert _problem("agent", {"agent"}, _request(world.client("agent"), "GET", reverse("budget:plan_list"), {}, {})) is None
    assert _problem("lead", {"lead"}, _request(world.client("lead"), "GET", reverse("workforce:home"), {}, {})) == \
        "lead must be refused, got 200 "


# --- focused regressions -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("decision", ["approve", "decline", "maybe", ""])
def test_time_off_is_decided_by_the_agents_lead_only_whatever_the_input(world: World, decision: str) -> None:
    """Regression: the agent (deciding their own request) and another team's lead got 422 for a
    missing or unknown decision, i.e. the input was read before the permission was checked."""
    off = world.objects["time_off"]
    url = reverse("schedules:time_off_decide", args=[off.pk])
    refused = [world.client(role).post(url, {"decision": decision}).status_code for role in ("agent", "other_lead")]
    off.refresh_from_db()

    assert refused == [403, 404]  # the requester sees it (403); another team's lead does not (404)
    assert off.status == "requested" and off.decided_by is None
    answer = world.client("lead").post(url, {"decision": decision})
    assert answer.status_code == (302 if decision in ("approve", "decline") else 422)


@pytest.mark.django_db
def test_agents_see_their_own_adherence_and_their_own_teams_published_weeks(world: World) -> None:
    agent = world.client("agent")
    peer, team_b = world.objects["peer"], world.objects["team_b"]
    other_week = make_schedule(team=team_b, week_start=world.objects["monday"], state=ScheduleStatus.PUBLISHED)

    assert agent.get(reverse("schedules:adherence_agent", args=[peer.pk])).status_code == 404
    assert agent.get(reverse("schedules:schedule_board", args=[other_week.pk])).status_code == 404
    listed = {row.pk for row in agent.get(reverse("schedules:schedule_list")).context["page"].object_list}
    assert listed == {world.ids["published"]["pk"]}


@pytest.mark.django_db
def test_the_other_teams_lead_cannot_plan_for_this_team(world: World) -> None:
    """A valid form naming team A, posted by team B's lead: refused field by field, nothing written."""
    team_a, plan = world.objects["team_a"], world.objects["plan"]
    client = world.client("other_lead")
    next_week = world.objects["monday"] + timedelta(days=14)
    schedule = client.post(reverse("schedules:schedule_list"), {
        "team": team_a.pk, "week_start": next_week.isoformat(), "staffing_plan": plan.pk, "objective": "service_level",
        "time_limit_s": 30})
    shift_type = client.post(reverse("schedules:shift_type_list"), {
        "name": "Sneaky", "team": team_a.pk, "length_minutes": 480, "earliest_start": "08:00", "latest_start": "10:00",
        "start_step_minutes": 30, "days": [0, 1], "active": "on"})

    assert schedule.status_code == 422 and "team" in schedule.context["form"].errors
    assert shift_type.status_code == 422 and "team" in shift_type.context["form"].errors
    assert not team_a.schedules.filter(week_start=next_week).exists()
    assert not ShiftType.objects.filter(name="Sneaky").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "last"), [("9999-12-31", "9999-12-31"), ("0001-01-01", "2026-03-31")])
def test_a_budget_period_out_of_range_is_refused_not_a_500(world: World, first: str, last: str) -> None:
    """Regression: a plan ending on 9999-12-31 was saved and its page answered 500 (the period's
    end, a day later in the team's zone, overflowed)."""
    client = world.client("manager")
    before = BudgetPlan.objects.count()
    response = client.post(reverse("budget:plan_create"), {"name": "Far", "period_start": first, "period_end": last,
                                                           "currency": "EUR"})
    plan = world.objects["budget"]
    edit = client.post(reverse("budget:plan_edit", args=[plan.pk]), {
        "name": plan.name, "period_start": first, "period_end": last, "currency": "EUR"})

    assert response.status_code == 422 and edit.status_code == 422
    assert set(response.context["form"].errors) & {"period_start", "period_end"}
    assert BudgetPlan.objects.count() == before
    assert client.get(reverse("budget:plan_detail", args=[plan.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "route", "args", "data"), [
    ("agent", "schedules:my_schedule", [], {"starts_on": "9999-12-31", "ends_on": "9999-12-31"}),
    ("lead", "schedules:shift_new", ["draft"], {"day": "9999-12-31", "start": "22:00", "end": "06:00"}),
    ("lead", "schedules:adherence", [], {"start": "9999-12-31", "end": "9999-12-31"}),
    ("lead", "schedules:adherence_agent", ["agent"], {"start": "9999-12-31", "end": "9999-12-31"}),
    ("lead", "schedules:schedule_list", [], {"week_start": "9999-12-27"}),
], ids=["time-off", "shift", "adherence", "adherence-agent", "schedule-week"])
def test_days_at_the_end_of_the_calendar_are_refused_not_a_500(world: World, role: str, route: str, args: list[str],
                                                               data: dict[str, str]) -> None:
    """Regressions: each of these answered 500 (OverflowError: a day later, or the week's last day,
    is past 9999-12-31): time off to the last day, an overnight shift starting on it, an
    adherence period on it, and a schedule for its week (saved, then its board crashed)."""
    ids = {"draft": world.ids["draft"]["pk"], "agent": world.users["agent"].pk}
    data = dict(data)
    if route == "schedules:shift_new":
        data["agent"] = world.users["agent"].pk
    if route == "schedules:schedule_list":
        data |= {"team": world.objects["team_a"].pk, "staffing_plan": world.objects["plan"].pk,
                 "objective": "service_level", "time_limit_s": 30}
    method = "GET" if "adherence" in route else "POST"
    response = _request(world.client(role), method, reverse(route, args=[ids[a] for a in args]), data, {}, follow=True)

    assert response.status_code == 422, _problem(role, set(), response)
    field = {"schedules:my_schedule": "starts_on", "schedules:shift_new": "day",
             "schedules:schedule_list": "week_start"}.get(route, "start")
    assert field in response.context["form"].errors
