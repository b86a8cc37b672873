"""The demo's coaching: a cadence for every agent with one-on-ones held on it (a few overdue), the
latest session's agenda built from the history, focuses with their follow-up, action items (some
done, some late), performance reviews of last quarter at every stage, kudos, an onboarding plan for
the newest hire, and a policy update half of the staff has acknowledged.

Focuses are chosen after the fact from the simulated history, so that the Effects page shows each
verdict: for a few agents the KPI whose before/after change is largest in the better direction
("improved" where the data has one), for others one without a detectable change. The history's
agents do not react to coaching; the demo only shows how a measured effect reads.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from frontline.coaching import agenda
from frontline.coaching.cadence import next_due
from frontline.coaching.followup import KPIS, compare_parts, verdict
from frontline.coaching.models import (
    COMPETENCIES,
    ActionItem,
    CoachingPlan,
    Enrolment,
    Focus,
    Kudos,
    ModuleResult,
    PerformanceReview,
    Policy,
    PolicyAck,
    PolicyReminder,
    PolicyVersion,
    ReviewEvent,
    ReviewState,
    Session,
    SessionState,
    TrainingModule,
    TrainingPlan,
)
from frontline.desk.models import Ticket
from frontline.metrics.selectors import kpi_parts
from frontline.people.models import Role, Team, User

from . import names

CADENCE = {"Orders & Billing": "biweekly", "Technical": "weekly", "Accounts": "monthly"}
STEP = {"weekly": 7, "biweekly": 14, "monthly": 30}
OVERDUE = ("kwame.mensah", "noah.bauer", "ruby.walker")  # their last one-on-one was skipped
KUDOS = (
    "Took over my angry caller and turned it around",
    "Your refund macro saved the whole team an hour today",
    "Thanks for covering my Saturday shift",
    "Brilliant explanation of the sync bug to a confused customer",
    "Spotted the duplicate charges pattern before anyone else",
    "Patient walkthrough of the API export, the customer wrote back to thank us",
    "Cleared the escalation queue on a Friday evening",
    "Great notes on the ticket, made the hand-over painless",
)
POLICY_V1 = """# Refunds and returns

1. Refund within **30 days** of delivery without asking for a reason.
2. Above EUR 500, a team lead approves the refund first.
3. Partial refunds only with the customer's agreement, written in the ticket.
"""
POLICY_V2 = """# Refunds and returns

