"""Schedule adherence and conformance: what agents did against the published schedule.

Definitions (the same words are in ``docs/workforce/adherence.md``):

* **Scheduled activity** at an instant: inside a *published* shift's work spans it is *work*
  (expected state: online); inside one of its breaks it is *break* (expected: any state but
  online — on a break, away, on break and offline all count as in adherence, as is industry
  practice); outside every shift the agent is *off* and nothing is measured. Where two shifts of
  one agent overlap, work wins over a break.
* **Adherence %** = minutes in adherence ÷ scheduled minutes (work + break) in the period. A
  minute is in adherence when the actual state matches the scheduled activity: online during
  work, not online during a break. Online during a break is out of adherence (the agent should
  rest), as are away, on break and offline during work.
* **Conformance %** = minutes worked (online, inside or outside shifts) ÷ minutes scheduled to
  work (breaks excluded). It can exceed 100 % when agents work longer than scheduled.
* **Out-of-adherence events**: the stretches out of adherence, one per unbroken run of the same
  scheduled activity and actual state.
* The **state timeline** is rebuilt from ``people.AvailabilityChange``: the state before the
  first change in the window is that change's ``previous``; with no change in the window it is
  the ``previous`` of the first change after it, or the profile's current state when none.
* Time is measured to the second and reported in minutes; a period is measured up to now.
* The **grace** (``settings.ADHERENCE_GRACE_MINUTES``, default 5) only delays the real-time
  alert; the percentages count every minute.

The computation works on plain intervals (:func:`activities_for_shift`, :func:`state_timeline`,
:func:`adherence_compute`); the loaders below read shifts and changes from the database.

>>> from datetime import datetime, timezone as tz
>>> t = lambda h, m=0: datetime(2026, 1, 5, h, m, tzinfo=tz.utc)
>>> acts = activities_for_shift(starts_at=t(9), ends_at=t(17), breaks=[(t(12), t(12, 30))])
>>> states = state_timeline(start=t(9), end=t(17), after="offline", changes=[
...     StateChange(t(9, 5), "online", "offline"), StateChange(t(12, 10), "on_break", "online"),
...     StateChange(t(12, 40), "online", "on_break"), StateChange(t(17), "offline", "online")])
>>> r = adherence_compute(start=t(9), end=t(17), activities=acts, states=states)
>>> (r.scheduled_minutes, r.in_adherence_minutes, round(r.adherence_pct, 2), round(r.conformance_pct, 2))
(480.0, 455.0, 94.79, 98.89)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from frontline.people.models import STAFF_ROLES, Availability, AvailabilityChange, Role, User
from frontline.people.selectors import team_descendant_ids
from frontline.workforce.permissions import managed_team_ids

from .coverage import shift_breaks
from .models import ScheduleStatus, Shift

WORK, BREAK, OFF = "work", "break", "off"
ONLINE = Availability.ONLINE.value
ACTIVITY_LABELS = {WORK: "Work", BREAK: "Break", OFF: "Not scheduled"}
# The real-time view looks back this far for the start of an agent's current out-of-adherence run.
LOOKBACK = timedelta(hours=16)


def grace_minutes() -> int:
    """Minutes out of adherence before the real-time view raises an alert (not used by the %s)."""
    return int(getattr(settings, "ADHERENCE_GRACE_MINUTES", 5))


# ---------------------------------------------------------------- plain data in, minutes out


@dataclass(frozen=True, slots=True)
class Activity:
    """A scheduled stretch: ``kind`` is ``work`` or ``break``."""

    start: datetime
    end: datetime
    kind: str


@dataclass(frozen=True, slots=True)
class StateChange:
    at: datetime
    state: str
    previous: str


@dataclass(frozen=True, slots=True)
class StateSpan:
    start: datetime
    end: datetime
    state: str


@dataclass(frozen=True, slots=True)
class OutOfAdherence:
    start: datetime
    end: datetime
    activity: str
    state: str

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    @property
    def activity_label(self) -> str:
        return ACTIVITY_LABELS[self.activity]

    @property
    def state_label(self) -> str:
        return Availability(self.state).label


@dataclass(frozen=True, slots=True)
class Adherence:
    """One agent's (or a total's) minutes in a period; percentages are None when undefined."""

    work_minutes: float = 0.0
    break_minutes: float = 0.0
    in_adherence_minutes: float = 0.0
    worked_minutes: float = 0.0
    events: tuple[OutOfAdherence, ...] = ()

    @property
    def scheduled_minutes(self) -> float:
        return self.work_minutes + self.break_minutes

    @property
    def scheduled_hours(self) -> float:
        return self.scheduled_minutes / 60

    @property
    def worked_hours(self) -> float:
        return self.worked_minutes / 60

    @property
    def out_minutes(self) -> float:
        return self.scheduled_minutes - self.in_adherence_minutes

    @property
    def adherence_pct(self) -> float | None:
        return 100 * self.in_adherence_minutes / self.scheduled_minutes if self.scheduled_minutes else None

    @property
    def conformance_pct(self) -> float | None:
        return 100 * self.worked_minutes / self.work_minutes if self.work_minutes else None

    @property
    def is_measured(self) -> bool:
        return self.scheduled_minutes > 0 or self.worked_minutes > 0


def adherence_total(results: Iterable[Adherence]) -> Adherence:
    """Minute-weighted total: sums of minutes, so percentages weigh each scheduled minute equally."""
    rows = list(results)
    return Adherence(
        work_minutes=sum(r.work_minutes for r in rows),
        break_minutes=sum(r.break_minutes for r in rows),
        in_adherence_minutes=sum(r.in_adherence_minutes for r in rows),
        worked_minutes=sum(r.worked_minutes for r in rows),
        events=tuple(sorted((e for r in rows for e in r.events), key=lambda e: e.start)),
    )


def activities_for_shift(*, starts_at: datetime, ends_at: datetime,
                         breaks: Sequence[tuple[datetime, datetime]]) -> list[Activity]:
    """A shift as work and break stretches; breaks are clipped to the shift."""
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")
    out: list[Activity] = []
    cursor = starts_at
    for b_start, b_end in sorted(breaks):
        b_start, b_end = max(b_start, starts_at), min(b_end, ends_at)
        if b_end <= b_start or b_end <= cursor:
            continue
        b_start = max(b_start, cursor)
        if b_start > cursor:
            out.append(Activity(cursor, b_start, WORK))
        out.append(Activity(b_start, b_end, BREAK))
        cursor = b_end
    if cursor < ends_at:
        out.append(Activity(cursor, ends_at, WORK))
    return out


def activity_timeline(activities: Iterable[Activity]) -> list[Activity]:
    """Non-overlapping, time-ordered stretches; where stretches overlap, work wins over a break."""
    acts = list(activities)
    points = sorted({a.start for a in acts} | {a.end for a in acts})
    out: list[Activity] = []
    for a, b in pairwise(points):
        kinds = {x.kind for x in acts if x.start <= a and x.end >= b}
        kind = WORK if WORK in kinds else BREAK if BREAK in kinds else None
        if kind is None:
            continue
        if out and out[-1].kind == kind and out[-1].end == a:
            out[-1] = Activity(out[-1].start, b, kind)
        else:
            out.append(Activity(a, b, kind))
    return out


def activity_at(activities: Iterable[Activity], at: datetime) -> str:
    kinds = {a.kind for a in activities if a.start <= at < a.end}
    return WORK if WORK in kinds else BREAK if BREAK in kinds else OFF


def state_timeline(*, start: datetime, end: datetime, changes: Sequence[StateChange], after: str) -> list[StateSpan]:
    """The actual state over ``[start, end)``.

    ``changes``: the agent's changes in time order (those before ``start`` may be included; the
    last of them then gives the starting state). ``after``: the state to assume when no change
    is at or after ``start`` — the ``previous`` of the first change after the window, or the
    profile's current state.
    """
    if end <= start:
        return []
    ordered = sorted(changes, key=lambda c: c.at)
    before = [c for c in ordered if c.at < start]
    inside = [c for c in ordered if start <= c.at < end]
    if before:
        state = before[-1].state
    elif inside:
        state = inside[0].previous
    else:
        state = after
    spans: list[StateSpan] = []
    cursor = start
    for change in inside:
        if change.at > cursor:
            spans.append(StateSpan(cursor, change.at, state))
            cursor = change.at
        state = change.state
    spans.append(StateSpan(cursor, end, state))
    merged: list[StateSpan] = []
    for span in spans:
        if merged and merged[-1].state == span.state:
            merged[-1] = StateSpan(merged[-1].start, span.end, span.state)
        else:
            merged.append(span)
    return merged


def in_adherence(activity: str, state: str) -> bool:
    """Online during work; anything but online during a break. Off time is not measured."""
    return state == ONLINE if activity == WORK else state != ONLINE


def adherence_compute(*, start: datetime, end: datetime, activities: Iterable[Activity],
                      states: Sequence[StateSpan]) -> Adherence:
    """Minutes of one agent over ``[start, end)`` from scheduled activities and the state timeline.

    ``states`` must cover the window (see :func:`state_timeline`); time it leaves uncovered counts
    as offline.
    """
    if end <= start:
        return Adherence()
    acts = [Activity(max(a.start, start), min(a.end, end), a.kind) for a in activity_timeline(activities)
            if a.end > start and a.start < end]
    spans = [s for s in states if s.end > start and s.start < end]
    points = sorted({start, end} | {a.start for a in acts} | {a.end for a in acts}
                    | {max(s.start, start) for s in spans} | {min(s.end, end) for s in spans})
    work = brk = inside = worked = 0.0
    events: list[OutOfAdherence] = []
    ai = si = 0
    for a, b in pairwise(points):
        while ai < len(acts) and acts[ai].end <= a:
            ai += 1
        while si < len(spans) and spans[si].end <= a:
            si += 1
        activity = acts[ai].kind if ai < len(acts) and acts[ai].start <= a else OFF
        state = spans[si].state if si < len(spans) and spans[si].start <= a else Availability.OFFLINE.value
        seconds = (b - a).total_seconds()
        if state == ONLINE:
            worked += seconds
        if activity == OFF:
            continue
        if activity == WORK:
            work += seconds
        else:
            brk += seconds
        if in_adherence(activity, state):
            inside += seconds
        elif events and events[-1].end == a and (events[-1].activity, events[-1].state) == (activity, state):
            events[-1] = OutOfAdherence(events[-1].start, b, activity, state)
        else:
            events.append(OutOfAdherence(a, b, activity, state))
    return Adherence(work_minutes=work / 60, break_minutes=brk / 60, in_adherence_minutes=inside / 60,
                     worked_minutes=worked / 60, events=tuple(events))


@dataclass(frozen=True, slots=True)
class NowStatus:
    """One agent's state at an instant for the real-time view."""

    activity: str
    state: str
    out_since: datetime | None  # start of the current unbroken run out of adherence
    out_minutes: float
    grace_minutes: int

    @property
    def measured(self) -> bool:
        return self.activity != OFF

    @property
    def in_adherence(self) -> bool:
        return not self.measured or in_adherence(self.activity, self.state)

    @property
    def alert(self) -> bool:
        """Out of adherence for longer than the grace."""
        return self.measured and not self.in_adherence and self.out_minutes > self.grace_minutes

    @property
    def in_grace(self) -> bool:
        return self.measured and not self.in_adherence and not self.alert

    @property
    def minutes_beyond_grace(self) -> float:
        return max(0.0, self.out_minutes - self.grace_minutes) if self.alert else 0.0

    @property
    def rank(self) -> int:
        """Worst first: alerts, then within grace, then in adherence, then unscheduled."""
        return 0 if self.alert else 1 if self.in_grace else 2 if self.measured else 3

    @property
    def activity_label(self) -> str:
        return ACTIVITY_LABELS[self.activity]

    @property
    def state_label(self) -> str:
        return Availability(self.state).label


