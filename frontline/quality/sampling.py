"""Sampling: which tickets each agent gets reviewed in a week, and coverage.

``assignments_generate`` (a write) gives each agent in scope ``per_agent`` tickets solved that
week (Monday to Sunday, UTC), drawn from pools:

- targeted pools, in this order: **low CSAT** (a CSAT answer of 1 or 2), **escalated** (an
  ``escalated`` event), **reopened** (reopened at least once), **long handle time** (the agent's
  handle time on the ticket above the week's 90th percentile over all candidate tickets);
  together at most ``targeted_share`` of the slots (rounded up), taken round-robin across pools so
  one pool cannot fill them all;
- **random** for the rest — labelled **new hire** when the agent started less than 90 days before
  the week (people: agent profile start date), so a new hire's sample is all theirs to see.

Draws are seeded (``seed``, week and agent), so the same run gives the same tickets; running again
tops a week up to ``per_agent`` without touching existing assignments. Each assignment says its
pool and why ("CSAT 2 of 5", "handle time 42 min > P90 18 min"). A reviewer is the one allowed to
review the agent (their team's lead, else a manager) with the fewest assignments that week.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from frontline.desk.models import EventKind, Message, StatusCategory, Ticket, TicketEvent
from frontline.people.models import Role, User
from frontline.surveys.models import SurveyKind, SurveyResponse

from . import selectors
from .models import Assignment, Pool, Review, ReviewState

TARGETED = (Pool.LOW_CSAT, Pool.ESCALATED, Pool.REOPENED, Pool.LONG_HANDLE)
NEW_HIRE_DAYS = 90
LOW_CSAT_MAX = 2


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _window(week: date) -> tuple[datetime, datetime]:
    start = datetime.combine(week, time.min, tzinfo=UTC)
    return start, start + timedelta(days=7)


def _minutes(seconds: float) -> str:
    return f"{round(seconds / 60)} min"


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    agent_id: int
    pools: dict[str, str]  # pool -> reason


def candidates(*, week: date, agent_ids: set[int] | None) -> list[Candidate]:
    """Tickets solved in the week (first solve), by assignee, with the targeted pools they fall in."""
    start, end = _window(week)
    tickets = Ticket.objects.filter(solved_at__gte=start, solved_at__lt=end, assignee__isnull=False,
                                    status_category__in=[StatusCategory.SOLVED, StatusCategory.CLOSED])
    if agent_ids is not None:
        tickets = tickets.filter(assignee_id__in=agent_ids)
    rows = list(tickets.values_list("id", "assignee_id", "reopen_count"))
    ids = [r[0] for r in rows]
    low = dict(SurveyResponse.objects.filter(survey__ticket_id__in=ids, survey__kind=SurveyKind.CSAT,
                                             score__lte=LOW_CSAT_MAX).values_list("survey__ticket_id", "score"))
    escalated = set(TicketEvent.objects.filter(ticket_id__in=ids, kind=EventKind.ESCALATED)
                    .values_list("ticket_id", flat=True))
    handle = {(t, a): s for t, a, s in Message.objects.filter(ticket_id__in=ids, author_user__isnull=False)
              .values("ticket_id", "author_user_id").annotate(s=Sum("handle_seconds"))
              .values_list("ticket_id", "author_user_id", "s") if s}
    times = sorted(handle.get((t, a), 0) for t, a, _ in rows if handle.get((t, a)))
    p90 = times[max(0, math.ceil(0.9 * len(times)) - 1)] if len(times) >= 10 else None
    out = []
    for ticket_id, agent_id, reopens in rows:
        pools: dict[str, str] = {}
        if ticket_id in low:
            pools[Pool.LOW_CSAT] = f"CSAT {low[ticket_id]} of 5"
        if ticket_id in escalated:
            pools[Pool.ESCALATED] = "escalated"
        if reopens:
            pools[Pool.REOPENED] = f"reopened {reopens}\u00d7"
        seconds = handle.get((ticket_id, agent_id), 0)
        if p90 is not None and seconds > p90:
            pools[Pool.LONG_HANDLE] = f"handle time {_minutes(seconds)} > this week's P90 {_minutes(p90)}"
        out.append(Candidate(ticket_id, agent_id, pools))
    return out


def _new_hires(agent_ids: set[int], week: date) -> dict[int, date]:
    since = week - timedelta(days=NEW_HIRE_DAYS)
    return dict(User.objects.filter(pk__in=agent_ids, agent_profile__start_date__gt=since)
                .values_list("pk", "agent_profile__start_date"))


def _pick(rng: random.Random, mine: list[Candidate], taken: set[int], slots: int,
          targeted_share: float) -> list[tuple[Candidate, str, str]]:
    picks: list[tuple[Candidate, str, str]] = []
    targeted_slots = min(slots, math.ceil(slots * targeted_share))
    pools = {p: [c for c in mine if p in c.pools and c.ticket_id not in taken] for p in TARGETED}
    for members in pools.values():
        rng.shuffle(members)
    while len(picks) < targeted_slots and any(pools.values()):
        for pool in TARGETED:
            while pools[pool] and pools[pool][0].ticket_id in taken:
                pools[pool].pop(0)
            if pools[pool] and len(picks) < targeted_slots:
                c = pools[pool].pop(0)
                taken.add(c.ticket_id)
                picks.append((c, pool, c.pools[pool]))
    rest = [c for c in mine if c.ticket_id not in taken]
    rng.shuffle(rest)
    for c in rest[: slots - len(picks)]:
        taken.add(c.ticket_id)
        picks.append((c, Pool.RANDOM, "random draw"))
    return picks


@transaction.atomic
def assignments_generate(*, week: date, per_agent: int, actor: User, seed: int = 0,
                         targeted_share: float = 0.5, at: datetime | None = None) -> list[Assignment]:
    """Top up the week's assignments to ``per_agent`` for every agent the actor may review."""
    if actor.role not in selectors.REVIEWERS:
        raise PermissionDenied("Sampling is run by team leads and managers.")
    errors = {}
    if not 1 <= per_agent <= 50:
        errors["per_agent"] = ["Between 1 and 50 reviews per agent and week."]
    if not 0 <= targeted_share <= 1:
        errors["targeted_share"] = ["A share from 0 to 1."]
    if not 0 <= seed < 2**62:
        errors["seed"] = ["A whole number from 0."]
    if errors:
        raise ValidationError(errors)
    at = at or timezone.now()
    week = week_start(week)
    scope = selectors.agent_ids_for_viewer(viewer=actor)
    agents = User.objects.filter(role=Role.AGENT, is_active=True)
    agent_ids = set((agents if scope is None else agents.filter(pk__in=scope)).values_list("pk", flat=True))
    by_agent: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates(week=week, agent_ids=agent_ids):
        by_agent[c.agent_id].append(c)
    existing = list(Assignment.objects.filter(week=week))
    taken = {a.ticket_id for a in existing}
    have = defaultdict(int)
    load: dict[int, int] = defaultdict(int)
    for a in existing:
        have[a.agent_id] += 1
        load[a.reviewer_id] += 1
    hires = _new_hires(agent_ids, week)
    reviewers = _reviewer_pool(agent_ids)
    made = []
    for agent_id in sorted(by_agent):
        slots = per_agent - have[agent_id]
        if slots <= 0 or not reviewers.get(agent_id):
            continue
        rng = random.Random(f"{seed}:{week.isoformat()}:{agent_id}")
        for c, pool, reason in _pick(rng, sorted(by_agent[agent_id], key=lambda c: c.ticket_id), taken, slots,
                                     targeted_share):
            if pool == Pool.RANDOM and agent_id in hires:
                pool, reason = Pool.NEW_HIRE, f"new hire (started {hires[agent_id]:%d %b %Y}): random draw"
            reviewer = min(reviewers[agent_id], key=lambda r: (load[r], r))
            load[reviewer] += 1
            made.append(Assignment(week=week, agent_id=agent_id, reviewer_id=reviewer, ticket_id=c.ticket_id,
                                   pool=pool, reason=reason[:300], seed=seed, created_at=at))
    Assignment.objects.bulk_create(made)
    return made


