"""The demo's quality assurance: two rubrics ("Email quality", edited once so it has two versions,
and "Chat quality"), a few hundred reviews of the solved history with realistic disagreement, the
agents' responses (most acknowledged, a few disputed and resolved), this and last week's sampling
assignments, two revealed calibration sessions, and auto-QA on the reviewed tickets and the last
two days (the periodic task checks the rest of the history).

Deterministic from the seed. Reviews are written in bulk (rows as ``quality.services.review_save``
writes them, totals by ``quality.scoring``; the ``qa_reviewed`` events too) for speed; sessions and
sampling go through the quality services.

The disagreement model: each agent has a latent skill per criterion (their true rate of doing it
right), each reviewer a leniency bias and a noise level, and one criterion ("Shows empathy") is
read very differently by different reviewers — so calibration flags it "rewrite this criterion"
while the clear-cut ones ("Uses the customer's name", "No personal data exposed") agree. In a
calibration session every reviewer scores what the same ticket shows (one draw of the agent's
skill per ticket and criterion) and slips now and then (up to 1 % of their scores; on the ambiguous
criterion 60 % more, by up to two steps), so most criteria come out "acceptable" and one or two are flagged.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from frontline.desk.models import EventKind, Message, StatusCategory, Ticket, TicketEvent
from frontline.people.models import Role, Team, User
from frontline.quality import calibration, sampling, scoring, services
from frontline.quality.autoqa import autoqa_run
from frontline.quality.models import (
    AgentResponse,
    Assignment,
    AutoCheck,
    AutoQaPolicy,
    Calibration,
    CalibrationNote,
    Criterion,
    Dispute,
    Review,
    ReviewState,
    Rubric,
    RubricVersion,
    Score,
    Section,
)
from frontline.quality.services import CriterionSpec, ScoreIn, SectionSpec

EMAIL_V1 = (
    SectionSpec("Opening", (
        CriterionSpec("Greets the customer", weight=1, auto_check="greeting",
                      guidance="Yes: a greeting in the first reply."),
        CriterionSpec("Uses the customer's name", weight=1, guidance="Yes: the name appears in a reply."),
    )),
    SectionSpec("Resolution", (
        CriterionSpec("Correct and complete answer", scale="one_five", weight=4,
                      guidance="5: everything right and nothing missing; 3: right but incomplete; 1: wrong."),
        CriterionSpec("Follows the refund and returns policy", scale="yes_no_na", weight=2,
                      auto_check="required_phrases", guidance="N/A when no refund or return is involved."),
    )),
    SectionSpec("Tone", (
        CriterionSpec("Shows empathy", scale="one_five_na", weight=2, auto_check="empathy",
                      guidance="N/A when the customer is neutral."),
        CriterionSpec("Closes with a next step", weight=1, auto_check="closing"),
    )),
    SectionSpec("Compliance", (
        CriterionSpec("No personal data exposed", weight=1, auto_fail=True, auto_check="forbidden_phrases",
                      guidance="Critical: no card numbers, passwords or other customers' data."),
    )),
)
# v2: the answer weighs more and the escalation note is added.
EMAIL_V2 = (
    EMAIL_V1[0],
    SectionSpec("Resolution", (
        CriterionSpec("Correct and complete answer", scale="one_five", weight=5,
                      guidance="5: everything right and nothing missing; 3: right but incomplete; 1: wrong."),
        CriterionSpec("Follows the refund and returns policy", scale="yes_no_na", weight=2,
                      auto_check="required_phrases", guidance="N/A when no refund or return is involved."),
        CriterionSpec("Internal note on escalation", scale="yes_no_na", weight=1, auto_check="escalation_note",
                      guidance="N/A when the ticket was not escalated."),
    )),
    EMAIL_V1[2],
    EMAIL_V1[3],
)
CHAT = (
    SectionSpec("Chat", (
        CriterionSpec("Greets the customer", weight=1, auto_check="greeting"),
        CriterionSpec("Replies promptly", scale="one_five", weight=2, auto_check="reply_time"),
        CriterionSpec("Correct and complete answer", scale="one_five", weight=4),
        CriterionSpec("Shows empathy", scale="one_five_na", weight=2, auto_check="empathy"),
        CriterionSpec("Closes with a next step", weight=1, auto_check="closing"),
        CriterionSpec("No personal data exposed", weight=1, auto_fail=True),
    )),
)
REVIEWS_PER_WEEK = 40
AUTOQA_DAYS = 2
WEEKS = 8
# Criteria readers disagree on, and how much extra noise they add (in share of the scale).
AMBIGUOUS = {"shows-empathy": 0.35}
# In calibration: tickets per session, how often a reviewer's score slips from what the ticket shows (each
# reviewer's rate drawn from this range), and the extra chance on the ambiguous criterion. Chosen with a
# simulation of 200 sessions of 3 reviewers (seeds 1000-1199, not the demo's): one criterion flagged "rewrite"
# in 84 % of sessions, never more than two; the ambiguous one flagged in 92 % (docs/demo.md).
CALIBRATION_TICKETS = 8
CALIBRATION_SLIPS = (0.0, 0.01)
CALIBRATION_AMBIGUOUS = {"shows-empathy": 0.6}
DISPUTE_REASONS = (
    "The customer had already been refunded by billing, so the refund policy did not apply here.",
    "I did greet the customer: the greeting was in the first reply, before the order details.",
    "The answer was complete — the follow-up question came from a different order.",
    "I could not use the customer's name: the email came from a shared mailbox without one.",
)


def _staff() -> tuple[User, list[User], dict[int, User]]:
    manager = User.objects.get(username="manager")
    agents = list(User.objects.filter(role=Role.AGENT, is_active=True).order_by("username"))
    leads: dict[int, User] = {}
    for team in Team.objects.select_related("lead").prefetch_related("members"):
        for member in team.members.all():
            if team.lead_id and member.pk != team.lead_id:
                leads.setdefault(member.pk, team.lead)
    return manager, agents, leads


def _value(rng: random.Random, c: Criterion, skill: float, bias: float, noise: float) -> int | None:
    if c.scale.endswith("_na") and rng.random() < 0.25:
        return None
    noise += AMBIGUOUS.get(c.key, 0.0)
    p = min(1.0, max(0.0, skill + bias + rng.gauss(0, noise)))
    if c.scale.startswith("yes_no"):
        return 1 if rng.random() < p else 0
    return 1 + round(4 * p)


def _score_rows(rng: random.Random, criteria: list[Criterion], skills: dict[str, float], bias: float,
                noise: float) -> dict[int, ScoreIn]:
    out = {}
    for c in criteria:
        base = skills.get(c.key, 0.8)
        if c.auto_fail:
            value: int | None = 0 if rng.random() < 0.02 else 1
        else:
            value = _value(rng, c, base, bias, noise)
        out[c.pk] = ScoreIn(value=value, na=value is None)
    return out


def _reading(rng: random.Random, c: Criterion, truth: ScoreIn, slip: float) -> ScoreIn:
    """A calibration reviewer's score of what the ticket shows (``truth``): the same, except a slip now and
    then (a yes/no flipped, a 1-5 one step off, an N/A judged otherwise), more often and by up to two steps
    on an ambiguous criterion."""
    slip += CALIBRATION_AMBIGUOUS.get(c.key, 0.0)
    if c.auto_fail or rng.random() >= slip:
        return truth
    if truth.value is None:  # N/A to this reviewer's colleagues; scored "as if" by this one
        return ScoreIn(value=1 if c.scale.startswith("yes_no") else 3, na=False)
    if c.scale.startswith("yes_no"):
        return ScoreIn(value=1 - truth.value, na=False)
    size = rng.choice((1, 2)) if c.key in CALIBRATION_AMBIGUOUS else 1  # read differently, not just slipped
    up = truth.value + size <= 5 and (truth.value - size < 1 or rng.random() < 0.5)
    return ScoreIn(value=truth.value + size if up else truth.value - size, na=False)


def _total(criteria: list[Criterion], scores: dict[int, ScoreIn]) -> scoring.Total:
    return scoring.total(scoring.Item(weight=c.weight, scale=c.scale, value=scores[c.pk].value, na=scores[c.pk].na,
                                      auto_fail=c.auto_fail) for c in criteria)


def demo_quality(*, anchor: datetime, seed: int) -> dict[str, int]:
    """Write the demo's quality data; returns counts for the summary."""
    rng = random.Random(f"{seed}-quality")
    manager, agents, leads = _staff()
    if not agents:
        return {"QA reviews": 0}
    start = anchor - timedelta(weeks=WEEKS)
    email_v1 = services.rubric_create(name="Email quality", sections=EMAIL_V1, actor=manager, at=start - timedelta(days=7),
                                      description="Email and web tickets.")
    chat = services.rubric_create(name="Chat quality", sections=CHAT, actor=manager, at=start - timedelta(days=7),
                                  description="Live chats.")
    switch = anchor - timedelta(weeks=3)
    AutoQaPolicy.objects.get_or_create(queue=None, defaults={
        "required_phrases": "refund policy", "forbidden_phrases": "password is\ncard number", "greeting_required": True,
        "closing_required": True})
    # Sorted, so that the draws do not depend on set order (string hashes vary per process).
    reviewers_bias = {pk: (rng.gauss(0, 0.06), rng.uniform(0.05, 0.12))
                      for pk in sorted({u.pk for u in leads.values()} | {manager.pk})}
    keys = sorted(set(Criterion.objects.values_list("key", flat=True)))
    skills = {a.pk: {key: min(0.97, max(0.35, rng.gauss(0.72, 0.12))) for key in keys} for a in agents}
    tickets = list(Ticket.objects.filter(assignee__in=agents, solved_at__gte=start, solved_at__lt=anchor,
                                         status_category__in=[StatusCategory.SOLVED, StatusCategory.CLOSED])
                   .order_by("solved_at", "id").values_list("id", "assignee_id", "channel", "solved_at"))
    rng.shuffle(tickets)
    picked = sorted(tickets[: REVIEWS_PER_WEEK * WEEKS], key=lambda t: t[3])
    email_v2: RubricVersion | None = None
    reviews: list[Review] = []
    pending: list[tuple[Review, dict[int, ScoreIn], list[Criterion]]] = []
    criteria_of: dict[int, list[Criterion]] = {}
    for ticket_id, agent_id, channel, solved_at in picked:
        at = solved_at + timedelta(hours=rng.uniform(6, 72))
        if at >= anchor:
            continue
        if email_v2 is None and at >= switch:
            reviews += _write(pending)  # v1 is in use from here: editing it makes version 2
            pending = []
            email_v2 = services.rubric_edit(rubric=email_v1.rubric, sections=EMAIL_V2, actor=manager, at=switch,
                                            note="Answer weighs 5; internal note on escalation added")
        version = chat if channel == "chat" else (email_v2 or email_v1)
        if version.pk not in criteria_of:
            criteria_of[version.pk] = list(Criterion.objects.filter(version=version).order_by("section__position",
                                                                                             "position"))
        reviewer = leads.get(agent_id, manager)
        bias, noise = reviewers_bias[reviewer.pk]
        rows = _score_rows(rng, criteria_of[version.pk], skills[agent_id], bias, noise)
        result = _total(criteria_of[version.pk], rows)
        review = Review(ticket_id=ticket_id, agent_id=agent_id, reviewer=reviewer, version=version,
                        state=ReviewState.SUBMITTED, total=result.percent, auto_failed=result.auto_failed,
                        summary=_summary(result.percent), created_at=at - timedelta(minutes=12), submitted_at=at)
        pending.append((review, rows, criteria_of[version.pk]))
    reviews += _write(pending)
    disputed = _responses(rng, reviews, leads, manager, anchor)
    assigned = _assignments(anchor, manager, seed)
    sessions = _calibrations(rng, anchor, manager, leads, email_v2 or email_v1, skills)
    checked = _autoqa(anchor)
    return {"QA reviews": len(reviews), "QA disputes": disputed, "QA assignments": assigned,
            "calibration sessions": sessions, "auto-QA tickets": checked}


