"""QA results from the quality app (``frontline.quality.selectors``: ``reviews_for_agent``,
``criterion_scores``), when it is installed; without it every function answers "nothing" and
coaching works on KPIs alone.

Windows are whole UTC days; a review counts on the day it was submitted; calibration scores never
count (the quality selectors leave them out).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps

from frontline.people.models import User

from .followup import compare_parts, verdict


def available() -> bool:
    return apps.is_installed("frontline.quality")


def _span(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time.min, tzinfo=UTC),
            datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC))


def review_totals(*, agent: User, first: date, last: date) -> list[float]:
    """The totals (0..1) of the agent's submitted reviews in the days ``first`` .. ``last``."""
    if not available():
        return []
    from frontline.quality.selectors import reviews_for_agent

    since, until = _span(first, last)
    return [r.total / 100 for r in reviews_for_agent(agent, since, until) if r.total is not None]


def team_review_totals(*, agent: User, first: date, last: date) -> list[float]:
    """The totals (0..1) of the rest of the agent's teams' submitted reviews in those days."""
    if not available():
        return []
    from frontline.quality.models import Review, ReviewState

    teams = list(agent.teams.values_list("pk", flat=True))
    since, until = _span(first, last)
    reviews = (Review.objects.filter(agent__teams__in=teams, state=ReviewState.SUBMITTED, calibration__isnull=True,
                                     submitted_at__gte=since, submitted_at__lt=until, total__isnull=False)
               .exclude(agent=agent).distinct())
    return [total / 100 for total in reviews.values_list("total", flat=True)]


def qa_summary(*, agent: User, first: date, last: date) -> dict | None:
    """The agent's QA in the days ``first`` .. ``last`` against the rest of the team (Welch on review
    totals): reviews, mean, team mean, difference with its interval and reading; None without reviews."""
    mine = review_totals(agent=agent, first=first, last=last)
    if not mine:
        return None
    theirs = team_review_totals(agent=agent, first=first, last=last)
    comparison = compare_parts("mean", theirs, mine)
    judged = verdict(comparison, higher_is_better=True, min_n=MIN_REVIEWS)
    words = {"improved": "Better than the team", "worsened": "Behind the team", "no_change": "In line with the team",
             "too_little_data": "Too little data"}[judged.code]
    return {"reviews": len(mine), "mean": sum(mine) / len(mine),
            "team_reviews": len(theirs), "team_mean": sum(theirs) / len(theirs) if theirs else None,
            "delta": comparison.change, "low": comparison.ci_low, "high": comparison.ci_high,
            "verdict": judged.code, "verdict_words": words}


# Fewer reviews than this on either side: too little data to judge a QA difference.
MIN_REVIEWS = 5


def criterion_values(*, agent: User, criterion_id: int,
                     windows: Sequence[tuple[date, date]]) -> list[list[float]] | None:
    """The agent's scores (share of the criterion's points, 0..1; N/A left out) on one criterion — and
    on the same criterion in other versions of its rubric — in each window; None without quality."""
    if not available():
        return None
    from frontline.quality.selectors import criterion_scores

    out = []
    for first, last in windows:
        since, until = _span(first, last)
        out.append([s.fraction for s in criterion_scores(agent, [criterion_id], since, until) if s.fraction is not None])
    return out


def criteria() -> list[tuple[int, str]]:
    """(id, "rubric · criterion") of the current versions of the active rubrics; empty without quality."""
    if not available():
        return []
    from frontline.quality.selectors import rubrics_active, version_criteria

    out = []
    for version in rubrics_active():
        for _section, items in version_criteria(version=version):
            out.extend((c.pk, f"{version.rubric.name} \u00b7 {c.label}") for c in items)
    return out
