"""The demo's surveys: settings, the CSAT / CES surveys of the solved history and three NPS campaigns.

Written after the tickets (the same for both writers), deterministic from the seed. The timeline is
played in order so throttling holds as in production: a customer surveyed in the last
``THROTTLE_DAYS`` gets no other survey (a "not sent" row). About a quarter of the surveys are
answered; scores follow the ticket's experience (a slow first reply, a reopen, a long resolution
lower them), and so does the chance of a comment. The comments are varied and carry two recurring
complaints on purpose: the confusing workspace-setup step of onboarding, and delivery delays.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from frontline.customers.models import Customer
from frontline.desk.models import Channel, EventKind, Queue, StatusCategory, Ticket, TicketEvent
from frontline.surveys.models import (
    NpsCampaign,
    ResponseVia,
    Survey,
    SurveyConfig,
    SurveyKind,
    SurveyResponse,
    SurveyRule,
    SurveyState,
    SurveyTemplate,
    SurveyTrigger,
)

THROTTLE_DAYS = 7
LINK_DAYS = 14
NPS_EVERY_DAYS = 30
NPS_SAMPLE = 0.2
# (channel, queue name, survey, delay in minutes, enabled): the demo's rules
RULES = (
    ("", None, SurveyKind.CSAT, 60, True),
    ("", "Technical", SurveyKind.CES, 120, True),
    (Channel.CHAT, None, SurveyKind.CSAT, 5, True),
    (Channel.SOCIAL, None, SurveyKind.CSAT, 60, False),
)

# --- the words ------------------------------------------------------------------------------------

ONBOARDING = (
    "The setup wizard lost me at the workspace step. I had no idea what a 'workspace ID' was.",
    "Your agent was great, but the onboarding step where you connect a workspace is really confusing.",
    "I only needed help because step 3 of the setup (linking the workspace) makes no sense.",
    "Onboarding is confusing: it asks for a workspace ID before telling you where to find it.",
    "Had to contact you twice because of the workspace setup screen. Please make that step clearer.",
    "Fine in the end, but the account setup flow is baffling. The workspace step should explain itself.",
    "The 'connect your workspace' step during sign-up is where everyone on my team got stuck.",
    "We almost cancelled during onboarding. The workspace linking step is not intuitive at all.",
    "Solved, thanks. Still think the onboarding should not need a support ticket to get past the workspace step.",
    "The invite link worked, but setting up the workspace was confusing and the help article didn't match the screen.",
    "Setting up took an hour because the workspace step kept rejecting the code. Nothing says what format it wants.",
    "Please fix the onboarding. The workspace step is a maze and I am not a beginner.",
)
DELIVERY = (
    "Three weeks for a delivery is too long, and nobody told me it was delayed.",
    "The agent was polite but my parcel is still late. Delivery times need to improve.",
    "Delivery was delayed again. Second time this year.",
    "I had to chase the delivery myself. The tracking said 'in transit' for ten days.",
    "Order arrived 12 days after the promised date. The support was fine, the delivery was not.",
    "Why does shipping take so long? I was promised 3 to 5 days and it took over two weeks.",
    "Nice people, slow couriers. The delay ruined a birthday present.",
    "Delivery delays keep happening and each time I have to open a ticket to find out why.",
    "Tracking never updated and the parcel came a week late. Please sort out the courier.",
    "The refund for the late delivery fee was quick, but the order itself took forever to arrive.",
    "Still waiting for the replacement. The original delivery was late too.",
)
SLOW_REPLY = (
    "It took days to get a first answer.",
    "I waited far too long for someone to reply.",
    "Slow to respond. I had to write three times.",
    "Two days without a reply on an urgent issue is not acceptable.",
    "The answer was right but it came very late.",
)
REOPENED = (
    "Marked as solved when it wasn't. I had to reopen it.",
    "The first fix didn't work, so I had to come back.",
    "Closed too early; the problem came back the next day.",
    "I had to explain the problem again after it was reopened.",
)
NEUTRAL = (
    "It was OK. Got there in the end.",
    "Average experience, nothing special.",
    "Solved, though it took a few messages.",
    "Answer was correct but a bit generic.",
    "Fine. Would be nice to have this in the help centre.",
    "The invoice copy arrived, but it should be downloadable without asking.",
)
PRAISE = (
    "Quick and friendly, thank you!",
    "{agent} was brilliant. Sorted in minutes.",
    "Very helpful, clear explanation.",
    "Fast reply and the problem is fixed. Great service.",
    "Thanks {agent}, you went above and beyond.",
    "Best support experience I've had in a while.",
    "Solved on the first reply, perfect.",
    "Really appreciated the follow-up.",
    "Clear, patient and quick. Thank you.",
    "{agent} explained everything step by step. Much appreciated.",
    "Super fast, thanks!",
    "Great help with the refund, no hassle at all.",
)
NPS_PROMOTER = (
    "Great product and support that actually listens.",
    "Reliable, and when something goes wrong you fix it fast.",
    "I recommend you to colleagues all the time.",
    "Good value and the app just works.",
)
NPS_PASSIVE = (
    "Good overall, but the onboarding could be much simpler.",
    "Decent service; deliveries could be faster.",
    "It does what we need. Pricing is a bit high.",
    "Mostly fine. The mobile app could be better.",
)
NPS_DETRACTOR = (
    "Deliveries are always late and I'm tired of chasing them.",
    "Too many problems getting started; the workspace setup nearly made us leave.",
    "Support is fine but the product keeps breaking.",
    "Considering other options because of repeated delivery delays.",
)


@dataclass(frozen=True)
class _Ticket:
    pk: int
    customer_id: int
    channel: str
    queue: str
    queue_id: int | None
    team_id: int | None
    agent_id: int | None
    agent_name: str
    solved_at: datetime | None
    created_at: datetime
    first_reply_h: float | None
    reopens: int
    area: str


def _experience(t: _Ticket) -> float:
    """0 (bad) to 1 (good): a quick first reply, no reopen, a short resolution."""
    score = 1.0
    if t.first_reply_h is None or t.first_reply_h > 24:
        score -= 0.35
    elif t.first_reply_h > 8:
        score -= 0.2
    elif t.first_reply_h > 2:
        score -= 0.05
    score -= 0.3 * min(t.reopens, 2)
    if t.solved_at is not None and (t.solved_at - t.created_at) > timedelta(days=4):
        score -= 0.15
    return max(0.0, min(1.0, score))


def _score(rng: random.Random, kind: str, good: float) -> int:
    """A score on ``kind``'s scale, drawn around where ``good`` (0 to 1) puts it."""
    low, high = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}[kind]
    centre = low + (high - low) * (0.25 + 0.7 * good)
    value = rng.gauss(centre, (high - low) * 0.18)
    return int(max(low, min(high, round(value))))


