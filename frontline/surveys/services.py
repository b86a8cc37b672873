"""Writes of surveys: schedule one when a ticket is solved, send it by email, answer it, run NPS
campaigns, and the settings.

Every survey goes out through the mail app's outgoing path (``mail.outgoing.notice_send``, key
``survey:<id>``): at most one email per survey, recorded in Admin → Sent emails, bouncing
addresses skipped. A sent survey is a ``survey_sent`` event on its ticket; each answer (and each
change of it) a ``survey_answered`` event with ``{"survey", "score", "summary"}``.
"""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from frontline.core import formats
from frontline.customers.models import Customer
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, StatusCategory, Ticket, TicketEvent
from frontline.mail.models import OutgoingEmail
from frontline.mail.outgoing import notice_send
from frontline.people.models import STAFF_ROLES, User

from . import selectors
from .models import (
    SCALES,
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
from .tokens import token_for

COMMENT_MAX = 2000
NOTICE_KIND = "survey"
SOLVED = frozenset({StatusCategory.SOLVED, StatusCategory.CLOSED})
STALE_SENDING = timedelta(minutes=5)
# Invisible characters that can disguise text (bidi controls, zero-width characters).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def absolute_url(path: str) -> str:
    return settings.FRONTLINE_BASE_URL.rstrip("/") + path


def answer_url(survey: Survey, score: int | None = None) -> str:
    """The absolute address of the survey's answer page (with ``score`` chosen)."""
    token = token_for(survey_id=survey.pk, nonce=survey.nonce)
    if score is None:
        return absolute_url(reverse("surveys_public:answer", args=[token]))
    return absolute_url(reverse("surveys_public:answer_score", args=[token, score]))


def _event(ticket: Ticket, kind: str, at: datetime, actor: User | None = None, **payload: object) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)
    return event


def comment_clean(text: str) -> str:
    """A customer's comment as stored: plain text, NULs, control and invisible characters removed,
    line ends normalised, blank ends trimmed; ValidationError when it is too long."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    text = _INVISIBLE.sub("", text).strip()
    if len(text) > COMMENT_MAX:
        raise ValidationError({"comment": [f"Keep the comment under {COMMENT_MAX:,} characters."]})
    return text


# --- scheduling -------------------------------------------------------------------------------

def _new_survey(*, ticket: Ticket, kind: str, trigger: str, at: datetime, due_at: datetime,
                campaign: NpsCampaign | None = None, channel: str | None = None) -> Survey:
    return Survey.objects.create(
        kind=kind, trigger=trigger, ticket=ticket, customer_id=ticket.requester_id, channel=channel or ticket.channel,
        queue_id=ticket.queue_id, team_id=ticket.team_id, agent_id=ticket.assignee_id, campaign=campaign,
        nonce=secrets.token_hex(16), created_at=at, due_at=due_at)


def survey_schedule_for_solve(*, ticket: Ticket, at: datetime) -> Survey | None:
    """Schedule the survey a solved ticket gets under its rule (None: no rule, disabled, or the
    ticket already has that survey)."""
    rule = selectors.rule_for(channel=ticket.channel, queue_id=ticket.queue_id)
    if rule is None or not rule.enabled:
        return None
    if Survey.objects.filter(ticket=ticket, kind=rule.survey).exclude(state=SurveyState.CANCELLED).exists():
        return None
    return _new_survey(ticket=ticket, kind=rule.survey, trigger=SurveyTrigger.SOLVED, at=at,
                       due_at=at + timedelta(minutes=rule.delay_minutes))


def surveys_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook: a solve schedules the rule's survey; a reopen cancels one not yet sent. (The
    end of a chat an agent took part in is surveyed in the chat window: ``survey_link_for``.)"""
    if event.kind != EventKind.STATUS_CHANGED:
        return
    before, after = event.payload.get("from_category"), event.payload.get("to_category")
    if after in SOLVED and before not in SOLVED:
        survey_schedule_for_solve(ticket=event.ticket, at=event.created_at)
    elif before in SOLVED and after not in SOLVED:
        Survey.objects.filter(ticket_id=event.ticket_id, state=SurveyState.SCHEDULED,
                              trigger=SurveyTrigger.SOLVED).update(state=SurveyState.CANCELLED,
                                                                   note="The ticket was reopened before sending.")


