"""Ticket histories for the demo: who writes what, when, to whom, as a list of ``Op`` per ticket.

Nothing here touches the database; ``World`` holds the already-created people, queues and
statuses. Each ticket's whole life is simulated (arrival, routing, pick-up by an agent on
shift, replies, questions to the customer, waits on a vendor, solving, reopening, closing four
days after solving, merging duplicates), then cut at the anchor time: whatever would happen
later has not happened yet, which is why recent tickets are new, open or pending and old ones
closed. Every step is one the desk services allow from the state the previous steps leave.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from frontline.customers.models import Customer
from frontline.desk.models import Channel, Queue, Status
from frontline.people.models import Team, User

from . import content
from .content import TOPICS, Topic
from .created_rules import created_effects
from .replay import Op
from .timing import Shift, arrivals

DAILY_TICKETS = 280  # at scale 1.0: about 25,000 tickets in 90 days
CLOSE_AFTER = timedelta(days=4)
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ((Channel.EMAIL, 40), (Channel.WEB, 25), (Channel.CHAT, 23), (Channel.PHONE, 11), (Channel.SOCIAL, 4),
            (Channel.API, 2))
LIVE_CHANNELS = frozenset({Channel.CHAT, Channel.PHONE})  # need an agent on shift


@dataclass
class Agent:
    """How one staff member works in the simulation."""

    user: User
    shift: Shift
    speed: float  # median working minutes to a first reply
    skill: float  # multiplies the chance of solving on the first reply
    reopen: float  # chance a ticket they solve comes back
    weight: float  # share of the team's work


@dataclass
class World:
    anchor: datetime
    start: datetime
    queues: dict[str, Queue]
    teams: dict[str, Team]
    team_tz: dict[str, ZoneInfo]
    queue_team: dict[str, str]
    agents: dict[str, list[Agent]]  # by team name
    leads: dict[str, Agent]
    statuses: dict[str, Status]  # new, open, pending, on_hold, vendor, solved, closed
    customers: list[Customer]
    customer_weights: list[float]
    login_customer: Customer
    login_user: User


@dataclass
class Plan:
    at: datetime
    queue: str
    topic: Topic
    requester: Customer
    channel: str
    author: User | None = None  # the customer's login when they write on the portal
    duplicate_of: Plan | None = None
    index: int = -1
    subject: str = ""  # set once scripted, for duplicates to repeat


def build_scripts(world: World, rng: random.Random, *, daily: float) -> list[list[Op]]:
    """Every ticket's history up to the anchor, in creation order."""
    plans = _plans(world, rng, daily=daily)
    scripts: list[list[Op]] = []
    closes: dict[int, datetime | None] = {}
    for plan in plans:
        ops = _Scripter(world, rng, plan, closes).run()
        scripts.append([op for op in ops if op.at < world.anchor])
    return scripts


# --- arrivals --------------------------------------------------------------------------------


def _plans(world: World, rng: random.Random, *, daily: float) -> list[Plan]:
    customer_cum = list(itertools.accumulate(world.customer_weights))
    plans: list[Plan] = []
    for name, team, _description, share in content.QUEUES:
        topics = [t for t in TOPICS if t.queue == name]
        topic_cum = list(itertools.accumulate(t.weight for t in topics))
        for at in arrivals(rng, start=world.start, end=world.anchor, daily_mean=daily * share, tz=world.team_tz[team]):
            topic = topics[bisect.bisect(topic_cum, rng.random() * topic_cum[-1])]
            requester = world.customers[bisect.bisect(customer_cum, rng.random() * customer_cum[-1])]
            plans.append(Plan(at, name, topic, requester, _channel(world, rng, team, at)))
    plans.sort(key=lambda p: (p.at, p.queue))
    duplicates = []
    for plan in plans:
        if plan.channel in (Channel.EMAIL, Channel.WEB) and rng.random() < 0.018:
            at = (plan.at + timedelta(hours=rng.lognormvariate(math.log(3), 0.8))).replace(microsecond=0)
            if at < world.anchor:
                duplicates.append(Plan(at, plan.queue, plan.topic, plan.requester,
                                       rng.choice((Channel.EMAIL, Channel.WEB, Channel.CHAT)), duplicate_of=plan))
    plans = sorted(plans + duplicates, key=lambda p: (p.at, p.queue, p.duplicate_of is not None))
    _give_login_customer_tickets(world, plans)
    for i, plan in enumerate(plans):
        plan.index = i
    return plans


