"""For tests that build a demo once per module, outside the tests' rolled-back transactions."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from frontline.demo.generator import demo_reset


def reset_after_build() -> None:
    """Remove the demo and the background tasks its build queued: both were committed, so without this
    a later test on the same worker would find them (a test counting the tasks it enqueued, say)."""
    demo_reset()
    DBTaskResult.objects.all().delete()