OPENERS = ("", "", "", "Honestly, ", "To be fair, ", "Overall: ", "", "Hmm. ", "Well, ", "")
CLOSERS = ("", "", "", " Thanks.", " Please pass this on.", " Otherwise fine.", "", " Not happy.", " Cheers", "")


def _comment(rng: random.Random, t: _Ticket, kind: str, score: int) -> str:
    text = _comment_core(rng, t, kind, score)
    if not text:
        return ""
    opener, closer = rng.choice(OPENERS), rng.choice(CLOSERS)
    if opener:
        text = opener + text[0].lower() + text[1:]
    if closer and (closer != " Not happy." or score <= 2):
        text = text + closer
    return text


def _comment_core(rng: random.Random, t: _Ticket, kind: str, score: int) -> str:
    low, high = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}[kind]
    share = (score - low) / (high - low)
    if rng.random() > (0.65 if share < 0.5 else 0.35):
        return ""
    agent = t.agent_name or "The agent"
    if kind == SurveyKind.NPS:
        pool = NPS_DETRACTOR if score <= 6 else NPS_PASSIVE if score <= 8 else NPS_PROMOTER
        return rng.choice(pool)
    if share >= 0.75:
        return rng.choice(PRAISE).format(agent=agent)
    onboarding = t.area in ("Web app", "Login", "Subscriptions", "Mobile app", "Product")
    delivery = t.area in ("Delivery", "Warehouse", "Returns")
    reasons = []
    if onboarding and rng.random() < 0.55:
        reasons.append(rng.choice(ONBOARDING))
    if delivery and rng.random() < 0.6:
        reasons.append(rng.choice(DELIVERY))
    if t.reopens and rng.random() < 0.7:
        reasons.append(rng.choice(REOPENED))
    if (t.first_reply_h or 99) > 8 and rng.random() < 0.6:
        reasons.append(rng.choice(SLOW_REPLY))
    if not reasons:
        reasons.append(rng.choice(NEUTRAL if share >= 0.4 else ONBOARDING + DELIVERY + SLOW_REPLY))
    return " ".join(reasons[:2])


