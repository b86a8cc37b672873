"""Per-ticket facts and hourly rollups (frontline/metrics/services.py): hand-computed histories,
the incremental path (desk hook + refresh) equal to a rebuild from events, and the two paths
(the app's stored facts vs the engine over the exported event log) agreeing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from frontline.desk import services
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, StatusCategory, TicketEvent
from frontline.desk.selectors import metrics_event_rows
from frontline.engine.kpis import Event, compute_kpis
from frontline.escalations.services import escalation_raise
from frontline.metrics.models import DirtyTicket, HourlyRollup, TicketFact
from frontline.metrics.periods import Period
from frontline.metrics.selectors import FACT_COLUMNS, Scope, kpis_of_rows, slice_kpis
from frontline.metrics.services import metrics_rebuild, metrics_refresh_dirty
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday 09:00 UTC
WEEK = Period("week", DAY.date(), DAY.date() + timedelta(days=6), UTC)


def at(minutes: float) -> datetime:
    return DAY + timedelta(minutes=minutes)


def survey(ticket, kind: str, score: int, minutes: float) -> None:  # type: ignore[no-untyped-def]
    """A survey answer as frontline.surveys writes it (the event kind exists; the app may not yet)."""
    event = TicketEvent.objects.create(ticket=ticket, kind=EventKind.SURVEY_ANSWERED, created_at=at(minutes),
                                       payload={"survey": kind, "score": score, "summary": f"{kind} {score}"})
    ticket_event_written(event)


@pytest.fixture
def history() -> dict:
    team = f.team()
    ann, bob = f.agent(teams=[team]), f.agent(teams=[team])
    solved = f.status(StatusCategory.SOLVED)
    # T1 (email): ann replies at 10, solves at 60; the customer writes back at 90 (a reopen);
    # ann replies at 120 (handle 300 s) and solves at 180: resolution 180, reopened, 2 replies.
    t1 = f.ticket(channel="email", at=at(0), notify=False, team=team, assignee=ann)
    services.ticket_reply(ticket=t1, author=ann, body="On its way.", at=at(10), notify=False, handle_seconds=120)
    services.ticket_status_change(ticket=t1, status=solved, actor=ann, at=at(60))
    services.ticket_reply(ticket=t1, author=None, body="Still not here.", at=at(90), notify=False)
    services.ticket_reply(ticket=t1, author=ann, body="Resent.", at=at(120), notify=False, handle_seconds=300)
    services.ticket_status_change(ticket=t1, status=solved, actor=ann, at=at(180))
    survey(t1, "csat", 2, 200)
    survey(t1, "csat", 5, 210)  # the customer changed their mind: the latest counts
    survey(t1, "nps", 9, 211)
    # T2 (chat): ann, bob, unassigned: reassigned; a note only; customer-only reply; escalated. Backlog.
    t2 = f.ticket(channel="chat", at=at(0), notify=False, team=team)
    services.ticket_assign(ticket=t2, assignee=ann, actor=ann, at=at(1))
    services.ticket_assign(ticket=t2, assignee=bob, actor=ann, at=at(2))
    services.ticket_assign(ticket=t2, assignee=None, actor=bob, at=at(3))
    services.ticket_reply(ticket=t2, author=bob, body="Looking.", public=False, at=at(5))
    services.ticket_reply(ticket=t2, author=None, body="Any news?", at=at(6), notify=False)
    escalation_raise(ticket=t2, trigger="manual", actor=bob, at=at(7), reason="Customer asked for a manager",
                     notify=False)
    # T3 (web): bob replies at 30 and solves at 40 (one touch); nps 3 (a detractor).
    t3 = f.ticket(channel="web", at=at(0), notify=False, team=team, assignee=bob)
    services.ticket_reply(ticket=t3, author=bob, body="Done.", at=at(30), notify=False)
    services.ticket_status_change(ticket=t3, status=solved, actor=bob, at=at(40))
    survey(t3, "nps", 3, 50)
    # T4: merged into T3 at 20 minutes (closed as a duplicate, never replied).
    t4 = f.ticket(channel="web", at=at(15), notify=False, team=team)
    services.ticket_merge(source=t4, target=t3, actor=bob, at=at(20))
    return {"team": team, "ann": ann, "bob": bob, "t1": t1, "t2": t2, "t3": t3, "t4": t4}


def facts_snapshot() -> list[dict]:
    return list(TicketFact.objects.order_by("ticket_id").values())


def rollups_snapshot() -> list[tuple]:
    fields = [f.name for f in HourlyRollup._meta.fields if f.name != "id"]
    return sorted((tuple(row) for row in HourlyRollup.objects.values_list(*fields)), key=repr)


def test_the_hook_marks_changed_tickets_and_the_refresh_computes_them(history):
    assert DirtyTicket.objects.count() == 4
    assert metrics_refresh_dirty() == 4
    assert DirtyTicket.objects.count() == 0
    t1 = TicketFact.objects.get(ticket=history["t1"])
    assert (t1.first_reply_minutes, t1.resolution_minutes, t1.reopens, t1.agent_replies) == (10, 180, 1, 2)
    assert (t1.csat, t1.nps, t1.handle_seconds, t1.one_touch, t1.solved) == (5, 9, 420, False, True)
    t2 = TicketFact.objects.get(ticket=history["t2"])
    assert (t2.first_reply_at, t2.reassigned, t2.assignee_count, t2.escalated, t2.solved) == (None, True, 2, True, False)
    t3 = TicketFact.objects.get(ticket=history["t3"])
    assert (t3.first_reply_minutes, t3.resolution_minutes, t3.one_touch, t3.nps) == (30, 40, True, 3)
    t4 = TicketFact.objects.get(ticket=history["t4"])  # merged: closed from new, a solve with no reply
    assert (t4.category, t4.solved, t4.resolution_minutes, t4.one_touch, t4.first_reply_at) == ("closed", True, 5, False, None)


def test_the_slice_catalogue_matches_hand_computed_values(history):
    metrics_refresh_dirty()
    k = slice_kpis(scope=Scope(team_ids=frozenset({history["team"].pk})), period=WEEK)
    r = k.report
    assert (r.tickets, r.solved, r.backlog) == (4, 3, 1)
    # first replies 10 (T1), 30 (T3): median 20, p90 28; T2 and T4 have none
    assert (r.first_reply_minutes.median, r.first_reply_minutes.p90, r.first_reply_missing) == (20, pytest.approx(28), 2)
    # resolutions 180, 40, 5: median 40, p90 = 40 + 0.8 * 140 = 152
    assert (r.resolution_minutes.median, r.resolution_minutes.p90) == (40, pytest.approx(152))
    assert r.one_touch_rate == pytest.approx(1 / 3)  # T3 of T1, T3, T4
    assert r.reopen_rate == pytest.approx(1 / 3)  # T1 of the three ever solved
    assert r.reassignment_rate == pytest.approx(1 / 4)
    assert (r.csat, r.csat_responses) == (1.0, 1)  # 5 of 1 response
    assert (r.nps, r.nps_responses) == (0.0, 2)  # one promoter, one detractor
    assert k.escalation_rate == pytest.approx(1 / 4)
    assert (k.handle_time_mean_s, k.handled) == (420, 1)


def test_an_agent_slice_counts_the_tickets_assigned_to_them(history):
    metrics_refresh_dirty()
    k = slice_kpis(scope=Scope(team_ids=None, agent_id=history["bob"].pk), period=WEEK)
    assert k.report.tickets == 1  # T3 (T2 was unassigned again)


def test_incremental_state_equals_a_rebuild_from_events(history):
    metrics_refresh_dirty()
    # more changes after a first refresh: a reopen of T3, a reply on T2, a move of T2 to another hour
    services.ticket_reply(ticket=history["t3"], author=None, body="Broken again", at=at(300), notify=False)
    services.ticket_reply(ticket=history["t2"], author=history["bob"], body="Found it.", at=at(301), notify=False)
    services.ticket_team_change(ticket=history["t2"], team=f.team(), actor=history["bob"], at=at(302))
    assert metrics_refresh_dirty() == 2
    incremental_facts, incremental_rollups = facts_snapshot(), rollups_snapshot()
    assert metrics_rebuild() == 4
    assert facts_snapshot() == incremental_facts
    assert rollups_snapshot() == incremental_rollups


def test_the_rebuild_command_says_how_many_tickets(history, capsys):
    call_command("metrics_rebuild")
    assert "Rebuilt the metrics of 4 tickets" in capsys.readouterr().out
    assert TicketFact.objects.count() == 4
    assert sum(HourlyRollup.objects.values_list("tickets", flat=True)) == 4


def test_the_apps_aggregate_agrees_with_the_engine_over_the_exported_events(history):
    metrics_refresh_dirty()
    events = [Event(ticket=t, at=datetime.fromisoformat(a), kind=k, role=r, actor=ac, value=v)
              for t, a, k, ac, r, v in metrics_event_rows()]
    engine = compute_kpis(events=events)
    rows = list(TicketFact.objects.values(*FACT_COLUMNS))
    assert kpis_of_rows(rows).report == engine


def test_business_minutes_use_the_tickets_sla_calendar_across_a_dst_change():
    # Berlin office hours 09-17; clocks go forward on Sunday 29 March 2026. Created Friday 16:00
    # local (15:00 UTC), replied Monday 10:00 local (08:00 UTC): 60 + 60 = 120 business minutes,
    # while 65 hours (3900 minutes) passed on the wall clock.
    cal = sf.calendar(hours=sf.OFFICE_HOURS, time_zone="Europe/Berlin")
    sf.policy(cal=cal)
    agent = f.agent()
    created = datetime(2026, 3, 27, 15, tzinfo=UTC)
    ticket = f.ticket(at=created, notify=False)
    services.ticket_reply(ticket=ticket, author=agent, body="Hello", at=datetime(2026, 3, 30, 8, tzinfo=UTC), notify=False)
    metrics_refresh_dirty()
    fact = TicketFact.objects.get(ticket=ticket)
    assert (fact.first_reply_minutes, fact.first_reply_business_minutes) == (3900, 120)


def test_a_ticket_without_an_sla_policy_has_no_business_minutes(history):
    metrics_refresh_dirty()
    assert TicketFact.objects.get(ticket=history["t1"]).first_reply_business_minutes is None


def test_a_rolled_back_change_leaves_no_mark():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        f.ticket(notify=False)
        raise RuntimeError("the request failed")
    assert DirtyTicket.objects.count() == 0
