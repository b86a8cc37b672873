"""The local days of a period as stretches of time (selectors.local_day_starts): the solves per day of the
department count between them on PostgreSQL, so each stretch must hold exactly its day's instants."""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import UTC, date, datetime, timedelta, tzinfo

import pytest

from frontline.metrics.periods import period_of
from frontline.metrics.selectors import local_day_starts

SET_BACK = datetime(2026, 3, 10)  # UTC: a made-up zone's clocks go from 00:30 back to 23:30 here


class SetBackAcrossMidnight(tzinfo):
    """+00:30 until SET_BACK, -00:30 after: local 23:30-00:30 happens twice, around midnight."""

    def utcoffset(self, dt):  # type: ignore[no-untyped-def, override]
        local, half = dt.replace(tzinfo=None), timedelta(minutes=30)
        if local < SET_BACK - half or (local < SET_BACK + half and not dt.fold):
            return half
        return -half

    def fromutc(self, dt):  # type: ignore[no-untyped-def, override]
        utc, half = dt.replace(tzinfo=None), timedelta(minutes=30)
        if utc < SET_BACK:
            return (utc + half).replace(tzinfo=self)
        return (utc - half).replace(tzinfo=self, fold=int(utc - half < SET_BACK + half))

    def dst(self, dt):  # type: ignore[no-untyped-def, override]
        return None

    def tzname(self, dt):  # type: ignore[no-untyped-def, override]
        return "SETBACK"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/Santiago", "America/Havana"])
@pytest.mark.parametrize(("first", "last"), [(date(2026, 3, 1), date(2026, 4, 30)), (date(2025, 10, 1), date(2025, 11, 30))])
def test_each_local_day_is_the_stretch_from_its_first_instant(zone, first, last):
    period = period_of("custom", first, zoneinfo.ZoneInfo(zone), last=last)
    starts = local_day_starts(period)
    assert starts[0] == period.start and starts[-1] == period.end and len(starts) == period.days + 1
    for i, (lo, hi) in enumerate(itertools.pairwise(starts)):
        day = first + timedelta(days=i)
        minutes = [lo + timedelta(minutes=m) for m in range(0, int((hi - lo).total_seconds() // 60), 7)]
        assert {at.astimezone(period.zone).date() for at in [*minutes, hi - timedelta(microseconds=1)]} == {day}
        assert (lo - timedelta(microseconds=1)).astimezone(period.zone).date() == day - timedelta(days=1)


def test_an_hour_is_one_stretch_of_its_day():
    hour = period_of("hour", date(2026, 3, 29), zoneinfo.ZoneInfo("Europe/Berlin"), hour=3)
    assert local_day_starts(hour) == [hour.start, hour.end]


def test_clocks_set_back_across_midnight_leave_no_stretches():
    zone = SetBackAcrossMidnight()
    assert datetime(2026, 3, 9, 23, 59, tzinfo=UTC).astimezone(zone).date() == date(2026, 3, 10)
    assert datetime(2026, 3, 10, 0, 1, tzinfo=UTC).astimezone(zone).date() == date(2026, 3, 9)
    assert local_day_starts(period_of("custom", date(2026, 3, 8), zone, last=date(2026, 3, 12))) is None
    assert local_day_starts(period_of("custom", date(2026, 3, 12), zone, last=date(2026, 3, 14))) is not None
