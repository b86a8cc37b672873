"""Measured impact of a problem (reads; definitions in docs/insights.md, "Impact").

* **Tickets** linked; **customers** affected: the distinct requesters of those tickets and the
  known customers of the linked feedback.
* **Handle time**: the sum of ``Message.handle_seconds`` (agent time measured while writing) over
  the linked tickets' messages; messages without a measurement count 0 and are counted apart.
* **CSAT, affected vs comparable**: the share of satisfied answers (4-5 of 5; the latest answer of
  each CSAT survey) on linked tickets, against tickets not linked to the problem of the same
  channels created in the same period (first to last linked ticket's creation day), with the
  Newcombe hybrid score interval of the difference and the pooled z test
  (``engine.kpis.compare_rates``).
* **Cancellations mentioned**: linked tickets whose customer messages, and linked feedback whose
  text, contain one of the configured phrases (case ignored).
* **Before / after the fix**: linked tickets per week created before the fix day (the 12 weeks
  before it, or from the first ticket in the desk when the history is shorter) against after it (to today, at most 12 weeks), as two
  Poisson rates per week (``engine.kpis.compare_counts`` with the weeks as exposure).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from frontline.desk.models import AuthorKind, Message, Ticket
from frontline.engine.kpis.compare import Comparison, compare_counts, compare_rates
from frontline.surveys.models import SurveyKind, SurveyResponse

from .models import Problem, ProblemTicket
from .selectors import cancellation_phrases

WINDOW_WEEKS = 12
SATISFIED = 4


@dataclass(frozen=True)
class Impact:
    tickets: int
    ticket_ids: list[int]
    customers: int
    feedback: int
    handle_seconds: int
    handle_measured: int  # agent messages with a measured handle time
    csat: Comparison | None  # before = comparable others, after = affected
    csat_others_ids: list[int]
    cancellation_tickets: list[int]
    cancellation_feedback: int
    fix: Comparison | None  # before = tickets/week before the fix, after = after it
    fix_weeks: tuple[float, float] | None
    channels: list[str]
    period: tuple[date, date] | None


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _satisfied(ticket_ids: object) -> tuple[int, int]:
    scores = list(SurveyResponse.objects.filter(survey__kind=SurveyKind.CSAT, survey__ticket_id__in=ticket_ids)
                  .values_list("score", flat=True))
    return sum(1 for s in scores if s >= SATISFIED), len(scores)


def linked_ticket_ids(problem: Problem) -> list[int]:
    return list(ProblemTicket.objects.filter(problem=problem).order_by("ticket_id").values_list("ticket_id", flat=True))


def fix_comparison(created: list[datetime], fix_day: date, today: date,
                   history_start: date) -> tuple[Comparison, tuple[float, float]] | None:
    """Linked tickets per week before ``fix_day`` vs from it on (see the module docstring);
    ``history_start``: the day the desk's ticket history starts (no week before it counts)."""
    if not created:
        return None
    before_start = max(history_start, fix_day - timedelta(weeks=WINDOW_WEEKS))
    after_end = min(today + timedelta(days=1), fix_day + timedelta(weeks=WINDOW_WEEKS))
    weeks_before = (fix_day - before_start).days / 7
    weeks_after = (after_end - fix_day).days / 7
    if weeks_before <= 0 or weeks_after <= 0:
        return None
    days = [timezone.localdate(c) for c in created]
    before = sum(1 for d in days if before_start <= d < fix_day)
    after = sum(1 for d in days if fix_day <= d < after_end)
    return (compare_counts(before, after, exposure1=weeks_before, exposure2=weeks_after, unit="tickets/week"),
            (weeks_before, weeks_after))


def problem_impact(*, problem: Problem, today: date | None = None) -> Impact:
    today = today or timezone.localdate()
    ids = linked_ticket_ids(problem)
    tickets = list(Ticket.objects.filter(pk__in=ids).values_list("pk", "requester_id", "channel", "created_at"))
    feedback = list(problem.feedback.values_list("customer_id", "text"))
    customers = {r for _, r, _, _ in tickets} | {c for c, _ in feedback if c is not None}
    agent_messages = Message.objects.filter(ticket_id__in=ids, author_kind=AuthorKind.AGENT)
    handle = agent_messages.aggregate(s=Sum("handle_seconds"))["s"] or 0
    measured = agent_messages.filter(handle_seconds__isnull=False).count()
    phrases = cancellation_phrases()
    cancel_tickets: list[int] = []
    cancel_feedback = 0
    if phrases:
        mention = Q()
        for phrase in phrases:
            mention |= Q(body_text__icontains=phrase)
        cancel_tickets = sorted(set(Message.objects.filter(mention, ticket_id__in=ids, author_kind=AuthorKind.CUSTOMER)
                                    .values_list("ticket_id", flat=True)))
        cancel_feedback = sum(1 for _, text in feedback if any(p in text.lower() for p in phrases))
    csat = None
    others_ids: list[int] = []
    channels = sorted({c for _, _, c, _ in tickets})
    period = None
    if tickets:
        first = min(timezone.localdate(c) for *_, c in tickets)
        last = max(timezone.localdate(c) for *_, c in tickets)
        period = (first, last)
        others_ids = list(Ticket.objects.filter(channel__in=channels, created_at__gte=_start(first),
                                                created_at__lt=_start(last + timedelta(days=1)))
                          .exclude(pk__in=ids).values_list("pk", flat=True))
        k_affected, n_affected = _satisfied(ids)
        k_others, n_others = _satisfied(others_ids)
        if n_affected or n_others:
            csat = compare_rates(k_others, n_others, k_affected, n_affected)
    fix = weeks = None
    if problem.fix_shipped_on is not None:
        first_ticket = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
        history_start = timezone.localdate(first_ticket) if first_ticket else problem.fix_shipped_on
        compared = fix_comparison([c for *_, c in tickets], problem.fix_shipped_on, today, history_start)
        if compared is not None:
            fix, weeks = compared
    return Impact(tickets=len(tickets), ticket_ids=ids, customers=len(customers), feedback=len(feedback),
                  handle_seconds=int(handle), handle_measured=measured, csat=csat, csat_others_ids=others_ids,
                  cancellation_tickets=cancel_tickets, cancellation_feedback=cancel_feedback, fix=fix,
                  fix_weeks=weeks, channels=channels, period=period)
