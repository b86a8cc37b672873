"""Reads of insights: the feedback a viewer may see (filters, search, keyset pages), topics,
problems and their measured impact, the configuration.

Visibility (tested in tests/insights/test_permissions.py): managers and admins see all feedback
and everything else here; team leads read the inbox, limited to feedback about tickets they may
see (``desk.selectors``) plus imported reviews (public reviews of the company, tied to no team);
agents and customers see nothing. Topics, trends, problems and the product report count across
every team, so they are for managers and admins only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from frontline.core.keyset import BadCursor, by_time, keyset_page
from frontline.desk.selectors import ticket_queryset_for_viewer, ticket_visibility_q
from frontline.people.models import Role, User

from .models import (
    ClassifierModel,
    FeedbackItem,
    ImportBatch,
    InsightsConfig,
    Problem,
    RunState,
    Source,
    Topic,
    TopicRun,
)

READERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})
PAGE_SIZE = 50


def can_read(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.is_active and viewer.role in READERS)


def can_manage(viewer: User) -> bool:
    return bool(viewer.is_authenticated and viewer.is_active and viewer.role in MANAGERS)


def require_reader(viewer: User) -> None:
    if not can_read(viewer):
        raise PermissionDenied("Feedback is read by team leads, managers and admins.")


def require_manager(viewer: User) -> None:
    if not can_manage(viewer):
        raise PermissionDenied("This part of Insights is for managers and admins.")


def config_get() -> InsightsConfig:
    """The configuration row, or the defaults when it was never saved (nothing is written)."""
    return InsightsConfig.objects.filter(pk=1).first() or InsightsConfig(pk=1)


def cancellation_phrases() -> list[str]:
    return [p.strip().lower() for p in config_get().cancellation_phrases.splitlines() if p.strip()]


# --- the inbox ----------------------------------------------------------------------------------

def feedback_for_viewer(*, viewer: User) -> QuerySet[FeedbackItem]:
    """Every feedback item the viewer may see (nothing for agents and customers)."""
    items = FeedbackItem.objects.all()
    if not can_read(viewer):
        return items.none()
    if ticket_visibility_q(viewer=viewer) is None:
        return items
    return items.filter(Q(ticket_id__in=ticket_queryset_for_viewer(viewer=viewer).values("pk"))
                        | Q(ticket__isnull=True, source=Source.REVIEW))


def feedback_get_for_viewer(*, item_id: int, viewer: User) -> FeedbackItem:
    try:
        return feedback_for_viewer(viewer=viewer).select_related("ticket", "customer", "topic").get(pk=item_id)
    except (FeedbackItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such feedback.") from None


@dataclass(frozen=True)
class FeedbackFilters:
    source: str = ""
    kind: str = ""
    sentiment: str = ""
    language: str = ""
    topic_id: int | None = None
    problem_id: int | None = None
    ticket_id: int | None = None
    q: str = ""
    since: datetime | None = None
    until: datetime | None = None
    corrected: bool = False
    ids: frozenset[int] = frozenset()

    @property
    def active(self) -> bool:
        return self != FeedbackFilters()


def feedback_list(*, viewer: User, filters: FeedbackFilters | None = None) -> QuerySet[FeedbackItem]:
    """The viewer's feedback narrowed by ``filters``, newest first (ties by id)."""
    f = filters or FeedbackFilters()
    items = feedback_for_viewer(viewer=viewer)
    if f.source:
        items = items.filter(source=f.source)
    if f.kind:
        items = items.filter(kind=f.kind)
    if f.sentiment:
        items = items.filter(sentiment=f.sentiment)
    if f.language:
        items = items.filter(language=f.language)
    if f.topic_id is not None:
        items = items.filter(topic_id=f.topic_id)
    if f.problem_id is not None:
        items = items.filter(problems__id=f.problem_id)
    if f.ticket_id is not None:
        items = items.filter(ticket_id=f.ticket_id)
    if f.since is not None:
        items = items.filter(created_at__gte=f.since)
    if f.until is not None:
        items = items.filter(created_at__lt=f.until)
    if f.corrected:
        items = items.filter(Q(kind_corrected=True) | Q(sentiment_corrected=True))
    if f.ids:
        items = items.filter(pk__in=f.ids)
    for word in f.q.split()[:8]:
        items = items.filter(Q(text__icontains=word) | Q(customer_name__icontains=word)
                             | Q(source_name__icontains=word))
    return items.select_related("ticket", "customer", "topic").order_by("-created_at", "-id")