def _chat_pickup(plan: Plan) -> float:
    """Minutes until an agent takes a chat: lognormal, median 48 s, 90 % within about 2.4 min, at most 12.

    Drawn from the plan's own generator (seeded by its time and requester), so the shared stream,
    and with it the rest of the history, is the same as when every chat waited 1.5 min."""
    own = random.Random(f"chat-pickup-{plan.at.isoformat()}-{plan.requester.email}")
    return min(own.lognormvariate(math.log(0.8), 0.85), 12.0)


def _channel(world: World, rng: random.Random, team: str, at: datetime) -> str:
    staffed = any(a.shift.is_working(at) for a in world.agents[team])
    choices = [(c, w) for c, w in CHANNELS if staffed or c not in LIVE_CHANNELS]
    pick = rng.random() * sum(w for _, w in choices)
    for channel, weight in choices:
        pick -= weight
        if pick < 0:
            return channel
    return choices[-1][0]


def _give_login_customer_tickets(world: World, plans: list[Plan]) -> None:
    """The portal login gets a handful of tickets of their own, old and recent."""
    taken: set[int] = set()
    originals = {id(p.duplicate_of) for p in plans if p.duplicate_of is not None}
    for days_ago in (75, 52, 33, 18, 9, 4, 1.5, 0.2):
        when = world.anchor - timedelta(days=days_ago)
        if days_ago >= 1:  # aim for mid-morning rather than the anchor's hour of the day
            when = when.replace(hour=10, minute=30)
        if when < world.start:
            continue
        candidates = [i for i, p in enumerate(plans)
                      if i not in taken and p.duplicate_of is None and p.channel not in LIVE_CHANNELS
                      and id(p) not in originals]
        if not candidates:
            return
        best = min(candidates, key=lambda i: abs((plans[i].at - when).total_seconds()))
        taken.add(best)
        plan = plans[best]
        plan.requester, plan.author, plan.channel = world.login_customer, world.login_user, Channel.WEB


# --- one ticket's life -------------------------------------------------------------------------


