"""Comparisons on the dashboard (frontline/metrics/compare.py, dashboard.baselines): the engine's
tests on the right pieces, and a running period compared with the same elapsed time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.engine.kpis.compare import compare_counts, compare_medians, compare_rates
from frontline.metrics import compare
from frontline.metrics.dashboard import baselines, cards_for
from frontline.metrics.periods import period_of
from frontline.metrics.selectors import Scope

pytestmark = pytest.mark.django_db


def row(**kw) -> dict:  # type: ignore[no-untyped-def]
    base = {"solved": True, "ever_solved": True, "reopens": 0, "first_reply_minutes": 10.0, "one_touch": True,
            "reassigned": False, "escalated": False, "handle_seconds": 0, "csat": None, "nps": None, "ces": None,
            "resolution_minutes": 30.0}
    return {**base, **kw}


def test_a_rate_is_tested_on_its_successes_and_trials():
    before = [row(reopens=1)] * 30 + [row()] * 370
    now = [row(reopens=1)] * 52 + [row()] * 348
    change = compare.change(key="reopen_rate", test="rate", now=now, before=before)
    expected = compare_rates(30, 400, 52, 400)
    assert (change.before, change.p_value, change.low, change.high) == (0.075, expected.p_value, expected.ci_low,
                                                                         expected.ci_high)
    assert change.delta == pytest.approx(0.055) and change.significant is True


def test_a_median_is_tested_on_the_durations():
    before = [row(first_reply_minutes=float(m)) for m in range(1, 41)]
    now = [row(first_reply_minutes=float(m) + 5) for m in range(1, 41)]
    change = compare.change(key="first_reply_median", test="median", now=now, before=before)
    expected = compare_medians([float(m) for m in range(1, 41)], [float(m) + 5 for m in range(1, 41)], unit="min")
    assert (change.delta, change.p_value, change.significant) == (5, expected.p_value, expected.significant)


def test_a_count_is_tested_per_hour_of_what_was_compared():
    change = compare.change(key="tickets", test="count", now=[row()] * 60, before=[row()] * 40, hours=(48, 24))
    expected = compare_counts(40, 60, exposure1=48, exposure2=24)
    assert (change.before, change.delta, change.p_value) == (40, 20, expected.p_value)


def test_too_little_data_is_not_tested():
    change = compare.change(key="reopen_rate", test="rate", now=[], before=[row()])
    assert (change.significant, change.delta) == (None, None)


def test_a_running_week_is_compared_with_the_same_hours_of_last_week(department):
    week = period_of("week", datetime(2026, 3, 2).date(), UTC)
    now = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)  # Monday 10:30
    base = baselines(scope=Scope(team_ids=None), period=week, now=now)
    assert (base.to_date, base.hours_now, base.hours_previous) == (True, 10.5, 10.5)
    # the one ticket created Monday 09:00 last week, answered at 09:50
    assert (base.previous.tickets, list(base.previous.first_reply)) == (1, [50.0])
    _, cards = cards_for(scope=Scope(team_ids=None), period=week, now=now)
    tickets = next(c for c in cards if c.key == "tickets")
    assert (tickets.value, tickets.previous.before) == (6, 1)
