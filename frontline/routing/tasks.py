"""Background work of routing (Django Tasks API): the periodic pass over waiting work and offline agents."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import routing_tick


@background.runs_as("routing.tick")
@task()
def routing_tick_task() -> str:
    """Move work off agents gone offline, then route every queue's waiting work (ROUTING_EVERY_S)."""
    return str(routing_tick())


background.every("routing.tick", settings.ROUTING_EVERY_S)
