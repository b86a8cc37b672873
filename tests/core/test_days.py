"""frontline.core.days: a per-day report's window in the viewer's zone, across a clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontline.core.days import days_from, last_days, local_window


def test_the_window_runs_from_local_midnight_to_the_midnight_after_the_last_day() -> None:
    london = ZoneInfo("Europe/London")
    start, end = local_window(date(2026, 10, 24), date(2026, 10, 25), london)  # the clocks go back on the 25th
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (datetime(2026, 10, 23, 23, tzinfo=UTC),
                                                            datetime(2026, 10, 26, 0, tzinfo=UTC))
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 49 * 3600  # 24 + 25 hours
    assert days_from(date(2026, 10, 30), date(2026, 11, 2)) == [date(2026, 10, 30), date(2026, 10, 31),
                                                                date(2026, 11, 1), date(2026, 11, 2)]
    with pytest.raises(ValueError, match="last"):
        local_window(date(2026, 1, 2), date(2026, 1, 1), london)


def test_a_reports_period_is_one_of_its_choices_else_the_default() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    today = datetime.now(tokyo).date()
    assert last_days("30", choices=(7, 14, 30), default=14, tz=tokyo) == (30, today - timedelta(days=29), today)
    for odd in (None, "", "3", "-7", "٣", "7.0", "99999999999999999999"):
        assert last_days(odd, choices=(7, 14, 30), default=14, tz=tokyo)[0] == 14, odd
