"""Background work of quality (Django Tasks API): auto-QA on newly solved or re-answered tickets."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .autoqa import autoqa_run


@background.runs_as("quality.autoqa")
@task()
def autoqa_task() -> str:
    """Check the solved tickets with messages newer than their stored results (periodic: QUALITY_AUTOQA_EVERY_S)."""
    return f"{autoqa_run(limit=5000):,} tickets checked"


background.every("quality.autoqa", settings.QUALITY_AUTOQA_EVERY_S)
