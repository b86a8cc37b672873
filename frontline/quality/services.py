"""Writes of the quality app: rubrics and their versions, reviews (scoring, submitting, the agent's
acknowledgement or dispute, the lead's resolution). Sampling and calibration live in
``sampling.py`` and ``calibration.py``; auto-QA in ``autoqa.py``.

A submitted review is a ``qa_reviewed`` event on its ticket, written through the desk's hook path
so listeners see it. The event's payload carries the review id, rubric and reviewer and a
``summary`` — never the score or a comment: agents of the same team read the ticket's history,
and an agent sees only their own scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, Message, Ticket, TicketEvent
from frontline.people.models import User

from . import scoring, selectors
from .models import (
    AgentResponse,
    Assignment,
    Calibration,
    Criterion,
    Dispute,
    Review,
    ReviewState,
    Rubric,
    RubricVersion,
    Scale,
    Score,
    Section,
)

TEXT_MAX = 4000
CHECKS = ("reply_time", "greeting", "closing", "empathy", "required_phrases", "forbidden_phrases",
          "sentiment_change", "escalation_note")


def _event(ticket: Ticket, kind: str, at: datetime, actor: User | None = None, **payload: object) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)
    return event


def _text(value: str, name: str) -> str:
    value = (value or "").replace("\r\n", "\n").strip()
    if len(value) > TEXT_MAX:
        raise ValidationError({name: [f"Keep it under {TEXT_MAX:,} characters."]})
    return value


# --- rubrics ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionSpec:
    label: str
    scale: str = Scale.YES_NO
    weight: int = 1
    auto_fail: bool = False
    auto_check: str = ""
    guidance: str = ""
    key: str = ""  # empty: made from the label


@dataclass(frozen=True)
class SectionSpec:
    title: str
    criteria: tuple[CriterionSpec, ...] = field(default_factory=tuple)


def _validate(sections: Iterable[SectionSpec]) -> list[SectionSpec]:
    sections = list(sections)
    errors: dict[str, list[str]] = {}
    keys: set[str] = set()
    if not sections or not any(s.criteria for s in sections):
        errors.setdefault("sections", []).append("A rubric needs at least one criterion.")
    for s in sections:
        if not s.title.strip() or len(s.title) > 100:
            errors.setdefault("sections", []).append("Each section needs a title (up to 100 characters).")
        for c in s.criteria:
            key = c.key or slugify(c.label)[:60]
            if not c.label.strip() or len(c.label) > 200:
                errors.setdefault("criteria", []).append("Each criterion needs a label (up to 200 characters).")
            if not key:
                errors.setdefault("criteria", []).append(f"“{c.label}” needs a key of letters or digits.")
            if key in keys:
                errors.setdefault("criteria", []).append(f"Two criteria share the key “{key}”: make the labels differ.")
            keys.add(key)
            if c.scale not in Scale.values:
                errors.setdefault("scale", []).append(f"Unknown scale {c.scale!r}.")
            if not 0 <= c.weight <= 100:
                errors.setdefault("weight", []).append("A weight is a whole number from 0 to 100.")
            if c.auto_check and c.auto_check not in CHECKS:
                errors.setdefault("auto_check", []).append(f"Unknown auto-QA check {c.auto_check!r}.")
    if errors:
        raise ValidationError(errors)
    return sections


def _write_sections(version: RubricVersion, sections: list[SectionSpec]) -> None:
    for i, s in enumerate(sections):
        section = Section.objects.create(version=version, title=s.title.strip(), position=i)
        for j, c in enumerate(s.criteria):
            Criterion.objects.create(
                version=version, section=section, key=c.key or slugify(c.label)[:60], label=c.label.strip(),
                guidance=c.guidance.strip(), scale=c.scale, weight=c.weight, auto_fail=c.auto_fail,
                auto_check=c.auto_check, position=j)


def _rubric_editor(actor: User) -> None:
    if not actor.sees_everything:
        raise PermissionDenied("Rubrics are written by managers and admins.")


@transaction.atomic
def rubric_create(*, name: str, sections: Iterable[SectionSpec], actor: User, description: str = "",
                  at: datetime | None = None) -> RubricVersion:
    """A new rubric and its version 1."""
    _rubric_editor(actor)
    at = at or timezone.now()
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Give the rubric a name (up to 100 characters)."]})
    if Rubric.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": ["A rubric of that name exists."]})
    specs = _validate(sections)
    rubric = Rubric.objects.create(name=name, description=_text(description, "description"), created_at=at)
    version = RubricVersion.objects.create(rubric=rubric, number=1, created_at=at, created_by=actor)
    _write_sections(version, specs)
    return version


@transaction.atomic
def rubric_edit(*, rubric: Rubric, sections: Iterable[SectionSpec], actor: User, note: str = "",
                at: datetime | None = None) -> RubricVersion:
    """Change a rubric's criteria. When its current version has reviews (or a calibration), a new
    version is made and the old one stays as scored; otherwise the current version is rewritten."""
    _rubric_editor(actor)
    specs = _validate(sections)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    current = selectors.rubric_current_version(rubric=rubric)
    in_use = current.reviews.exists() or current.calibrations.exists()
    if in_use:
        current = RubricVersion.objects.create(rubric=rubric, number=current.number + 1, created_at=at or timezone.now(),
                                               created_by=actor, note=note.strip()[:300])
    else:
        Criterion.objects.filter(version=current).delete()
        Section.objects.filter(version=current).delete()
        if note:
            current.note = note.strip()[:300]
            current.save(update_fields=["note"])
    _write_sections(current, specs)
    return current


# --- reviews ------------------------------------------------------------------------------------

@transaction.atomic
def review_start(*, ticket: Ticket, agent: User, version: RubricVersion, reviewer: User,
                 at: datetime | None = None) -> Review:
    """A draft review of ``agent``'s handling of ``ticket`` (the reviewer must be allowed to review the agent)."""
    selectors.ticket_check_reviewable(ticket=ticket, agent=agent, reviewer=reviewer)
    if not version.rubric.is_active:
        raise ValidationError({"rubric": ["That rubric is no longer in use."]})
    if version != selectors.rubric_current_version(rubric=version.rubric):
        raise ValidationError({"rubric": ["Score new reviews on the rubric's current version."]})
    existing = Review.objects.filter(ticket=ticket, agent=agent, reviewer=reviewer, calibration=None,
                                     state=ReviewState.DRAFT).first()
    if existing is not None:
        return existing
    return Review.objects.create(ticket=ticket, agent=agent, reviewer=reviewer, version=version,
                                 created_at=at or timezone.now())


