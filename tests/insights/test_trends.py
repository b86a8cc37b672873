"""Trends: when a topic's data begins (the last of its sources to start), alerts that never count
the weeks before it as quiet weeks and say when the history is too short, p-values people can
read, and charts that start at the data with legends that fit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from frontline.insights import services, trends
from frontline.insights.models import Alert, AlertKind, Source, Topic
from frontline.insights.trends import monday
from tests import factories as f

from .conftest import in_running_week, item

pytestmark = pytest.mark.django_db


def _topic(label: str = "Late parcels") -> Topic:
    return Topic.objects.create(label=label, created_at=timezone.now(), size=0)


def _weekly(topic: Topic, counts: list[int], *, source: str = Source.REVIEW) -> None:
    """``counts[-1]`` items in the running week, ``counts[-2]`` the week before, …; each week's
    items on its Tuesday (the running week's: between its start and now)."""
    now = timezone.now()
    this_week = monday(timezone.localdate())
    for weeks_ago, count in enumerate(reversed(counts)):
        for n in range(count):
            at = in_running_week(n, count) if weeks_ago == 0 else \
                now - (timezone.localdate() - (this_week - timedelta(weeks=weeks_ago) + timedelta(days=1)))
            item(f"{topic.label} {weeks_ago} {n}", at=at, topic=topic, source=source)


def test_a_burst_after_two_weeks_of_data_is_not_a_spike_but_says_why(login) -> None:  # type: ignore[no-untyped-def]
    topic = _topic()
    _weekly(topic, [2, 2, 12])  # the feed began two weeks ago

    assert services.alerts_refresh() == 0  # counted as 12 zero weeks, 12 against 0.3 was "p < 0.0001"
    series = trends.weekly_series(topic_ids=[topic.pk])[topic.pk]
    assert series.history_weeks == 1  # the first week's Tuesday start makes it partial
    assert trends.history_note(series) == "Alerts not tested: not enough history (1 week, need 4)"
    page = login(f.manager()).get(f"/insights/topics/{topic.pk}/")
    assert b"Alerts not tested: not enough history (1 week, need 4)" in page.content
    home = login(f.manager()).get("/insights/")
    assert b"not enough history (1 week, need 4) (every topic)" in home.content


def test_with_enough_history_the_burst_is_a_spike_against_the_weeks_with_data_only() -> None:
    topic = _topic()
    _weekly(topic, [2, 2, 2, 2, 2, 12])  # data since a Tuesday: that first week is partial

    services.alerts_refresh()

    spike = Alert.objects.get(kind=AlertKind.SPIKE)
    assert (spike.observed, spike.expected, spike.evidence["window_weeks"]) == (12, 2.0, 4)
    assert "from the previous 4 weeks" in spike.evidence["reason"]
    assert "Poisson upper tail" in spike.evidence["reason"] and "Benjamini-Hochberg" in spike.evidence["reason"]


def test_a_steady_topic_of_six_weeks_is_not_emerging() -> None:
    topic = _topic()
    _weekly(topic, [5, 5, 5, 5, 5, 5])  # a 12-week window would see 10 earlier items in "12 weeks"

    services.alerts_refresh()

    assert not Alert.objects.filter(kind=AlertKind.EMERGING).exists()
    series = trends.weekly_series(topic_ids=[topic.pk])[topic.pk]
    assert trends.history_note(series) == (
        "Spikes tested; emerging not tested: not enough history (1 week before the last 4, need 4)")


def test_a_topic_growing_against_its_weeks_of_data_is_emerging_with_the_test_in_words() -> None:
    topic = _topic()
    _weekly(topic, [1] * 8 + [6, 7, 6, 8])  # the first, partial week's item is left out too

    services.alerts_refresh()

    alert = Alert.objects.get(kind=AlertKind.EMERGING)
    assert alert.evidence["earlier_weeks"] == 7
    assert alert.evidence["reason"].startswith("27 items in the last 4 weeks against 7 in the 7 weeks before")
    assert "binomial upper tail" in alert.evidence["reason"] and "0.0000" not in alert.evidence["reason"]


def test_a_topic_begins_when_the_last_of_its_sources_began() -> None:
    topic, other = _topic(), _topic("Refunds")
    now = timezone.now()
    item("old ticket", at=now - timedelta(days=70), topic=topic, source=Source.TICKET)
    item("new review", at=now - timedelta(days=10), topic=topic, source=Source.REVIEW)
    item("old review of another topic", at=now - timedelta(days=20), topic=other, source=Source.REVIEW)
    item("ticket of the other topic", at=now - timedelta(days=3), topic=other, source=Source.TICKET)

    since = trends.data_since(topic_ids=[topic.pk, other.pk])

    # reviews began 20 days ago (in another topic), tickets 70 days ago: both topics draw on both
    assert since == {topic.pk: timezone.localtime(now - timedelta(days=20)).date(),
                     other.pk: timezone.localtime(now - timedelta(days=20)).date()}


def test_p_values_on_the_pages_are_never_a_row_of_zeros(login) -> None:  # type: ignore[no-untyped-def]
    topic = _topic()
    Alert.objects.create(topic=topic, kind=AlertKind.SPIKE, week=monday(timezone.localdate()), observed=30,
                         expected=2.0, p_value=3e-12, created_at=timezone.now(), evidence={"reason": "in words"})

    content = login(f.manager()).get("/insights/").content.decode()

    assert "(p &lt; 0.0001)" in content and "0.0000" not in content
    assert "p &lt; 0.0001" in login(f.manager()).get(f"/insights/topics/{topic.pk}/").content.decode()


def test_charts_start_at_the_week_the_data_began_and_show_whole_topic_names() -> None:
    label = "onboarding setup / confusing workspace step / wizard"
    weeks = [date(2026, 6, 1) + timedelta(weeks=i) for i in range(26)]
    series = trends.Series(topic_id=1, weeks=weeks, counts=[0] * 22 + [3, 4, 5, 6], negative=[0] * 22 + [1, 1, 2, 2],
                           since=date(2026, 10, 28))  # a Wednesday: the chart starts on its Monday

    volume = trends.volume_chart({1: series}, {1: label}, title="Feedback per week")
    bars = trends.sentiment_chart(series, label)

    assert series.first_week == 21 and series.first_full_week == 22
    for svg in (volume, bars):
        assert "26 Oct 2026" in svg and "19 Oct 2026" not in svg and "1 Jun 2026" not in svg
    assert label in volume and "…" not in volume  # the legend is under the plot, wide enough
