"""Background tasks of schedules: the optimiser (``solve.schedule_solve_run``) with progress."""

from __future__ import annotations

from django_tasks import task

from frontline.core import background
from frontline.workforce.runs import tracked

from .models import Schedule
from .solve import NothingToSchedule, schedule_solve_run


@background.runs_as("schedules.solve")
@task()
def schedule_solve(schedule_id: int) -> None:
    """Solve one schedule's week; the schedule row carries status, progress, error and report."""
    with tracked(Schedule, schedule_id, expected=(NothingToSchedule,)) as tracker:
        schedule_solve_run(schedule_id=schedule_id, step=tracker.step)
