"""A business calendar from its JSON form (the ``CAL.json`` of ``frontline sla due``)::

    {"tz": "Europe/Berlin",
     "hours": {"0": [["09:00", "12:00"], ["13:00", "17:00"]], "4": [["22:00", "06:00"]]},
     "holidays": ["2026-12-25"], "country": "DE", "subdivision": "BE"}

``hours`` maps weekday keys ("0" = Monday ... "6" = Sunday; a missing key is a closed day)
to ``[start, end]`` pairs of local ``HH:MM`` times; "24:00" is allowed as an end and an end
before the start crosses midnight into the next day.  ``"hours": "24x7"`` is open all the
time.  ``holidays`` are local ``YYYY-MM-DD`` dates closed all day; ``country`` (ISO 3166 code)
and ``subdivision`` add that country's public holidays.  Only ``tz`` and ``hours`` are
required.  Every error is a ``ValueError`` that names the place in the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date

from .calendar import BusinessCalendar, WorkingInterval

KEYS = ("tz", "hours", "holidays", "country", "subdivision")
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d|24:00")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def calendar_from_json(text: str) -> BusinessCalendar:
    """Parse the JSON text of a calendar.

    >>> from frontline.engine.businesstime import calendar_from_json
    >>> cal = calendar_from_json('{"tz": "Europe/Berlin", "hours": {"0": [["09:00", "17:00"]]}}')
    >>> cal.weekly_minutes
    480
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error}") from None
    return calendar_from_dict(data)


def calendar_from_dict(data: object) -> BusinessCalendar:
    """Build a :class:`BusinessCalendar` from the decoded JSON object."""
    if not isinstance(data, Mapping):
        raise ValueError("the calendar must be a JSON object with 'tz' and 'hours'")
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ValueError(
            f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(KEYS)}"
        )
    for key in ("tz", "hours"):
        if key not in data:
            raise ValueError(f"missing {key!r}")
    tz = data["tz"]
    if not isinstance(tz, str):
        raise ValueError(f"tz must be a time zone name such as 'Europe/Berlin', got {tz!r}")
    country, subdivision = data.get("country"), data.get("subdivision")
    for key, value in (("country", country), ("subdivision", subdivision)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key} must be a string, got {value!r}")
    return BusinessCalendar(
        tz=tz,
        intervals=_intervals(data["hours"]),
        holidays=_holidays(data.get("holidays", [])),
        holiday_country=country,
        holiday_subdivision=subdivision,
    )


def _intervals(hours: object) -> tuple[WorkingInterval, ...]:
    if hours == "24x7":
        return tuple(WorkingInterval(weekday=d, start=0, end=1440) for d in range(7))
    if not isinstance(hours, Mapping):
        raise ValueError('hours must be an object {"0": [["09:00", "17:00"]], ...} or "24x7"')
    intervals: list[WorkingInterval] = []
    for key, pairs in hours.items():
        if key not in {str(d) for d in range(7)}:
            raise ValueError(f"hours: weekday key {key!r} must be 0 (Monday) to 6 (Sunday)")
        if not isinstance(pairs, list):
            raise ValueError(f"hours[{key!r}] must be a list of [start, end] pairs")
        for index, pair in enumerate(pairs):
            where = f"hours[{key!r}][{index}]"
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError(f'{where} must be a ["HH:MM", "HH:MM"] pair, got {pair!r}')
            start, end = (
                _minutes(f"{where} {name}", value)
                for name, value in zip(("start", "end"), pair, strict=True)
            )
            if start == 1440:
                raise ValueError(f"{where}: 24:00 is only allowed as an end")
            if start == end:
                raise ValueError(f"{where}: start equals end ({pair[0]}): an empty interval")
            intervals.append(WorkingInterval(weekday=int(key), start=start, end=end))
    if not intervals:
        raise ValueError("hours: the calendar has no working time; give at least one interval")
    return tuple(intervals)


def _minutes(where: str, value: object) -> int:
    if not isinstance(value, str) or not _TIME.fullmatch(value):
        raise ValueError(f'{where} must be a local time "HH:MM" (00:00 to 24:00), got {value!r}')
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def _holidays(values: object) -> frozenset[date]:
    if not isinstance(values, list):
        raise ValueError('holidays must be a list of "YYYY-MM-DD" dates')
    days: set[date] = set()
    for index, value in enumerate(values):
        try:
            if not isinstance(value, str) or not _DATE.fullmatch(value):
                raise ValueError
            days.add(date.fromisoformat(value))
        except ValueError:
            raise ValueError(
                f'holidays[{index}] must be a date "YYYY-MM-DD", got {value!r}'
            ) from None
    return frozenset(days)
