"""Quality endpoints: reviews (list and detail with scores) and mean scores by agent, team, rubric or
week — each scoped as on the pages (``quality.selectors``): an agent reads only their own submitted
reviews and never a private note; a lead their teams' agents'; managers all."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from frontline.quality import selectors
from frontline.quality.models import Dispute, Review

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import PageParams, by_time, paginate
from .schemas import Id, Moment

router = Router(tags=["quality"])

BY_SUBMITTED_DESC = by_time("submitted_at", descending=True)
ResponseName = Literal["none", "acknowledged", "disputed", "resolved", "open_dispute"]


class ReviewOut(Schema):
    id: int
    ticket_id: int
    agent_id: int
    reviewer_id: int
    rubric: str = Field(description="The rubric's name.")
    rubric_id: int
    version: int = Field(description="The rubric version the review was scored on.")
    total: float | None = Field(description="Percent of attainable weighted points, 0 to 100 (docs/quality.md).")
    critical_error: bool = Field(description="An auto-fail criterion got its lowest score: the total is 0.")
    submitted_at: datetime
    agent_response: str = Field(description="'' (not yet), acknowledged, disputed or resolved.")


class ScoreOut(Schema):
    criterion_id: int
    key: str = Field(description="The criterion's key, the same across rubric versions.")
    label: str
    section: str
    scale: str
    weight: int
    auto_fail: bool
    value: int | None = Field(description="yes/no: 1 or 0; 1-5; null: N/A or not scored.")
    na: bool
    comment: str
    message_id: int | None = Field(description="The message the comment points at.")


class DisputeOut(Schema):
    reason: str
    raised_at: datetime
    outcome: str = Field(description="'' (open), upheld or changed.")
    note: str
    resolved_at: datetime | None
    total_before: float | None


class ReviewDetailOut(ReviewOut):
    summary: str
    private_note: str | None = Field(description="Null for the reviewed agent: they never see it.")
    scores: list[ScoreOut]
    dispute: DisputeOut | None


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_cursor: str | None


class ReviewListParams(PageParams):
    agent_id: Id | None = None
    rubric_id: Id | None = None
    ticket_id: Id | None = None
    response: ResponseName | None = Field(None, description="The agent's response; open_dispute: disputes not yet resolved.")
    submitted_since: Moment | None = None


class SummaryParams(Schema):
    group: Literal["agent", "team", "rubric", "week"] = "agent"
    since: Moment | None = Field(None, description="Reviews submitted at or after (default: 30 days ago).")
    until: Moment | None = Field(None, description="Reviews submitted before (default: now).")


class SummaryOut(Schema):
    key: str = Field(description="Agent, team or rubric id, or the Monday of the week.")
    label: str
    reviews: int
    mean: float | None = Field(description="Mean total, percent.")
    critical: int = Field(description="Reviews with a critical error.")
    disputed: int


def review_out(r: Review) -> ReviewOut:
    return ReviewOut(id=r.pk, ticket_id=r.ticket_id, agent_id=r.agent_id, reviewer_id=r.reviewer_id,
                     rubric=r.version.rubric.name, rubric_id=r.version.rubric_id, version=r.version.number,
                     total=r.total, critical_error=r.auto_failed, submitted_at=r.submitted_at,  # type: ignore[arg-type]
                     agent_response=r.agent_response)


@router.get("/reviews", response={200: ReviewPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Submitted reviews you may see, newest first")
def review_list(request: HttpRequest, params: Query[ReviewListParams]) -> ReviewPage:
    response = None if params.response is None else ("" if params.response == "none" else params.response)
    filters = selectors.ReviewFilters(agent_id=params.agent_id, rubric_id=params.rubric_id, ticket_id=params.ticket_id,
                                      response=response, since=params.submitted_since)
    rows = selectors.reviews_for_viewer(viewer=viewer_of(request), filters=filters)
    page = paginate(rows, keyset=BY_SUBMITTED_DESC, limit=params.limit, cursor=params.cursor)
    return ReviewPage(items=[review_out(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/reviews/{review_id}", response={200: ReviewDetailOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="One review with its scores and dispute")
def review_detail(request: HttpRequest, review_id: int) -> ReviewDetailOut:
    if not valid_id(review_id):
        raise Http404("No such review.")
    viewer = viewer_of(request)
    r = selectors.review_get_for_viewer(review_id=review_id, viewer=viewer)
    scores = {s.criterion_id: s for s in r.scores.all()}
    out = []
    for section, criteria in selectors.version_criteria(version=r.version):
        for c in criteria:
            s = scores.get(c.pk)
            out.append(ScoreOut(criterion_id=c.pk, key=c.key, label=c.label, section=section.title,  # type: ignore[attr-defined]
                                scale=c.scale, weight=c.weight, auto_fail=c.auto_fail,
                                value=s.value if s else None, na=s.na if s else False,
                                comment=s.comment if s else "", message_id=s.message_id if s else None))
    dispute = Dispute.objects.filter(review=r).first()
    return ReviewDetailOut(
        **review_out(r).dict(), summary=r.summary,
        private_note=r.private_note if selectors.sees_private(viewer=viewer, review=r) else None, scores=out,
        dispute=None if dispute is None else DisputeOut(reason=dispute.reason, raised_at=dispute.raised_at,
                                                        outcome=dispute.outcome, note=dispute.note,
                                                        resolved_at=dispute.resolved_at,
                                                        total_before=dispute.total_before))


@router.get("/scores", response={200: list[SummaryOut], **error_responses(403, 422)}, auth=staff_auth,
            summary="Mean review totals by agent, team, rubric or week over the reviews you may see")
def score_summary(request: HttpRequest, params: Query[SummaryParams]) -> list[SummaryOut]:
    until = params.until or timezone.now()
    since = params.since or until - timedelta(days=30)
    rows = selectors.score_summary(viewer=viewer_of(request), since=since, until=until, group=params.group)
    return [SummaryOut(key=str(r.key), label=r.label, reviews=r.reviews, mean=r.mean, critical=r.critical,
                       disputed=r.disputed) for r in rows]
