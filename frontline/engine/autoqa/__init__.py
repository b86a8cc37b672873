"""Auto-QA: rule checks on one conversation (docs/autoqa.md). Pure: no Django, no database.

* ``checks.py``: :class:`Turn`, :class:`Interaction`, :class:`Policy`, :data:`CHECKS`,
  :func:`run_checks` -> :class:`CheckResult` per check.
* ``scoring.py``: :func:`sentiment` — a lexicon-based English scorer in [-1, 1].
* ``lexicon.py``: the sentiment lexicon and the greeting / closing / empathy phrase lists.
"""

from .checks import (
    CHECKS,
    CheckResult,
    Interaction,
    Policy,
    Turn,
    run_checks,
)
from .scoring import sentiment

__all__ = [
    "CHECKS",
    "CheckResult",
    "Interaction",
    "Policy",
    "Turn",
    "run_checks",
    "sentiment",
]