@dataclass(frozen=True)
class ScoreIn:
    value: int | None = None
    na: bool = False
    comment: str = ""
    message_id: int | None = None


def _items(review: Review, scores: Mapping[int, Score]) -> list[scoring.Item]:
    return [scoring.Item(weight=c.weight, scale=c.scale, value=scores[c.pk].value if c.pk in scores else None,
                         na=scores[c.pk].na if c.pk in scores else False, auto_fail=c.auto_fail)
            for c in review.version.criteria.all()]


def review_total(*, review: Review) -> scoring.Total:
    scores = {s.criterion_id: s for s in review.scores.all()}
    return scoring.total(_items(review, scores))


@transaction.atomic
def review_save(*, review: Review, actor: User, scores: Mapping[int, ScoreIn], summary: str = "",
                private_note: str = "", submit: bool = False, at: datetime | None = None) -> Review:
    """Save the reviewer's scores (criterion id → score) and, with ``submit``, submit the review.

    A submitted review can still be changed by its reviewer until the agent responds; after a
    dispute only ``dispute_resolve`` changes it."""
    review = Review.objects.select_for_update().select_related("version", "ticket").get(pk=review.pk)
    if review.reviewer_id != actor.pk:
        raise PermissionDenied("Only the reviewer changes a review.")
    if review.agent_response:
        raise ValidationError({"review": ["The agent has responded to this review; it can no longer be changed."]})
    if review.calibration_id and review.calibration.state != Calibration.State.OPEN:
        raise ValidationError({"review": ["The calibration session is revealed; scores are final."]})
    at = at or timezone.now()
    _write_scores(review, scores)
    review.summary = _text(summary, "summary")
    review.private_note = _text(private_note, "private_note")
    result = review_total(review=review)
    review.total, review.auto_failed = result.percent, result.auto_failed
    fields = ["summary", "private_note", "total", "auto_failed"]
    first_submit = False
    if submit:
        if result.unscored:
            raise ValidationError({"scores": [f"Score every criterion (or mark it N/A): {result.unscored} left."]})
        first_submit = review.state == ReviewState.DRAFT
        review.state = ReviewState.SUBMITTED
        review.submitted_at = review.submitted_at or at
        fields += ["state", "submitted_at"]
    review.save(update_fields=fields)
    if first_submit and review.calibration_id is None:
        Assignment.objects.filter(ticket_id=review.ticket_id, agent_id=review.agent_id, review__isnull=True).update(
            review=review)
        _event(review.ticket, EventKind.QA_REVIEWED, at, actor, review=review.pk,
               rubric=str(review.version), agent=review.agent_id,
               summary=f"Quality review by {actor.display_name} ({review.version})")
    return review


