"""Sampling: stratified, seeded, explained, topped up; reviewers in scope; coverage per agent and week."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.desk.models import EventKind, TicketEvent
from frontline.desk.services import ticket_reply, ticket_status_change
from frontline.quality import sampling, services
from frontline.quality.models import Assignment, Pool
from frontline.surveys.models import Survey, SurveyResponse
from tests import factories as f

from .conftest import full_scores

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 2)  # a Monday
MID = datetime(2026, 11, 4, 10, tzinfo=UTC)


def solved(agent, *, reopened=False, escalated=False, csat=None, handle=60):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first(), assignee=agent, at=MID - timedelta(hours=5), notify=False)
    ticket_reply(ticket=ticket, author=agent, body="Hello, done. Regards", at=MID - timedelta(hours=4),
                 handle_seconds=handle, notify=False)
    if escalated:
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.ESCALATED, created_at=MID - timedelta(hours=3),
                                   payload={"summary": "Escalated"})
    if reopened:
        ticket.reopen_count = 1
        ticket.save(update_fields=["reopen_count"])
    ticket = ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent, at=MID)
    if csat is not None:
        survey = Survey.objects.create(kind="csat", trigger="solved", ticket=ticket, customer=ticket.requester,
                                       channel="web", nonce=secrets.token_hex(8), created_at=MID, due_at=MID)
        SurveyResponse.objects.create(survey=survey, score=csat, first_answered_at=MID, answered_at=MID)
    return ticket


def test_stratified_seeded_explained_and_scoped(world) -> None:  # type: ignore[no-untyped-def]
    low = solved(world.agent_a, csat=1)
    esc = solved(world.agent_a, escalated=True)
    reo = solved(world.agent_a, reopened=True)
    plain = [solved(world.agent_a) for _ in range(5)]
    solved(world.agent_b)  # another team: not lead A's to assign
    made = sampling.assignments_generate(week=WEEK + timedelta(days=3), per_agent=4, seed=7, actor=world.lead_a)
    pools = {a.ticket_id: (a.pool, a.reason) for a in made}
    assert {a.agent_id for a in made} == {world.agent_a.pk} and {a.reviewer_id for a in made} == {world.lead_a.pk}
    assert pools[low.pk] == (Pool.LOW_CSAT, "CSAT 1 of 5") and pools[esc.pk][0] == Pool.ESCALATED
    assert sorted(p for p, _ in pools.values()) == sorted([Pool.LOW_CSAT, Pool.ESCALATED, Pool.RANDOM, Pool.RANDOM])
    assert pools.get(reo.pk, (Pool.RANDOM,))[0] == Pool.RANDOM  # half the slots at most are targeted
    assert all(t in {p.pk for p in plain} | {reo.pk} for t, (pool, _) in pools.items() if pool == Pool.RANDOM)
    # Seeded: the same run again on a fresh week table draws the same tickets.
    Assignment.objects.all().delete()
    again = sampling.assignments_generate(week=WEEK, per_agent=4, seed=7, actor=world.lead_a)
    assert {a.ticket_id for a in again} == set(pools)
    # Topping up adds only what is missing.
    assert len(sampling.assignments_generate(week=WEEK, per_agent=5, seed=7, actor=world.lead_a)) == 1


def test_new_hire_long_handle_and_reviewer_fallback(world) -> None:  # type: ignore[no-untyped-def]
    profile = world.agent_b.agent_profile
    profile.start_date = WEEK - timedelta(days=30)
    profile.save(update_fields=["start_date"])
    for _ in range(9):
        solved(world.agent_b, handle=60)
    slow = solved(world.agent_b, handle=3600)
    orphan = f.agent()  # no team: a manager reviews
    solved(orphan)
    made = sampling.assignments_generate(week=WEEK, per_agent=2, seed=1, actor=world.manager)
    by_ticket = {a.ticket_id: a for a in made}
    assert by_ticket[slow.pk].pool == Pool.LONG_HANDLE and "60 min" in by_ticket[slow.pk].reason
    assert {a.pool for a in made if a.agent_id == world.agent_b.pk} == {Pool.LONG_HANDLE, Pool.NEW_HIRE}
    assert {a.reviewer_id for a in made if a.agent_id == orphan.pk} == {world.manager.pk}


def test_coverage_counts_assignments_and_solved_tickets_reviewed(world) -> None:  # type: ignore[no-untyped-def]
    tickets = [solved(world.agent_a) for _ in range(4)]
    made = sampling.assignments_generate(week=WEEK, per_agent=2, seed=3, actor=world.lead_a)
    review = services.review_start(ticket=tickets[0] if tickets[0].pk == made[0].ticket_id else
                                   next(t for t in tickets if t.pk == made[0].ticket_id),
                                   agent=world.agent_a, version=world.version, reviewer=world.lead_a)
    services.review_save(review=review, actor=world.lead_a, scores=full_scores(world.version), submit=True)
    [row] = sampling.coverage(viewer=world.lead_a, week=WEEK)
    assert (row.assigned, row.reviewed, row.solved, row.solved_reviewed) == (2, 1, 4, 1)
    assert (row.done, row.share) == (0.5, 0.25)
    assert sampling.coverage(viewer=world.lead_b, week=WEEK) == []


def test_refusals(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        sampling.assignments_generate(week=WEEK, per_agent=2, actor=world.agent_a)
    with pytest.raises(ValidationError) as caught:
        sampling.assignments_generate(week=WEEK, per_agent=0, seed=-1, actor=world.manager)
    assert set(caught.value.message_dict) == {"per_agent", "seed"}


def test_home_shows_assignments_and_runs_sampling(world, login) -> None:  # type: ignore[no-untyped-def]
    solved(world.agent_a, csat=2)
    client = login(world.lead_a)
    done = client.post("/quality/sampling/", {"week": WEEK.isoformat(), "per_agent": "3", "seed": "5"})
    assert done.status_code == 302
    page = client.get(f"/quality/?week={WEEK.isoformat()}").content.decode()
    assert "CSAT 2 of 5" in page and "Low CSAT" in page
    assert login(world.agent_a).post("/quality/sampling/", {"per_agent": "3"}).status_code == 403