def _reviewer_pool(agent_ids: set[int]) -> dict[int, list[int]]:
    """agent → the users who may review them: leads of their teams, else managers."""
    from frontline.people.models import Team

    leads: dict[int, set[int]] = defaultdict(set)
    for team in Team.objects.filter(members__in=agent_ids).prefetch_related("members").select_related("lead", "parent__lead"):
        lead_ids = {t.lead_id for t in (team, team.parent) if t is not None and t.lead_id}
        for member in team.members.all():
            if member.pk in agent_ids:
                leads[member.pk] |= {lid for lid in lead_ids if lid != member.pk}
    managers = list(User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN], is_active=True).order_by("pk")
                    .values_list("pk", flat=True))
    return {a: sorted(leads[a]) or managers for a in agent_ids}


# --- reads ---------------------------------------------------------------------------------------

def assignments_for_reviewer(*, reviewer: User, week: date) -> list[Assignment]:
    return list(Assignment.objects.filter(reviewer=reviewer, week=week_start(week))
                .select_related("ticket", "agent", "review").order_by("review_id", "agent__first_name", "id"))


@dataclass(frozen=True)
class Coverage:
    agent_id: int
    agent: str
    assigned: int
    reviewed: int  # assignments with a submitted review
    solved: int  # tickets the agent solved in the week
    solved_reviewed: int  # of those, with at least one submitted review of the agent
    solved_reviewed_ids: tuple[int, ...]

    @property
    def done(self) -> float | None:
        return self.reviewed / self.assigned if self.assigned else None

    @property
    def share(self) -> float | None:
        return self.solved_reviewed / self.solved if self.solved else None


