"""Reads of the schedule pages (frontline/schedules/selectors.py): My schedule's weeks."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from frontline.schedules.models import ScheduleStatus
from frontline.schedules.selectors import my_schedule_weeks
from tests import factories as f
from tests.workforce import staffing_factories as sf

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 3, 5)
MONDAY = date(2026, 3, 2)


def test_my_weeks_put_each_published_shift_on_the_day_it_starts_in_the_viewers_zone():
    team = f.team()
    ana = f.agent(teams=[team])
    week = sf.schedule(team, week_start=MONDAY)
    late = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # Wednesday 23:30 UTC = Thursday 08:30 in Tokyo
    sf.shift(week, ana, late, late + timedelta(hours=8),
             breaks=[(late + timedelta(hours=4), late + timedelta(hours=5), False)])
    draft = sf.schedule(team, week_start=MONDAY + timedelta(days=7), state=ScheduleStatus.DRAFT)
    sf.shift(draft, ana, late + timedelta(days=7), late + timedelta(days=7, hours=8))  # a draft: not shown
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        this, following = my_schedule_weeks(viewer=ana, today=THURSDAY)
    assert (this.first, following.first) == (MONDAY, MONDAY + timedelta(days=7))
    assert [d.day.weekday() for d in this.days] == list(range(7))
    assert [len(d.shifts) for d in this.days] == [0, 0, 0, 1, 0, 0, 0]
    assert [d.today for d in this.days] == [False, False, False, True, False, False, False]
    (mine,) = this.days[3].shifts
    assert (mine.hours, len(mine.breaks), this.hours) == (7.0, 1, 7.0)
    assert (this.published, following.published, following.hours) == (True, False, 0)


def test_my_weeks_show_only_my_shifts():
    team = f.team()
    ana, bo = f.agent(teams=[team]), f.agent(teams=[team])
    start = datetime(2026, 3, 3, 9, tzinfo=UTC)
    sf.shift(sf.schedule(team, week_start=MONDAY), bo, start, start + timedelta(hours=8))
    with timezone.override(zoneinfo.ZoneInfo("UTC")):
        this, _ = my_schedule_weeks(viewer=ana, today=THURSDAY)
    assert (this.hours, this.published) == (0, True)