@transaction.atomic
def survey_link_for(*, ticket: Ticket, kind: str = SurveyKind.CSAT, channel: str | None = None,
                    at: datetime | None = None) -> str | None:
    """For the chat app: the answer page of ``ticket``'s ``kind`` survey, to show in the chat itself.

    Makes the survey (delivered in the chat: no email; a ``survey_sent`` event) or returns the
    link of the one already sent; None when the customer was surveyed within the throttle days
    or the ticket's survey of that kind was already handled otherwise.
    """
    at = at or timezone.now()
    if kind not in SurveyKind.values:
        raise ValidationError({"kind": [f"One of {', '.join(SurveyKind.values)}."]})
    existing = Survey.objects.filter(ticket=ticket, kind=kind).exclude(state=SurveyState.CANCELLED).first()
    if existing is not None:
        return answer_url(existing) if existing.state == SurveyState.SENT and existing.expires_at and \
            existing.expires_at > at else None
    config = selectors.config_get()
    Customer.objects.select_for_update().filter(pk=ticket.requester_id).first()
    if selectors.customer_recently_surveyed(customer_id=ticket.requester_id, at=at, days=config.throttle_days):
        return None
    survey = _new_survey(ticket=ticket, kind=kind, trigger=SurveyTrigger.CHAT, at=at, due_at=at,
                         channel=channel or ticket.channel)
    survey.state, survey.sent_at, survey.expires_at = SurveyState.SENT, at, at + timedelta(days=config.link_days)
    survey.save(update_fields=["state", "sent_at", "expires_at"])
    _event(ticket, EventKind.SURVEY_SENT, at, survey=kind, delivery="chat",
           summary=f"{SurveyKind(kind).label} survey shown in the chat")
    return answer_url(survey)


# --- sending -----------------------------------------------------------------------------------

def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders; only the known names are replaced (no attribute access,
    no format specs), anything else stays as written."""
    return re.sub(r"\{([a-z_]+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def survey_email(survey: Survey) -> tuple[str, str]:
    """(subject, body) of the survey's email, with one rating link per score."""
    subject, body = selectors.template_for(kind=survey.kind)
    low, high = SCALES[survey.kind]
    words = selectors.SCALE_WORDS[SurveyKind(survey.kind)]
    lines = []
    for score in range(low, high + 1):
        label = f" ({words[0]})" if score == low else f" ({words[1]})" if score == high else ""
        lines.append(f"  {score}{label}: {answer_url(survey, score)}")
    values = {
        "customer_name": survey.customer.name, "ticket_id": str(survey.ticket_id),
        "ticket_subject": survey.ticket.subject, "question": selectors.QUESTIONS[SurveyKind(survey.kind)],
        "links": "\n".join(lines),
        "expires": formats.date_short(timezone.localtime(survey.expires_at)) if survey.expires_at else "",
    }
    return " ".join(_fill(subject, values).split())[:250], _fill(body, values)


