"""Progress of background computations (forecasts, schedule solves) that pages poll.

A task wraps its work in :func:`tracked`; inside, :meth:`Tracker.step` writes the progress in
its own short statement so a page polling the row sees it while the work goes on (the work
itself may hold a transaction of its own for the results).

    with tracked(ForecastRun, run_id) as tracker:
        tracker.step(10, "Reading history")
        ...
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from .models import RunStatus

logger = logging.getLogger(__name__)


@dataclass
class Tracker:
    model: type[models.Model]
    pk: int

    def step(self, progress: int, note: str) -> None:
        self.model._default_manager.filter(pk=self.pk).update(progress=max(0, min(100, progress)), progress_note=note[:200])


@contextmanager
def tracked(model: type[models.Model], pk: int) -> Iterator[Tracker]:
    """Mark the run running, then done (100%) or failed with the error's message; re-raises nothing
    but database errors' effects are rolled back by the caller's own transaction."""
    manager = model._default_manager
    manager.filter(pk=pk).update(status=RunStatus.RUNNING, progress=0, progress_note="Starting", error="",
                                 started_at=timezone.now(), finished_at=None)
    tracker = Tracker(model, pk)
    try:
        yield tracker
    except Exception as exc:  # the page shows the message; the log keeps the traceback
        logger.exception("%s %s failed", model.__name__, pk)
        manager.filter(pk=pk).update(status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
                                     progress_note="Failed", finished_at=timezone.now())
    else:
        manager.filter(pk=pk).update(status=RunStatus.DONE, progress=100, progress_note="Done", finished_at=timezone.now())
