"""Calibration sessions: several reviewers score the same tickets blind, then the scores are
revealed side by side, discussed, and measured for agreement.

Writes (``calibration_*``) and the session's reads live here. Blindness: before the session is
revealed nobody — reviewers, the facilitator, managers — reads anyone else's scores; the session
page shows only who has submitted. Revealing (by the facilitator or a manager) freezes the scores.
Only submitted scores count.

Reliability (docs/quality.md, "Calibration"): per criterion, Krippendorff's alpha over (ticket,
reviewer, score) with N/A as missing, at the level fitting the scale - yes/no nominal, 1-5
ordinal; overall, alpha of the review totals at the interval level. A criterion with alpha below
0.667 (Krippendorff's lowest for tentative conclusions) is flagged "rewrite this criterion";
0.667 to 0.8 "tentative"; 0.8 and above "acceptable". Each reviewer's deviation from the group (the
other reviewers' consensus, leaving their own score out) and from the expert's score, on totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from frontline.desk.models import Ticket
from frontline.desk.selectors import ticket_queryset_for_viewer
from frontline.engine.agreement import Level, alpha, rater_deviation
from frontline.people.models import User

from . import selectors
from .models import Calibration, CalibrationNote, Criterion, Review, ReviewState, RubricVersion

TENTATIVE = 0.667  # Krippendorff (2004): discard data below; tentative conclusions from here
ACCEPTABLE = 0.8
MAX_TICKETS = 30
MAX_REVIEWERS = 20


def level_for(scale: str) -> Level:
    return Level.NOMINAL if scale.startswith("yes_no") else Level.ORDINAL


def flag_for(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value < TENTATIVE:
        return "rewrite"
    return "tentative" if value < ACCEPTABLE else "acceptable"


# --- writes --------------------------------------------------------------------------------------

@transaction.atomic
def calibration_create(*, title: str, version: RubricVersion, tickets: Iterable[Ticket], reviewers: Iterable[User],
                       actor: User, expert: User | None = None, at: datetime | None = None) -> Calibration:
    if actor.role not in selectors.REVIEWERS:
        raise PermissionDenied("Calibration sessions are run by team leads and managers.")
    tickets, reviewers = list(tickets), list({r.pk: r for r in reviewers}.values())
    if expert is not None and expert.pk not in {r.pk for r in reviewers}:
        reviewers.append(expert)
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title or len(title) > 150:
        errors["title"] = ["Give the session a title (up to 150 characters)."]
    if not 1 <= len(tickets) <= MAX_TICKETS:
        errors["tickets"] = [f"Pick 1 to {MAX_TICKETS} tickets."]
    visible = set(ticket_queryset_for_viewer(viewer=actor).filter(pk__in=[t.pk for t in tickets])
                  .values_list("pk", flat=True))
    if any(t.pk not in visible for t in tickets):
        errors.setdefault("tickets", []).append("Some of these tickets do not exist or are not yours to see.")
    if any(t.assignee_id is None for t in tickets):
        errors.setdefault("tickets", []).append("Pick tickets an agent handled (with an assignee).")
    if not 2 <= len(reviewers) <= MAX_REVIEWERS:
        errors["reviewers"] = [f"Invite 2 to {MAX_REVIEWERS} reviewers."]
    if any(r.role not in selectors.REVIEWERS or not r.is_active for r in reviewers):
        errors.setdefault("reviewers", []).append("Reviewers are active team leads, managers or admins.")
    if version != selectors.rubric_current_version(rubric=version.rubric):
        errors["version"] = ["Calibrate on the rubric's current version."]
    if errors:
        raise ValidationError(errors)
    session = Calibration.objects.create(title=title, version=version, expert=expert, created_by=actor,
                                         created_at=at or timezone.now())
    session.tickets.set(tickets)
    session.reviewers.set(reviewers)
    return session


def _participant(session: Calibration, user: User) -> bool:
    return session.reviewers.filter(pk=user.pk).exists()


@transaction.atomic
def calibration_review_start(*, session: Calibration, ticket: Ticket, reviewer: User,
                             at: datetime | None = None) -> Review:
    """The reviewer's (draft) scores of one of the session's tickets."""
    if not _participant(session, reviewer):
        raise PermissionDenied("You are not a reviewer in this session.")
    if session.state != Calibration.State.OPEN:
        raise ValidationError({"session": ["The session is revealed; scoring is closed."]})
    if not session.tickets.filter(pk=ticket.pk).exists():
        raise Http404("No such ticket in this session.")
    review, _ = Review.objects.get_or_create(
        ticket=ticket, reviewer=reviewer, calibration=session,
        defaults={"agent_id": ticket.assignee_id, "version": session.version, "created_at": at or timezone.now()})
    return review


@transaction.atomic
def calibration_reveal(*, session: Calibration, actor: User, at: datetime | None = None) -> Calibration:
    session = Calibration.objects.select_for_update().get(pk=session.pk)
    if session.created_by_id != actor.pk and not actor.sees_everything:
        raise PermissionDenied("The facilitator or a manager reveals the session.")
    if session.state == Calibration.State.REVEALED:
        return session
    session.state, session.revealed_at = Calibration.State.REVEALED, at or timezone.now()
    session.save(update_fields=["state", "revealed_at"])
    return session


@transaction.atomic
def calibration_note_add(*, session: Calibration, author: User, text: str, criterion_key: str = "",
                         at: datetime | None = None) -> CalibrationNote:
    if not (_participant(session, author) or session.created_by_id == author.pk or author.sees_everything):
        raise PermissionDenied("Only the session's people add notes.")
    if session.state != Calibration.State.REVEALED:
        raise ValidationError({"text": ["Discuss once the scores are revealed."]})
    text = text.strip()
    if not text or len(text) > 4000:
        raise ValidationError({"text": ["Write a note (up to 4,000 characters)."]})
    if criterion_key and not Criterion.objects.filter(version=session.version, key=criterion_key).exists():
        raise ValidationError({"criterion_key": ["Not a criterion of this rubric version."]})
    return CalibrationNote.objects.create(calibration=session, author=author, text=text, criterion_key=criterion_key,
                                          created_at=at or timezone.now())


# --- reads ---------------------------------------------------------------------------------------

def calibrations_for_viewer(*, viewer: User) -> QuerySet[Calibration]:
    sessions = Calibration.objects.select_related("version__rubric", "created_by", "expert")
    if viewer.sees_everything:
        return sessions
    if viewer.role not in selectors.REVIEWERS:
        return sessions.none()
    return sessions.filter(Q(reviewers=viewer) | Q(created_by=viewer)).distinct()


def calibration_get_for_viewer(*, calibration_id: int, viewer: User) -> Calibration:
    try:
        return calibrations_for_viewer(viewer=viewer).get(pk=calibration_id)
    except (Calibration.DoesNotExist, ValueError, TypeError):
        raise Http404("No such calibration session.") from None


@dataclass(frozen=True)
class Progress:
    reviewer: User
    submitted: int
    tickets: int
    is_expert: bool


def progress(*, session: Calibration) -> list[Progress]:
    """Who has submitted how many of the session's tickets (never their scores)."""
    done: dict[int, int] = defaultdict(int)
    for reviewer_id in session.reviews.filter(state=ReviewState.SUBMITTED).values_list("reviewer_id", flat=True):
        done[reviewer_id] += 1
    n = session.tickets.count()
    return [Progress(r, done[r.pk], n, r.pk == session.expert_id) for r in session.reviewers.order_by("first_name")]