class _Scripter:
    def __init__(self, world: World, rng: random.Random, plan: Plan, closes: dict[int, datetime | None]) -> None:
        self.w, self.rng, self.plan, self.closes = world, rng, plan, closes
        self.topic = plan.topic
        self.team = world.queue_team[plan.queue]
        self.ops: list[Op] = []
        self.t = plan.at
        self.v = _variables(rng, plan)
        self.tags: list[str] = []
        self.priority = "normal"
        self.closed_at: datetime | None = None

    def add(self, at: datetime, kind: str, actor: User | None, **args: object) -> datetime:
        self.t = max(self.t, at.replace(microsecond=0))
        self.ops.append(Op(self.t, self.plan.index, kind, actor, args))
        return self.t

    def run(self) -> list[Op]:
        owner = self._arrive()
        if self.plan.duplicate_of is not None and self._merge(owner):
            return self.ops
        self._triage(owner)
        self._converse(owner)
        self.closes[self.plan.index] = self.closed_at
        return self.ops

    # arrival, routing and pick-up
    def _arrive(self) -> Agent:
        rng, plan, topic = self.rng, self.plan, self.topic
        self.priority = _weighted(rng, PRIORITIES, topic.priorities)
        if plan.requester.tier in ("gold", "platinum") and self.priority in ("low", "normal") and rng.random() < 0.15:
            self.priority = PRIORITIES[PRIORITIES.index(self.priority) + 1]
        self.tags = list(rng.sample(topic.tags, rng.randint(1, len(topic.tags))))
        if plan.requester.tier == "platinum":
            self.tags.append("vip")
        fields = {"order_number": self.v["order"]} if topic.order_number and rng.random() < 0.7 else {}
        unrouted = plan.channel in (Channel.EMAIL, Channel.SOCIAL, Channel.API) and rng.random() < 0.15
        queue = None if unrouted else self.w.queues[plan.queue]
        subject = self._fill(rng.choice(topic.subjects))
        opening = self._fill(rng.choice(topic.openings))
        if plan.duplicate_of is not None:
            subject = rng.choice(("Re: ", "Following up: ", "Again: ", "")) + plan.duplicate_of.subject
            opening = rng.choice(content.DUPLICATE_OPENERS) + " " + opening
        plan.subject = subject
        create = dict(requester=plan.requester, subject=subject, channel=plan.channel, priority=self.priority,
                      ticket_type=topic.ticket_type, queue=queue, tags=list(self.tags), custom_fields=fields)
        if plan.channel == Channel.PHONE:
            owner = self._pick(plan.at, slack=0)
            body = f"Phone call with {plan.requester.name}. Customer says: \"{opening}\""
            self.add(plan.at, "create", owner.user, assignee=owner.user, body=body, **create)
            self._rules(subject, body)
            return owner
        body = self._customer_text(opening)
        self.add(plan.at, "create", plan.author, body=body, **create)
        self._rules(subject, body)
        if unrouted:
            triager = self.rng.choice([self.w.leads[self.team], *self.w.agents[self.team][:3]])
            self.add(triager.shift.add(self.t, rng.lognormvariate(math.log(15), 0.8)), "queue", triager.user,
                     queue=self.w.queues[plan.queue])
        pickup = _chat_pickup(plan) if plan.channel == Channel.CHAT else rng.lognormvariate(math.log(20), 0.9)
        owner = self._pick(self.t + timedelta(minutes=pickup))
        at = owner.shift.add(self.t, pickup)
        by = owner if rng.random() < 0.7 else self.w.leads[self.team]
        self.add(at, "assign", by.user, assignee=owner.user)
        return owner

    def _rules(self, subject: str, body: str) -> None:
        """The department's "ticket created" rules, run by the system as the ticket arrives
        (``created_rules``; their firings are recorded after the history by ``automations``)."""
        tags, priority = created_effects(subject=subject, text=body, tier=self.plan.requester.tier,
                                         priority=self.priority, tags=self.tags)
        if priority != self.priority:
            self.priority = priority
            self.add(self.t, "priority", None, priority=priority)
        if tags != self.tags:
            self.tags = tags
            self.add(self.t, "tags", None, tags=list(tags))

    def _pick(self, at: datetime, slack: int = 30) -> Agent:
        """An agent of the team on shift at ``at``, or among the first on shift after it."""
        agents = self.w.agents[self.team]
        starts = [a.shift.next_working(at) for a in agents]
        earliest = min(starts)
        eligible = [a for a, s in zip(agents, starts, strict=True) if s <= earliest + timedelta(minutes=slack)]
        return self.rng.choices(eligible, weights=[a.weight for a in eligible])[0]

    def _merge(self, owner: Agent) -> bool:
        target = self.plan.duplicate_of
        assert target is not None
        at = owner.shift.add(self.t, self.rng.lognormvariate(math.log(12), 0.6))
        closed = self.closes.get(target.index)
        if closed is not None and at >= closed:
            return False
        self.add(at, "merge", owner.user, target=target.index)
        return True

    def _triage(self, owner: Agent) -> None:
        rng, topic = self.rng, self.topic
        if topic.product_area and rng.random() < 0.45:
            self.add(self.t + timedelta(minutes=rng.randint(1, 4)), "fields", owner.user,
                     values={"product_area": topic.product_area})
        if rng.random() < 0.06 and self.priority != "urgent":
            self.priority = PRIORITIES[PRIORITIES.index(self.priority) + 1]
            self.add(self.t + timedelta(minutes=rng.randint(1, 5)), "priority", owner.user, priority=self.priority)
        if rng.random() < 0.08:
            self.tags = sorted({*self.tags, rng.choice(("follow-up", "needs-info", "repeat-contact"))})
            self.add(self.t + timedelta(minutes=1), "tags", owner.user, tags=list(self.tags))
        if rng.random() < 0.1:
            self._note(owner, self.t + timedelta(minutes=2), rng.choice(content.TRIAGE_NOTES))

    # the conversation
    def _converse(self, owner: Agent) -> None:
        rng, s = self.rng, self.w.statuses
        speed = owner.speed * {Channel.CHAT: 0.06, Channel.PHONE: 0.1}.get(self.plan.channel, 1.0)
        speed *= {"urgent": 0.35, "high": 0.65}.get(self.priority, 1.0)
        t = owner.shift.add(self.t, rng.lognormvariate(math.log(speed), 0.8))
        first_solve = self.topic.first_solve * owner.skill
        draw = rng.random()
        outcome = "solve" if draw < first_solve else "hold" if self.topic.can_hold and draw < first_solve + 0.14 else "ask"
        rounds, reopened, asked = 0, False, 0
        while True:
            if outcome == "hold":
                self._reply(owner, t, rng.choice(content.ACKS))
                self._note(owner, self.t + timedelta(minutes=1), rng.choice(content.HOLD_NOTES[self.plan.queue]))
                self.add(self.t + timedelta(minutes=1), "status", owner.user, status=rng.choice((s["on_hold"], s["vendor"])))
                back = owner.shift.next_working(self.t + timedelta(hours=rng.uniform(10, 100)))
                self._note(owner, back, rng.choice(content.RESUME_NOTES[self.plan.queue]))
                self.add(back, "status", owner.user, status=s["open"])
                t, outcome = owner.shift.add(back, rng.uniform(5, 40)), "solve"
            elif outcome == "ask":
                first_ask = asked == 0
                asked += 1
                question = rng.choice(self.topic.asks if first_ask else content.FOLLOW_UP_ASKS)
                self._reply(owner, t, question, then_status=s["pending"])
                if rng.random() < 0.83:
                    t = self._customer_delay(self.t, 0.05 if self.plan.channel == Channel.CHAT else 4)
                    answer = rng.choice(self.topic.details if first_ask else content.FOLLOW_UP_DETAILS)
                    self.add(t, "customer_reply", self.plan.author, body=self._customer_text(self._fill(answer)))
                    rounds += 1
                    if rng.random() < 0.15:
                        self._note(owner, self.t + timedelta(minutes=3), rng.choice(self.topic.notes))
                    t = owner.shift.add(self.t, rng.lognormvariate(math.log(speed * 1.3), 0.8))
                    outcome = "solve" if rounds >= 2 or rng.random() < 0.75 else "ask"
                    continue
                if rng.random() < 0.6:
                    self._reply(owner, owner.shift.next_working(self.t + timedelta(days=2, hours=rng.uniform(0, 6))),
                                rng.choice(content.REMINDERS))
                at = owner.shift.next_working(self.t + timedelta(days=rng.uniform(2, 4)))
                self._reply(owner, at, rng.choice(content.NO_RESPONSE), then_status=s["solved"])
                break
            else:  # solve
                opener = rng.choice(content.REOPEN_REPLIES) + "\n\n" if reopened else ""
                self._reply(owner, t, opener + rng.choice(self.topic.solutions), then_status=s["solved"])
                solved = self.t
                if rounds < 3 and rng.random() < owner.reopen:
                    t = self._customer_delay(solved, 20)
                    if t - solved < CLOSE_AFTER - timedelta(hours=2):
                        complaint = self._fill(rng.choice(self.topic.reopens))
                        self.add(t, "customer_reply", self.plan.author, body=self._customer_text(complaint))
                        rounds, reopened = rounds + 1, True
                        owner = self._escalate(owner) if rng.random() < 0.3 else owner
                        t = owner.shift.add(self.t, rng.lognormvariate(math.log(speed), 0.8))
                        outcome = "solve" if rng.random() < 0.75 else "ask"
                        continue
                break
        close = self.t + CLOSE_AFTER
        self.closed_at = close.replace(minute=0, second=0) + timedelta(hours=1)
        self.add(self.closed_at, "status", None, status=s["closed"])

    def _escalate(self, owner: Agent) -> Agent:
        lead = self.w.leads[self.team]
        others = [a for a in self.w.agents[self.team] if a is not owner]
        new = lead if self.rng.random() < 0.4 else self.rng.choice(others)
        self._note(owner, self.t + timedelta(minutes=5), f"Reopened; handing over to {new.user.first_name}.")
        self.add(self.t, "assign", lead.user, assignee=new.user)
        if "escalated" not in self.tags:
            self.tags = sorted({*self.tags, "escalated"})
            self.add(self.t, "tags", lead.user, tags=list(self.tags))
        return new

    def _reply(self, owner: Agent, at: datetime, core: str, then_status: Status | None = None) -> None:
        rng = self.rng
        v = {**self.v, "agent": owner.user.first_name}
        if self.plan.channel == Channel.CHAT:
            body = self._fill(core, v)
        else:
            body = "\n\n".join((_fill(rng.choice(content.GREETINGS), v), self._fill(core, v),
                                _fill(rng.choice(content.SIGNOFFS), v)))
        self.add(at, "reply", owner.user, body=body, public=True, then_status=then_status)

    def _note(self, owner: Agent, at: datetime, text: str) -> None:
        self.add(at, "reply", owner.user, body=self._fill(text), public=False, then_status=None)

    def _customer_text(self, core: str) -> str:
        rng = self.rng
        if self.plan.channel == Channel.CHAT:
            return core
        greeting = rng.choice(("Hello,", "Hi,", "Hi there,", "", "Good morning,", "Dear support team,"))
        signoff = _fill(rng.choice(content.CUSTOMER_SIGNOFFS), self.v)
        return "\n\n".join(part for part in (greeting, core, signoff) if part)

    def _customer_delay(self, t: datetime, median_hours: float) -> datetime:
        """When the customer answers: a log-normal wait, pushed out of the small hours."""
        at = t + timedelta(hours=self.rng.lognormvariate(math.log(median_hours), 1.0))
        local = at.astimezone(self.w.team_tz[self.team])
        if local.hour < 7:
            at += timedelta(hours=7 - local.hour, minutes=self.rng.randint(0, 150))
        return at.replace(microsecond=0)

    def _fill(self, template: str, values: dict[str, object] | None = None) -> str:
        return _fill(template, values or self.v)


