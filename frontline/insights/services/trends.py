"""Alerts: spikes and emerging topics, each tested against the topic's own history.

A topic's history is the full weeks since its data began (``trends.Series.since``: the day the
last of the sources its items come from delivered its first item); weeks before it are left out
of every baseline rather than counted as quiet weeks, which would make any count look improbable.

* **Spike**: a week whose count is improbably high for the topic's trailing baseline (the
  previous up to 12 weeks of history, at least 4): ``engine.insights.detect_spikes`` (Poisson, or
  negative binomial when the baseline is overdispersed; Benjamini-Hochberg over the weeks tested;
  alpha 0.01; at least 3 items). The last 4 weeks are tested, the running week included.
* **Emerging**: the last 4 weeks' count against the up to 12 weeks of history before them, as a
  share of the total (binomial upper tail, ``engine.insights.emerging``; BH over topics; alpha
  0.01); at least 4 weeks of history before the last 4.

With less history a topic is not tested, and ``trends.history_note`` says so ("not enough history
(2 weeks, need 4)"). Alerts are kept (one per topic, kind and week) with their evidence;
re-running updates them.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Alert, AlertKind, Topic
from ..trends import BASELINE_WEEKS, MIN_HISTORY, RECENT_WEEKS, weekly_series

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
        for spike in engine.detect_spikes(s.counts, baseline=BASELINE_WEEKS, min_history=MIN_HISTORY, alpha=ALPHA,
                                          min_count=3, last=RECENT_WEEKS, first=s.first_full_week, unit="week"):
            found.append(Alert(topic_id=topic_id, kind=AlertKind.SPIKE, week=s.weeks[spike.index],
                               observed=spike.observed, expected=spike.expected, p_value=spike.p_value,
                               evidence={"reason": spike.reason, "test": spike.test, "q_value": spike.q_value,
                                         "window_weeks": spike.window, "series": s.counts,
                                         "since": s.since.isoformat() if s.since else None}, created_at=now))
    recent, earlier, lengths = {}, {}, {}
    for t, s in series.items():
        split = len(s.counts) - RECENT_WEEKS
        history = split - s.first_full_week  # full weeks of data before the recent window
        recent[t] = sum(s.counts[split:])
        earlier[t] = sum(s.counts[max(s.first_full_week, 0):split]) if history > 0 else 0
        lengths[t] = history if history >= MIN_HISTORY else 0  # 0: not tested
    for e in engine.emerging(recent, earlier, recent_length=RECENT_WEEKS, earlier_length=lengths,
                             alpha=ALPHA, min_count=3, unit="week"):
        s = series[e.topic]
        found.append(Alert(topic_id=e.topic, kind=AlertKind.EMERGING, week=s.weeks[-RECENT_WEEKS], observed=e.recent,
                           expected=e.expected, p_value=e.p_value,
                           evidence={"reason": e.reason, "q_value": e.q_value, "new": e.new, "earlier": e.earlier,
                                     "earlier_weeks": lengths[e.topic], "series": s.counts,
                                     "since": s.since.isoformat() if s.since else None}, created_at=now))
    first_week = min((s.weeks[-RECENT_WEEKS] for s in series.values()), default=None)
    with transaction.atomic():
        if first_week is not None:
            Alert.objects.filter(week__gte=first_week).delete()
        Alert.objects.bulk_create(found, ignore_conflicts=True)
    return len(found)
