"""Adherence from the database and through the pages: loader, visibility, real time, demo history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from django.test import override_settings
from django.utils import timezone

from frontline.people.models import AgentProfile, AvailabilityChange, Team, User
from frontline.schedules.adherence import adherence_for_agents, adherence_now
from frontline.schedules.demo_adherence import seed_availability
from frontline.schedules.models import Schedule, Shift
from tests import factories as f

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 1, 5)
PERIOD = "start=2026-01-05&end=2026-01-05"


def t(h: int, m: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 1, day, h, m, tzinfo=UTC)


def shift(agent: User, team: Team, starts_at: datetime, ends_at: datetime, *, breaks: list[tuple[datetime, datetime]] = (),
          state: str = "published") -> Shift:
    week = timezone.localtime(starts_at, UTC).date()
    week -= timedelta(days=week.weekday())
    schedule, _ = Schedule.objects.get_or_create(team=team, week_start=week, defaults={"state": state})
    return Shift.objects.create(schedule=schedule, agent=agent, starts_at=starts_at, ends_at=ends_at,
                                breaks=[{"start": s.isoformat(), "end": e.isoformat(), "paid": False} for s, e in breaks])


def log(agent: User, *steps: tuple[datetime, str]) -> None:
    """Write availability changes with consistent ``previous`` values, starting from offline."""
    state = "offline"
    for at, new in steps:
        AvailabilityChange.objects.create(user=agent, availability=new, previous=state, changed_at=at)
        state = new
    AgentProfile.objects.filter(user=agent).update(availability=state, availability_changed_at=steps[-1][0] if steps else None)


def worked_example(agent: User, team: Team) -> None:
    shift(agent, team, t(9), t(17), breaks=[(t(12), t(12, 30))])
    log(agent, (t(9, 5), "online"), (t(12, 10), "on_break"), (t(12, 40), "online"), (t(17), "offline"))


@pytest.fixture
def org():  # type: ignore[no-untyped-def]
    """Two teams with a lead each, two agents in the first and one in the second, and a manager."""
    a, b = f.team(name="Orders"), f.team(name="Technical")
    return {
        "a": a, "b": b,
        "ann": f.agent(teams=[a], first_name="Ann"), "bob": f.agent(teams=[a], first_name="Bob"),
        "cai": f.agent(teams=[b], first_name="Cai"),
        "lead_a": f.lead(leads=[a], teams=[a]), "lead_b": f.lead(leads=[b]),
        "manager": f.manager(),
    }


# ---------------------------------------------------------------- the loader


def test_the_loader_reproduces_the_worked_example(org) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    [row] = adherence_for_agents(agents=User.objects.filter(pk=org["ann"].pk), start=t(0), end=t(0, day=6), now=t(0, day=9))
    assert (row.result.scheduled_minutes, row.result.in_adherence_minutes, row.result.worked_minutes) == (480, 455, 445)


def test_draft_schedules_do_not_count(org) -> None:  # type: ignore[no-untyped-def]
    shift(org["ann"], org["a"], t(9), t(17), state="draft")
    [row] = adherence_for_agents(agents=User.objects.filter(pk=org["ann"].pk), start=t(0), end=t(0, day=6), now=t(0, day=9))
    assert row.result.scheduled_minutes == 0


def test_the_state_before_a_quiet_window_comes_from_the_next_change(org) -> None:  # type: ignore[no-untyped-def]
    # Online at 8:00, next change at 18:00 (online -> offline): 9-17 has no change and is all online.
    shift(org["ann"], org["a"], t(9), t(17))
    log(org["ann"], (t(8), "online"), (t(18), "offline"))
    [row] = adherence_for_agents(agents=User.objects.filter(pk=org["ann"].pk), start=t(9), end=t(17), now=t(0, day=9))
    assert row.result.in_adherence_minutes == 480


def test_without_any_change_the_profile_state_holds(org) -> None:  # type: ignore[no-untyped-def]
    shift(org["ann"], org["a"], t(9), t(17))
    AgentProfile.objects.filter(user=org["ann"]).update(availability="online")
    [row] = adherence_for_agents(agents=User.objects.filter(pk=org["ann"].pk), start=t(9), end=t(17), now=t(0, day=9))
    assert row.result.in_adherence_minutes == 480


def test_a_period_is_measured_only_up_to_now(org) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    [row] = adherence_for_agents(agents=User.objects.filter(pk=org["ann"].pk), start=t(0), end=t(0, day=6), now=t(10))
    assert (row.result.work_minutes, row.result.in_adherence_minutes) == (60, 55)


def test_the_loader_query_count_does_not_grow_with_agents(org, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for name in ("ann", "bob", "cai"):
        worked_example(org[name], org["a"] if name != "cai" else org["b"])
    with django_assert_max_num_queries(3):  # agents, shifts, changes
        rows = adherence_for_agents(agents=User.objects.filter(role="agent"), start=t(0), end=t(0, day=6), now=t(0, day=9))
    assert [r.result.in_adherence_minutes for r in rows] == [455, 455, 455]


# ---------------------------------------------------------------- the period report and who sees whom


def test_the_report_shows_the_worked_example_numbers(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    page = login(org["manager"]).get(f"/workforce/schedules/adherence/?{PERIOD}").content.decode()
    assert "94.8 %" in page and "98.9 %" in page and "8.0 h" in page and "25 min" in page


def test_time_out_of_adherence_past_an_hour_reads_in_hours_and_minutes(org, login) -> None:  # type: ignore[no-untyped-def]
    """The demo's report read "18705 min"; durations past an hour read like every other duration."""
    shift(org["bob"], org["a"], t(9), t(17), breaks=[(t(12), t(12, 30))])  # never signed in: all 8 h out
    page = login(org["manager"]).get(f"/workforce/schedules/adherence/?{PERIOD}").content.decode()
    assert "7 h 30 min" in page and "450 min" not in page


