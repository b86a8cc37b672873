"""frontline.core.days: a per-day report's window in the viewer's zone, across a clock change."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from frontline.core.days import days_from, local_window


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
