"""The demo data: a support department, its customers and months of tickets, from one seed.

``demo_generate`` builds everything in one transaction: staff and teams, queues, statuses,
ticket fields, companies and customers (through the customer services), then ticket histories
(``scripts``) replayed through the desk services or their bulk mirror (``replay``). Same seed,
days, scale and anchor: same data. ``demo_reset`` removes it again.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from frontline.customers.models import Company, Customer, Tier
from frontline.customers.services import company_create, customer_create
from frontline.desk.models import (
    Attachment,
    FieldType,
    Message,
    Queue,
    Status,
    StatusCategory,
    Tag,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.desk.services import status_default
from frontline.people.models import STAFF_ROLES, AgentProfile, Availability, Role, Team, User

from . import content, names
from .automations import automations_reset, demo_automations
from .channels import channels_reset, demo_messaging, demo_phone
from .chat import chat_reset, demo_chat
from .coaching import coaching_reset, demo_coaching
from .insights import demo_insights, insights_reset
from .mail import demo_mail, mail_reset
from .metrics import demo_metrics, metrics_demo_reset
from .quality import demo_quality, quality_reset
from .replay import BulkReplayer, Op, ServiceReplayer, ops_in_order
from .routing import demo_routing, routing_reset
from .scripts import DAILY_TICKETS, Agent, World, build_scripts
from .sla import demo_escalations, demo_sla, sla_reset
from .surveys import demo_surveys, surveys_reset
from .timing import Shift, agent_pace, handle_seconds

EXTRA_STATUSES = (("Waiting on vendor", StatusCategory.ON_HOLD, 35),)
FIELDS = (
    ("order_number", "Order number", FieldType.TEXT, [], True),
    ("product_area", "Product area", FieldType.CHOICE, sorted({t.product_area for t in content.TOPICS if t.product_area}), False),
)
TAGS = sorted({tag for topic in content.TOPICS for tag in topic.tags} | {"vip", "escalated", "follow-up", "needs-info",
                                                                          "repeat-contact", "billing"})
LOGINS = (
    ("manager", "Manager: sees every team, reports and settings"),
    ("lead", "Team lead of Orders & Billing"),
    ("agent", "Agent in Orders & Billing"),
    ("customer", "Customer portal (Emma Clarke, Kestrel Expeditions)"),
    ("admin", "Administrator (also /admin/)"),
)
URL = "http://127.0.0.1:8000"


class DemoConflict(Exception):
    """The database holds data the demo would clash with or must not delete."""


@dataclass(frozen=True)
class DemoSummary:
    anchor: datetime
    counts: dict[str, int]
    seconds: float


def demo_exists() -> bool:
    return User.objects.filter(username="manager", email=f"manager@{names.STAFF_DOMAIN}").exists()


def demo_counts() -> dict[str, int]:
    return {
        "staff": User.objects.filter(email__endswith=names.STAFF_DOMAIN).count(),
        "companies": Company.objects.count(),
        "customers": Customer.objects.count(),
        "tickets": Ticket.objects.count(),
        "messages": Message.objects.count(),
        "events": TicketEvent.objects.count(),
    }


def anchor_default() -> datetime:
    """Now, rounded down to the hour: the demo's history ends here."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def demo_generate(*, seed: int = 7, days: int = 90, scale: float = 1.0, anchor: datetime | None = None,
                  engine: str = "bulk", progress: Callable[[str], None] | None = None,
                  desk_only: bool = False) -> DemoSummary:
    """Create the demo department and its history ending at ``anchor`` (default: this hour).

    ``desk_only``: the tickets with their SLAs, escalations and mail, without the later apps' steps
    (surveys ... coaching), for a quick demo of the desk or the capacity plan."""
    if days < 1:
        raise ValueError("days: must be at least 1")
    if not 0 < scale <= 10:
        raise ValueError("scale: must be above 0 and at most 10")
    if engine not in ("bulk", "services"):
        raise ValueError("engine: must be 'bulk' or 'services'")
    anchor = (anchor or anchor_default()).astimezone(UTC)
    say = progress or (lambda _message: None)
    started = time.monotonic()
    _check_conflicts()
    world = _setup(seed=seed, days=days, scale=scale, anchor=anchor)
    say(f"Staff, teams and queues ready; {len(world.customers)} customers. Simulating {days} days of tickets…")
    scripts = build_scripts(world, random.Random(f"{seed}-tickets"), daily=DAILY_TICKETS * scale)
    scripts = with_handle_times(world, scripts, random.Random(f"{seed}-handle"))
    say(f"{len(scripts):,} tickets simulated ({sum(map(len, scripts)):,} steps); writing them via {engine}…")
    replayer = BulkReplayer() if engine == "bulk" else ServiceReplayer()
    for op in ops_in_order(scripts):
        replayer.apply(op)
    replayer.finish()
    clocked = demo_sla(anchor=anchor)
    escalated = demo_escalations(anchor=anchor)
    say(f"SLA policies applied to {clocked:,} tickets, with their clocks and breaches; {escalated} live escalations.")
    originals = demo_mail(anchor=anchor)
    say(f"Mailboxes set up (disabled: no mail server needed); {originals:,} recent emails kept as originals.")
    if desk_only:
        return DemoSummary(anchor=anchor, counts=demo_counts(), seconds=time.monotonic() - started)
    surveyed = demo_surveys(anchor=anchor, seed=seed)
    say(f"Surveys: {surveyed['surveys']:,} sent, {surveyed['survey responses']:,} answered, "
        f"{surveyed['NPS campaigns']} NPS campaigns.")
    automated = demo_automations(anchor=anchor, seed=seed)  # after the history: firings recorded, not run live
    say(f"Automations: {automated['macros']} macros (used {automated['macro uses']:,} times in the last 30 days), "
        f"{automated['automation rules']} rules ({automated['rule firings']:,} firings on new tickets).")
    routed = demo_routing(seed=seed)
    say(f"Routing: {routed['routed queues']} queues routed (one per rule), {routed['agent skills']} agent skills.")
    phoned, messaged = demo_phone(anchor=anchor, seed=seed), demo_messaging(anchor=anchor, seed=seed)
    say(f"Phone: {phoned['calls']:,} calls ({phoned['missed or abandoned calls']:,} missed or abandoned); messaging: "
        f"{messaged['messaging conversations']:,} conversations, {messaged['replies delivered']:,} replies delivered.")
    chatted = demo_chat(anchor=anchor, seed=seed)
    say(f"Chat: a widget and the agents' limits; {chatted['chats']:,} chats with {chatted['chat entries']:,} entries.")
    reviewed = demo_quality(anchor=anchor, seed=seed)  # before metrics (qa_reviewed events) and coaching (QA)
    say(f"Quality: {reviewed['QA reviews']:,} reviews, {reviewed.get('calibration sessions', 0)} calibration sessions, "
        f"{reviewed.get('QA assignments', 0)} sampling assignments, auto-QA on {reviewed.get('auto-QA tickets', 0):,} tickets.")
    insight = demo_insights(anchor=anchor)
    say(f"Insights: {insight['feedback items']:,} feedback items, {insight['topics']} topics, the onboarding problem "
        f"linked to {insight['problem tickets']} tickets.")
    measured, targets = demo_metrics(anchor=anchor)  # last: after every step that writes ticket events
    say(f"Metrics computed for {measured:,} tickets (facts and hourly rollups); {targets} targets in force.")
    coached = demo_coaching(anchor=anchor, seed=seed, days=days)  # after the metrics: agendas and follow-ups read the facts
    say(f"Coaching: {coached['coaching sessions']:,} one-on-ones, {coached['coaching focuses']} focuses, "
        f"{coached['performance reviews']} performance reviews, {coached['kudos']} kudos, a policy update.")
    return DemoSummary(anchor=anchor, counts={**demo_counts(), **surveyed, **automated, **phoned, **messaged, **chatted, **coached,
                                              "QA reviews": reviewed["QA reviews"]},
                       seconds=time.monotonic() - started)


