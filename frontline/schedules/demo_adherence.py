"""Demo availability history for published schedules, so the adherence pages have something to show.

For every shift of the given published schedules that has started by ``now``, agents log in a
few minutes early or late, take their breaks mostly on time (some lunches run long), step away
now and then, and log off around the shift's end; once in a while an agent forgets to go online
for the first part of a shift. Changes after ``now`` are dropped, so shifts in progress end in
the state the agent is in now. Each agent's ``AgentProfile.availability`` is set to the latest
state.

Deterministic: each shift's choices come from ``random.Random`` seeded with the agent and the
shift's start, each agent's habits from one seeded with the agent. Seeding again replaces the
changes this function wrote before (it deletes those agents' changes between the first shift's
start less an hour and ``now``), so the log stays consistent: each change's ``previous`` is the
state before it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from frontline.people.models import AgentProfile, Availability, AvailabilityChange

from .coverage import shift_breaks
from .models import Schedule, ScheduleStatus, Shift

ONLINE, AWAY, ON_BREAK, OFFLINE = (Availability.ONLINE.value, Availability.AWAY.value,
                                    Availability.ON_BREAK.value, Availability.OFFLINE.value)


def _minutes(rng: random.Random, mean: float, sd: float, low: float, high: float) -> timedelta:
    return timedelta(minutes=round(min(high, max(low, rng.gauss(mean, sd)))))


def _shift_plan(shift: Shift, habit: random.Random) -> list[tuple[datetime, str]]:
    """The (time, new state) steps of one shift, before cutting at now."""
    rng = random.Random(f"adherence-{shift.agent_id}-{shift.starts_at.isoformat()}")
    lateness = habit.random()  # drawn once per agent: 0 = punctual, 1 = often late
    steps: list[tuple[datetime, str]] = []
    if rng.random() < 0.03:  # forgets to go online until someone notices
        login = shift.starts_at + timedelta(minutes=rng.randint(35, 110))
    else:
        login = shift.starts_at + _minutes(rng, -3 + 6 * lateness, 3, -12, 20)
    steps.append((login, ONLINE))
    breaks = sorted(shift_breaks(shift), key=lambda b: b.start)
    for b in breaks:
        length = (b.end - b.start).total_seconds() / 60
        leave = b.start + _minutes(rng, 0.5, 1.5, -3, 6)
        back = b.end + _minutes(rng, 1 + 2 * lateness, 1.5, -2, 8)
        if length >= 30 and rng.random() < 0.12:  # a long lunch
            back += timedelta(minutes=rng.randint(8, 25))
        if leave > login:
            steps += [(leave, ON_BREAK), (max(back, leave + timedelta(minutes=2)), ONLINE)]
    if rng.random() < 0.3:  # steps away once (a meeting, a coffee)
        free = [(max(login, a), b) for a, b in _work_gaps(shift, breaks) if b - max(login, a) > timedelta(minutes=40)]
        if free:
            a, b = rng.choice(free)
            at = a + timedelta(minutes=rng.randint(10, int((b - a).total_seconds() // 60) - 25))
            steps += [(at, AWAY), (at + timedelta(minutes=rng.randint(4, 14)), ONLINE)]
    steps.append((shift.ends_at + _minutes(rng, 2, 3, -6, 15), OFFLINE))
    return steps


def _work_gaps(shift: Shift, breaks: list) -> list[tuple[datetime, datetime]]:
    out, cursor = [], shift.starts_at
    for b in breaks:
        if b.start > cursor:
            out.append((cursor, b.start))
        cursor = max(cursor, b.end)
    if cursor < shift.ends_at:
        out.append((cursor, shift.ends_at))
    return out


def seed_availability(*, schedules: Iterable[Schedule], now: datetime | None = None) -> int:
    """Write the availability history of the published ``schedules``' shifts up to ``now``;
    returns the number of changes written."""
    now = now or timezone.now()
    schedule_ids = [s.pk for s in schedules if s.state == ScheduleStatus.PUBLISHED]
    shifts = list(Shift.objects.filter(schedule_id__in=schedule_ids, starts_at__lte=now).order_by("starts_at", "agent_id"))
    if not shifts:
        return 0
    by_agent: dict[int, list[tuple[datetime, str]]] = {}
    for shift in shifts:
        habit = random.Random(f"adherence-habit-{shift.agent_id}")
        by_agent.setdefault(shift.agent_id, []).extend(_shift_plan(shift, habit))
    since = shifts[0].starts_at - timedelta(hours=1)
    with transaction.atomic():
        AvailabilityChange.objects.filter(user_id__in=by_agent, changed_at__gte=since, changed_at__lte=now).delete()
        before = dict(AvailabilityChange.objects.filter(user_id__in=by_agent, changed_at__lt=since)
                      .order_by("user_id", "changed_at", "id").values_list("user_id", "availability"))
        rows: list[AvailabilityChange] = []
        latest: dict[int, tuple[datetime, str]] = {}
        for agent_id, steps in by_agent.items():
            state = before.get(agent_id, OFFLINE)
            for at, new in sorted(steps):
                if at > now or at < since or new == state:
                    continue
                rows.append(AvailabilityChange(user_id=agent_id, availability=new, previous=state, changed_at=at))
                state = new
                latest[agent_id] = (at, new)
        AvailabilityChange.objects.bulk_create(rows, batch_size=2000)
        profiles = list(AgentProfile.objects.filter(user_id__in=latest))
        for profile in profiles:
            profile.availability_changed_at, profile.availability = latest[profile.user_id]
        AgentProfile.objects.bulk_update(profiles, ["availability", "availability_changed_at"], batch_size=500)
    return len(rows)
