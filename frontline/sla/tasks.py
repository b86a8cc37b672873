"""Background work of the SLA app (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import sla_clocks_check


@background.runs_as("sla.check")
@task()
def sla_check() -> str:
    """Store breaches and write sla_at_risk / sla_breached events (periodic: SLA_CHECK_EVERY_S)."""
    result = sla_clocks_check()
    return f"{result.at_risk} at risk, {result.breached} breached"


background.every("sla.check", settings.SLA_CHECK_EVERY_S)
