"""Reads of surveys: the configuration, the rule for a ticket, throttling, the responses a viewer
may see, response rates and scores, and the comments the insights app reads.

Visibility: staff see the surveys of the tickets they may see (``desk.selectors``: managers and
admins all; team leads their teams' tickets, the team-less pool and their own; agents their
teams' and their own); customers see only surveys addressed to them. ``comments`` is the one
unscoped read: an internal feed for the insights app, which scopes its own pages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.db.models import Count, Q, QuerySet

from frontline.customers.models import Customer
from frontline.desk.models import Ticket
from frontline.desk.selectors import ticket_queryset_for_viewer, ticket_visibility_q
from frontline.mail.selectors import NOTICE_BOUNCING, NOTICE_NO_ADDRESS
from frontline.people.models import STAFF_ROLES, User

from .models import (
    NpsCampaign,
    Survey,
    SurveyConfig,
    SurveyKind,
    SurveyResponse,
    SurveyRule,
    SurveyState,
    SurveyTemplate,
)

# Placeholders a template may use (anything else in braces is refused when the template is saved).
PLACEHOLDERS = {
    "customer_name": "the customer's name",
    "ticket_id": "the ticket's number",
    "ticket_subject": "the ticket's subject",
    "question": "the survey's question",
    "links": "the rating links, one per score (required in the body)",
    "expires": "the day the links stop working",
}
QUESTIONS = {
    SurveyKind.CSAT: "How satisfied are you with the support you received?",
    SurveyKind.CES: "How easy was it to get your issue resolved?",
    SurveyKind.NPS: "How likely are you to recommend us to a friend or colleague?",
}
# Words beside the ends of each scale (the email and the answer page).
SCALE_WORDS = {
    SurveyKind.CSAT: ("Very dissatisfied", "Very satisfied"),
    SurveyKind.CES: ("Very difficult", "Very easy"),
    SurveyKind.NPS: ("Not at all likely", "Extremely likely"),
}
DEFAULT_TEMPLATES = {
    SurveyKind.CSAT: ("How did we do? [#{ticket_id}] {ticket_subject}",
                      "Hello {customer_name},\n\nyour request #{ticket_id} \"{ticket_subject}\" was solved. "
                      "{question}\n\n{links}\n\nOne click on a score is enough; you can add a comment after it. "
                      "These links work until {expires}.\n\nThank you!"),
    SurveyKind.CES: ("One quick question about [#{ticket_id}] {ticket_subject}",
                     "Hello {customer_name},\n\nyour request #{ticket_id} \"{ticket_subject}\" was solved. "
                     "{question}\n\n{links}\n\nOne click on a score is enough; you can add a comment after it. "
                     "These links work until {expires}.\n\nThank you!"),
    SurveyKind.NPS: ("Would you recommend us?",
                     "Hello {customer_name},\n\n{question} (0 = not at all likely, 10 = extremely likely)\n\n{links}\n\n"
                     "Your answer helps us decide what to improve. These links work until {expires}.\n\nThank you!"),
}


def config_get() -> SurveyConfig:
    """The configuration row, or the defaults when it was never saved (nothing is written)."""
    return SurveyConfig.objects.filter(pk=1).first() or SurveyConfig(pk=1)


def template_for(*, kind: str) -> tuple[str, str]:
    """(subject, body) of ``kind``'s email: the saved template, else the built-in one."""
    saved = SurveyTemplate.objects.filter(kind=kind).first()
    if saved is not None:
        return saved.subject, saved.body
    return DEFAULT_TEMPLATES[SurveyKind(kind)]


def rule_for(*, channel: str, queue_id: int | None) -> SurveyRule | None:
    """The rule that decides for a ticket of ``channel`` and queue: the most specific one.

    Precedence: channel and queue > queue (any channel) > channel (any queue) > default (both blank).
    """
    candidates = SurveyRule.objects.filter(Q(channel__in=[channel, ""]) & (Q(queue_id=queue_id) | Q(queue__isnull=True))
                                           if queue_id is not None else Q(channel__in=[channel, ""], queue__isnull=True))

    def rank(rule: SurveyRule) -> int:
        return (2 if rule.queue_id is not None else 0) + (1 if rule.channel else 0)

    rules = sorted(candidates, key=rank, reverse=True)
    return rules[0] if rules else None