def survey_send(*, survey_id: int, at: datetime | None = None) -> str:
    """Email survey ``survey_id`` if it is due and the customer was not surveyed within the
    throttle days; at most once. Returns the survey's state afterwards."""
    at = at or timezone.now()
    with transaction.atomic():
        survey = (Survey.objects.select_for_update().select_related("ticket", "customer")
                  .filter(pk=survey_id).first())
        if survey is None:
            return "missing"
        if survey.state == SurveyState.SCHEDULED:
            if survey.due_at > at:
                return survey.state
            Customer.objects.select_for_update().filter(pk=survey.customer_id).first()  # one survey per customer at a time
            config = selectors.config_get()
            skip = ""
            if survey.trigger == SurveyTrigger.SOLVED and survey.ticket.status_category not in SOLVED:
                survey.state, survey.note = SurveyState.CANCELLED, "The ticket was reopened before sending."
            elif selectors.customer_recently_surveyed(customer_id=survey.customer_id, at=at, days=config.throttle_days,
                                                      excluding=survey.pk) or Survey.objects.filter(
                    customer_id=survey.customer_id, state=SurveyState.SENDING).exclude(pk=survey.pk).exists():
                skip = selectors.THROTTLED_NOTE.format(days=config.throttle_days)
            elif not survey.customer.email:
                skip = selectors.NO_EMAIL_NOTE
            if skip:
                survey.state, survey.note = SurveyState.SKIPPED, skip
            if survey.state != SurveyState.SCHEDULED:
                survey.save(update_fields=["state", "note"])
                return survey.state
            survey.state, survey.sent_at = SurveyState.SENDING, at
            survey.expires_at = at + timedelta(days=config.link_days)
            survey.save(update_fields=["state", "sent_at", "expires_at"])
        elif survey.state != SurveyState.SENDING:
            return survey.state
    subject, body = survey_email(survey)
    key = f"survey:{survey.pk}"
    status = notice_send(key=key, to=survey.customer.email, subject=subject, body=body, ticket=survey.ticket,
                         kind=NOTICE_KIND, at=at)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().select_related("ticket", "customer").get(pk=survey.pk)
        if survey.state != SurveyState.SENDING:
            return survey.state
        if status == "sent":
            survey.state = SurveyState.SENT
            _event(survey.ticket, EventKind.SURVEY_SENT, survey.sent_at or at, survey=survey.kind,
                   delivery="email", summary=f"{survey.get_kind_display()} survey emailed to {survey.customer.name}")
        else:
            error = OutgoingEmail.objects.filter(notice_key=key).values_list("last_error", flat=True).first() or ""
            survey.state = SurveyState.SKIPPED if status == "skipped" else SurveyState.FAILED
            survey.note = (error or f"Email {status}.")[:300]
        survey.save(update_fields=["state", "note"])
        return survey.state


def surveys_due(*, at: datetime, limit: int = 500) -> list[int]:
    """Scheduled surveys due by ``at``, and sends a worker left unfinished, oldest first."""
    due = Q(state=SurveyState.SCHEDULED, due_at__lte=at) | Q(state=SurveyState.SENDING, sent_at__lte=at - STALE_SENDING)
    return list(Survey.objects.filter(due).order_by("due_at", "id").values_list("pk", flat=True)[:limit])


def surveys_send_due(*, at: datetime | None = None) -> dict[str, int]:
    """Send every due survey (the periodic task); returns how many ended in each state."""
    at = at or timezone.now()
    outcome: dict[str, int] = {}
    for survey_id in surveys_due(at=at):
        state = survey_send(survey_id=survey_id, at=at)
        outcome[state] = outcome.get(state, 0) + 1
    return outcome


# --- answering ---------------------------------------------------------------------------------

def score_check(kind: str, score: object) -> int:
    low, high = SCALES[kind]
    if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
        raise ValidationError({"score": [f"A {SurveyKind(kind).label} score is a whole number from {low} to {high}."]})
    return score


def survey_usable(survey: Survey, at: datetime) -> None:
    """ValidationError unless the survey was sent and its links have not expired."""
    if survey.state != SurveyState.SENT or survey.expires_at is None:
        raise ValidationError({"survey": ["This survey is not open for answers."]})
    if at >= survey.expires_at:
        raise ValidationError({"survey": ["This survey has expired."]})


