"""Fixtures of the quality tests: two teams with a lead and agents each, a rubric, a handled ticket."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.desk.services import ticket_reply
from frontline.people.models import User
from frontline.quality import services
from frontline.quality.models import RubricVersion
from frontline.quality.services import CriterionSpec, ScoreIn, SectionSpec
from tests import factories as f

SECTIONS = (
    SectionSpec("Tone", (CriterionSpec("Greets the customer", weight=1, auto_check="greeting"),
                         CriterionSpec("Shows empathy", scale="one_five_na", weight=2))),
    SectionSpec("Resolution", (CriterionSpec("Correct answer", scale="one_five", weight=3),
                               CriterionSpec("No data leak", weight=1, auto_fail=True))),
)


@dataclass
class World:
    team_a: object
    team_b: object
    lead_a: User
    lead_b: User
    agent_a: User
    agent_a2: User
    agent_b: User
    manager: User
    version: RubricVersion


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    team_a, team_b = f.team(name="Alpha"), f.team(name="Beta")
    lead_a, lead_b = f.lead(leads=[team_a]), f.lead(leads=[team_b])
    agent_a, agent_a2, agent_b = f.agent(teams=[team_a]), f.agent(teams=[team_a]), f.agent(teams=[team_b])
    manager = f.manager()
    version = services.rubric_create(name="Email quality", sections=SECTIONS, actor=manager)
    return World(team_a, team_b, lead_a, lead_b, agent_a, agent_a2, agent_b, manager, version)


def handled_ticket(agent: User, team=None, *, subject: str = "Where is my order?"):  # type: ignore[no-untyped-def]
    at = timezone.now() - timedelta(days=1)
    ticket = f.ticket(team=team or agent.teams.first(), assignee=agent, subject=subject, at=at, notify=False)
    ticket_reply(ticket=ticket, author=agent, body="Hello! It ships today. Best regards", at=at + timedelta(hours=1),
                 notify=False)
    return ticket


def full_scores(version: RubricVersion, **by_key: int | None) -> dict[int, ScoreIn]:
    """A score for every criterion: yes / 5 unless given (None: N/A)."""
    out = {}
    for c in version.criteria.all():
        value = by_key.get(c.key.replace("-", "_"), 1 if c.scale.startswith("yes") else 5)
        out[c.pk] = ScoreIn(value=value, na=value is None)
    return out


def submitted_review(world: World, agent: User, reviewer: User, **by_key: int | None):  # type: ignore[no-untyped-def]
    ticket = handled_ticket(agent)
    review = services.review_start(ticket=ticket, agent=agent, version=world.version, reviewer=reviewer)
    return services.review_save(review=review, actor=reviewer, scores=full_scores(world.version, **by_key),
                                summary="Good work", private_note="Watch tone next time", submit=True)