def own_reviews(*, session: Calibration, reviewer: User) -> dict[int, Review]:
    return {r.ticket_id: r for r in session.reviews.filter(reviewer=reviewer)}


def _submitted(session: Calibration) -> list[Review]:
    return list(session.reviews.filter(state=ReviewState.SUBMITTED).prefetch_related("scores")
                .select_related("reviewer"))


@dataclass(frozen=True)
class CriterionReliability:
    criterion: Criterion
    level: str
    alpha: float | None
    items: int
    pairable_values: int
    flag: str  # rewrite | tentative | acceptable | unknown


@dataclass(frozen=True)
class Reliability:
    criteria: list[CriterionReliability]
    overall: float | None  # alpha of totals, interval
    overall_items: int
    overall_flag: str
    deviations: list[tuple[User, object]]  # (reviewer, RaterDeviation on totals)


def reliability(*, session: Calibration) -> Reliability:
    """Agreement of the session's submitted scores (call only once it is revealed)."""
    reviews = _submitted(session)
    criteria = list(Criterion.objects.filter(version=session.version).order_by("section__position", "position"))
    rows = []
    for c in criteria:
        triples = [(r.ticket_id, r.reviewer_id, s.value) for r in reviews for s in r.scores.all()
                   if s.criterion_id == c.pk and not s.na and s.value is not None]
        level = level_for(c.scale)
        result = alpha(triples, level)
        rows.append(CriterionReliability(c, level.value, result.alpha, result.items, result.pairable_values,
                                         flag_for(result.alpha)))
    totals = [(r.ticket_id, r.reviewer_id, r.total) for r in reviews if r.total is not None]
    overall = alpha(totals, Level.INTERVAL)
    gold = {r.ticket_id: r.total for r in reviews if r.reviewer_id == session.expert_id and r.total is not None}
    users = {r.reviewer_id: r.reviewer for r in reviews}
    deviations = [(users[d.rater], d) for d in rater_deviation(totals, Level.INTERVAL, gold=gold or None)] \
        if totals else []
    return Reliability(rows, overall.alpha, overall.items, flag_for(overall.alpha), deviations)