def _write(pending: list[tuple[Review, dict[int, ScoreIn], list[Criterion]]]) -> list[Review]:
    """Reviews, their scores (a low score's comment points at the first agent reply) and events, in bulk."""
    reviews = Review.objects.bulk_create([review for review, _, _ in pending])
    messages = _agent_messages([r.ticket_id for r in reviews])
    score_rows = []
    for review, rows, criteria in pending:
        for c in criteria:
            s = rows[c.pk]
            low = s.value is not None and scoring.is_lowest(c.scale, s.value)
            comment = f"Missed: {c.label.lower()}." if low else ""
            message_id = messages.get(review.ticket_id) if low else None
            score_rows.append(Score(review=review, criterion=c, value=s.value, na=s.na, comment=comment,
                                    message_id=message_id))
    Score.objects.bulk_create(score_rows)
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket_id=r.ticket_id, kind=EventKind.QA_REVIEWED, actor=r.reviewer, created_at=r.submitted_at,
                    payload={"review": r.pk, "rubric": str(r.version), "agent": r.agent_id,
                             "summary": f"Quality review by {r.reviewer.display_name} ({r.version})"})
        for r in reviews)
    return reviews


def _autoqa(anchor: datetime) -> int:
    """Auto-QA on the reviewed tickets and the last two days' solved ones; the periodic task (or
    ``manage.py quality_autoqa``) checks the rest of the history."""
    reviewed = set(Review.objects.values_list("ticket_id", flat=True))
    recent = set(Ticket.objects.filter(solved_at__gte=anchor - timedelta(days=AUTOQA_DAYS)).values_list("id", flat=True))
    return autoqa_run(ticket_ids=reviewed | recent, at=anchor)