def customer_recently_surveyed(*, customer_id: int, at: datetime, days: int, excluding: int | None = None) -> bool:
    """Whether the customer was sent a survey (any kind) in the ``days`` before ``at``."""
    if days <= 0:
        return False
    sent = Survey.objects.filter(customer_id=customer_id, state=SurveyState.SENT, sent_at__gt=at - timedelta(days=days),
                                 sent_at__lte=at)
    if excluding is not None:
        sent = sent.exclude(pk=excluding)
    return sent.exists()


def survey_for_token(*, survey_id: int, nonce: str) -> Survey | None:
    """The survey a (verified) token names, if its nonce matches."""
    return (Survey.objects.select_related("ticket", "customer", "response")
            .filter(pk=survey_id, nonce=nonce).first())


# --- what a viewer may see -------------------------------------------------------------------

def surveys_for_viewer(*, viewer: User) -> QuerySet[Survey]:
    """Surveys of the tickets a staff viewer may see; a customer's own surveys; nothing otherwise."""
    surveys = Survey.objects.all()
    if not viewer.is_authenticated or not viewer.is_active:
        return surveys.none()
    if viewer.role in STAFF_ROLES:
        if ticket_visibility_q(viewer=viewer) is None:
            return surveys
        return surveys.filter(ticket_id__in=ticket_queryset_for_viewer(viewer=viewer).values("pk"))
    customer = Customer.objects.filter(user=viewer).first()
    return surveys.filter(customer=customer) if customer is not None else surveys.none()


@dataclass(frozen=True)
class ResponseFilters:
    kind: str = ""
    scores: tuple[int, ...] = ()
    with_comment: bool = False
    team_id: int | None = None
    agent_id: int | None = None
    channel: str = ""
    queue_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    ticket_id: int | None = None


def responses_for_viewer(*, viewer: User, filters: ResponseFilters | None = None) -> QuerySet[SurveyResponse]:
    """Responses the viewer may see (staff: by ticket visibility), newest answer first."""
    f = filters or ResponseFilters()
    if viewer.role not in STAFF_ROLES:
        return SurveyResponse.objects.none()
    responses = SurveyResponse.objects.filter(survey__in=surveys_for_viewer(viewer=viewer)).select_related(
        "survey", "survey__ticket", "survey__customer", "survey__team", "survey__agent", "survey__queue")
    if f.kind:
        responses = responses.filter(survey__kind=f.kind)
    if f.scores:
        responses = responses.filter(score__in=f.scores)
    if f.with_comment:
        responses = responses.exclude(comment="")
    if f.team_id is not None:
        responses = responses.filter(survey__team_id=f.team_id)
    if f.agent_id is not None:
        responses = responses.filter(survey__agent_id=f.agent_id)
    if f.channel:
        responses = responses.filter(survey__channel=f.channel)
    if f.queue_id is not None:
        responses = responses.filter(survey__queue_id=f.queue_id)
    if f.since is not None:
        responses = responses.filter(answered_at__gte=f.since)
    if f.until is not None:
        responses = responses.filter(answered_at__lt=f.until)
    if f.ticket_id is not None:
        responses = responses.filter(survey__ticket_id=f.ticket_id)
    return responses.order_by("-answered_at", "-id")


def surveys_open_for_customer(*, customer: Customer, at: datetime) -> QuerySet[Survey]:
    """Surveys sent to the customer whose links still work (answered or not)."""
    return (Survey.objects.filter(customer=customer, state=SurveyState.SENT, expires_at__gt=at)
            .select_related("ticket", "response").order_by("-sent_at", "-id"))


# --- response rates and scores -----------------------------------------------------------------

