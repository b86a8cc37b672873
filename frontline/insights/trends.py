"""Topic volume and sentiment per week (reads), and the charts of them.

Weeks are Monday-to-Sunday in the server's time zone (``TIME_ZONE``), labelled by their Monday.

A topic's data begins (``Series.since``) on the day the **last** of the sources its items come
from (survey comments, first ticket messages, imported reviews) delivered its first item: before
that day a week without items is not a quiet week but a week nobody was listening. Charts start
at the week of that day; alerts use only the full weeks after it (``services/trends.py``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from frontline.core import charts

from .models import FeedbackItem, Sentiment, Topic

WEEKS = 26
# The alerts' windows (services/trends.py): a baseline of up to 12 weeks of history, the last 4
# weeks tested, at least 4 weeks of history before a tested week.
BASELINE_WEEKS = 12
RECENT_WEEKS = 4
MIN_HISTORY = 4


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_starts(*, weeks: int = WEEKS, today: date | None = None) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, the current (running) week last."""
    last = monday(today or timezone.localdate())
    return [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


@dataclass(frozen=True)
class Series:
    """``weeks`` (Mondays, oldest first) with the topic's ``counts`` and ``negative`` counts;
    ``since``: the day its data begins (module docstring; None: no item at all)."""

    topic_id: int
    weeks: list[date]
    counts: list[int]
    negative: list[int]
    since: date | None = None

    def negative_share(self, index: int) -> float | None:
        return self.negative[index] / self.counts[index] if self.counts[index] else None

    @property
    def first_week(self) -> int:
        """Index of the week in which the data begins (0 when it began earlier; ``len(weeks)``
        when there is none): where a chart starts."""
        if self.since is None:
            return len(self.weeks)
        start = monday(self.since)
        return next((i for i, w in enumerate(self.weeks) if w >= start), len(self.weeks))

    @property
    def first_full_week(self) -> int:
        """Index of the first week wholly after the data began (its Monday on or after
        ``since``): where a baseline may start."""
        if self.since is None:
            return len(self.weeks)
        return next((i for i, w in enumerate(self.weeks) if w >= self.since), len(self.weeks))

    @property
    def history_weeks(self) -> int:
        """Full weeks of data before the running (last) week."""
        return max(0, len(self.weeks) - 1 - self.first_full_week)


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
    since = data_since(topic_ids=wanted)
    return {t: Series(topic_id=t, weeks=starts, counts=counts[t], negative=negative[t], since=since.get(t))
            for t in wanted}


def data_since(*, topic_ids: list[int]) -> dict[int, date]:
    """The day each topic's data begins: the latest of the first-item days of the sources its
    items come from (module docstring). Topics without items are left out."""
    if not topic_ids:
        return {}
    began = {row["source"]: timezone.localtime(row["first"]).date()
             for row in FeedbackItem.objects.values("source").annotate(first=Min("created_at")).order_by()}
    since: dict[int, date] = {}
    pairs = FeedbackItem.objects.filter(topic_id__in=topic_ids).values_list("topic_id", "source").distinct().order_by()
    for topic_id, source in pairs:
        if source in began and (topic_id not in since or began[source] > since[topic_id]):
            since[topic_id] = began[source]
    return since


# Legends go under the plot, two columns wide, so a topic's full name fits (Vega's default
# truncates labels at 160 px with "…", and a legend at the side takes width from the plot).
LEGEND = {"orient": "bottom", "direction": "vertical", "columns": 2, "labelLimit": 300, "title": None}
# One band per week (ordinal): the ticks are the Mondays themselves and a bar fills its week.
X_WEEK = {"field": "week", "type": "ordinal", "title": "Week (Monday; the last one is still running)", "timeUnit": "yearmonthdate",
          "axis": {"format": "%-d %b %Y", "labelAngle": 0, "labelOverlap": True}}


def volume_chart(series: dict[int, Series], labels: dict[int, str], *, title: str) -> str:
    """Lines of weekly volume, one per topic (server-rendered SVG), from the week the earliest
    of them has data (nothing before it is drawn as a zero)."""
    start = min((s.first_week for s in series.values()), default=0)
    data = [{"week": s.weeks[i].isoformat(), "topic": labels.get(t, str(t)), "items": s.counts[i]}
            for t, s in series.items() for i in range(start, len(s.weeks))]
    if not data or all(row["items"] == 0 for row in data):
        return ""
    spec = charts.spec(
        data=data, title=title, height=200, description="Feedback items per week and topic",
        mark={"type": "line", "point": True},
        encoding={"x": X_WEEK,
                  "y": {"field": "items", "type": "quantitative", "title": "Feedback items per week"},
                  "color": {"field": "topic", "type": "nominal", "title": "Topic", "legend": LEGEND}})
    return charts.svg(spec)


def sentiment_chart(s: Series, label: str) -> str:
    """Weekly bars of the topic, negative and other, from the week its data begins."""
    data = []
    for i in range(s.first_week, len(s.weeks)):
        week = s.weeks[i].isoformat()
        data.append({"week": week, "part": "negative", "items": s.negative[i]})
        data.append({"week": week, "part": "other", "items": s.counts[i] - s.negative[i]})
    if not any(s.counts):
        return ""
    spec = charts.spec(
        data=data, title=f"“{label}”: items per week, negative and other", height=180,
        description="Weekly feedback items of the topic split by sentiment",
        mark={"type": "bar"},
        encoding={"x": X_WEEK,
                  "y": {"field": "items", "type": "quantitative", "title": "Feedback items", "stack": True},
                  "color": {"field": "part", "type": "nominal", "title": "Sentiment", "legend": LEGEND,
                            "scale": {"domain": ["negative", "other"], "range": ["#ef4444", "#9ca3af"]}}})
    return charts.svg(spec)


def history_note(series: Series) -> str:
    """Why a topic is not (fully) tested for alerts, or "" when it is: spikes need
    ``MIN_HISTORY`` full weeks of data before the running week, emerging needs as many before the
    last ``RECENT_WEEKS`` weeks. Any ``weekly_series`` span of at least 8 weeks gives the same."""
    if series.since is None:
        return ""
    weeks = series.history_weeks
    if weeks < MIN_HISTORY:
        return f"Alerts not tested: not enough history ({_weeks(weeks)}, need {MIN_HISTORY})"
    before = max(0, weeks - (RECENT_WEEKS - 1))
    if before < MIN_HISTORY:
        return (f"Spikes tested; emerging not tested: not enough history ({_weeks(before)} before the last "
                f"{RECENT_WEEKS}, need {MIN_HISTORY})")
    return ""


def _weeks(count: int) -> str:
    return f"{count} week" if count == 1 else f"{count} weeks"


def labels_of(topic_ids: list[int]) -> dict[int, str]:
    return dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "label"))
