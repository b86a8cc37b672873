"""Survey endpoints: a customer answers a survey about their own ticket; staff list responses and
response rates (scoped to the tickets they may see). Writes and reads are ``surveys`` services and
selectors; a score off its survey's scale is a 422 naming ``score``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from frontline.customers.models import Customer
from frontline.people.models import STAFF_ROLES
from frontline.surveys import selectors, services
from frontline.surveys.models import SCALES, SurveyResponse

from .auth import any_auth, staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import PageParams, by_time, paginate
from .schemas import Id, Moment

router = Router(tags=["surveys"])

SurveyName = Literal["csat", "ces", "nps"]
GroupName = Literal["kind", "channel", "queue", "team", "agent", "week"]
BY_ANSWERED_DESC = by_time("answered_at", descending=True)
SCALE_TEXT = ", ".join(f"{k} {low} to {high}" for k, (low, high) in SCALES.items())


class AnswerIn(Schema):
    survey: SurveyName = Field(description="Which survey: csat, ces or nps.")
    score: Annotated[int, Field(strict=True)] = Field(description=f"A whole number on the survey's scale: {SCALE_TEXT}.")
    comment: Annotated[str, Field(max_length=services.COMMENT_MAX)] | None = Field(
        None, description="Optional; omitted or null keeps the comment given before, \"\" clears it.")


class ResponseOut(Schema):
    id: int
    survey: str = Field(description="csat, ces or nps.")
    score: int
    comment: str
    ticket_id: int
    customer_id: int
    channel: str
    queue_id: int | None
    team_id: int | None = Field(description="The ticket's team when the survey was made.")
    agent_id: int | None = Field(description="The ticket's assignee when the survey was made.")
    via: str = Field(description="email (rating link), api or chat.")
    first_answered_at: datetime
    answered_at: datetime = Field(description="When the current score and comment were given.")
    changes: int = Field(description="How often the answer was changed after the first.")


class ResponsePage(Schema):
    items: list[ResponseOut]
    next_cursor: str | None


class ResponseListParams(PageParams):
    survey: SurveyName | None = None
    score: int | None = Field(None, ge=0, le=10)
    ticket_id: Id | None = None
    team_id: Id | None = None
    agent_id: Id | None = None
    with_comment: bool = False
    answered_since: Moment | None = Field(None, description="Answered (or changed) at or after this instant.")


class OpenSurveyOut(Schema):
    id: int
    survey: str
    ticket_id: int
    lowest: int
    highest: int
    expires_at: datetime
    score: int | None = Field(description="The answer given so far; empty when not answered.")
    comment: str


class RateParams(Schema):
    survey: SurveyName = "csat"
    group: GroupName = "team"
    since: Moment | None = Field(None, description="Surveys sent at or after this instant (default: 30 days ago).")
    until: Moment | None = Field(None, description="Surveys sent before this instant (default: now).")


class RateOut(Schema):
    key: str = Field(description="The group's id (team, agent, queue), channel, survey or Monday of the week (weeks in UTC).")
    label: str
    sent: int
    answered: int
    rate: float | None = Field(description="answered / sent, a fraction.")
    score: float | None = Field(description="CSAT: share of 4-5 (fraction); CES: mean; NPS: -100 to 100.")


def response_out(r: SurveyResponse) -> ResponseOut:
    s = r.survey
    return ResponseOut(id=r.pk, survey=s.kind, score=r.score, comment=r.comment, ticket_id=s.ticket_id,
                       customer_id=s.customer_id, channel=s.channel, queue_id=s.queue_id, team_id=s.team_id,
                       agent_id=s.agent_id, via=r.via, first_answered_at=r.first_answered_at,
                       answered_at=r.answered_at, changes=r.changes)


@router.get("/responses", response={200: ResponsePage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Survey responses on the tickets you may see (staff), latest answer first")
def response_list(request: HttpRequest, params: Query[ResponseListParams]) -> ResponsePage:
    filters = selectors.ResponseFilters(
        kind=params.survey or "", scores=(params.score,) if params.score is not None else (),
        with_comment=params.with_comment, team_id=params.team_id, agent_id=params.agent_id,
        since=params.answered_since, ticket_id=params.ticket_id)
    rows = selectors.responses_for_viewer(viewer=viewer_of(request), filters=filters)
    page = paginate(rows, keyset=BY_ANSWERED_DESC, limit=params.limit, cursor=params.cursor)
    return ResponsePage(items=[response_out(r) for r in page.items], next_cursor=page.next_cursor)


@router.get("/rates", response={200: list[RateOut], **error_responses(403, 422)}, auth=staff_auth,
            summary="Surveys sent and answered, and their score, by a grouping (staff; your tickets only)")
def response_rates(request: HttpRequest, params: Query[RateParams]) -> list[RateOut]:
    until = params.until or timezone.now()
    since = params.since or until - timedelta(days=30)
    rows = selectors.response_rates(viewer=viewer_of(request), kind=params.survey, group=params.group, since=since,
                                    until=until)
    return [RateOut(key=r.key, label=r.label, sent=r.sent, answered=r.answered, rate=r.rate, score=r.score)
            for r in rows]


def _customer(request: HttpRequest) -> Customer:
    viewer = viewer_of(request)
    if viewer.role in STAFF_ROLES:
        raise PermissionDenied("Customers answer their own surveys; staff read /surveys/responses.")
    customer = Customer.objects.filter(user=viewer).first()
    if customer is None:
        raise PermissionDenied("This account is not linked to a customer.")
    return customer


@router.get("/mine", response={200: list[OpenSurveyOut], **error_responses(403)}, auth=any_auth,
            summary="Your surveys whose links still work (customers)")
def surveys_mine(request: HttpRequest) -> list[OpenSurveyOut]:
    customer = _customer(request)
    out = []
    for s in selectors.surveys_open_for_customer(customer=customer, at=timezone.now()):
        response = getattr(s, "response", None)
        low, high = SCALES[s.kind]
        out.append(OpenSurveyOut(id=s.pk, survey=s.kind, ticket_id=s.ticket_id, lowest=low, highest=high,
                                 expires_at=s.expires_at, score=response.score if response else None,
                                 comment=response.comment if response else ""))
    return out


@router.post("/tickets/{ticket_id}/answer", response={200: ResponseOut, **error_responses(403, 404, 422)},
             auth=any_auth, summary="Answer (or change your answer to) a survey about your own ticket (customers)")
def survey_answer(request: HttpRequest, ticket_id: int, payload: AnswerIn) -> ResponseOut:
    """The ticket's requester only. The survey sent about the ticket is answered; a solved ticket
    with no CSAT or CES survey yet gets one for this answer. Answering again changes the answer."""
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    _customer(request)
    response = services.survey_answer_for_customer(viewer=viewer_of(request), ticket_id=ticket_id,
                                                   kind=payload.survey, score=payload.score, comment=payload.comment)
    return response_out(SurveyResponse.objects.select_related("survey").get(pk=response.pk))