@transaction.atomic
def demo_reset() -> None:
    """Delete the demo: every ticket (refused if any belongs to a non-demo customer) and the demo's setup."""
    if Ticket.objects.exclude(requester__email__endswith=names.DEMO_TLD).exists():
        raise DemoConflict("This database has tickets from customers outside the demo; not resetting. "
                           "Point FRONTLINE_VAR_DIR at a fresh directory or remove var/frontline.sqlite3 instead.")
    sla_reset()
    mail_reset()
    insights_reset()
    surveys_reset()
    automations_reset()
    coaching_reset()
    routing_reset()
    channels_reset()
    chat_reset()
    quality_reset()
    metrics_demo_reset()
    tickets_delete_all()
    demo_customers = Customer.objects.filter(email__endswith=names.DEMO_TLD)
    User.objects.filter(Q(email__endswith="@" + names.STAFF_DOMAIN) | Q(customer__in=demo_customers)).delete()
    demo_customers.delete()
    Company.objects.filter(domain__endswith=names.DEMO_TLD).delete()
    Queue.objects.filter(name__in=[q[0] for q in content.QUEUES]).delete()
    Team.objects.filter(name__in=[t.name for t in names.TEAMS]).delete()
    TicketField.objects.filter(key__in=[f[0] for f in FIELDS]).delete()
    Status.objects.filter(name__in=[s[0] for s in EXTRA_STATUSES]).delete()
    Tag.objects.filter(name__in=TAGS).delete()


