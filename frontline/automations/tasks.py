"""Background work of automations (Django Tasks API): run the event rules for a change, and the
schedule rules periodically."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import automations_run_for_event, automations_run_schedule


@background.runs_as("automations.run")
@task()
def automations_run_task(event_id: int, depth: int = 0, fired: list[int] | None = None) -> str:
    """Run the event rules for the change ``event_id`` belongs to (enqueued by the desk hook)."""
    return automations_run_for_event(event_id=event_id, depth=depth, fired=fired or [])


@background.runs_as("automations.schedule")
@task()
def automations_schedule_task() -> str:
    """Run the schedule rules (periodic: AUTOMATION_SCHEDULE_EVERY_S)."""
    outcome = automations_run_schedule()
    return ", ".join(f"{name}: {n}" for name, n in outcome.items()) or "no schedule rules"


background.every("automations.schedule", settings.AUTOMATION_SCHEDULE_EVERY_S)