def _summary(total: float | None) -> str:
    if total is None:
        return ""
    if total >= 85:
        return "Strong ticket: clear, complete and friendly. Keep it up."
    if total >= 65:
        return "Good overall; see the criteria marked below for what to tighten."
    return "Let's go through this one in our next one-on-one: the answer missed important parts."


def _agent_messages(ticket_ids: list[int]) -> dict[int, int]:
    """The first agent reply of each ticket (where a low score's comment points)."""
    out: dict[int, int] = {}
    for ticket_id, message_id in (Message.objects.filter(ticket_id__in=ticket_ids, author_kind="agent", is_public=True)
                                  .order_by("created_at", "id").values_list("ticket_id", "id")):
        out.setdefault(ticket_id, message_id)
    return out


def _responses(rng: random.Random, reviews: list[Review], leads: dict[int, User], manager: User,
               anchor: datetime) -> int:
    disputes = []
    for r in reviews:
        age = (anchor - r.submitted_at).days  # type: ignore[operator]
        roll = rng.random()
        if age < 2 or roll < 0.15:
            continue  # not yet seen
        at = r.submitted_at + timedelta(hours=rng.uniform(2, 40))  # type: ignore[operator]
        if roll < 0.21 and (r.total or 0) < 80:
            r.agent_response, r.agent_response_at = AgentResponse.DISPUTED, at
            dispute = Dispute(review=r, reason=rng.choice(DISPUTE_REASONS), raised_at=at, total_before=r.total)
            if age > 5:
                resolver = leads.get(r.agent_id, manager)
                dispute.outcome, dispute.resolved_by = Dispute.Outcome.UPHELD, resolver
                dispute.resolved_at, dispute.note = at + timedelta(days=1), "Checked the conversation: the score stands."
                r.agent_response = AgentResponse.RESOLVED
            disputes.append(dispute)
        else:
            r.agent_response, r.agent_response_at = AgentResponse.ACKNOWLEDGED, at
    Review.objects.bulk_update([r for r in reviews if r.agent_response], ["agent_response", "agent_response_at"])
    Dispute.objects.bulk_create(disputes)
    return len(disputes)