def tickets_delete_all() -> None:
    """Delete every ticket with its messages, tags and events, fast. Only for throwaway demo data:
    events are append-only for the application, and this bypasses that on purpose."""
    db = TicketEvent.objects.db
    TicketEvent.objects.all()._raw_delete(db)
    Ticket.tags.through.objects.all()._raw_delete(db)
    Attachment.objects.all().delete()  # rows only; files stay in MEDIA_ROOT
    Message.objects.all()._raw_delete(db)
    Ticket.objects.update(merged_into=None)
    Ticket.objects.all()._raw_delete(db)


def _check_conflicts() -> None:
    usernames = [s.username for s in names.STAFF] + [names.CUSTOMER_LOGIN[0]]
    clashes = [
        *User.objects.filter(username__in=usernames).values_list("username", flat=True),
        *Team.objects.filter(name__in=[t.name for t in names.TEAMS]).values_list("name", flat=True),
        *Queue.objects.filter(name__in=[q[0] for q in content.QUEUES]).values_list("name", flat=True),
        *TicketField.objects.filter(key__in=[f[0] for f in FIELDS]).values_list("key", flat=True),
    ]
    if clashes:
        raise DemoConflict(f"The database already has {', '.join(sorted(clashes))}; the demo needs a fresh database "
                           "(or `demo --reset` if these came from an earlier demo).")


def with_handle_times(world: World, scripts: list[list[Op]], rng: random.Random) -> list[list[Op]]:
    """The scripts with ``handle_seconds`` on every agent message: the call an agent files a
    ticket from, public replies (the first one takes longest) and internal notes.

    Times come from ``timing.handle_seconds`` (channel, type, current priority, the agent's pace)
    with their own random stream, so the tickets themselves are those of the same seed without
    handle times. Both writers store the value the step carries.
    """
    pace = {a.user.pk: agent_pace(speed=a.speed, skill=a.skill)
            for a in [*(a for team in world.agents.values() for a in team), *world.leads.values()]}
    result = []
    for script in scripts:
        channel = ticket_type = priority = ""
        answered = False
        ops = []
        for op in script:
            kind = None
            if op.kind == "create":
                channel, ticket_type, priority = op.args["channel"], op.args["ticket_type"], op.args["priority"]
                kind = "call" if _by_staff(op) else None
                answered = kind is not None
            elif op.kind == "priority":
                priority = op.args["priority"]
            elif op.kind == "reply" and _by_staff(op):
                kind = "note" if not op.args["public"] else "follow_up" if answered else "first_reply"
                answered = answered or op.args["public"]
            if kind is not None:
                seconds = handle_seconds(rng, kind=kind, channel=channel, ticket_type=ticket_type, priority=priority,
                                         pace=pace.get(op.actor.pk, 1.0))
                op = dataclasses.replace(op, args={**op.args, "handle_seconds": seconds})
            ops.append(op)
        result.append(ops)
    return result


def _by_staff(op: Op) -> bool:
    return op.actor is not None and op.actor.role in STAFF_ROLES


# --- setup -------------------------------------------------------------------------------------