def coverage(*, viewer: User, week: date) -> list[Coverage]:
    """Per agent the viewer may review (leads: their teams'; managers: all agents): the week's
    assignments done, and the share of the tickets they solved that week that have a review."""
    week = week_start(week)
    start, end = _window(week)
    scope = selectors.agent_ids_for_viewer(viewer=viewer)
    agents = User.objects.filter(role=Role.AGENT, is_active=True)
    agents = agents if scope is None else agents.filter(pk__in=scope)
    names = {a.pk: a.display_name for a in agents}
    assigned: dict[int, int] = defaultdict(int)
    reviewed: dict[int, int] = defaultdict(int)
    for agent_id, review_state in Assignment.objects.filter(week=week, agent_id__in=names).values_list(
            "agent_id", "review__state"):
        assigned[agent_id] += 1
        reviewed[agent_id] += review_state == ReviewState.SUBMITTED
    solved: dict[int, set[int]] = defaultdict(set)
    for ticket_id, agent_id in Ticket.objects.filter(solved_at__gte=start, solved_at__lt=end,
                                                     assignee_id__in=names).values_list("id", "assignee_id"):
        solved[agent_id].add(ticket_id)
    done: dict[int, set[int]] = defaultdict(set)
    for ticket_id, agent_id in Review.objects.filter(
            Q(ticket__solved_at__gte=start, ticket__solved_at__lt=end), agent_id__in=names,
            state=ReviewState.SUBMITTED, calibration__isnull=True).values_list("ticket_id", "agent_id"):
        if ticket_id in solved[agent_id]:
            done[agent_id].add(ticket_id)
    return sorted((Coverage(a, names[a], assigned[a], reviewed[a], len(solved[a]), len(done[a]),
                            tuple(sorted(done[a]))) for a in names if assigned[a] or solved[a]),
                  key=lambda c: c.agent)
