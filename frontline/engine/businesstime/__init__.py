"""Business-time arithmetic: SLA due times and business minutes on business calendars.

Definitions (all functions; ``docs/sla.md`` has the long form):

* A calendar has a time zone, working intervals per weekday in local wall-clock time
  (several per day, "24:00" as an end, an end before the start crosses midnight), closed
  local dates (custom ones and a country's public holidays) or is open 24x7.
* An instant is **open** when its local date is not closed and its local wall-clock time lies
  in a working interval of that date (half-open ``[start, end)``; the after-midnight part of an
  interval that crosses midnight belongs to the next date, so a holiday closes it).  DST
  follows the wall clock: a spring-forward gap shortens the day, a fall-back lengthens it
  (00:00-24:00 on a 25-hour day is 25 hours of business time).
* **Business time** between two instants is the measure of the open instants between them
  that lie outside every pause; pauses may overlap each other, closed time and the start.
* The **due time** for a target of ``m`` business minutes (``0 < m <= 10,000,000``) is the
  earliest instant at which ``m`` minutes of business time have run from the start: a target
  that ends exactly at a closing time is due at that closing time.
* Instants are timezone-aware (naive ones are refused: give an offset), resolution one
  microsecond; results are UTC.  Business minutes are floats.

Example (Christmas in Berlin, 09:00-17:00 on weekdays, German holidays):

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> cal = BusinessCalendar(tz="Europe/Berlin", holiday_country="DE", intervals=tuple(
...     WorkingInterval(weekday=d, start=9 * 60, end=17 * 60) for d in range(5)))
>>> start = datetime(2026, 12, 24, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
>>> business_due(start=start, minutes=120, calendar=cal).isoformat()
'2026-12-28T09:00:00+00:00'
>>> business_minutes_between(start=start, end=datetime(2026, 12, 28, 9, tzinfo=ZoneInfo("UTC")),
...                          calendar=cal)
120.0
"""

from .arithmetic import (
    MAX_MINUTES,
    business_due,
    business_due_many,
    business_minutes_between,
    is_open,
)
from .calendar import BusinessCalendar, Pause, WorkingInterval
from .config import calendar_from_dict, calendar_from_json

__all__ = [
    "MAX_MINUTES",
    "BusinessCalendar",
    "Pause",
    "WorkingInterval",
    "business_due",
    "business_due_many",
    "business_minutes_between",
    "calendar_from_dict",
    "calendar_from_json",
    "is_open",
]

# doctest.testmod(this package) only finds examples in objects defined here; list the
# re-exported ones so their examples run too.
__test__ = {
    name: globals()[name]
    for name in (
        "BusinessCalendar",
        "WorkingInterval",
        "business_due",
        "business_due_many",
        "business_minutes_between",
        "calendar_from_json",
        "is_open",
    )
}
