"""Services start background work without importing the tasks that do it.

Data flows one way: a ``tasks`` module imports the services it calls, never the reverse. A task
names itself here when its module is imported (each app's ``AppConfig.ready`` imports its
``tasks``), and a service asks for it by that name::

    # frontline/schedules/tasks.py
    @background.runs_as("schedules.solve")
    @task()
    def schedule_solve(schedule_id: int) -> None: ...

    # frontline/schedules/services.py, inside the service's transaction
    background.enqueue_on_commit("schedules.solve", schedule.pk)

The task is enqueued when the surrounding transaction commits (at once outside one), so a worker
never picks up a row that is not there yet, and a rolled-back change starts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.db import transaction


class Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


T = TypeVar("T", bound=Enqueueable)

_TASKS: dict[str, Enqueueable] = {}


def runs_as(name: str) -> Callable[[T], T]:
    """Register a task under ``name`` (a decorator over ``@task()``); a name is taken once."""

    def register(task: T) -> T:
        if _TASKS.get(name, task) is not task:
            raise ValueError(f"name: {name!r} is already the name of another background task")
        _TASKS[name] = task
        return task

    return register


def registered(name: str) -> Enqueueable:
    try:
        return _TASKS[name]
    except KeyError:
        raise LookupError(f"No background task is registered as {name!r}: is its app installed?") from None


def enqueue_on_commit(name: str, *args: Any) -> None:
    """Enqueue the task registered as ``name`` with ``args`` once the current transaction commits."""
    task = registered(name)  # fail now, in the caller's transaction, not after the commit
    transaction.on_commit(lambda: task.enqueue(*args))


# Periodic work: a task registered with ``runs_as`` can also be named here with its interval;
# ``frontline scheduler`` (started by ``frontline serve``) enqueues each one when it is due.
_PERIODIC: dict[str, int] = {}


def every(name: str, seconds: int) -> None:
    """Enqueue the task registered as ``name`` (no arguments) every ``seconds`` (``frontline scheduler``)."""
    if seconds < 1:
        raise ValueError("seconds: must be at least 1")
    _PERIODIC[name] = seconds


def periodic() -> dict[str, int]:
    """The periodic tasks: name -> interval in seconds."""
    return dict(_PERIODIC)