@transaction.atomic
def survey_answer(*, survey: Survey, score: int, comment: str | None = None, via: str = ResponseVia.EMAIL,
                  at: datetime | None = None) -> SurveyResponse:
    """Record ``score`` (and ``comment``; None keeps the one given before) as the survey's answer.

    The first answer makes the response; a later one with another score or comment changes it
    (one response per survey) and writes another ``survey_answered`` event; the same answer again
    changes nothing. Out-of-scale scores, over-long comments and expired or unsent surveys are a
    ValidationError naming the field; nothing is written then.
    """
    at = at or timezone.now()
    survey = Survey.objects.select_for_update().select_related("ticket", "customer").get(pk=survey.pk)
    survey_usable(survey, at)
    score = score_check(survey.kind, score)
    cleaned = None if comment is None else comment_clean(comment)
    response = SurveyResponse.objects.filter(survey=survey).first()
    low, high = SCALES[survey.kind]
    if response is None:
        response = SurveyResponse.objects.create(survey=survey, score=score, comment=cleaned or "", via=via,
                                                 first_answered_at=at, answered_at=at)
        previous = None
    else:
        new_comment = response.comment if cleaned is None else cleaned
        if response.score == score and response.comment == new_comment:
            return response
        previous = response.score
        response.score, response.comment, response.via, response.answered_at = score, new_comment, via, at
        response.changes += 1
        response.save(update_fields=["score", "comment", "via", "answered_at", "changes"])
    label = survey.get_kind_display()
    if previous is None:
        summary = f"{survey.customer.name} rated {label} {score} of {high}" if low else \
            f"{survey.customer.name} answered NPS {score} (0 to 10)"
    elif previous != score:
        summary = f"{survey.customer.name} changed the {label} answer from {previous} to {score}"
    else:
        summary = f"{survey.customer.name} changed the {label} comment"
    if response.comment:
        excerpt = " ".join(response.comment.split())
        summary += f": “{excerpt[:200]}{'…' if len(excerpt) > 200 else ''}”"
    _event(survey.ticket, EventKind.SURVEY_ANSWERED, at, survey=survey.kind, score=score,
           summary=summary, **({"previous": previous} if previous is not None else {}))
    return response


@transaction.atomic
def survey_answer_for_customer(*, viewer: User, ticket_id: int, kind: str, score: int, comment: str | None = None,
                               at: datetime | None = None) -> SurveyResponse:
    """A signed-in customer (API) answers ``kind`` for their own ticket.

    Only the ticket's requester (a company colleague who sees the ticket may not answer for them);
    others get 404 as if the ticket did not exist. The survey sent for the ticket is answered; a
    solved ticket without a CSAT/CES survey gets one made for the answer (trigger ``api``), unless
    the customer was surveyed within the throttle days. NPS is answered only where one was sent.
    """
    at = at or timezone.now()
    if viewer.role in STAFF_ROLES:
        raise PermissionDenied("Customers answer their own surveys; staff read responses.")
    if kind not in SurveyKind.values:
        raise ValidationError({"survey": [f"One of {', '.join(SurveyKind.values)}."]})
    score_check(kind, score)
    customer = Customer.objects.filter(user=viewer).first()
    ticket = Ticket.objects.filter(pk=ticket_id, requester=customer).first() if customer else None
    if ticket is None:
        raise Http404("No such ticket.")
    survey = (Survey.objects.filter(ticket=ticket, customer=customer, kind=kind, state=SurveyState.SENT)
              .order_by("-sent_at", "-id").first())
    if survey is None:
        if kind == SurveyKind.NPS:
            raise ValidationError({"survey": ["No NPS survey was sent about this ticket."]})
        if ticket.status_category not in SOLVED:
            raise ValidationError({"survey": ["A ticket is rated once it is solved."]})
        if Survey.objects.filter(ticket=ticket, kind=kind).exclude(state=SurveyState.CANCELLED).exists():
            raise ValidationError({"survey": ["This ticket's survey is closed."]})
        config = selectors.config_get()
        survey = _new_survey(ticket=ticket, kind=kind, trigger=SurveyTrigger.API, at=at, due_at=at)
        survey.state, survey.sent_at, survey.expires_at = SurveyState.SENT, at, at + timedelta(days=config.link_days)
        survey.save(update_fields=["state", "sent_at", "expires_at"])
    return survey_answer(survey=survey, score=score, comment=comment, via=ResponseVia.API, at=at)