def side_by_side(*, session: Calibration) -> list[dict]:  # type: ignore[type-arg]
    """Per ticket: the reviewers (expert first) and, per criterion, each one's score and comment."""
    reviews = _submitted(session)
    criteria = list(Criterion.objects.filter(version=session.version).order_by("section__position", "position"))
    by_ticket: dict[int, list[Review]] = defaultdict(list)
    for r in reviews:
        by_ticket[r.ticket_id].append(r)
    out = []
    for ticket in session.tickets.order_by("pk"):
        ticket_reviews = sorted(by_ticket.get(ticket.pk, []),
                                key=lambda r: (r.reviewer_id != session.expert_id, r.reviewer.first_name))
        lines = []
        for c in criteria:
            cells = []
            for r in ticket_reviews:
                s = next((s for s in r.scores.all() if s.criterion_id == c.pk), None)
                shown = "N/A" if s is not None and s.na else ("—" if s is None or s.value is None else
                                                              ({1: "Yes", 0: "No"}[s.value] if c.scale.startswith("yes")
                                                               else str(s.value)))
                cells.append({"shown": shown, "comment": s.comment if s else ""})
            distinct = {cell["shown"] for cell in cells if cell["shown"] not in ("N/A", "—")}
            lines.append({"criterion": c, "cells": cells, "split": len(distinct) > 1})
        out.append({"ticket": ticket, "reviews": ticket_reviews, "lines": lines})
    return out


@dataclass(frozen=True)
class TrendPoint:
    session: Calibration
    overall: float | None
    by_key: dict[str, float | None]


def reliability_over_time(*, viewer: User, limit: int = 20) -> list[TrendPoint]:
    """Revealed sessions the viewer may see, oldest first, with overall and per-criterion alpha."""
    sessions = list(calibrations_for_viewer(viewer=viewer).filter(state=Calibration.State.REVEALED)
                    .order_by("-revealed_at")[:limit])
    points = []
    for s in reversed(sessions):
        rel = reliability(session=s)
        points.append(TrendPoint(s, rel.overall, {r.criterion.key: r.alpha for r in rel.criteria}))
    return points