def test_an_agent_sees_only_their_own_adherence(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    worked_example(org["bob"], org["a"])
    client = login(org["ann"])
    page = client.get(f"/workforce/schedules/adherence/?{PERIOD}").content.decode()
    assert "Ann" in page and "Bob" not in page and 'name="team"' not in page
    assert client.get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}").status_code == 200
    assert client.get(f"/workforce/schedules/adherence/agent/{org['bob'].pk}/?{PERIOD}").status_code == 404
    # A team in the query changes nothing for an agent: still only their row.
    page = client.get(f"/workforce/schedules/adherence/?{PERIOD}&team={org['a'].pk}").content.decode()
    assert "Bob" not in page


def test_a_lead_sees_their_teams_agents_and_no_others(org, login) -> None:  # type: ignore[no-untyped-def]
    for name, team in (("ann", "a"), ("bob", "a"), ("cai", "b")):
        worked_example(org[name], org[team])
    client = login(org["lead_a"])
    page = client.get(f"/workforce/schedules/adherence/?{PERIOD}").content.decode()
    assert "Ann" in page and "Bob" in page and "Cai" not in page
    assert client.get(f"/workforce/schedules/adherence/agent/{org['cai'].pk}/?{PERIOD}").status_code == 404
    response = client.get(f"/workforce/schedules/adherence/?{PERIOD}&team={org['b'].pk}")
    assert response.status_code == 422 and "Cai" not in response.content.decode()
    assert client.get(f"/workforce/schedules/adherence/now/?team={org['b'].pk}").status_code == 422


def test_a_lead_of_a_parent_team_sees_its_sub_teams(org, login) -> None:  # type: ignore[no-untyped-def]
    org["b"].parent = org["a"]
    org["b"].save(update_fields=["parent"])
    worked_example(org["cai"], org["b"])
    client = login(org["lead_a"])
    assert client.get(f"/workforce/schedules/adherence/agent/{org['cai'].pk}/?{PERIOD}").status_code == 200
    assert "Cai" in client.get(f"/workforce/schedules/adherence/?{PERIOD}&team={org['a'].pk}").content.decode()