GROUPS = {
    "kind": "Survey",
    "channel": "Channel",
    "queue": "Queue",
    "team": "Team",
    "agent": "Agent",
    "week": "Week",
}


@dataclass(frozen=True)
class RateRow:
    """Sent and answered surveys of one group, and the score of the answered ones."""

    key: str
    label: str
    sent: int
    answered: int
    score: float | None  # CSAT: % satisfied (4-5); CES: mean; NPS: promoters % - detractors %
    responses: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


def score_of(kind: str, scores: Iterable[int]) -> float | None:
    """The headline score of ``kind`` over the latest answer of each survey (docs/surveys.md):
    CSAT = share of 4 and 5, as a fraction; CES = mean score; NPS = % promoters (9-10) - %
    detractors (0-6), from -100 to 100."""
    values = list(scores)
    if not values:
        return None
    if kind == SurveyKind.CSAT:
        return sum(1 for s in values if s >= 4) / len(values)
    if kind == SurveyKind.CES:
        return sum(values) / len(values)
    return 100 * (sum(1 for s in values if s >= 9) - sum(1 for s in values if s <= 6)) / len(values)


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def response_rates(*, viewer: User, kind: str, group: str, since: datetime, until: datetime,
                   zone: tzinfo = UTC) -> list[RateRow]:
    """Sent surveys of ``kind`` (sent in [since, until)), answered ones and their score, per ``group``.

    A survey counts as sent when its email went out; answered when it has a response (its latest
    answer scores it). Groups: kind, channel, queue, team, agent, week of sending (weeks start on
    Monday in ``zone``: the page passes the viewer's, the API UTC).
    """
    if group not in GROUPS:
        raise ValueError(f"group: one of {', '.join(GROUPS)}")
    surveys = surveys_for_viewer(viewer=viewer).filter(state=SurveyState.SENT, sent_at__gte=since, sent_at__lt=until)
    if kind:
        surveys = surveys.filter(kind=kind)
    rows = surveys.values_list("kind", "channel", "queue_id", "queue__name", "team_id", "team__name", "agent_id",
                               "agent__first_name", "agent__last_name", "agent__username", "sent_at", "response__score")
    sent: dict[str, int] = defaultdict(int)
    scores: dict[str, list[int]] = defaultdict(list)
    labels: dict[str, str] = {}
    for (k, channel, queue_id, queue_name, team_id, team_name, agent_id, first, last, username, sent_at,
         score) in rows.iterator(chunk_size=2000):
        if group == "kind":
            key, label = k, SurveyKind(k).label
        elif group == "channel":
            key, label = channel, channel.capitalize()
        elif group == "queue":
            key, label = str(queue_id or ""), queue_name or "No queue"
        elif group == "team":
            key, label = str(team_id or ""), team_name or "No team"
        elif group == "agent":
            key, label = str(agent_id or ""), (f"{first} {last}".strip() or username) if agent_id else "Unassigned"
        else:
            monday = _week(sent_at.astimezone(zone).date())
            key, label = monday.isoformat(), f"Week of {monday:%-d %b %Y}"
        labels[key] = label
        sent[key] += 1
        if score is not None:
            scores[key].append(score)
    result = [RateRow(key=key, label=labels[key], sent=n, answered=len(scores[key]),
                      score=score_of(kind, scores[key]) if kind else None, responses=len(scores[key]))
              for key, n in sent.items()]
    if group == "week":
        return sorted(result, key=lambda r: r.key)
    return sorted(result, key=lambda r: (-r.sent, r.label))


def rate_totals(rows: list[RateRow], kind: str, scores: Iterable[int] = ()) -> RateRow:
    sent = sum(r.sent for r in rows)
    answered = sum(r.answered for r in rows)
    values = list(scores)
    return RateRow(key="", label="All", sent=sent, answered=answered, score=score_of(kind, values) if kind else None,
                   responses=answered)


