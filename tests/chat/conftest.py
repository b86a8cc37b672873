from __future__ import annotations

import pytest

from frontline.chat.live import watcher
from frontline.chat.models import ChatWidget
from frontline.people.models import Availability
from frontline.people.services import availability_set
from tests import factories as f


@pytest.fixture(autouse=True)
def watcher_stopped_after_each_test():  # type: ignore[no-untyped-def]
    """A poll starts this process's chat watcher; it would outlive the test (30 s idle) and read the
    database during the tests after it, which pytest-django refuses (logged as a failed reading)."""
    yield
    watcher.stop()


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Orders")


@pytest.fixture
def widget(team):  # type: ignore[no-untyped-def]
    return ChatWidget.objects.create(name="Shop", key="shop", allowed_origins="https://shop.example\nhttp://127.0.0.1:9999",
                                     queue=f.queue(name="Orders chat", team=team))


def online(agent):  # type: ignore[no-untyped-def]
    availability_set(user=agent, availability=Availability.ONLINE)
    return agent


@pytest.fixture
def ana(team):  # type: ignore[no-untyped-def]
    return online(f.agent(teams=[team], first_name="Ana", last_name="Silva"))
