"""Alerts: spikes and emerging topics, each tested against the topic's own history.

* **Spike**: a week whose count is improbably high for the topic's trailing baseline (the
  previous up to 12 weeks, at least 4): ``engine.insights.detect_spikes`` (Poisson, or negative
  binomial when the baseline is overdispersed; Benjamini-Hochberg over the weeks tested; alpha
  0.01; at least 3 items). The last 4 weeks are tested, the running week included.
* **Emerging**: the last 4 weeks' count against the 12 weeks before, as a share of the topic's
  16-week total (binomial upper tail, ``engine.insights.emerging``; BH over topics; alpha 0.01).
Alerts are kept (one per topic, kind and week) with their evidence; re-running updates them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Alert, AlertKind, Topic
from ..trends import weekly_series

BASELINE_WEEKS = 12
RECENT_WEEKS = 4
ALPHA = 0.01


def _engine() -> Any:
    from frontline.engine import insights

    return insights


def alerts_refresh(*, today: Any = None) -> int:
    """Recompute the alerts of the last weeks for every active topic; returns how many hold."""
    engine = _engine()
    topics = list(Topic.objects.filter(active=True).values_list("pk", flat=True))
    series = weekly_series(topic_ids=topics, weeks=BASELINE_WEEKS + RECENT_WEEKS, today=today)
    now = timezone.now()
    found: list[Alert] = []
    for topic_id, s in series.items():
        for spike in engine.detect_spikes(s.counts, baseline=BASELINE_WEEKS, min_history=4, alpha=ALPHA,
                                          min_count=3, last=RECENT_WEEKS):
            found.append(Alert(topic_id=topic_id, kind=AlertKind.SPIKE, week=s.weeks[spike.index],
                               observed=spike.observed, expected=spike.expected, p_value=spike.p_value,
                               evidence={"reason": spike.reason, "test": spike.test, "q_value": spike.q_value,
                                         "window_weeks": spike.window, "series": s.counts}, created_at=now))
    recent = {t: sum(s.counts[-RECENT_WEEKS:]) for t, s in series.items()}
    earlier = {t: sum(s.counts[:-RECENT_WEEKS]) for t, s in series.items()}
    for e in engine.emerging(recent, earlier, recent_length=RECENT_WEEKS * 7, earlier_length=BASELINE_WEEKS * 7,
                             alpha=ALPHA, min_count=3):
        week = series[e.topic].weeks[-RECENT_WEEKS]
        found.append(Alert(topic_id=e.topic, kind=AlertKind.EMERGING, week=week, observed=e.recent,
                           expected=e.expected, p_value=e.p_value,
                           evidence={"reason": e.reason, "q_value": e.q_value, "new": e.new, "earlier": e.earlier,
                                     "series": series[e.topic].counts}, created_at=now))
    first_week = min((s.weeks[-RECENT_WEEKS] for s in series.values()), default=None)
    with transaction.atomic():
        if first_week is not None:
            Alert.objects.filter(week__gte=first_week).delete()
        Alert.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)