def scores_for_viewer(*, viewer: User, kind: str, since: datetime, until: datetime) -> list[int]:
    """Scores of ``kind``'s answered surveys sent in [since, until) that the viewer may see."""
    return list(surveys_for_viewer(viewer=viewer).filter(kind=kind, state=SurveyState.SENT, sent_at__gte=since,
                                                          sent_at__lt=until, response__isnull=False)
                .values_list("response__score", flat=True))


def survey_counts(*, viewer: User, since: datetime, until: datetime) -> dict[str, int]:
    """How many surveys the viewer's tickets got, by state, created in [since, until)."""
    counts: dict[str, int] = defaultdict(int)
    for state in surveys_for_viewer(viewer=viewer).filter(created_at__gte=since, created_at__lt=until).values_list(
            "state", flat=True):
        counts[state] += 1
    return dict(counts)


THROTTLED_NOTE = "The customer was surveyed in the last {days} days."
NO_EMAIL_NOTE = "The customer has no email address."


SKIP_REASONS = ("throttled", "no_email", "bouncing", "limit")


def _skip_reason(note: str) -> str:
    if note.startswith(THROTTLED_NOTE.split("{", 1)[0]):
        return "throttled"
    if note in (NO_EMAIL_NOTE, NOTICE_NO_ADDRESS):
        return "no_email"
    return "bouncing" if note == NOTICE_BOUNCING else "limit"  # else the automatic-mail rate limit


def skip_reasons(*, viewer: User, since: datetime, until: datetime) -> dict[str, int]:
    """Why the viewer's surveys created in [since, until) were not sent, in SKIP_REASONS order (only
    those that occur): ``throttled`` (the customer was surveyed within the throttle days),
    ``no_email`` (no real address), ``bouncing`` (the address bounces), ``limit`` (the
    automatic-mail rate limit per address)."""
    out: dict[str, int] = defaultdict(int)
    rows = (surveys_for_viewer(viewer=viewer).filter(state=SurveyState.SKIPPED, created_at__gte=since, created_at__lt=until)
            .values("note").annotate(n=Count("id")).values_list("note", "n"))
    for note, n in rows:
        out[_skip_reason(note)] += n
    return {reason: out[reason] for reason in SKIP_REASONS if out.get(reason)}


def campaigns_recent(*, limit: int = 6) -> list[NpsCampaign]:
    return list(NpsCampaign.objects.order_by("-started_at")[:limit])


def surveys_of_ticket(*, ticket: Ticket) -> list[Survey]:
    """A ticket's surveys with their responses (the caller has checked the viewer sees the ticket)."""
    return list(Survey.objects.filter(ticket=ticket).select_related("response").order_by("created_at", "id"))


# --- the feed the insights app reads ---------------------------------------------------------------

@dataclass(frozen=True)
class SurveyComment:
    """A survey response with a comment, for feedback analysis."""

    response_id: int
    ticket_id: int
    customer_id: int
    survey: str  # "csat" | "ces" | "nps"
    score: int
    comment: str
    answered_at: datetime  # when the current score and comment were given


def comments(*, since: datetime | None = None, limit: int | None = None) -> list[SurveyComment]:
    """Responses with a non-empty comment, answered (or changed) at or after ``since``, oldest first.

    Unscoped: an internal read for the insights app (which applies its own page permissions). A
    response changed after ``since`` comes again with its current score and comment; key on
    ``response_id`` to keep one item per response.
    """
    rows = SurveyResponse.objects.exclude(comment="")
    if since is not None:
        rows = rows.filter(answered_at__gte=since)
    rows = rows.order_by("answered_at", "id")
    if limit is not None:
        rows = rows[:limit]
    return [SurveyComment(response_id=pk, ticket_id=ticket_id, customer_id=customer_id, survey=kind, score=score,
                          comment=comment, answered_at=answered_at)
            for pk, ticket_id, customer_id, kind, score, comment, answered_at in rows.values_list(
                "pk", "survey__ticket_id", "survey__customer_id", "survey__kind", "score", "comment", "answered_at")]