def _setup(*, seed: int, days: int, scale: float, anchor: datetime) -> World:
    rng = random.Random(f"{seed}-setup")
    start = anchor - timedelta(days=days)
    statuses = {c: status_default(c) for c in StatusCategory.values}
    for name, category, position in EXTRA_STATUSES:
        Status.objects.create(name=name, category=category, position=position)
    for position, (key, label, kind, choices, visible) in enumerate(FIELDS):
        TicketField.objects.create(key=key, label=label, field_type=kind, choices=choices,
                                   visible_to_customers=visible, position=position)
    Tag.objects.bulk_create([Tag(name=t) for t in TAGS], ignore_conflicts=True)
    users, agents, leads, teams, team_tz = _people(rng, anchor=anchor, start=start)
    queues = {}
    for name, team, description, _share in content.QUEUES:
        queues[name] = Queue.objects.create(name=name, slug=slugify(name), team=teams[team], description=description)
    customers, login_customer = _customers(rng, scale=scale, anchor=anchor)
    weights = [_activity(rng, c) for c in customers]
    return World(
        anchor=anchor, start=start, queues=queues, teams=teams, team_tz=team_tz,
        queue_team={q[0]: q[1] for q in content.QUEUES}, agents=agents, leads=leads,
        statuses={
            "new": statuses[StatusCategory.NEW], "open": statuses[StatusCategory.OPEN],
            "pending": statuses[StatusCategory.PENDING], "on_hold": statuses[StatusCategory.ON_HOLD],
            "vendor": Status.objects.get(name=EXTRA_STATUSES[0][0]), "solved": statuses[StatusCategory.SOLVED],
            "closed": statuses[StatusCategory.CLOSED],
        },
        customers=customers, customer_weights=weights, login_customer=login_customer, login_user=users["customer"],
    )


def _people(rng: random.Random, *, anchor: datetime, start: datetime):  # type: ignore[no-untyped-def]
    password = make_password(names.PASSWORD)  # hashed once: Argon2 per user would cost seconds
    teams = {spec.name: Team.objects.create(name=spec.name, time_zone=spec.time_zone, description=spec.description)
             for spec in names.TEAMS}
    team_spec = {spec.name: spec for spec in names.TEAMS}
    team_tz = {spec.name: ZoneInfo(spec.time_zone) for spec in names.TEAMS}
    users: dict[str, User] = {}
    agents: dict[str, list[Agent]] = {spec.name: [] for spec in names.TEAMS}
    leads: dict[str, Agent] = {}
    for i, member in enumerate(names.STAFF):
        tz = team_spec[member.team].time_zone if member.team else "Europe/London"
        user = User.objects.create(
            username=member.username, first_name=member.first_name, last_name=member.last_name,
            email=f"{member.username}@{names.STAFF_DOMAIN}", role=member.role, password=password,
            is_staff=member.role == Role.ADMIN, is_superuser=member.role == Role.ADMIN,
            date_joined=anchor - timedelta(days=400),
        )
        users[member.username] = user
        shift = _shift(rng, member, ZoneInfo(tz), index=i, start=start)
        if member.team:
            teams[member.team].members.add(user)
        if member.role == Role.TEAM_LEAD:
            teams[member.team].lead = user
            teams[member.team].save(update_fields=["lead"])
        skill = rng.uniform(0.75, 1.25)
        sim = Agent(user=user, shift=shift, speed=rng.lognormvariate(math.log(55), 0.5) * (1.3 if member.team == "Technical" else 1),
                    skill=skill, reopen=max(0.02, 0.2 - 0.11 * skill + rng.uniform(-0.02, 0.02)),
                    weight=member.hours / 40)
        if member.role == Role.AGENT:
            agents[member.team].append(sim)
        elif member.role == Role.TEAM_LEAD:
            leads[member.team] = sim
        senior = member.role != Role.AGENT
        AgentProfile.objects.create(
            user=user, skills=list(team_spec[member.team].skills if member.team else ("reporting", "workforce")),
            languages=list(member.languages), contracted_hours_per_week=Decimal(member.hours),
            hourly_cost=Decimal(rng.randint(40, 58) if senior else rng.randint(24, 38)),
            start_date=(anchor - timedelta(days=rng.randint(700, 2600) if senior else rng.randint(60, 1800))).date(),
            availability=Availability.ONLINE if member.team and shift.is_working(anchor) else Availability.OFFLINE,
            availability_changed_at=anchor - timedelta(minutes=rng.randint(5, 240)),
        )
    login, first, last = names.CUSTOMER_LOGIN
    users[login] = User.objects.create(username=login, first_name=first, last_name=last, role=Role.CUSTOMER,
                                       email=f"{first}.{last}@kestrel-expeditions.example".lower(), password=password,
                                       date_joined=anchor - timedelta(days=300))
    return users, agents, leads, teams, team_tz


