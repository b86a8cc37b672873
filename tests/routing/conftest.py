"""Routing fixtures: a team with a queue and online agents."""

from __future__ import annotations

from datetime import datetime

import pytest

from frontline.people.models import Availability, User
from frontline.people.services import availability_set
from frontline.routing.models import Mode, QueueRouting
from tests import factories as f


def online(*, name: str, team, at: datetime | None = None) -> User:  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[team], first_name=name, last_name="")
    availability_set(user=agent, availability=Availability.ONLINE, at=at)
    return agent


def routed_queue(team, mode: str = Mode.LEAST_LOADED, **kw):  # type: ignore[no-untyped-def]
    queue = f.queue(team=team)
    QueueRouting.objects.create(queue=queue, mode=mode, **kw)
    return queue


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Support")
