"""Background work of the metrics app (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import metrics_refresh_dirty


@background.runs_as("metrics.refresh")
@task()
def metrics_refresh() -> str:
    """Recompute the facts and rollups of tickets changed since the last run (periodic: METRICS_REFRESH_EVERY_S)."""
    done = total = metrics_refresh_dirty()
    while done:
        done = metrics_refresh_dirty()
        total += done
    return f"{total} tickets recomputed"


background.every("metrics.refresh", settings.METRICS_REFRESH_EVERY_S)
