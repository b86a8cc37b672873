"""The bulk writer produces exactly what the desk services produce for the same histories."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from frontline.demo.generator import demo_generate, demo_reset

from .snapshot import snapshot

pytestmark = pytest.mark.slow  # a demo build or schedule solves: started first (tests/conftest.py)

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)
KINDS_COVERED = {
    "created", "replied", "note_added", "customer_replied", "status_changed", "reopened", "assigned",
    "team_changed", "queue_changed", "priority_changed", "tagged", "fields_changed", "merged", "merged_in",
}


@pytest.mark.django_db
def test_bulk_replay_writes_the_same_tickets_messages_and_events_as_the_services(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        demo_generate(seed=1, days=5, scale=0.08, anchor=ANCHOR, engine="services")
    through_services = snapshot()
    demo_reset()
    demo_generate(seed=1, days=5, scale=0.08, anchor=ANCHOR, engine="bulk")
    through_bulk = snapshot()

    # No notification emails (nor any other work) for replayed history; the insights step queues its
    # own idempotent work (labelling, the import, the topic run), which it also runs in place.
    queued = [c.cell_contents for cb in callbacks for c in (cb.__closure__ or ()) if hasattr(c.cell_contents, "func")]
    assert [t.func.__module__ for t in queued if not t.func.__module__.startswith("frontline.insights.")] == []
    assert len(queued) == len(callbacks)
    assert {e[1] for e in through_services["events"]} >= KINDS_COVERED
    assert through_bulk["tickets"] == through_services["tickets"]
    assert through_bulk["messages"] == through_services["messages"]
    assert through_bulk["events"] == through_services["events"]
    assert through_bulk["sla_clocks"] == through_services["sla_clocks"]
    assert through_services["mail"]
    assert through_bulk["mail"] == through_services["mail"]
