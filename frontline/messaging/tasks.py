"""Background work of the messaging app (Django Tasks API): deliveries of agents' replies, and their retries."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from frontline.core import background

from .services import deliveries_due, delivery_attempt


@background.runs_as("messaging.deliver")
@task()
def messaging_deliver(delivery_id: int) -> str:
    """POST one agent reply to its connector's outbound webhook (one try; failures are retried by ``retry_due``)."""
    return delivery_attempt(delivery_id=delivery_id)


@background.runs_as("messaging.retry_due")
@task()
def messaging_retry_due() -> str:
    """Try again the deliveries whose backoff has passed (periodic, every 15 s)."""
    statuses = [delivery_attempt(delivery_id=pk) for pk in deliveries_due(at=timezone.now())]
    return f"{statuses.count('delivered')} of {len(statuses)} delivered"


background.every("messaging.retry_due", 15)
