"""Synthetic ticket histories for the forecast tests, written in bulk (tickets keep their created_at)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from frontline.desk.models import AuthorKind, Message, Ticket
from frontline.desk.services import status_default
from frontline.engine.forecasting import AgentWork
from frontline.people.models import Team
from tests import factories as f

NEW_YORK = ZoneInfo("America/New_York")


def tickets_at(stamps: Iterable[datetime], *, team: Team | None = None, channel: str = "web",
               handle_seconds: Iterable[int | None] | None = None) -> list[Ticket]:
    """One ticket per aware timestamp; with ``handle_seconds``, one agent message per ticket."""
    requester = f.customer()
    status = status_default("new")
    tickets = Ticket.objects.bulk_create([
        Ticket(subject="Synthetic", channel=channel, status=status, requester=requester, team=team,
               created_at=ts, updated_at=ts, public_updated_at=ts)
        for ts in stamps
    ])
    if handle_seconds is not None:
        Message.objects.bulk_create([
            Message(ticket=t, author_kind=AuthorKind.AGENT, body_text="Done", body_html="<p>Done</p>",
                    handle_seconds=s, created_at=t.created_at + timedelta(minutes=5))
            for t, s in zip(tickets, handle_seconds, strict=True)
        ])
    return tickets


def weekday_history(*, start: date, days: int, zone: ZoneInfo = NEW_YORK, seed: int = 7) -> list[datetime]:
    """Mon-Fri tickets between 09:00 and 13:00 local time: a weekly and intraday pattern plus noise."""
    rng = random.Random(seed)
    profile = [4, 7, 6, 3]  # per hour 09-13
    stamps: list[datetime] = []
    for d in range(days):
        day = start + timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for hour, base in enumerate(profile, start=9):
            for _ in range(base + day.weekday() + rng.randint(0, 3)):
                minute = rng.randint(0, 59)
                stamps.append(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone))
    return stamps


def seconds_by_interval(work: AgentWork | None) -> dict[datetime, float]:
    """The measured handle seconds of ``work`` per contact interval (any day written)."""
    out: dict[datetime, float] = {}
    for interval, seconds in zip(work.intervals if work else (), work.seconds if work else (), strict=True):
        out[interval] = out.get(interval, 0.0) + float(seconds)
    return out
