"""Time to proficiency of a new hire (pure: numbers in, a week number out).

Definition (docs/coaching.md, "Time to proficiency"): counting weeks from the hire's start day, the
hire is **proficient in week k** when, over the 28 days before the end of week k (not before the
start), all of these hold:

- volume: at least ``MIN_TICKETS`` tickets assigned to them;
- KPIs: on first reply median, one-touch resolution and reopen rate, their value is at least as
  good as the rest of their team's over the same days, with a tolerance of ``TOLERANCE`` (10 %) of
  the team's value — e.g. FCR at least 90 % of the team's, first reply at most 110 % of the
  team's; a KPI the team has no value for is not judged; one the hire has no value for fails;
- QA (when the team has reviews in those days): at least ``MIN_QA_REVIEWS`` reviews, and their mean
  score no more than ``QA_POINTS`` (5 points of 100) below the team's mean.

Time to proficiency is the first such week (1 = the first 7 days); None while not reached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_TICKETS = 20
TOLERANCE = 0.10
MIN_QA_REVIEWS = 2
QA_POINTS = 0.05
WINDOW_DAYS = 28
# KPI -> higher is better
KPIS: dict[str, bool] = {"first_reply_median": False, "one_touch_rate": True, "reopen_rate": False}
LABELS = {"first_reply_median": "first reply", "one_touch_rate": "one-touch resolution", "reopen_rate": "reopen rate"}


@dataclass(frozen=True)
class Week:
    """What one week's window holds for the hire and the rest of the team."""

    tickets: int
    hire: Mapping[str, float | None]
    team: Mapping[str, float | None]
    qa_reviews: int = 0
    qa_mean: float | None = None
    team_qa_reviews: int = 0
    team_qa_mean: float | None = None
    reasons: list[str] = field(default_factory=list, compare=False)


def kpi_at_level(hire: float | None, team: float | None, *, higher_is_better: bool,
                 tolerance: float = TOLERANCE) -> bool | None:
    """Whether ``hire`` is at the team's level (None: not judged, the team has no value)."""
    if team is None:
        return None
    if hire is None:
        return False
    if higher_is_better:
        return hire >= team * (1 - tolerance)
    return hire <= team * (1 + tolerance)


def shortfalls(week: Week) -> list[str]:
    """Why the hire is not proficient in ``week`` (empty: proficient).

    >>> shortfalls(Week(tickets=25, hire={"one_touch_rate": 0.7}, team={"one_touch_rate": 0.75}))
    []
    >>> shortfalls(Week(tickets=5, hire={}, team={}))
    ['5 tickets (20 needed)']
    """
    out = []
    if week.tickets < MIN_TICKETS:
        out.append(f"{week.tickets} tickets ({MIN_TICKETS} needed)")
    for kpi, higher in KPIS.items():
        if kpi_at_level(week.hire.get(kpi), week.team.get(kpi), higher_is_better=higher) is False:
            out.append(LABELS[kpi])
    if week.team_qa_reviews:
        if week.qa_reviews < MIN_QA_REVIEWS:
            out.append(f"{week.qa_reviews} QA reviews ({MIN_QA_REVIEWS} needed)")
        elif week.qa_mean is None or week.team_qa_mean is None or week.qa_mean < week.team_qa_mean - QA_POINTS:
            out.append("QA score")
    return out


def first_proficient_week(weeks: Sequence[Week]) -> int | None:
    """The number (1-based) of the first week the hire is proficient in; None if none."""
    for number, week in enumerate(weeks, start=1):
        if not shortfalls(week):
            return number
    return None