def _shift(rng: random.Random, member: names.StaffMember, tz: ZoneInfo, *, index: int, start: datetime) -> Shift:
    """Staggered starts, 4-day weeks below 40 hours, a weekend rota and a week of holiday."""
    days = 5 if member.hours >= 40 else 4
    weekend = member.role == Role.AGENT and index % 4 == 1
    weekdays = {2, 3, 4, 5, 6} if weekend else set(range(5))
    while len(weekdays) > days:
        weekdays.discard(rng.choice(sorted(weekdays - {5, 6})))
    first_off = start.date() + timedelta(days=rng.randint(0, 80))
    holiday = frozenset(first_off + timedelta(days=d) for d in range(7))
    start_hour = 9 if member.role != Role.AGENT else (7, 8, 8, 9, 9, 10, 11, 12)[index % 8]
    return Shift(tz=tz, start_hour=start_hour, hours=member.hours / days, weekdays=frozenset(weekdays),
                 days_off=holiday if member.role == Role.AGENT else frozenset())


def _customers(rng: random.Random, *, scale: float, anchor: datetime) -> tuple[list[Customer], Customer]:
    n_companies = max(4, round(60 * scale))
    n_customers = max(24, round(400 * scale))
    pairs = [(a, b) for a in names.COMPANY_FIRST for b in names.COMPANY_SECOND]
    rng.shuffle(pairs)
    companies = [company_create(name="Kestrel Expeditions", domain="kestrel-expeditions.example", tier=Tier.GOLD,
                                lifetime_revenue=Decimal("184250.00"), share_tickets=True)]
    for first, second in pairs:
        if len(companies) >= n_companies:
            break
        if first == "Kestrel":
            continue
        name = f"{first} {second}"
        tier = rng.choices(Tier.values, weights=(50, 28, 15, 7))[0]
        revenue = rng.lognormvariate(math.log({"standard": 8000, "silver": 30000, "gold": 90000, "platinum": 300000}[tier]), 0.6)
        companies.append(company_create(name=name, domain=f"{slugify(name)}.example", tier=tier,
                                        lifetime_revenue=Decimal(f"{revenue:.2f}"), share_tickets=rng.random() < 0.3))
    login, first, last = names.CUSTOMER_LOGIN
    emails = {f"{first}.{last}@kestrel-expeditions.example".lower()}
    login_customer = customer_create(name=f"{first} {last}", email=next(iter(emails)), company=companies[0],
                                     phone="+44 20 7946 0018", sees_company_tickets=True, time_zone="Europe/London",
                                     lifetime_revenue=Decimal("5120.00"))
    login_customer.user = User.objects.get(username=login)
    login_customer.save(update_fields=["user"])
    customers = [login_customer]
    while len(customers) < n_customers:
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        company = rng.choice(companies) if rng.random() < 0.8 else None
        domain = company.domain if company else rng.choice(names.PERSONAL_DOMAINS)
        local = _ascii(f"{first}.{last}")
        email = f"{local}@{domain}"
        n = 2
        while email in emails:
            email, n = f"{local}{n}@{domain}", n + 1
        emails.add(email)
        tier = company.tier if company else rng.choices(Tier.values, weights=(85, 12, 3, 0))[0]
        customers.append(customer_create(
            name=f"{first} {last}", email=email, company=company, tier=tier,
            phone=f"+44 20 7946 {rng.randrange(10000):04d}" if rng.random() < 0.6 else "",
            lifetime_revenue=Decimal(f"{rng.lognormvariate(math.log(600), 1.0):.2f}"),
            sees_company_tickets=bool(company and company.share_tickets and rng.random() < 0.4),
            language=rng.choices(("en", "de", "fr", "es"), weights=(80, 9, 6, 5))[0],
            time_zone=rng.choice(names.CUSTOMER_TIME_ZONES),
        ))
    ids = [c.pk for c in customers]
    return list(Customer.objects.filter(pk__in=ids).select_related("company").order_by("pk")), login_customer


def _activity(rng: random.Random, customer: Customer) -> float:
    """How often a customer writes in: heavy-tailed, higher for bigger tiers; the login writes by hand."""
    if customer.user_id:
        return 0.0
    return rng.paretovariate(1.6) * {"standard": 1, "silver": 1.3, "gold": 1.7, "platinum": 2.2}[customer.tier]


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == ".")
