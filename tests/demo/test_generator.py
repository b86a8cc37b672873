"""The demo generator: deterministic, idempotent, and every ticket's event log matches its state."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from frontline.customers.models import Customer
from frontline.demo import names
from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import Message, Ticket, TicketEvent
from frontline.people.models import Role, Team, User
from tests import factories
from tests.demo.builds import reset_after_build

from .snapshot import snapshot

pytestmark = pytest.mark.slow  # a demo build or schedule solves: started first (tests/conftest.py)

ANCHOR = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="module")
def demo_run(django_db_setup: None, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    """Two weeks of tickets at 15% volume, generated once for the checks below."""
    with django_db_blocker.unblock():
        yield demo_generate(seed=7, days=14, scale=0.15, anchor=ANCHOR)
        reset_after_build()


@pytest.mark.django_db
def test_same_seed_and_anchor_give_the_same_data_and_reset_removes_it() -> None:
    demo_generate(seed=3, days=3, scale=0.05, anchor=ANCHOR)
    first = snapshot()
    demo_reset()
    emptied = (Ticket.objects.count(), TicketEvent.objects.count(), Customer.objects.count(),
               User.objects.filter(email__endswith=names.STAFF_DOMAIN).count())
    demo_generate(seed=3, days=3, scale=0.05, anchor=ANCHOR)

    assert emptied == (0, 0, 0, 0)
    assert len(first["tickets"]) > 20
    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_other_tickets() -> None:
    demo_generate(seed=3, days=3, scale=0.05, anchor=ANCHOR)
    first = [t[0] for t in snapshot()["tickets"]]
    demo_reset()
    demo_generate(seed=4, days=3, scale=0.05, anchor=ANCHOR)

    assert [t[0] for t in snapshot()["tickets"]] != first


@pytest.mark.django_db
def test_command_prints_the_logins_and_a_second_run_keeps_the_data(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--days", "2", "--scale", "0.05", "--anchor", "2026-11-23T00:00Z")
    created = capsys.readouterr().out
    tickets = Ticket.objects.count()
    call_command("demo", "--days", "2", "--scale", "0.05")
    again = capsys.readouterr().out

    assert "http://127.0.0.1:8000" in created
    assert [f"{u} " in created for u in ("manager", "lead", "agent", "customer", "admin")] == [True] * 5
    assert names.PASSWORD in created
    assert "already there" in again
    assert "customer" in again
    assert Ticket.objects.count() == tickets


@pytest.mark.django_db
def test_reset_rebuilds_the_same_demo(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("demo", "--days", "2", "--scale", "0.05", "--anchor", "2026-11-23T00:00Z", "--quiet")
    before = snapshot()
    call_command("demo", "--reset", "--days", "2", "--scale", "0.05", "--anchor", "2026-11-23T00:00Z", "--quiet")

    assert snapshot() == before
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_reset_refuses_when_other_customers_have_tickets() -> None:
    call_command("demo", "--days", "2", "--scale", "0.05", "--anchor", "2026-11-23T00:00Z", "--quiet")
    factories.ticket()

    with pytest.raises(CommandError, match="outside the demo"):
        call_command("demo", "--reset", "--quiet")


@pytest.mark.django_db
def test_demo_refuses_a_database_that_has_its_usernames() -> None:
    factories.manager(username="lead")

    with pytest.raises(CommandError, match="lead"):
        call_command("demo", "--days", "1", "--scale", "0.05", "--quiet")
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_every_ticket_state_matches_its_event_log(demo_run: Any) -> None:
    tickets = list(Ticket.objects.select_related("status"))
    log = _events_by_ticket()
    messages = dict(Message.objects.values_list("ticket").annotate(n=Count("id")))

    assert len(tickets) > 400
    assert {t.pk: _state(t, messages[t.pk]) for t in tickets} == {t.pk: _state_from_events(log[t.pk]) for t in tickets}
    assert all(e["created_at"] < ANCHOR for events in log.values() for e in events)


@pytest.mark.django_db
def test_texts_have_every_placeholder_filled(demo_run: Any) -> None:
    unfilled = Message.objects.filter(body_text__regex=r"\{[a-z_0-9]+\}").values_list("body_text", flat=True)[:3]
    subjects = Ticket.objects.filter(subject__contains="{").values_list("subject", flat=True)[:3]

    assert list(unfilled) == []
    assert list(subjects) == []


@pytest.mark.django_db
def test_tickets_are_assigned_within_the_queue_team(demo_run: Any) -> None:
    members = {team.pk: {u.pk for u in team.members.all()} for team in Team.objects.prefetch_related("members")}
    assigned = Ticket.objects.filter(assignee__isnull=False).values_list("team_id", "assignee_id")

    assert all(assignee in members[team] for team, assignee in assigned)


@pytest.mark.django_db
def test_department_people_and_customers(demo_run: Any) -> None:
    roles = Counter(User.objects.filter(email__endswith=names.STAFF_DOMAIN).values_list("role", flat=True))
    login = Customer.objects.select_related("company").get(user__username="customer")

    assert roles == {Role.AGENT: 35, Role.TEAM_LEAD: 3, Role.MANAGER: 1, Role.ADMIN: 1}
    assert Team.objects.filter(lead__username__in=["lead", "lead2", "lead3"]).count() == 3
    assert User.objects.get(username="admin").is_superuser
    assert login.company.share_tickets and login.sees_company_tickets
    assert Ticket.objects.filter(requester=login).count() >= 3


@pytest.mark.django_db
def test_old_tickets_are_closed_and_recent_ones_still_in_progress(demo_run: Any) -> None:
    old = Counter(Ticket.objects.filter(created_at__lt=ANCHOR - timedelta(days=10)).values_list("status_category", flat=True))
    recent = Counter(Ticket.objects.filter(created_at__gte=ANCHOR - timedelta(days=1)).values_list("status_category", flat=True))

    assert old["closed"] > 0.85 * sum(old.values())
    assert recent["new"] + recent["open"] + recent["pending"] + recent["on_hold"] > 0.5 * sum(recent.values())


@pytest.mark.django_db
def test_arrivals_follow_the_working_day_and_week(demo_run: Any) -> None:
    zones = {team.pk: ZoneInfo(team.time_zone) for team in Team.objects.all()}
    local = [created.astimezone(zones[team]) for created, team in
             Ticket.objects.filter(team__isnull=False).values_list("created_at", "team_id")]
    hours = Counter(t.hour for t in local)
    weekend_days = Counter(t.date() for t in local if t.weekday() >= 5)
    week_days = Counter(t.date() for t in local if t.weekday() < 5)

    assert sum(hours[h] for h in range(10, 16)) > 4 * sum(hours[h] for h in range(0, 6))
    assert min(week_days.values()) > max(weekend_days.values())


# Annotations of the history by other apps (escalations, surveys, QA reviews, problems, routing): they
# change nothing on the ticket, not even its last update.
ANNOTATIONS = {"escalated", "de_escalated", "escalation_resolved", "survey_sent", "survey_answered", "qa_reviewed",
               "problem_linked", "routed"}


def _events_by_ticket() -> dict[int, list[dict[str, Any]]]:
    log: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in TicketEvent.objects.order_by("created_at", "id").values("ticket_id", "kind", "created_at", "payload"):
        log[event["ticket_id"]].append(event)
    return log


def _state(ticket: Ticket, messages: int) -> dict[str, Any]:
    return {
        "category": ticket.status_category, "status": ticket.status.name, "reopens": ticket.reopen_count,
        "first_response_at": ticket.first_response_at, "messages": ticket.message_count, "counted_messages": messages,
        "assignee": ticket.assignee_id, "merged": ticket.merged_into_id, "closed": ticket.closed_at is not None,
        "updated_at": ticket.updated_at,
    }


def _state_from_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    created = events[0]["payload"]
    changes = [e["payload"] for e in events if e["kind"] == "status_changed"]
    assignments = [e["payload"]["to"] for e in events if e["kind"] == "assigned"]
    first = [e["created_at"] for e in events if e["kind"] == "replied" and e["payload"]["first_response"]]
    merges = [e["payload"]["into"] for e in events if e["kind"] == "merged"]
    messages = sum(1 for e in events if "message_id" in e["payload"])
    category = changes[-1]["to_category"] if changes else created["status_category"]
    return {
        "category": category, "status": changes[-1]["to"] if changes else created["status"],
        "reopens": sum(1 for e in events if e["kind"] == "reopened"), "first_response_at": first[0] if first else None,
        "messages": messages, "counted_messages": messages,
        "assignee": assignments[-1] if assignments else created["assignee_id"], "merged": merges[-1] if merges else None,
        "closed": category == "closed",
        # SLA, escalation and survey events (frontline/sla, escalations, surveys) annotate the history;
        # they change nothing on the ticket.
        "updated_at": max(e["created_at"] for e in events if e["kind"] not in ANNOTATIONS and not e["kind"].startswith("sla_")),
    }
