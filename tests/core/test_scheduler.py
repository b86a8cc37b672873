"""``frontline scheduler``: periodic tasks are enqueued by name (frontline/core/background.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from frontline.core import background


class FakeTask:
    def __init__(self) -> None:
        self.calls = 0

    def enqueue(self) -> None:
        self.calls += 1


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(background, "_TASKS", dict(background._TASKS))
    monkeypatch.setattr(background, "_PERIODIC", {})


def test_once_enqueues_every_periodic_task():
    fake = FakeTask()
    background.runs_as("test.tick")(fake)
    background.every("test.tick", 60)
    call_command("scheduler", "--once")
    assert fake.calls == 1


def test_an_interval_under_a_second_is_refused():
    with pytest.raises(ValueError, match="seconds"):
        background.every("test.tick", 0)
