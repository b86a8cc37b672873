"""Scenarios against their plan: the comparison and the what-if's assumptions in words."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from frontline.core import formats

from ..models import BudgetCategory, BudgetLine, BudgetPlan
from ._common import ZERO, variance_pct

# --- scenarios ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareRow:
    category: str
    description: str
    base: Decimal | None  # None: the line is only in one of the two
    scenario: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.scenario or ZERO) - (self.base or ZERO)

    @property
    def difference_pct(self) -> Decimal | None:
        return variance_pct(self.scenario or ZERO, self.base or ZERO)


def plan_compare(*, base: BudgetPlan, scenario: BudgetPlan) -> list[CompareRow]:
    """Line by line: lines are matched by category and description (in order when repeated)."""
    labels = dict(BudgetCategory.choices)
    pending: dict[tuple[str, str], list[BudgetLine]] = defaultdict(list)
    for line in scenario.lines.all():
        pending[(line.category, line.description)].append(line)
    rows = []
    for line in base.lines.all():
        match = pending[(line.category, line.description)]
        other = match.pop(0) if match else None
        rows.append(CompareRow(str(labels[line.category]), line.description, line.planned_amount,
                               other.planned_amount if other else None))
    for line in scenario.lines.all():
        if line in pending[(line.category, line.description)]:
            rows.append(CompareRow(str(labels[line.category]), line.description, None, line.planned_amount))
    order = list(labels.values())
    return sorted(rows, key=lambda r: order.index(r.category))


def _pct_words(label: str, value: float) -> str:
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{label} {sign}{abs(value):g} %"


def describe_assumptions(assumptions: dict, currency: str = "") -> list[str]:
    """The what-if's inputs in words, e.g. ``["volume +10 %", "AHT -5 %", "horizon 14 days"]``.

    Changes are read from ``volume_change_pct``, ``aht_change_pct``, ``shrinkage_change_pct``
    (percent, signed); levels from ``target_sl`` / ``max_occupancy`` / ``shrinkage`` (0 to 1),
    ``threshold_s``, ``horizon_days`` and ``headcount_amount``; any other key is shown as
    "key: value". Known keys come first, in that order; the others follow alphabetically.
    """
    if not isinstance(assumptions, dict):
        return [str(assumptions)] if assumptions else []
    words: list[str] = []
    known = {
        "volume_change_pct": lambda v: _pct_words("volume", float(v)),
        "aht_change_pct": lambda v: _pct_words("AHT", float(v)),
        "shrinkage_change_pct": lambda v: _pct_words("shrinkage", float(v)),
        "target_sl": lambda v: f"service level target {float(v) * 100:g} %",
        "threshold_s": lambda v: f"answered within {formats.duration(float(v))}",
        "max_occupancy": lambda v: f"occupancy at most {float(v) * 100:g} %",
        "shrinkage": lambda v: f"shrinkage {float(v) * 100:g} %",
        "horizon_days": lambda v: f"horizon {int(v)} days",
        "headcount_amount": lambda v: f"headcount cost over the horizon {currency} {Decimal(str(v)):,.2f}".replace("  ", " "),
    }
    # The known keys in this order, then the others alphabetically: PostgreSQL's jsonb does not
    # keep the order the keys were written in.
    keys = [k for k in known if k in assumptions] + sorted(k for k in assumptions if k not in known)
    for key in keys:
        value = assumptions[key]
        if value is None or value == "":
            continue
        describe = known.get(key)
        try:
            words.append(describe(value) if describe else f"{key.replace('_', ' ')}: {value}")
        except (TypeError, ValueError, ArithmeticError):
            words.append(f"{key.replace('_', ' ')}: {value}")
    return words