1. Refund within **45 days** of delivery without asking for a reason (was 30).
2. Above EUR 500, a team lead approves the refund first.
3. Partial refunds only with the customer's agreement, written in the ticket.
4. Offer a replacement before a refund when the item is out of stock for less than a week.
"""
QUIZ = [
    {"text": "Until when is a refund given without asking for a reason?", "options": ["14 days", "30 days", "45 days"],
     "answer": 2},
    {"text": "Who approves a refund above EUR 500?", "options": ["The agent", "A team lead", "Finance"], "answer": 1},
    {"text": "When is a partial refund allowed?", "options": ["Always", "With the customer's written agreement",
                                                            "Never"], "answer": 1},
    {"text": "What first reply time does the department aim for (median)?", "options": ["4 hours", "1 day", "1 week"],
     "answer": 0},
    {"text": "Where do you log a call?", "options": ["On the ticket", "In a spreadsheet", "Nowhere"], "answer": 0},
]


HISTORY_DAYS = 84  # twelve weeks of one-on-ones, or the whole history when it is shorter


def demo_coaching(*, anchor: datetime, seed: int = 7, days: int = 90) -> dict[str, int]:
    """Write the demo's coaching of the ``days`` days up to ``anchor`` (the ticket history's span: nothing
    is dated before it); returns counts."""
    rng = random.Random(f"{seed}-coaching")
    today = anchor.astimezone(UTC).date()
    span = min(HISTORY_DAYS, days)
    manager = User.objects.get(username="manager")
    teams = list(Team.objects.filter(name__in=[t.name for t in names.TEAMS]).select_related("lead"))
    sessions = 0
    latest: dict[int, Session] = {}
    cache: dict = {}  # team rows and goals read once per day (agenda.agenda_build)
    for team in teams:
        cadence = CADENCE.get(team.name, "biweekly")
        step = STEP[cadence]
        lead = team.lead or manager
        for agent in team.members.filter(role=Role.AGENT).order_by("username"):
            starts = today - timedelta(days=max(0, span - 2 * (len(latest) % 3)))  # a few start days: shared goals
            CoachingPlan.objects.create(agent=agent, coach=lead, cadence=cadence, starts_on=starts, updated_at=anchor)
            day, last = starts, None
            stop = today - timedelta(days=step + 10) if agent.username in OVERDUE else today
            while day < stop:
                held_at = datetime(day.year, day.month, day.day, 10 + rng.randint(0, 5), tzinfo=UTC)
                last = Session.objects.create(agent=agent, coach=lead, scheduled_on=day, state=SessionState.HELD,
                                              held_at=held_at, created_at=held_at - timedelta(days=2),
                                              shared_notes=rng.choice(_SHARED), private_notes=rng.choice(_PRIVATE))
                sessions += 1
                day = next_due(cadence=cadence, starts_on=starts, last_held=day)
            if last is not None:
                at = datetime(last.scheduled_on.year, last.scheduled_on.month, last.scheduled_on.day, 9, tzinfo=UTC)
                last.agenda = agenda.agenda_build(agent=agent, now=at, cache=cache)
                last.save(update_fields=["agenda"])
                latest[agent.pk] = last
            if day >= today and agent.username not in OVERDUE:  # the next one, planned
                Session.objects.create(agent=agent, coach=lead, scheduled_on=day, created_at=anchor)
    focuses = _focuses(latest=latest, anchor=anchor, rng=rng, today=today, days=days)
    actions = _actions(latest=latest, rng=rng, today=today, anchor=anchor)
    reviews = _reviews(teams=teams, manager=manager, anchor=anchor, today=today, rng=rng)
    kudos = _kudos(anchor=anchor, rng=rng, days=days)
    _onboarding(anchor=anchor, today=today, manager=manager)
    acknowledged = _policies(anchor=anchor, today=today, manager=manager, rng=rng)
    return {"coaching sessions": sessions, "coaching focuses": focuses, "action items": actions,
            "performance reviews": reviews, "kudos": kudos, "policy acknowledgements": acknowledged}


_SHARED = (
    "Went through last fortnight's reopened tickets together; agreed to confirm the fix before solving.",
    "Good week: customers mention your clear explanations. Keep using the order-status macro.",
    "Talked about pacing on busy Mondays and when to ask for help in the team channel.",
    "Reviewed two escalations; next time add an internal note before handing over.",
    "Walked through the new refund rules; questions answered.",
)
_PRIVATE = (
    "Seems stretched by the weekend rota; check in again next time.",
    "Ready for the billing specialist track in Q1.",
    "Watch the first reply times on chat; otherwise fine.",
    "",
)


def _focuses(*, latest: dict[int, Session], anchor: datetime, rng: random.Random, today: date, days: int) -> int:
    """Focuses on sessions held 29 to 60 days ago (so the 28-day follow-up is complete), at most one per agent,
    picked to show each verdict (module docstring); and recent ones still being measured."""
    candidates = Session.objects.filter(state=SessionState.HELD, scheduled_on__gte=today - timedelta(days=60),
                                        scheduled_on__lte=today - timedelta(days=29)).select_related("agent")
    by_agent: dict[int, list[Session]] = {}
    for session in candidates.order_by("-scheduled_on", "pk"):
        by_agent.setdefault(session.agent_id, []).append(session)
    behaviours = {
        "first_reply_median": "Pick up the oldest unanswered ticket first at the start of the shift",
        "resolution_median": "Set a follow-up reminder instead of leaving tickets pending",
        "one_touch_rate": "Ask for the order number and photos in the first reply",
        "reopen_rate": "Confirm the fix with the customer before solving",
        "handle_time_mean": "Use the macros for the five most common questions",
        "csat": "Close with a summary of what was done and what happens next",
    }
    # every (agent, session, KPI) measured as agenda.focus_followup does (the agent's tickets created in the 28
    # UTC days before the session's day against the 28 from it), from one read of the agent's rows
    measured: dict[str, list[Focus]] = {}
    for agent_id in sorted(by_agent):
        sessions = by_agent[agent_id]
        rows = agenda.agent_rows(agent=sessions[0].agent, first=today - timedelta(days=days), last=today)
        for session in sessions:
            day = session.scheduled_on
            before = [r for r in rows if day - timedelta(days=28) <= r["created_at"].astimezone(UTC).date() < day]
            after = [r for r in rows if day <= r["created_at"].astimezone(UTC).date() < day + timedelta(days=28)]
            for kpi in ("reopen_rate", "one_touch_rate", "first_reply_median", "resolution_median", "handle_time_mean"):
                _label, kind, unit, higher, _shown = KPIS[kpi]
                judged = verdict(compare_parts(kind, kpi_parts(before, kpi), kpi_parts(after, kpi), unit=unit),
                                 higher_is_better=higher)
                measured.setdefault(judged.code, []).append(
                    Focus(session=session, kpi=kpi, behaviour=behaviours[kpi], window_days=28))
    made, used = 0, set()
    for code, keep in (("improved", 4), ("no_change", 4), ("worsened", 1), ("too_little_data", 1)):
        for focus in measured.get(code, []):
            if keep and focus.session.agent_id not in used:
                focus.save()
                used.add(focus.session.agent_id)
                made, keep = made + 1, keep - 1
    for session in list(latest.values())[:5]:  # recent focuses, still being measured
        kpi = rng.choice(list(KPIS))
        Focus.objects.create(session=session, kpi=kpi, behaviour=behaviours[kpi], window_days=28)
        made += 1
    return made


def _actions(*, latest: dict[int, Session], rng: random.Random, today: date, anchor: datetime) -> int:
    texts = ("Read the updated refund policy", "Shadow a senior on two phone calls", "Rewrite the delivery-delay macro",
             "Book a session with the billing specialist", "Review your three reopened tickets from last week")
    made = 0
    for session in latest.values():
        for _ in range(rng.randint(1, 2)):
            due = session.scheduled_on + timedelta(days=rng.randint(5, 20))
            done = due < today and rng.random() < 0.65
            ActionItem.objects.create(session=session, text=rng.choice(texts), owner=session.agent, due_on=due,
                                      done_at=datetime(due.year, due.month, due.day, 15, tzinfo=UTC) - timedelta(days=1)
                                      if done else None)
            made += 1
    return made


def _reviews(*, teams: list[Team], manager: User, anchor: datetime, today: date, rng: random.Random) -> int:
    """Last quarter's reviews of the Orders & Billing agents, at every stage (one reopened once)."""
    quarter_first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last_first = date(quarter_first.year - (quarter_first.month == 1), (quarter_first.month - 4) % 12 + 1, 1)
    last_last = quarter_first - timedelta(days=1)
    team = next((t for t in teams if t.name == "Orders & Billing"), None)
    if team is None:
        return 0
    lead = team.lead or manager
    stages = [ReviewState.SIGNED_OFF, ReviewState.SIGNED_OFF, ReviewState.ACKNOWLEDGED, ReviewState.SUBMITTED,
              ReviewState.SUBMITTED, ReviewState.DRAFT, ReviewState.DRAFT]
    made = 0
    agents = list(team.members.filter(role=Role.AGENT).order_by("username"))[:len(stages)]
    for index, (agent, stage) in enumerate(zip(agents, stages, strict=False)):
        at = anchor - timedelta(days=20 - index)
        facts = {"first": last_first.isoformat(), "last": last_last.isoformat(),
                 "kpis": agenda.kpi_lines(agent=agent, first=last_first, last=min(last_last, today)),
                 "qa": None, "goals": []} if stage != ReviewState.DRAFT else {}
        ratings = {k: rng.choice((3, 3, 4, 4, 5, 2)) for k, _ in COMPETENCIES}
        review = PerformanceReview.objects.create(
            agent=agent, reviewer=lead, period="quarter", first_day=last_first, last_day=last_last, state=stage,
            ratings=ratings if stage != ReviewState.DRAFT or index % 2 else {},
            summary=("A dependable quarter: steady first replies, fewer reopens since the refund focus. Next: "
                     "take on billing escalations." if stage != ReviewState.DRAFT else ""),
            facts=facts, agent_comment="Thanks, agreed on the billing track." if stage in (
                ReviewState.ACKNOWLEDGED, ReviewState.SIGNED_OFF) else "",
            signed_off_by=manager if stage == ReviewState.SIGNED_OFF else None, created_at=at, updated_at=at)
        trail = [("created", lead, at)]
        if stage != ReviewState.DRAFT:
            trail.append(("submitted", lead, at + timedelta(days=2)))
            if index == 0:  # submitted, reopened to correct a rating, submitted again
                trail += [("reopened", lead, at + timedelta(days=3)), ("edited", lead, at + timedelta(days=3)),
                          ("submitted", lead, at + timedelta(days=3, hours=1))]
        if stage in (ReviewState.ACKNOWLEDGED, ReviewState.SIGNED_OFF):
            trail.append(("acknowledged", agent, at + timedelta(days=4)))
        if stage == ReviewState.SIGNED_OFF:
            trail.append(("signed_off", manager, at + timedelta(days=6)))
        ReviewEvent.objects.bulk_create([ReviewEvent(review=review, kind=kind, actor=actor, at=when,
                                                     note="Corrected the teamwork rating" if kind == "reopened" else "")
                                         for kind, actor, when in trail])
        made += 1
    return made


