"""Time to proficiency: the rule by hand (frontline/coaching/proficiency.py) and measured from facts and QA."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from frontline.coaching import agenda
from frontline.coaching.proficiency import Week, first_proficient_week, kpi_at_level, shortfalls
from tests.coaching.conftest import facts

TEAM = {"first_reply_median": 30.0, "one_touch_rate": 0.8, "reopen_rate": 0.05}


def test_kpi_level_has_a_ten_percent_tolerance() -> None:
    assert kpi_at_level(0.721, 0.8, higher_is_better=True) is True
    assert kpi_at_level(0.71, 0.8, higher_is_better=True) is False
    assert kpi_at_level(33.0, 30.0, higher_is_better=False) is True
    assert kpi_at_level(33.1, 30.0, higher_is_better=False) is False
    assert kpi_at_level(None, 30.0, higher_is_better=False) is False
    assert kpi_at_level(50.0, None, higher_is_better=False) is None


def test_shortfalls_name_what_is_missing() -> None:
    week = Week(tickets=12, hire={"first_reply_median": 45.0, "one_touch_rate": 0.8, "reopen_rate": 0.05}, team=TEAM,
                qa_reviews=3, qa_mean=0.70, team_qa_reviews=10, team_qa_mean=0.80)
    assert shortfalls(week) == ["12 tickets (20 needed)", "first reply", "QA score"]
    assert shortfalls(Week(tickets=20, hire=TEAM, team=TEAM, qa_reviews=1, qa_mean=0.9, team_qa_reviews=4,
                           team_qa_mean=0.8)) == ["1 QA reviews (2 needed)"]
    assert shortfalls(Week(tickets=20, hire=TEAM, team=TEAM)) == []  # a team without QA: QA not judged


def test_first_proficient_week() -> None:
    slow = Week(tickets=30, hire={**TEAM, "one_touch_rate": 0.5}, team=TEAM)
    ready = Week(tickets=30, hire=TEAM, team=TEAM)
    assert first_proficient_week([slow, slow, ready, slow]) == 3
    assert first_proficient_week([slow]) is None


def test_time_to_proficiency_from_the_facts(dept) -> None:  # type: ignore[no-untyped-def]
    start = date(2026, 3, 2)
    t0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
    # the team: 40 tickets over four weeks, all one-touch, first reply 20 min
    facts(agent=dept["bob"], team=dept["billing"], first=t0, n=40, every=timedelta(hours=16), one_touch=True,
          first_reply_minutes=20.0)
    # the hire: 10 tickets a week, the first 12 slow (first reply 60 min), then at the team's level (20 min)
    facts(agent=dept["ann"], team=dept["billing"], first=t0, n=40, every=timedelta(hours=16.8), one_touch=True,
          first_reply_minutes=lambda i: 60.0 if i < 12 else 20.0)
    result = agenda.time_to_proficiency(hire=dept["ann"], start=start, today=date(2026, 3, 31))
    assert result["weeks_measured"] == 4
    assert result["week"] == 3  # week 2 has 20 tickets but a first reply median of 60 min
    assert result["reached_on"] == date(2026, 3, 22)