def test_a_manager_sees_everyone_and_team_totals(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    worked_example(org["cai"], org["b"])
    client = login(org["manager"])
    page = client.get(f"/workforce/schedules/adherence/?{PERIOD}").content.decode()
    assert "Ann" in page and "Cai" in page and "Orders" in page and "Technical" in page
    filtered = client.get(f"/workforce/schedules/adherence/?{PERIOD}&team={org['b'].pk}").content.decode()
    assert "Cai" in filtered and "Ann" not in filtered
    assert client.get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}").status_code == 200


def test_customers_and_strangers_are_kept_out(org, login) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True).user
    client = login(customer)
    for path in ("", "now/", f"agent/{org['ann'].pk}/"):
        assert client.get(f"/workforce/schedules/adherence/{path}").status_code == 403
    from django.test import Client

    assert Client().get("/workforce/schedules/adherence/").status_code == 302
    # A customer's id on the agent page is not an agent: 404, even for a manager.
    assert login(org["manager"]).get(f"/workforce/schedules/adherence/agent/{customer.pk}/").status_code == 404


def test_the_agent_page_shows_the_day_and_its_exceptions(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    page = login(org["lead_a"]).get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}").content.decode()
    assert "Mon 5 Jan" in page and "94.8 %" in page
    for start, end in (("09:00", "09:05"), ("12:00", "12:10"), ("12:30", "12:40")):
        assert f"<td>{start}</td><td>{end}</td>" in page
    assert 'class="seg out"' in page and 'class="seg work"' in page and 'class="seg online"' in page


def test_the_times_follow_the_viewers_zone(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    org["manager"].time_zone = "Europe/Berlin"
    org["manager"].save(update_fields=["time_zone"])
    page = login(org["manager"]).get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}").content.decode()
    assert "<td>10:00</td><td>10:05</td>" in page


@pytest.mark.parametrize("query", ["start=2026-01-09&end=2026-01-05", "start=2026-01-01&end=2026-04-01",
                                   "start=not-a-date&end=2026-01-05", "start=2026-01-05", "preset=someday"])
def test_a_bad_period_is_422_with_the_reason(org, login, query) -> None:  # type: ignore[no-untyped-def]
    response = login(org["manager"]).get(f"/workforce/schedules/adherence/?{query}")
    assert response.status_code == 422
    assert "errorlist" in response.content.decode()


def test_presets_and_the_default_period(org, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org["manager"])
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    assert f'value="{monday:%Y-%m-%d}"' in client.get("/workforce/schedules/adherence/").content.decode()
    page = client.get("/workforce/schedules/adherence/?preset=last_week").content.decode()
    assert f'value="{monday - timedelta(days=7):%Y-%m-%d}"' in page and f'value="{monday - timedelta(days=1):%Y-%m-%d}"' in page
    assert "No published shifts and nobody online" in page