def _tickets() -> list[_Ticket]:
    queues = dict(Queue.objects.values_list("pk", "name"))
    rows = Ticket.objects.filter(merged_into__isnull=True).values_list(
        "pk", "requester_id", "channel", "queue_id", "team_id", "assignee_id", "assignee__first_name", "solved_at",
        "closed_at", "created_at", "first_response_at", "reopen_count", "custom_fields", "status_category")
    out = []
    for (pk, customer, channel, queue_id, team_id, agent_id, agent_name, solved_at, closed_at, created_at, first,
         reopens, fields, category) in rows.order_by("pk"):
        out.append(_Ticket(
            pk=pk, customer_id=customer, channel=channel, queue=queues.get(queue_id, ""), queue_id=queue_id,
            team_id=team_id, agent_id=agent_id, agent_name=agent_name or "",
            solved_at=(solved_at or closed_at) if category in (StatusCategory.SOLVED, StatusCategory.CLOSED) else None,
            created_at=created_at, first_reply_h=(first - created_at).total_seconds() / 3600 if first else None,
            reopens=reopens, area=str((fields or {}).get("product_area") or "")))
    return out


def _rule(channel: str, queue: str) -> tuple[str, int, bool] | None:
    best = None
    for ch, q, kind, delay, enabled in RULES:
        if (ch and ch != channel) or (q and q != queue):
            continue
        rank = (2 if q else 0) + (1 if ch else 0)
        if best is None or rank > best[0]:
            best = (rank, (kind, delay, enabled))
    return best[1] if best else None


def demo_surveys(*, anchor: datetime, seed: int = 7) -> dict[str, int]:
    """Settings, then the surveys of the history up to ``anchor``; returns counts."""
    rng = random.Random(f"{seed}-surveys")
    nonce = random.Random(f"{seed}-survey-nonces")
    queues = dict(Queue.objects.values_list("name", "pk"))
    SurveyConfig.objects.update_or_create(pk=1, defaults={
        "throttle_days": THROTTLE_DAYS, "link_days": LINK_DAYS, "nps_enabled": True, "nps_every_days": NPS_EVERY_DAYS,
        "nps_sample_percent": round(NPS_SAMPLE * 100), "nps_lookback_days": 90, "updated_at": anchor})
    for channel, queue, kind, delay, enabled in RULES:
        SurveyRule.objects.create(channel=channel, queue_id=queues.get(queue) if queue else None, survey=kind,
                                  delay_minutes=delay, enabled=enabled)
    tickets = _tickets()
    if not tickets:
        return {"surveys": 0, "survey responses": 0, "NPS campaigns": 0}
    start = min(t.created_at for t in tickets)
    # the timeline: (when, order, what) — transactional surveys at their due time, NPS campaigns
    timeline: list[tuple[datetime, int, object]] = []
    for t in tickets:
        rule = _rule(t.channel, t.queue) if t.solved_at else None
        if rule is not None and rule[2]:
            timeline.append((t.solved_at + timedelta(minutes=rule[1]), t.pk, (rule[0], t)))  # type: ignore[operator]
    campaign_at = start + timedelta(days=5)
    while campaign_at < anchor:
        timeline.append((campaign_at.replace(minute=0, second=0, microsecond=0), 0, "nps"))
        campaign_at += timedelta(days=NPS_EVERY_DAYS)
    timeline.sort(key=lambda item: (item[0], item[1]))
    by_customer: dict[int, list[_Ticket]] = {}
    for t in tickets:
        by_customer.setdefault(t.customer_id, []).append(t)
    last_sent: dict[int, datetime] = {}
    surveys: list[Survey] = []
    answers: list[tuple[int, int, str, datetime, int | None, datetime | None]] = []  # index, score, comment, at, first score, first at
    for due, _order, what in timeline:
        if what == "nps":
            eligible = sorted({t.customer_id for t in tickets if due - timedelta(days=90) <= t.created_at <= due
                               and not (t.customer_id in last_sent and due - last_sent[t.customer_id]
                                        < timedelta(days=THROTTLE_DAYS))})
            sampled = rng.sample(eligible, k=round(len(eligible) * NPS_SAMPLE))
            campaign = NpsCampaign.objects.create(started_at=due, eligible=len(eligible), sampled=len(sampled),
                                                  sample_percent=round(NPS_SAMPLE * 100), seed=f"demo-{seed}")
            for customer_id in sorted(sampled):
                own = [x for x in by_customer[customer_id] if x.created_at <= due]
                t = max(own, key=lambda x: (x.created_at, x.pk))
                history = [_experience(x) for x in own]
                good = sum(history) / len(history)
                _add(surveys, answers, rng, nonce, t, SurveyKind.NPS, SurveyTrigger.NPS, due, anchor, good,
                     campaign=campaign, rate=0.2)
                last_sent[customer_id] = due
            continue
        kind, t = what  # type: ignore[misc]
        if due >= anchor:
            surveys.append(_survey(nonce, t, kind, SurveyTrigger.SOLVED, t.solved_at or due, due,
                                   SurveyState.SCHEDULED))
            continue
        if t.customer_id in last_sent and due - last_sent[t.customer_id] < timedelta(days=THROTTLE_DAYS):
            skipped = _survey(nonce, t, kind, SurveyTrigger.SOLVED, t.solved_at or due, due, SurveyState.SKIPPED)
            skipped.note = f"The customer was surveyed in the last {THROTTLE_DAYS} days."
            surveys.append(skipped)
            continue
        _add(surveys, answers, rng, nonce, t, kind, SurveyTrigger.SOLVED, due, anchor, _experience(t),
             rate=0.18 + 0.14 * (1 - _experience(t)) if t.channel != Channel.CHAT else 0.3)
        last_sent[t.customer_id] = due
    Survey.objects.bulk_create(surveys, batch_size=1000)
    responses, events = [], []
    names = dict(Customer.objects.values_list("pk", "name"))
    for s in surveys:
        if s.state == SurveyState.SENT:
            events.append(TicketEvent(ticket_id=s.ticket_id, kind=EventKind.SURVEY_SENT, created_at=s.sent_at, payload={
                "survey": s.kind, "delivery": "email",
                "summary": f"{SurveyKind(s.kind).label} survey emailed to {names.get(s.customer_id, 'the customer')}"}))
    for index, score, comment, at, _first_score, first_at in answers:
        s = surveys[index]
        responses.append(SurveyResponse(survey_id=s.pk, score=score, comment=comment, via=ResponseVia.EMAIL,
                                        first_answered_at=first_at or at, answered_at=at, changes=1 if first_at else 0))
    SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    for index, score, comment, at, first_score, first_at in answers:
        s = surveys[index]
        who = names.get(s.customer_id, "The customer")
        label = SurveyKind(s.kind).label
        excerpt = f": “{comment[:200]}”" if comment else ""
        if first_at is not None:
            events.append(TicketEvent(ticket_id=s.ticket_id, kind=EventKind.SURVEY_ANSWERED, created_at=first_at,
                                      payload={"survey": s.kind, "score": first_score,
                                               "summary": f"{who} rated {label} {first_score}"}))
        summary = (f"{who} changed the {label} answer from {first_score} to {score}" if first_at is not None
                   else f"{who} rated {label} {score}") + excerpt
        events.append(TicketEvent(ticket_id=s.ticket_id, kind=EventKind.SURVEY_ANSWERED, created_at=at, payload={
            "survey": s.kind, "score": score, "summary": summary,
            **({"previous": first_score} if first_at is not None else {})}))
    TicketEvent.objects.bulk_create(events, batch_size=2000)
    return {"surveys": sum(1 for s in surveys if s.state == SurveyState.SENT), "survey responses": len(responses),
            "NPS campaigns": NpsCampaign.objects.count()}


