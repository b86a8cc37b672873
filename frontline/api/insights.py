"""Insights endpoints: feedback items (the inbox, scoped like the pages: managers all, team leads
their tickets' feedback and imported reviews), topics and problems (managers and admins), and a
person's label correction (managers and admins). Writes and reads are ``insights`` services and
selectors; a label outside the choices is a 422 naming the field."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from frontline.insights import impact, selectors, services
from frontline.insights.models import FeedbackItem, Problem, Topic

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import BY_CREATED_DESC, BY_ID_ASC, PageParams, paginate
from .schemas import Id, Moment

router = Router(tags=["insights"])

KindName = Literal["complaint", "praise", "question", "suggestion"]
SentimentName = Literal["negative", "neutral", "positive"]
SourceName = Literal["survey", "ticket", "review"]


class FeedbackOut(Schema):
    id: int
    source: str = Field(description="survey, ticket or review.")
    source_name: str
    external_id: str
    text: str = Field(description="Plain text as the customer wrote it (escape it when you show it).")
    created_at: datetime
    score: int | None
    score_scale: str = Field(description="csat, ces, nps, stars or empty.")
    customer_id: int | None
    ticket_id: int | None
    kind: str = Field(description="complaint, praise, question, suggestion; empty until labelled.")
    kind_corrected: bool
    sentiment: str
    sentiment_corrected: bool
    language: str
    topic_id: int | None


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class FeedbackParams(PageParams):
    source: SourceName | None = None
    kind: KindName | None = None
    sentiment: SentimentName | None = None
    topic_id: Id | None = None
    ticket_id: Id | None = None
    problem_id: Id | None = None
    q: str = Field("", max_length=200, description="Every word in the text, the customer's name or the source.")
    since: Moment | None = Field(None, description="Given at or after this instant.")


class LabelIn(Schema):
    kind: KindName | None = Field(None, description="The corrected kind; omit to leave it.")
    sentiment: SentimentName | None = Field(None, description="The corrected sentiment; omit to leave it.")


class TopicOut(Schema):
    id: int
    label: str
    keywords: list[str]
    size: int
    active: bool
    merged_into_id: int | None
    representatives: list[int] = Field(description="Feedback item ids nearest the topic's centre.")


class ComparisonOut(Schema):
    before: float | None
    after: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    significant: bool
    method: str


class ProblemOut(Schema):
    id: int
    title: str
    description: str
    department: str
    external_url: str
    status: str
    fix_shipped_on: str | None
    topic_id: int | None
    tickets: int
    customers: int
    handle_seconds: int
    cancellations_mentioned: int = Field(description="Linked tickets plus linked feedback mentioning a phrase.")
    csat_affected_vs_others: ComparisonOut | None = Field(
        description="Share satisfied: before = comparable other tickets, after = affected; change in proportion.")
    after_fix_vs_before: ComparisonOut | None = Field(description="Linked tickets per week before vs after the fix.")


def feedback_out(i: FeedbackItem) -> FeedbackOut:
    return FeedbackOut(id=i.pk, source=i.source, source_name=i.source_name, external_id=i.external_id, text=i.text,
                       created_at=i.created_at, score=i.score, score_scale=i.score_scale, customer_id=i.customer_id,
                       ticket_id=i.ticket_id, kind=i.kind, kind_corrected=i.kind_corrected, sentiment=i.sentiment,
                       sentiment_corrected=i.sentiment_corrected, language=i.language, topic_id=i.topic_id)


def _comparison(c: object) -> ComparisonOut | None:
    if c is None:
        return None
    return ComparisonOut(**{k: getattr(c, k) for k in ComparisonOut.model_fields})


@router.get("/feedback", response={200: FeedbackPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Feedback items you may see, newest first (team leads, managers, admins)")
def feedback_list(request: HttpRequest, params: Query[FeedbackParams]) -> FeedbackPage:
    viewer = viewer_of(request)
    selectors.require_reader(viewer)
    filters = selectors.FeedbackFilters(source=params.source or "", kind=params.kind or "",
                                        sentiment=params.sentiment or "", topic_id=params.topic_id,
                                        ticket_id=params.ticket_id, problem_id=params.problem_id, q=params.q,
                                        since=params.since)
    page = paginate(selectors.feedback_list(viewer=viewer, filters=filters), keyset=BY_CREATED_DESC,
                    limit=params.limit, cursor=params.cursor)
    return FeedbackPage(items=[feedback_out(i) for i in page.items], next_cursor=page.next_cursor)


@router.get("/feedback/{item_id}", response={200: FeedbackOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="One feedback item")
def feedback_get(request: HttpRequest, item_id: int) -> FeedbackOut:
    viewer = viewer_of(request)
    selectors.require_reader(viewer)
    return feedback_out(selectors.feedback_get_for_viewer(item_id=item_id if valid_id(item_id) else 0, viewer=viewer))


@router.post("/feedback/{item_id}/label", response={200: FeedbackOut, **error_responses(403, 404, 422)},
             auth=staff_auth, summary="Correct an item's kind and/or sentiment (managers, admins)")
def feedback_label(request: HttpRequest, item_id: int, payload: LabelIn) -> FeedbackOut:
    """The correction becomes a training and evaluation example; the classifier retrains in the
    background. Give ``kind``, ``sentiment`` or both."""
    viewer = viewer_of(request)
    selectors.require_manager(viewer)
    item = selectors.feedback_get_for_viewer(item_id=item_id if valid_id(item_id) else 0, viewer=viewer)
    return feedback_out(services.feedback_label_correct(item=item, actor=viewer, kind=payload.kind,
                                                        sentiment=payload.sentiment))


def topic_out(t: Topic) -> TopicOut:
    return TopicOut(id=t.pk, label=t.label, keywords=list(t.keywords), size=t.size, active=t.active,
                    merged_into_id=t.merged_into_id, representatives=list(t.representatives))


@router.get("/topics", response={200: list[TopicOut], **error_responses(403)}, auth=staff_auth,
            summary="Current topics, largest first (managers, admins)")
def topic_list(request: HttpRequest) -> list[TopicOut]:
    selectors.require_manager(viewer_of(request))
    return [topic_out(t) for t in selectors.topics_active()]


@router.get("/topics/{topic_id}", response={200: TopicOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="One topic (also a retired one, with what it was merged into)")
def topic_get(request: HttpRequest, topic_id: int) -> TopicOut:
    return topic_out(selectors.topic_get(topic_id=topic_id if valid_id(topic_id) else 0, viewer=viewer_of(request)))


def problem_out(p: Problem) -> ProblemOut:
    i = impact.problem_impact(problem=p)
    return ProblemOut(id=p.pk, title=p.title, description=p.description, department=p.department,
                      external_url=p.external_url, status=p.status,
                      fix_shipped_on=p.fix_shipped_on.isoformat() if p.fix_shipped_on else None, topic_id=p.topic_id,
                      tickets=i.tickets, customers=i.customers, handle_seconds=i.handle_seconds,
                      cancellations_mentioned=len(i.cancellation_tickets) + i.cancellation_feedback,
                      csat_affected_vs_others=_comparison(i.csat), after_fix_vs_before=_comparison(i.fix))


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


@router.get("/problems", response={200: ProblemPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Problems with their measured impact (managers, admins)")
def problem_list(request: HttpRequest, params: Query[PageParams]) -> ProblemPage:
    viewer = viewer_of(request)
    selectors.require_manager(viewer)
    page = paginate(selectors.problems_for_viewer(viewer=viewer), keyset=BY_ID_ASC, limit=min(params.limit, 50),
                    cursor=params.cursor)
    return ProblemPage(items=[problem_out(p) for p in page.items], next_cursor=page.next_cursor)


@router.get("/problems/{problem_id}", response={200: ProblemOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="One problem with its measured impact")
def problem_get(request: HttpRequest, problem_id: int) -> ProblemOut:
    return problem_out(selectors.problem_get(problem_id=problem_id if valid_id(problem_id) else 0,
                                             viewer=viewer_of(request)))