def test_the_htmx_request_gets_the_partial_and_sorting_works(org, login) -> None:  # type: ignore[no-untyped-def]
    worked_example(org["ann"], org["a"])
    shift(org["bob"], org["a"], t(9), t(17))
    log(org["bob"], (t(9), "online"), (t(17), "offline"))
    client = login(org["manager"])
    partial = client.get(f"/workforce/schedules/adherence/?{PERIOD}&sort=-adherence", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.index("Bob") < partial.index("Ann")
    page = client.get(f"/workforce/schedules/adherence/?{PERIOD}&sort=adherence").content.decode()
    assert page.index("Ann") < page.index("Bob")


# ---------------------------------------------------------------- real time


def test_the_real_time_view_applies_the_grace(org, login) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for name in ("ann", "bob"):
        shift(org[name], org["a"], now - timedelta(hours=2), now + timedelta(hours=6))
    log(org["ann"], (now - timedelta(hours=2), "online"), (now - timedelta(minutes=3), "away"))
    log(org["bob"], (now - timedelta(hours=2), "online"), (now - timedelta(minutes=20), "offline"))
    client = login(org["manager"])
    page = client.get("/workforce/schedules/adherence/now/").content.decode()
    assert page.index("Bob") < page.index("Ann")  # worst first
    assert "Within grace" in page and "(15 min beyond grace)" in page and 'hx-trigger="every 30s"' in page
    with override_settings(ADHERENCE_GRACE_MINUTES=2):
        page = client.get("/workforce/schedules/adherence/now/").content.decode()
    assert "Within grace" not in page and page.count('badge adh-out') == 2


def test_the_real_time_view_lists_online_agents_without_a_shift(org) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    log(org["cai"], (now - timedelta(hours=1), "online"))
    log(org["bob"], (now - timedelta(hours=1), "away"))
    rows = adherence_now(agents=User.objects.filter(role="agent"), now=now, grace=5)
    assert [(r.agent.first_name, r.status.activity, r.status.measured) for r in rows] == [("Cai", "off", False)]


def test_the_real_time_view_respects_visibility_and_has_an_empty_state(org, login) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    shift(org["cai"], org["b"], now - timedelta(hours=1), now + timedelta(hours=1))
    log(org["cai"], (now - timedelta(hours=1), "online"))
    page = login(org["lead_a"]).get("/workforce/schedules/adherence/now/").content.decode()
    assert "Cai" not in page and "Nobody is scheduled or online right now" in page
    assert "Cai" in login(org["lead_b"]).get("/workforce/schedules/adherence/now/").content.decode()
    assert "Cai" not in login(org["ann"]).get("/workforce/schedules/adherence/now/").content.decode()
    partial = login(org["manager"]).get("/workforce/schedules/adherence/now/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="adherence-now"' in partial and "<html" not in partial


# ---------------------------------------------------------------- demo history


def test_the_demo_history_is_deterministic_and_consistent(org) -> None:  # type: ignore[no-untyped-def]
    for day in range(5, 10):
        for name in ("ann", "bob"):
            shift(org[name], org["a"], t(9, day=day), t(17, day=day), breaks=[(t(12, day=day), t(12, 30, day=day))])
    schedules = list(Schedule.objects.all())
    now = t(13, day=9)
    written = seed_availability(schedules=schedules, now=now)
    first = list(AvailabilityChange.objects.order_by("user_id", "changed_at").values_list("user_id", "changed_at", "availability", "previous"))
    assert written == len(first) > 20
    assert seed_availability(schedules=schedules, now=now) == written
    assert first == list(AvailabilityChange.objects.order_by("user_id", "changed_at").values_list("user_id", "changed_at", "availability", "previous"))
    for agent in (org["ann"], org["bob"]):
        changes = [c for c in first if c[0] == agent.pk]
        assert all(c[1] <= now for c in changes)
        assert all(prev[2] == cur[3] for prev, cur in pairwise(changes))  # each previous is the state before
        assert AgentProfile.objects.get(user=agent).availability == changes[-1][2]
    rows = adherence_for_agents(agents=User.objects.filter(pk__in=[org["ann"].pk, org["bob"].pk]), start=t(0), end=now, now=now)
    assert all(50 < r.result.adherence_pct < 100 for r in rows)


def test_the_exceptions_list_pages(org, login) -> None:  # type: ignore[no-untyped-def]
    # 60 short stretches away during one shift: 50 on the first page, 10 on the second.
    shift(org["ann"], org["a"], t(8), t(18))
    steps = [(t(8), "online")]
    for i in range(60):
        steps += [(t(8) + timedelta(minutes=5 * i + 1), "away"), (t(8) + timedelta(minutes=5 * i + 2), "online")]
    log(org["ann"], *steps)
    client = login(org["manager"])
    first = client.get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}").content.decode()
    assert "Exceptions 1\u201350 of 60" in first and "Page 1 of 2" in first
    second = client.get(f"/workforce/schedules/adherence/agent/{org['ann'].pk}/?{PERIOD}&page=2").content.decode()
    assert "Exceptions 51\u201360 of 60" in second
