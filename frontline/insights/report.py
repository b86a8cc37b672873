"""The product team's report: the top complaint drivers — problems and topics — with their trend,
impact and verbatims (reads; docs/insights.md, "The product report").

* A **problem**'s volume is its linked tickets created in the period; its trend compares that
  count with the period before (two Poisson counts, ``engine.kpis.compare_counts``).
* A **topic**'s volume is its feedback labelled *complaint* given in the period, its trend the
  same comparison; its negative share is the share of its items in the period with negative
  sentiment.
Drivers are ranked by volume, largest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from frontline.desk.models import Ticket
from frontline.engine.kpis.compare import Comparison, compare_counts

from .impact import Impact, linked_ticket_ids, problem_impact
from .models import FeedbackItem, Kind, Problem, ProblemStatus, Sentiment, Topic

PERIODS = (30, 90, 180, 365)
TOP_TOPICS = 15
CSV_HEADER = ["type", "name", "owner", "status", "volume", "previous period", "trend", "trend p-value",
              "tickets linked", "customers affected", "handle hours", "CSAT affected vs others (points)",
              "CSAT interval low", "CSAT interval high", "cancellations mentioned", "after fix vs before (tickets/week)",
              "negative share", "verbatim 1", "verbatim 2", "verbatim 3", "link"]


@dataclass(frozen=True)
class Driver:
    kind: str  # "problem" | "topic"
    name: str
    url: str
    volume: int
    previous: int
    trend: Comparison
    owner: str = ""
    status: str = ""
    impact: Impact | None = None
    negative_share: float | None = None
    verbatims: list[str] = field(default_factory=list)
    feedback_url: str = ""


def _problem_driver(problem: Problem, since: object, before: object, now: object) -> Driver:
    ids = linked_ticket_ids(problem)
    created = Ticket.objects.filter(pk__in=ids)
    volume = created.filter(created_at__gte=since, created_at__lt=now).count()
    previous = created.filter(created_at__gte=before, created_at__lt=since).count()
    verbatims = list(problem.feedback.order_by("-created_at", "-id").values_list("text", flat=True)[:3])
    return Driver(kind="problem", name=problem.title, url=reverse("insights:problem_detail", args=[problem.pk]),
                  volume=volume, previous=previous, trend=compare_counts(previous, volume, unit="tickets"),
                  owner=problem.get_department_display(), status=problem.get_status_display(),
                  impact=problem_impact(problem=problem), verbatims=verbatims,
                  feedback_url=f"{reverse('insights:inbox')}?problem={problem.pk}")


def complaint_drivers(*, days: int, at: object = None) -> list[Driver]:
    now = at or timezone.now()
    since = now - timedelta(days=days)  # type: ignore[operator]
    before = since - timedelta(days=days)
    drivers = [_problem_driver(p, since, before, now) for p in Problem.objects.exclude(status=ProblemStatus.CLOSED)]
    complaints = FeedbackItem.objects.filter(kind=Kind.COMPLAINT, topic__active=True)
    current = dict(complaints.filter(created_at__gte=since, created_at__lt=now).values("topic")
                   .annotate(n=Count("id")).values_list("topic", "n"))
    earlier = dict(complaints.filter(created_at__gte=before, created_at__lt=since).values("topic")
                   .annotate(n=Count("id")).values_list("topic", "n"))
    ranked = sorted(current, key=lambda t: (-current[t], t))[:TOP_TOPICS]
    topics = Topic.objects.in_bulk(ranked)
    for topic_id in ranked:
        topic = topics[topic_id]
        in_period = FeedbackItem.objects.filter(topic=topic, created_at__gte=since, created_at__lt=now)
        totals = in_period.aggregate(n=Count("id"), negative=Count("id", filter=Q(sentiment=Sentiment.NEGATIVE)))
        verbatims = list(in_period.filter(kind=Kind.COMPLAINT).order_by("-created_at", "-id")
                         .values_list("text", flat=True)[:3])
        drivers.append(Driver(
            kind="topic", name=topic.label, url=reverse("insights:topic_detail", args=[topic.pk]),
            volume=current[topic_id], previous=earlier.get(topic_id, 0),
            trend=compare_counts(earlier.get(topic_id, 0), current[topic_id], unit="complaints"),
            negative_share=totals["negative"] / totals["n"] if totals["n"] else None, verbatims=verbatims,
            feedback_url=f"{reverse('insights:inbox')}?topic={topic.pk}&kind=complaint"))
    return sorted(drivers, key=lambda d: (-d.volume, d.kind, d.name))


def _cell(text: str) -> str:
    """Customer text in a CSV cell: a leading = + - @ (a spreadsheet formula) is quoted away."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_rows(drivers: list[Driver]) -> list[list[object]]:
    rows: list[list[object]] = []
    for d in drivers:
        i = d.impact
        csat = i.csat if i is not None else None
        fix = i.fix if i is not None else None
        verbatims = [_cell(v) for v in ([*d.verbatims, "", "", ""])[:3]]
        rows.append([
            d.kind, _cell(d.name), d.owner, d.status, d.volume, d.previous, d.trend.reading,
            "" if d.trend.p_value is None else f"{d.trend.p_value:.3g}",
            "" if i is None else i.tickets, "" if i is None else i.customers,
            "" if i is None else f"{i.handle_seconds / 3600:.1f}",
            "" if csat is None or csat.change is None else f"{100 * csat.change:.1f}",
            "" if csat is None or csat.ci_low is None else f"{100 * csat.ci_low:.1f}",
            "" if csat is None or csat.ci_high is None else f"{100 * csat.ci_high:.1f}",
            "" if i is None else len(i.cancellation_tickets) + i.cancellation_feedback,
            "" if fix is None else fix.reading,
            "" if d.negative_share is None else f"{d.negative_share:.3f}",
            *verbatims, d.url,
        ])
    return rows