# --- relational NPS ------------------------------------------------------------------------------

def nps_campaign_due(*, at: datetime) -> bool:
    config = selectors.config_get()
    if not config.nps_enabled:
        return False
    last = NpsCampaign.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    return last is None or at - last >= timedelta(days=config.nps_every_days)


@transaction.atomic
def nps_campaign_run(*, at: datetime | None = None, force: bool = False, seed: str | None = None) -> NpsCampaign | None:
    """Start an NPS campaign if one is due (or ``force``): a random sample of the customers with a
    ticket created in the look-back days who were not surveyed within the throttle days; each
    sampled customer's survey is about their latest ticket. Surveys are sent by the periodic send."""
    at = at or timezone.now()
    if not force and not nps_campaign_due(at=at):
        return None
    config = selectors.config_get()
    recent = (Ticket.objects.filter(created_at__gte=at - timedelta(days=config.nps_lookback_days), created_at__lte=at,
                                    merged_into__isnull=True)
              .order_by("requester_id", "-created_at", "-id").values_list("requester_id", "pk"))
    latest: dict[int, int] = {}
    for customer_id, ticket_id in recent:
        latest.setdefault(customer_id, ticket_id)
    throttled = set(Survey.objects.filter(
        state__in=[SurveyState.SENT, SurveyState.SENDING], customer_id__in=list(latest),
        sent_at__gt=at - timedelta(days=config.throttle_days)).values_list("customer_id", flat=True)) \
        if config.throttle_days else set()
    eligible = sorted(c for c in latest if c not in throttled)
    seed = seed or secrets.token_hex(8)
    share = max(1, min(100, config.nps_sample_percent)) / 100
    sampled = random.Random(seed).sample(eligible, k=round(len(eligible) * share)) if eligible else []
    campaign = NpsCampaign.objects.create(started_at=at, eligible=len(eligible), sampled=len(sampled),
                                          sample_percent=round(share * 100), seed=seed)
    tickets = Ticket.objects.in_bulk([latest[c] for c in sampled])
    for customer_id in sorted(sampled):
        _new_survey(ticket=tickets[latest[customer_id]], kind=SurveyKind.NPS, trigger=SurveyTrigger.NPS, at=at,
                    due_at=at, campaign=campaign)
    return campaign


# --- settings ------------------------------------------------------------------------------------

def _require_manager(actor: User) -> None:
    if actor.role not in ("manager", "admin"):
        raise PermissionDenied("Survey settings are changed by managers and admins.")


@transaction.atomic
def survey_config_update(*, actor: User, values: dict[str, object], at: datetime | None = None) -> SurveyConfig:
    """Save the configuration row (validated by the caller's form) — managers and admins only."""
    _require_manager(actor)
    config = selectors.config_get()
    for name, value in values.items():
        setattr(config, name, value)
    config.updated_at = at or timezone.now()
    config.save()
    return config


@transaction.atomic
def survey_rule_save(*, actor: User, rule: SurveyRule) -> SurveyRule:
    """Create or change a rule (validated by the caller's form) — managers and admins only."""
    _require_manager(actor)
    rule.save()
    return rule


@transaction.atomic
def survey_rule_delete(*, actor: User, rule: SurveyRule) -> None:
    _require_manager(actor)
    rule.delete()


@transaction.atomic
def survey_template_save(*, actor: User, kind: str, subject: str, body: str, at: datetime | None = None) -> SurveyTemplate:
    """Save the email of ``kind`` (placeholders checked by the caller's form) — managers and admins only."""
    _require_manager(actor)
    template, _ = SurveyTemplate.objects.update_or_create(kind=kind, defaults={
        "subject": subject, "body": body, "updated_at": at or timezone.now()})
    return template


@transaction.atomic
def survey_template_reset(*, actor: User, kind: str) -> None:
    """Back to the built-in email of ``kind``."""
    _require_manager(actor)
    SurveyTemplate.objects.filter(kind=kind).delete()