def _write_scores(review: Review, scores: Mapping[int, ScoreIn]) -> None:
    criteria = {c.pk: c for c in review.version.criteria.all()}
    errors: dict[str, list[str]] = {}
    message_ids = {s.message_id for s in scores.values() if s.message_id}
    valid_messages = set(Message.objects.filter(ticket_id=review.ticket_id, pk__in=message_ids)
                         .values_list("pk", flat=True))
    for criterion_id, s in scores.items():
        criterion = criteria.get(criterion_id)
        name = f"score_{criterion_id}"
        if criterion is None:
            errors.setdefault(name, []).append("Not a criterion of this review's rubric version.")
            continue
        if s.na and criterion.scale not in scoring.WITH_NA:
            errors.setdefault(name, []).append(f"“{criterion.label}” cannot be N/A.")
        if s.value is not None and s.value not in scoring.values_of(criterion.scale):
            errors.setdefault(name, []).append(f"“{criterion.label}”: {s.value} is not on its scale.")
        if s.message_id and s.message_id not in valid_messages:
            errors.setdefault(name, []).append("The comment points at a message of another ticket.")
        if len(s.comment) > TEXT_MAX:
            errors.setdefault(name, []).append(f"Keep comments under {TEXT_MAX:,} characters.")
    if errors:
        raise ValidationError(errors)
    for criterion_id, s in scores.items():
        Score.objects.update_or_create(
            review=review, criterion_id=criterion_id,
            defaults={"value": None if s.na else s.value, "na": s.na, "comment": _text(s.comment, "comment"),
                      "message_id": s.message_id or None})


@transaction.atomic
def review_acknowledge(*, review: Review, actor: User, at: datetime | None = None) -> Review:
    review = _agent_response_target(review, actor)
    review.agent_response, review.agent_response_at = AgentResponse.ACKNOWLEDGED, at or timezone.now()
    review.save(update_fields=["agent_response", "agent_response_at"])
    return review


@transaction.atomic
def review_dispute(*, review: Review, actor: User, reason: str, at: datetime | None = None) -> Dispute:
    review = _agent_response_target(review, actor)
    reason = _text(reason, "reason")
    if not reason:
        raise ValidationError({"reason": ["Say what you disagree with."]})
    at = at or timezone.now()
    review.agent_response, review.agent_response_at = AgentResponse.DISPUTED, at
    review.save(update_fields=["agent_response", "agent_response_at"])
    return Dispute.objects.create(review=review, reason=reason, raised_at=at, total_before=review.total)


def _agent_response_target(review: Review, actor: User) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.agent_id != actor.pk or review.calibration_id is not None:
        raise PermissionDenied("Only the reviewed agent responds to a review.")
    if review.state != ReviewState.SUBMITTED:
        raise ValidationError({"review": ["This review is not submitted."]})
    if review.agent_response:
        raise ValidationError({"review": ["You have already responded to this review."]})
    return review


@transaction.atomic
def dispute_resolve(*, review: Review, actor: User, note: str, scores: Mapping[int, ScoreIn] | None = None,
                    at: datetime | None = None) -> Dispute:
    """A lead of the agent's team (or a manager) resolves a dispute: with ``scores`` the review's
    scores change (outcome "changed"), without them the review is upheld. The note is shown to the agent."""
    review = Review.objects.select_for_update().select_related("version").get(pk=review.pk)
    if not selectors.may_resolve(viewer=actor, review=review):
        raise PermissionDenied("Disputes are resolved by the agent's team lead or a manager.")
    dispute = Dispute.objects.select_for_update().filter(review=review).first()
    if dispute is None or dispute.outcome:
        raise ValidationError({"review": ["There is no open dispute on this review."]})
    note = _text(note, "note")
    if not note:
        raise ValidationError({"note": ["Explain the decision to the agent."]})
    at = at or timezone.now()
    changed = False
    if scores:
        before = {s.criterion_id: (s.value, s.na) for s in review.scores.all()}
        _write_scores(review, scores)
        after = {s.criterion_id: (s.value, s.na) for s in review.scores.all()}
        changed = before != after
        result = review_total(review=review)
        if result.unscored:
            raise ValidationError({"scores": ["Score every criterion (or mark it N/A)."]})
        review.total, review.auto_failed = result.percent, result.auto_failed
    review.agent_response, review.agent_response_at = AgentResponse.RESOLVED, at
    review.save(update_fields=["total", "auto_failed", "agent_response", "agent_response_at"])
    dispute.outcome = Dispute.Outcome.CHANGED if changed else Dispute.Outcome.UPHELD
    dispute.note, dispute.resolved_by, dispute.resolved_at = note, actor, at
    dispute.save(update_fields=["outcome", "note", "resolved_by", "resolved_at"])
    return dispute
