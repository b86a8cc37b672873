"""Progress of background computations (forecasts, schedule solves) that pages poll.

A task wraps its work in :func:`tracked`; inside, :meth:`Tracker.step` writes the progress in
its own short statement so a page polling the row sees it while the work goes on (the work
itself may hold a transaction of its own for the results).

    with tracked(Schedule, schedule_id, expected=(NothingToSchedule,)) as tracker:
        tracker.step(5, "Reading the staffing plan")
        ...

A failure is stored in ``error`` for the page: the message alone for the ``expected`` exceptions
(written for the planner: what is missing and what to do), else prefixed with the exception's
type, so that an unexpected failure is recognisable in a support request.
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
def tracked(model: type[models.Model], pk: int, *, expected: tuple[type[Exception], ...] = ()) -> Iterator[Tracker]:
    """Mark the run running, then done (100%) or failed with the error's message; re-raises nothing
    but database errors' effects are rolled back by the caller's own transaction. ``expected``:
    exceptions whose message is meant for the page as it is (no type name, no traceback logged)."""
    manager = model._default_manager
    manager.filter(pk=pk).update(status=RunStatus.RUNNING, progress=0, progress_note="Starting", error="",
                                 started_at=timezone.now(), finished_at=None)
    tracker = Tracker(model, pk)
    try:
        yield tracker
    except expected as exc:  # a planner's problem (missing data or settings), said in words
        logger.info("%s %s failed: %s", model.__name__, pk, exc)
        manager.filter(pk=pk).update(status=RunStatus.FAILED, error=str(exc)[:2000],
                                     progress_note="Failed", finished_at=timezone.now())
    except Exception as exc:  # the page shows the message; the log keeps the traceback
        logger.exception("%s %s failed", model.__name__, pk)
        manager.filter(pk=pk).update(status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
                                     progress_note="Failed", finished_at=timezone.now())
    else:
        manager.filter(pk=pk).update(status=RunStatus.DONE, progress=100, progress_note="Done", finished_at=timezone.now())