def _kudos(*, anchor: datetime, rng: random.Random, days: int) -> int:
    staff = list(User.objects.filter(email__endswith=names.STAFF_DOMAIN, role__in=[Role.AGENT, Role.TEAM_LEAD])
                 .order_by("username").prefetch_related("teams"))
    made = 0
    for i in range(min(24, max(1, days // 2))):  # one every two days or so, inside the history
        giver = rng.choice(staff)
        mates = [u for u in staff if u.pk != giver.pk and set(u.teams.all()) & set(giver.teams.all())] or staff
        receiver = rng.choice([u for u in mates if u.pk != giver.pk])
        ticket = (Ticket.objects.filter(assignee=receiver).order_by("-pk").values_list("pk", flat=True)[rng.randint(0, 20)]
                  if i % 3 == 0 and Ticket.objects.filter(assignee=receiver).count() > 20 else None)
        Kudos.objects.create(giver=giver, receiver=receiver, message=rng.choice(KUDOS), ticket_id=ticket,
                             created_at=anchor - timedelta(days=i * 2 + rng.randint(0, 1), hours=rng.randint(0, 8)))
        made += 1
    return made


def _onboarding(*, anchor: datetime, today: date, manager: User) -> None:
    plan = TrainingPlan.objects.create(name="New agent onboarding", days=28,
                                       description="Four weeks from the first day: policies, tools, shadowing, a check.")
    modules = [
        TrainingModule(plan=plan, position=0, kind="reading", title="Refunds and returns policy",
                       body="Read **Refunds and returns** in Coaching → Policies and acknowledge it."),
        TrainingModule(plan=plan, position=1, kind="reading", title="The desk: views, macros and the ticket history",
                       body="Work through the desk with your lead: your views, the five most used macros, "
                            "internal notes, and how a ticket's history reads."),
        TrainingModule(plan=plan, position=2, kind="shadowing", title="Shadow a senior agent for two shifts",
                       body="Sit with a senior agent on email and on the phone; note three things to copy."),
        TrainingModule(plan=plan, position=3, kind="check", title="Knowledge check: refunds and service levels",
                       questions=QUIZ, pass_percent=80),
        TrainingModule(plan=plan, position=4, kind="shadowing", title="Reverse shadowing: a senior watches you",
                       body="A senior agent watches you handle ten tickets and gives feedback."),
    ]
    TrainingModule.objects.bulk_create(modules)
    newest = (User.objects.filter(email__endswith=names.STAFF_DOMAIN, role=Role.AGENT)
              .select_related("agent_profile").order_by("-agent_profile__start_date", "username").first())
    if newest is None:
        return
    start = newest.agent_profile.start_date or today - timedelta(days=21)
    lead = newest.teams.exclude(lead=None).values_list("lead", flat=True).first()
    enrolment = Enrolment.objects.create(plan=plan, hire=newest, assigned_by_id=lead or manager.pk, starts_on=start,
                                         due_on=start + timedelta(days=plan.days), created_at=anchor)
    for module, score in zip(plan.modules.order_by("position")[:4], (None, None, None, 80), strict=False):
        done_at = datetime(start.year, start.month, start.day, 16, tzinfo=UTC) + timedelta(days=2 + module.position * 3)
        ModuleResult.objects.create(enrolment=enrolment, module=module, passed=True, score_percent=score,
                                    attempts=2 if score else 1, completed_at=done_at)


def _policies(*, anchor: datetime, today: date, manager: User, rng: random.Random) -> int:
    policy = Policy.objects.create(title="Refunds and returns", created_at=anchor - timedelta(days=80))
    v1 = PolicyVersion.objects.create(policy=policy, number=1, body=POLICY_V1, effective_on=today - timedelta(days=80),
                                      published_by=manager, published_at=anchor - timedelta(days=82))
    v2 = PolicyVersion.objects.create(policy=policy, number=2, body=POLICY_V2, change_note="45 days; replacements first",
                                      effective_on=today - timedelta(days=3), published_by=manager,
                                      published_at=anchor - timedelta(days=6))
    staff = list(User.objects.filter(email__endswith=names.STAFF_DOMAIN, role__in=[Role.AGENT, Role.TEAM_LEAD])
                 .exclude(username="agent").order_by("username"))
    acks = [PolicyAck(version=v1, user=u, at=anchor - timedelta(days=80 - rng.randint(0, 10))) for u in staff]
    half = rng.sample(staff, len(staff) // 2)
    acks += [PolicyAck(version=v2, user=u, at=anchor - timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 9)))
             for u in half]
    PolicyAck.objects.bulk_create(acks)
    missing = [u for u in staff if u not in half][:5]
    PolicyReminder.objects.bulk_create([PolicyReminder(version=v2, user=u, sent_by=manager, at=anchor - timedelta(days=1))
                                        for u in missing])
    return len(acks)


def coaching_reset() -> None:
    """Delete the demo's coaching (before its people go)."""
    Enrolment.objects.all().delete()
    TrainingPlan.objects.all().delete()
    Policy.objects.all().delete()
    Kudos.objects.all().delete()
    PerformanceReview.objects.all().delete()
    Session.objects.all().delete()
    CoachingPlan.objects.all().delete()