def _assignments(anchor: datetime, manager: User, seed: int) -> int:
    this_week = sampling.week_start(anchor.date())
    made = 0
    for week in (this_week - timedelta(days=7), this_week):
        made += len(sampling.assignments_generate(week=week, per_agent=3, seed=seed, actor=manager, at=anchor))
    # Link last week's assignments to the reviews the demo already has of those tickets.
    for a in Assignment.objects.filter(review__isnull=True).select_related():
        review = Review.objects.filter(ticket_id=a.ticket_id, agent_id=a.agent_id, calibration__isnull=True).first()
        if review is not None:
            a.review = review
            a.save(update_fields=["review"])
    return made


def _calibrations(rng: random.Random, anchor: datetime, manager: User, leads: dict[int, User],
                  version: RubricVersion, skills: dict[int, dict[str, float]]) -> int:
    reviewers = sorted({*leads.values()}, key=lambda u: u.username)
    if len(reviewers) < 2:
        return 0
    solved = list(Ticket.objects.filter(assignee__in=list(leads), channel__in=["email", "web"],
                                        solved_at__lt=anchor - timedelta(days=10),
                                        status_category__in=[StatusCategory.SOLVED, StatusCategory.CLOSED])
                  .order_by("-solved_at", "-id")[:200].values_list("id", flat=True))
    if len(solved) < 2 * CALIBRATION_TICKETS:
        return 0
    chosen = rng.sample(solved, 2 * CALIBRATION_TICKETS)
    criteria = list(Criterion.objects.filter(version=version).order_by("section__position", "position"))
    for n, (title, days_ago, expert, ticket_ids) in enumerate((
            ("Monthly calibration: refunds and returns", 24, None, chosen[:CALIBRATION_TICKETS]),
            ("Monthly calibration: empathy wording", 3, manager, chosen[CALIBRATION_TICKETS:]))):
        at = anchor - timedelta(days=days_ago)
        tickets = list(Ticket.objects.filter(pk__in=ticket_ids).order_by("pk"))
        session = calibration.calibration_create(title=title, version=version, tickets=tickets, reviewers=reviewers,
                                                 expert=expert, actor=manager, at=at - timedelta(days=2))
        people = list(session.reviewers.all())
        slips = {person.pk: 0.005 if person == manager else rng.uniform(*CALIBRATION_SLIPS) for person in people}
        for ticket in tickets:
            truth = _score_rows(rng, criteria, skills.get(ticket.assignee_id, {}), 0.0, 0.1)
            for person in people:
                review = calibration.calibration_review_start(session=session, ticket=ticket, reviewer=person,
                                                              at=at - timedelta(days=1))
                rows = {c.pk: _reading(rng, c, truth[c.pk], slips[person.pk]) for c in criteria}
                services.review_save(review=review, actor=person, scores=rows, submit=True, at=at - timedelta(hours=n))
        session = calibration.calibration_reveal(session=session, actor=manager, at=at)
        calibration.calibration_note_add(
            session=session, author=manager, criterion_key="shows-empathy", at=at + timedelta(minutes=30),
            text="We read 'empathy' three different ways. Agreed: 4 needs an acknowledgement of the problem in the "
                 "customer's words; 5 adds an apology where we caused it. The guidance gets rewritten.")
    return 2


def quality_reset() -> None:
    """Delete every quality row (before the tickets they point at)."""
    AutoCheck.objects.all().delete()
    AutoQaPolicy.objects.all().delete()
    Score.objects.all().delete()
    Dispute.objects.all().delete()
    Assignment.objects.all().delete()
    Review.objects.all().delete()
    CalibrationNote.objects.all().delete()
    Calibration.objects.all().delete()
    Criterion.objects.all().delete()
    Section.objects.all().delete()
    RubricVersion.objects.all().delete()
    Rubric.objects.all().delete()

