"""Services start background work by name (frontline/core/background.py)."""

from __future__ import annotations

import pytest

from frontline.core import background


class FakeTask:
    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def enqueue(self, *args: object) -> None:
        self.calls.append(args)


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch):  # type: ignore[no-untyped-def]
    """Names registered by a test go away with it."""
    monkeypatch.setattr(background, "_TASKS", dict(background._TASKS))


def test_the_apps_register_their_tasks_at_start_up():
    from frontline.mail.tasks import message_notify_customer
    from frontline.schedules.tasks import schedule_solve
    from frontline.workforce.tasks import forecast_run_compute

    assert background.registered("schedules.solve") is schedule_solve
    assert background.registered("workforce.forecast") is forecast_run_compute
    assert background.registered("desk.notify_customer") is message_notify_customer


@pytest.mark.django_db
def test_enqueue_waits_for_the_commit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    task = background.runs_as("tests.fake")(FakeTask())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        background.enqueue_on_commit("tests.fake", 7)
    assert task.calls == []
    callbacks[0]()
    assert task.calls == [(7,)]


def test_an_unknown_name_fails_in_the_callers_transaction():
    with pytest.raises(LookupError, match=r"nothing\.here"):
        background.enqueue_on_commit("nothing.here", 1)


def test_a_name_belongs_to_one_task():
    background.runs_as("tests.once")(FakeTask())
    with pytest.raises(ValueError, match=r"tests\.once"):
        background.runs_as("tests.once")(FakeTask())