NEWEST_FIRST = by_time("created_at", descending=True)


@dataclass(frozen=True)
class FeedbackPage:
    items: list[FeedbackItem]
    next_cursor: str | None
    bad_cursor: bool = False


def feedback_page(items: QuerySet[FeedbackItem], *, cursor: str = "", limit: int = PAGE_SIZE) -> FeedbackPage:
    """One keyset page of ``items`` (newest first) after ``cursor``; an unreadable cursor gives the
    first page with ``bad_cursor`` set."""
    try:
        page = keyset_page(items, keyset=NEWEST_FIRST, limit=limit, cursor=cursor or None)
    except BadCursor:
        page = keyset_page(items, keyset=NEWEST_FIRST, limit=limit, cursor=None)
        return FeedbackPage(items=page.items, next_cursor=page.next_cursor, bad_cursor=True)
    return FeedbackPage(items=page.items, next_cursor=page.next_cursor)


def feedback_counts(items: QuerySet[FeedbackItem]) -> dict[str, dict[str, int]]:
    """How many of ``items`` have each kind, sentiment and source (for the filter bar)."""
    counts: dict[str, dict[str, int]] = {"kind": {}, "sentiment": {}, "source": {}}
    for field in counts:
        for row in items.order_by().values(field).annotate(n=Count("id")):
            counts[field][row[field]] = row["n"]
    return counts


# --- imports ------------------------------------------------------------------------------------

def batch_get(*, batch_id: int, viewer: User) -> ImportBatch:
    require_manager(viewer)
    try:
        return ImportBatch.objects.get(pk=batch_id)
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404("No such import.") from None


def batches_recent(*, limit: int = 10) -> list[ImportBatch]:
    return list(ImportBatch.objects.defer("content").order_by("-created_at", "-id")[:limit])


# --- classifier, topics ---------------------------------------------------------------------------

def classifier_latest(*, target: str) -> ClassifierModel | None:
    return ClassifierModel.objects.filter(target=target).defer("blob").order_by("-created_at", "-id").first()


def run_latest() -> TopicRun | None:
    return TopicRun.objects.defer("embedder").order_by("-created_at", "-id").first()


def run_current() -> TopicRun | None:
    """The latest finished discovery: its embedder places new items."""
    return TopicRun.objects.filter(state=RunState.DONE, kind="discover").order_by("-finished_at", "-id").first()


def run_get(*, run_id: int, viewer: User) -> TopicRun:
    require_manager(viewer)
    try:
        return TopicRun.objects.defer("embedder").get(pk=run_id)
    except (TopicRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such run.") from None


def topics_active() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True).order_by("-size", "id")


def topic_get(*, topic_id: int, viewer: User) -> Topic:
    require_manager(viewer)
    try:
        return Topic.objects.get(pk=topic_id)
    except (Topic.DoesNotExist, ValueError, TypeError):
        raise Http404("No such topic.") from None


# --- problems -----------------------------------------------------------------------------------

def problems_for_viewer(*, viewer: User) -> QuerySet[Problem]:
    if not can_manage(viewer):
        return Problem.objects.none()
    return Problem.objects.select_related("topic").order_by("-updated_at", "-id")


def problem_get(*, problem_id: int, viewer: User) -> Problem:
    require_manager(viewer)
    try:
        return Problem.objects.select_related("topic").get(pk=problem_id)
    except (Problem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such problem.") from None