def _survey(nonce: random.Random, t: _Ticket, kind: str, trigger: str, created: datetime, due: datetime,
            state: str, campaign: NpsCampaign | None = None) -> Survey:
    return Survey(kind=kind, trigger=trigger, state=state, ticket_id=t.pk, customer_id=t.customer_id, channel=t.channel,
                  queue_id=t.queue_id, team_id=t.team_id, agent_id=t.agent_id, campaign=campaign,
                  nonce=f"{nonce.getrandbits(128):032x}", created_at=created, due_at=due)


def _add(surveys: list[Survey], answers: list, rng: random.Random, nonce: random.Random, t: _Ticket,  # type: ignore[type-arg]
         kind: str, trigger: str, at: datetime, anchor: datetime, good: float, *, rate: float,
         campaign: NpsCampaign | None = None) -> None:
    created = (t.solved_at or at) if trigger == SurveyTrigger.SOLVED else at
    survey = _survey(nonce, t, kind, trigger, created, at, SurveyState.SENT, campaign)
    survey.sent_at, survey.expires_at = at, at + timedelta(days=LINK_DAYS)
    surveys.append(survey)
    if rng.random() >= rate:
        return
    delay = timedelta(minutes=math.exp(rng.gauss(math.log(150), 1.3)))
    answered = at + min(delay, timedelta(days=LINK_DAYS - 1))
    if answered >= anchor:
        return
    score = _score(rng, kind, good)
    comment = _comment(rng, t, kind, score)
    first_score = first_at = None
    if rng.random() < 0.05:  # a customer who clicked one score and then changed their mind
        first_score, first_at = _score(rng, kind, good * 0.5), answered
        answered = answered + timedelta(minutes=rng.randint(1, 30))
        if answered >= anchor or first_score == score:
            first_score = first_at = None
    answers.append((len(surveys) - 1, score, comment, answered, first_score, first_at))


def surveys_reset() -> None:
    """Remove every survey row and the demo's settings (events go with the tickets)."""
    SurveyResponse.objects.all().delete()
    Survey.objects.all().delete()
    NpsCampaign.objects.all().delete()
    SurveyRule.objects.all().delete()
    SurveyTemplate.objects.all().delete()
    SurveyConfig.objects.all().delete()

