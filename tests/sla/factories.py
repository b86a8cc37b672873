"""Factories for SLA data."""

from __future__ import annotations

from itertools import count
from typing import Any

from frontline.sla.models import BusinessCalendar, SLAPolicy

_seq = count(1)

OFFICE_HOURS = {str(d): [["09:00", "17:00"]] for d in range(5)}


def calendar(*, hours: Any = "24x7", time_zone: str = "UTC", **kw: Any) -> BusinessCalendar:
    return BusinessCalendar.objects.create(name=f"Calendar {next(_seq)}", time_zone=time_zone, hours=hours, **kw)


def policy(*, cal: BusinessCalendar | None = None, position: int = 0, first_reply: int | None = 60,
           next_reply: int | None = 120, resolution: int | None = 480, **kw: Any) -> SLAPolicy:
    return SLAPolicy.objects.create(
        name=kw.pop("name", f"Policy {next(_seq)}"), position=position, calendar=cal or calendar(),
        first_reply_minutes=first_reply, next_reply_minutes=next_reply, resolution_minutes=resolution, **kw,
    )
