"""When the next one-on-one is due (frontline/coaching/cadence.py)."""

from __future__ import annotations

from datetime import date

import pytest

from frontline.coaching.cadence import add_months, days_overdue, next_due


def test_nothing_held_is_due_on_the_first_day() -> None:
    assert next_due(cadence="weekly", starts_on=date(2026, 3, 2), last_held=None) == date(2026, 3, 2)


def test_weekly_and_biweekly_count_from_the_last_held() -> None:
    assert next_due(cadence="weekly", starts_on=date(2026, 3, 2), last_held=date(2026, 3, 4)) == date(2026, 3, 11)
    assert next_due(cadence="biweekly", starts_on=date(2026, 3, 2), last_held=date(2026, 3, 4)) == date(2026, 3, 18)


def test_monthly_keeps_the_day_or_takes_the_month_end() -> None:
    assert next_due(cadence="monthly", starts_on=date(2026, 1, 1), last_held=date(2026, 1, 15)) == date(2026, 2, 15)
    assert next_due(cadence="monthly", starts_on=date(2026, 1, 1), last_held=date(2026, 1, 31)) == date(2026, 2, 28)
    assert next_due(cadence="monthly", starts_on=date(2028, 1, 1), last_held=date(2028, 1, 31)) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 31), 1) == date(2027, 1, 31)


def test_a_session_before_the_plan_started_does_not_count() -> None:
    assert next_due(cadence="weekly", starts_on=date(2026, 3, 2), last_held=date(2026, 2, 1)) == date(2026, 3, 2)


def test_overdue_days() -> None:
    assert days_overdue(due=date(2026, 3, 2), today=date(2026, 3, 5)) == 3
    assert days_overdue(due=date(2026, 3, 9), today=date(2026, 3, 5)) == 0


def test_unknown_cadence_is_refused() -> None:
    with pytest.raises(ValueError, match="cadence"):
        next_due(cadence="daily", starts_on=date(2026, 3, 2), last_held=None)