def now_status(*, now: datetime, activities: Sequence[Activity], states: Sequence[StateSpan], grace: int) -> NowStatus:
    """Scheduled activity and state at ``now`` and how long the agent has been out of adherence.

    ``states`` must reach ``now`` (its last span is the current state). The run out of adherence
    is the unbroken stretch ending now, whatever activities and states it passed through.
    """
    state = states[-1].state if states else Availability.OFFLINE.value
    activity = activity_at(activities, now)
    if activity == OFF or in_adherence(activity, state):
        return NowStatus(activity, state, None, 0.0, grace)
    start = min([s.start for s in states] + [now - LOOKBACK])
    result = adherence_compute(start=start, end=now, activities=activities, states=states)
    since = now
    for event in reversed(result.events):
        if event.end < since:
            break
        since = event.start
    return NowStatus(activity, state, since, (now - since).total_seconds() / 60, grace)


# ---------------------------------------------------------------- who may see whom


def adherence_agents_for_viewer(*, viewer: User, team_id: int | None = None) -> QuerySet[User]:
    """Staff whose adherence the viewer may see: themselves; leads also their led teams' people
    (sub-teams included); managers and admins everyone. ``team_id`` narrows to a team and its
    sub-teams (callers check that the team is one the viewer may pick)."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    managed = managed_team_ids(viewer)
    if viewer.role not in STAFF_ROLES:
        staff = staff.none()
    elif managed is not None:
        staff = staff.filter(pk__in=User.objects.filter(teams__in=managed).values("pk")) | staff.filter(pk=viewer.pk)
    if team_id is not None:
        staff = staff.filter(pk__in=User.objects.filter(teams__in=team_descendant_ids(team_ids={team_id})).values("pk"))
    return staff.select_related("agent_profile").prefetch_related("teams").order_by("first_name", "last_name", "username")


def adherence_agent_get_for_viewer(*, viewer: User, agent_id: int) -> User:
    """The agent, if the viewer may see their adherence; otherwise Http404."""
    try:
        return adherence_agents_for_viewer(viewer=viewer).get(pk=agent_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agent.") from None


def adherence_team_choices(*, viewer: User) -> list[tuple[int, str]]:
    """Teams the viewer may filter by: none for agents, led teams for leads, all for managers."""
    from frontline.people.models import Team

    if viewer.role == Role.AGENT:
        return []
    managed = managed_team_ids(viewer)
    teams = Team.objects.order_by("name")
    if managed is not None:
        teams = teams.filter(pk__in=managed)
    return list(teams.values_list("pk", "name"))


# ---------------------------------------------------------------- loaders


def _activities_by_agent(agent_ids: QuerySet, start: datetime, end: datetime) -> dict[int, list[Activity]]:
    shifts = (Shift.objects.filter(agent_id__in=agent_ids, schedule__state=ScheduleStatus.PUBLISHED,
                                   starts_at__lt=end, ends_at__gt=start).order_by("starts_at"))
    out: dict[int, list[Activity]] = {}
    for shift in shifts:
        breaks = [(b.start, b.end) for b in shift_breaks(shift)]
        out.setdefault(shift.agent_id, []).extend(
            activities_for_shift(starts_at=shift.starts_at, ends_at=shift.ends_at, breaks=breaks))
    return out


def _changes_by_agent(agent_ids: QuerySet, start: datetime, end: datetime) -> dict[int, list[StateChange]]:
    rows = (AvailabilityChange.objects.filter(user_id__in=agent_ids, changed_at__gte=start, changed_at__lt=end)
            .order_by("changed_at", "id").values_list("user_id", "changed_at", "availability", "previous"))
    out: dict[int, list[StateChange]] = {}
    for user_id, at, state, previous in rows:
        out.setdefault(user_id, []).append(StateChange(at, state, previous))
    return out


def _with_state_after(agents: QuerySet[User], end: datetime) -> QuerySet[User]:
    first_after = (AvailabilityChange.objects.filter(user_id=OuterRef("pk"), changed_at__gte=end)
                   .order_by("changed_at", "id").values("previous")[:1])
    return agents.select_related("agent_profile").annotate(adherence_state_after=Subquery(first_after))


def _state_after(agent: User) -> str:
    after = getattr(agent, "adherence_state_after", None)
    if after:
        return after
    profile = getattr(agent, "agent_profile", None)
    return profile.availability if profile is not None else Availability.OFFLINE.value


@dataclass(frozen=True, slots=True)
class AgentAdherence:
    agent: User
    result: Adherence
    activities: tuple[Activity, ...]
    states: tuple[StateSpan, ...]


def adherence_for_agents(*, agents: QuerySet[User], start: datetime, end: datetime,
                         now: datetime | None = None) -> list[AgentAdherence]:
    """Each agent's adherence over ``[start, end)``, measured up to ``now``; one row per agent,
    in the queryset's order. A fixed number of queries, whatever the number of agents."""
    end = min(end, now or timezone.now())
    agents = _with_state_after(agents, max(end, start))
    ids = agents.values("pk")
    activities = _activities_by_agent(ids, start, end) if end > start else {}
    changes = _changes_by_agent(ids, start, end) if end > start else {}
    rows = []
    for agent in agents:
        acts = activities.get(agent.pk, [])
        states = state_timeline(start=start, end=end, changes=changes.get(agent.pk, []), after=_state_after(agent))
        result = adherence_compute(start=start, end=end, activities=acts, states=states)
        rows.append(AgentAdherence(agent, result, tuple(activity_timeline(acts)), tuple(states)))
    return rows


