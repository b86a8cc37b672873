"""The adherence pages' figures (frontline/schedules/adherence_selectors.py): the period in the
viewer's zone, the report's order and team totals, one agent's days on an hour axis."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from frontline.schedules.adherence import Activity, Adherence, AgentAdherence, StateSpan
from frontline.schedules.adherence_selectors import (
    axis_hours,
    day_lines,
    day_window,
    segments,
    sorted_rows,
    team_totals,
)
from tests import factories as f

LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")
DAY = date(2026, 3, 10)  # a Tuesday; Lisbon is on UTC in March until the 29th


def at(hour: float, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)


def row(agent, *, work=(), online=(), result=None) -> AgentAdherence:  # type: ignore[no-untyped-def]
    return AgentAdherence(agent=agent, result=result or Adherence(),
                          activities=tuple(Activity(at(s), at(e), "work") for s, e in work),
                          states=tuple(StateSpan(at(s), at(e), "online") for s, e in online))


def test_a_day_window_runs_midnight_to_midnight_in_the_viewers_zone():
    with timezone.override(LISBON):
        start, end = day_window(date(2026, 3, 29), date(2026, 3, 29))  # summer time starts: 23 hours
    assert (start, end.astimezone(UTC) - start.astimezone(UTC)) == (datetime(2026, 3, 29, tzinfo=UTC), timedelta(hours=23))


def test_segments_are_clipped_to_the_axis_and_placed_in_percent():
    lo, hi = at(8), at(16)
    with timezone.override(LISBON):
        placed = segments([(at(6), at(10), "work", "Work"), (at(12), at(13), "break", "Break"),
                           (at(17), at(18), "work", "Work")], lo, hi)
    assert [(s.left, s.width, s.css) for s in placed] == [(0.0, 25.0, "work"), (50.0, 12.5, "break")]
    assert placed[0].title == "Work 08:00 to 10:00"


def test_the_axis_spans_the_scheduled_and_online_hours_with_an_hour_either_side():
    agent = object()
    with timezone.override(LISBON):
        assert axis_hours(row(agent, work=[(9, 17)], online=[(8.5, 17.5)]), [DAY]) == (7, 19)
        assert axis_hours(row(agent, work=[(10, 12)]), [DAY]) == (9, 17)  # at least 8 hours
        assert axis_hours(row(agent, work=[(20, 23.5)]), [DAY]) == (16, 24)  # not past midnight
        assert axis_hours(row(agent), [DAY]) == (6, 20)  # nothing to draw


@pytest.mark.django_db
def test_day_lines_give_each_day_its_bars_and_the_ticks():
    agent = f.agent()
    with timezone.override(LISBON):
        lines, ticks = day_lines(row(agent, work=[(9, 17)], online=[(9, 13)]), [DAY], now=at(23))
    (line,) = lines
    assert ticks == list(range(8, 19))
    assert [(s.left, s.width) for s in line.scheduled] == [(10.0, 80.0)]
    assert [(s.left, s.width) for s in line.actual] == [(10.0, 40.0)]
    assert [(round(s.left, 1), s.css) for s in line.out] == [(50.0, "out")]
    assert line.result.work_minutes == 480


def test_rows_sort_by_a_column_and_put_unmeasured_percentages_last():
    a = row(type("A", (), {"display_name": "Ana"})(), result=Adherence(work_minutes=100, in_adherence_minutes=90))
    b = row(type("B", (), {"display_name": "bo"})(), result=Adherence(work_minutes=100, in_adherence_minutes=50))
    c = row(type("C", (), {"display_name": "Cy"})(), result=Adherence(worked_minutes=30))  # no schedule: no %
    assert [r.agent.display_name for r in sorted_rows([a, b, c], "adherence")[0]] == ["bo", "Ana", "Cy"]
    assert [r.agent.display_name for r in sorted_rows([a, b, c], "-adherence")[0]] == ["Ana", "bo", "Cy"]
    assert [r.agent.display_name for r in sorted_rows([c, b, a], "name")[0]] == ["Ana", "bo", "Cy"]
    assert sorted_rows([a, b], "nonsense") == ([b, a], "adherence")


@pytest.mark.django_db
def test_a_parent_teams_total_includes_its_sub_teams():
    parent, child, other = f.team(name="Support"), f.team(name="Billing"), f.team(name="Sales")
    child.parent = parent
    child.save(update_fields=["parent"])
    rows = [row(f.agent(teams=[child]), result=Adherence(work_minutes=60, in_adherence_minutes=30)),
            row(f.agent(teams=[parent]), result=Adherence(work_minutes=60, in_adherence_minutes=60)),
            row(f.agent(teams=[other]), result=Adherence(work_minutes=60, in_adherence_minutes=0))]
    choices = [(parent.pk, "Support"), (child.pk, "Billing"), (other.pk, "Sales")]
    totals = {t.name: (t.agents, t.result.adherence_pct) for t in team_totals(rows, choices, None)}
    assert totals == {"Support": (2, 75.0), "Billing": (1, 50.0), "Sales": (1, 0.0)}
    assert [t.name for t in team_totals(rows, choices, parent.pk)] == ["Support", "Billing"]
