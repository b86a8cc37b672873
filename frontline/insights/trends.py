"""Topic volume and sentiment per week (reads), and the charts of them.

Weeks are Monday-to-Sunday in the server's time zone (``TIME_ZONE``), labelled by their Monday.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from frontline.core import charts

from .models import FeedbackItem, Sentiment, Topic

WEEKS = 26


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(*, weeks: int = WEEKS, today: date | None = None) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, the current (running) week last."""
    last = monday(today or timezone.localdate())
    return [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class Series:
    topic_id: int
    weeks: list[date]
    counts: list[int]
    negative: list[int]

    def negative_share(self, index: int) -> float | None:
        return self.negative[index] / self.counts[index] if self.counts[index] else None


def weekly_series(*, topic_ids: list[int] | None = None, weeks: int = WEEKS, today: date | None = None) -> dict[int, Series]:
    """Feedback items per topic per week (and how many negative), over the last ``weeks`` weeks."""
    starts = week_starts(weeks=weeks, today=today)
    index = {w: i for i, w in enumerate(starts)}
    since = timezone.make_aware(datetime.combine(starts[0], datetime.min.time()))
    items = FeedbackItem.objects.filter(created_at__gte=since, topic__isnull=False)
    if topic_ids is not None:
        items = items.filter(topic_id__in=topic_ids)
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(starts))
    negative: dict[int, list[int]] = defaultdict(lambda: [0] * len(starts))
    for topic_id, created, sentiment in items.values_list("topic_id", "created_at", "sentiment").iterator(
            chunk_size=5000):
        i = index.get(monday(timezone.localtime(created).date()))
        if i is None:
            continue
        counts[topic_id][i] += 1
        if sentiment == Sentiment.NEGATIVE:
            negative[topic_id][i] += 1
    wanted = topic_ids if topic_ids is not None else list(counts)
    return {t: Series(topic_id=t, weeks=starts, counts=counts[t], negative=negative[t]) for t in wanted}


def volume_chart(series: dict[int, Series], labels: dict[int, str], *, title: str) -> str:
    """Lines of weekly volume, one per topic (server-rendered SVG)."""
    data = [{"week": s.weeks[i].isoformat(), "topic": labels.get(t, str(t)), "items": s.counts[i]}
            for t, s in series.items() for i in range(len(s.weeks))]
    if not data or all(row["items"] == 0 for row in data):
        return ""
    spec = charts.spec(
        data=data, title=title, height=200, description="Feedback items per week and topic",
        mark={"type": "line", "point": True},
        encoding={"x": {"field": "week", "type": "temporal", "title": "Week (Monday)", "timeUnit": "yearmonthdate"},
                  "y": {"field": "items", "type": "quantitative", "title": "Feedback items per week"},
                  "color": {"field": "topic", "type": "nominal", "title": "Topic"}})
    return charts.svg(spec)


def sentiment_chart(s: Series, label: str) -> str:
    data = []
    for i, week in enumerate(s.weeks):
        data.append({"week": week.isoformat(), "part": "negative", "items": s.negative[i]})
        data.append({"week": week.isoformat(), "part": "other", "items": s.counts[i] - s.negative[i]})
    if not any(s.counts):
        return ""
    spec = charts.spec(
        data=data, title=f"“{label}”: items per week, negative and other", height=180,
        description="Weekly feedback items of the topic split by sentiment",
        mark={"type": "bar"},
        encoding={"x": {"field": "week", "type": "temporal", "title": "Week (Monday)", "timeUnit": "yearmonthdate"},
                  "y": {"field": "items", "type": "quantitative", "title": "Feedback items", "stack": True},
                  "color": {"field": "part", "type": "nominal", "title": "Sentiment"}})
    return charts.svg(spec)


def labels_of(topic_ids: list[int]) -> dict[int, str]:
    return dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "label"))