def _fill(template: str, values: dict[str, object]) -> str:
    return template.format_map(values)


def _weighted(rng: random.Random, items: tuple[str, ...], weights: tuple[float, ...]) -> str:
    return rng.choices(items, weights=weights)[0]


def _variables(rng: random.Random, plan: Plan) -> dict[str, object]:
    customer, at = plan.requester, plan.at
    day = at - timedelta(days=rng.randint(2, 12))
    major, minor = rng.randint(8, 14), rng.randint(0, 5)
    return {
        "first": customer.name.split()[0], "name": customer.name, "order": f"FL-{rng.randrange(100000, 999999)}",
        "product": rng.choice(content.PRODUCTS), "carrier": rng.choice(content.CARRIERS), "date": f"{day.day} {day:%B}",
        "days": rng.randint(3, 12), "amount": f"${rng.randint(12, 380)}.{rng.choice(('00', '50', '95', '99', '20'))}",
        "last4": f"{rng.randrange(10000):04d}", "invoice": f"INV-{at.year}-{rng.randrange(10000, 99999)}",
        "tracking": f"1Z{rng.randrange(10**9, 10**10)}", "plan": rng.choice(content.PLANS), "app": rng.choice(content.APPS),
        "version": f"4.{major}.{minor}", "version_fix": f"4.{major}.{minor + 1}", "feature": rng.choice(content.FEATURES),
        "browser": rng.choice(content.BROWSERS), "export": rng.choice(content.EXPORTS),
        "time": f"{rng.randint(8, 20)}:{rng.choice(('05', '15', '30', '42', '55'))}", "ref": str(rng.randrange(10000, 99999)),
        "voucher": rng.choice(("$10", "$15", "$20", "$25")), "tier": customer.tier,
        "company": customer.company.name if customer.company_id else "my company",
    }
