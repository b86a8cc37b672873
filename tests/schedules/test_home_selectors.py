"""The workforce home page's reads (``frontline.schedules.home_selectors``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from frontline.schedules.home_selectors import home_schedules, my_upcoming_shifts, workforce_home
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from tests import factories as f

pytestmark = pytest.mark.django_db

LATE = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # a Monday evening


def _shift(team, agent, start: datetime, *, state: str = ScheduleStatus.PUBLISHED) -> Shift:  # type: ignore[no-untyped-def]
    week = start.date() - timedelta(days=start.weekday())
    schedule, _ = Schedule.objects.get_or_create(team=team, week_start=week, defaults={"state": state})
    return Shift.objects.create(schedule=schedule, agent=agent, starts_at=start, ends_at=start + timedelta(hours=8))


@override_settings(TIME_ZONE="UTC")
def test_late_in_the_day_an_agent_sees_every_shift_to_tomorrows_close():
    team = f.team()
    agent = f.agent(teams=[team])
    tomorrow_early = _shift(team, agent, datetime(2026, 3, 3, 7, tzinfo=UTC))
    tomorrow_late = _shift(team, agent, datetime(2026, 3, 3, 15, 30, tzinfo=UTC))
    _shift(team, agent, datetime(2026, 3, 4, 7, tzinfo=UTC))  # the day after: not in the window
    home = workforce_home(viewer=agent, now=LATE)
    assert home.until == datetime(2026, 3, 4, tzinfo=UTC)
    assert home.my_shifts == [tomorrow_early, tomorrow_late]
    assert home.next_shift == tomorrow_early
    assert not home.planner and home.outlooks == [] and home.plans == []


@override_settings(TIME_ZONE="UTC")
def test_the_next_shift_is_found_beyond_the_window():
    team = f.team()
    agent = f.agent(teams=[team])
    later = _shift(team, agent, datetime(2026, 3, 9, 9, tzinfo=UTC))
    assert my_upcoming_shifts(viewer=agent, now=LATE, until=datetime(2026, 3, 4, tzinfo=UTC)) == []
    assert workforce_home(viewer=agent, now=LATE).next_shift == later


def test_agents_see_published_schedules_of_their_teams_and_planners_drafts_too():
    mine, other = f.team(), f.team()
    monday = datetime(2026, 3, 2).date()
    published = Schedule.objects.create(team=mine, week_start=monday, state=ScheduleStatus.PUBLISHED)
    draft = Schedule.objects.create(team=mine, week_start=monday + timedelta(days=7))
    Schedule.objects.create(team=other, week_start=monday, state=ScheduleStatus.PUBLISHED)
    assert home_schedules(viewer=f.agent(teams=[mine]), week_start=monday, planner=False) == [published]
    assert home_schedules(viewer=f.lead(leads=[mine]), week_start=monday, planner=True)[:2] == [published, draft]