@dataclass(frozen=True, slots=True)
class AgentNow:
    agent: User
    status: NowStatus
    since: datetime | None  # when the current state began, if known


def adherence_now(*, agents: QuerySet[User], now: datetime | None = None, grace: int | None = None) -> list[AgentNow]:
    """Agents with a published shift now or online now, worst first (see :attr:`NowStatus.rank`)."""
    now = now or timezone.now()
    grace = grace_minutes() if grace is None else grace
    start = now - LOOKBACK
    agents = _with_state_after(agents, now)
    ids = agents.values("pk")
    activities = _activities_by_agent(ids, start, now + timedelta(seconds=1))
    changes = _changes_by_agent(ids, start, now + timedelta(seconds=1))
    rows = []
    for agent in agents:
        acts = activities.get(agent.pk, [])
        profile = getattr(agent, "agent_profile", None)
        current = profile.availability if profile is not None else Availability.OFFLINE.value
        if activity_at(acts, now) == OFF and current != ONLINE:
            continue
        log = changes.get(agent.pk, [])
        states = state_timeline(start=start, end=now, changes=log, after=_state_after(agent))
        since = log[-1].at if log else None
        if profile is not None and profile.availability_changed_at and (since is None or profile.availability_changed_at > since):
            since = profile.availability_changed_at
        if not states or states[-1].state != current:
            # The profile is the truth now; a log that disagrees is cut where the profile changed.
            cut = min(max(since or now, start), now)
            states = [s for s in states if s.start < cut]
            states = [StateSpan(s.start, min(s.end, cut), s.state) for s in states] + [StateSpan(cut, now, current)]
            states = [s for s in states if s.end > s.start] or [StateSpan(start, now, current)]
        status = now_status(now=now, activities=acts, states=states, grace=grace)
        rows.append(AgentNow(agent, status, since))
    rows.sort(key=lambda r: (r.status.rank, -r.status.out_minutes, r.agent.display_name.lower()))
    return rows
