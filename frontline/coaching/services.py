"""Writes of coaching: plans and cadence, sessions with their agenda, focuses and action items,
performance reviews and their sign-off, kudos, onboarding, policies and acknowledgements.

Each function checks who may do it (``PermissionDenied``) and what is valid (``ValidationError``
naming the field), and writes in one transaction. Reviews keep an audit trail (``ReviewEvent``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import User

from . import agenda, quality_bridge, selectors
from .followup import KPIS
from .models import (
    COMPETENCIES,
    ActionItem,
    Cadence,
    CoachingPlan,
    Enrolment,
    Focus,
    FocusKind,
    Kudos,
    ModuleKind,
    ModuleResult,
    PerformanceReview,
    Policy,
    PolicyAck,
    PolicyReminder,
    PolicyVersion,
    ReviewEvent,
    ReviewPeriod,
    ReviewState,
    Session,
    SessionKind,
    SessionState,
    TrainingModule,
    TrainingPlan,
)

TEXT_MAX = 20_000


def _must_coach(actor: User, agent: User) -> None:
    if not selectors.coaches(viewer=actor, agent=agent):
        raise PermissionDenied("Only the agent's team lead or a manager may do this.")


def _must_manage(actor: User) -> None:
    if not (selectors.is_staff(actor) and actor.sees_everything):
        raise PermissionDenied("Only managers and admins may do this.")


def _text(value: str, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: ["This field is required."]})
    if len(value) > limit:
        raise ValidationError({field: [f"Keep it under {limit:,} characters."]})
    return value


# --- plans and sessions ---------------------------------------------------------------------------------------------

@transaction.atomic
def plan_set(*, actor: User, agent: User, cadence: str, starts_on: date, coach: User | None = None) -> CoachingPlan:
    _must_coach(actor, agent)
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": ["Choose weekly, every two weeks or monthly."]})
    plan, _ = CoachingPlan.objects.update_or_create(agent=agent, defaults={
        "cadence": cadence, "starts_on": starts_on, "coach": coach or actor, "updated_at": timezone.now()})
    return plan


@transaction.atomic
def session_prepare(*, actor: User, agent: User, scheduled_on: date, kind: str = SessionKind.ONE_ON_ONE,
                    now: datetime | None = None) -> Session:
    """A planned session with its agenda pre-filled from the agent's last 28 days."""
    _must_coach(actor, agent)
    if kind not in SessionKind.values:
        raise ValidationError({"kind": ["Choose a one-on-one or a coaching session."]})
    now = now or timezone.now()
    return Session.objects.create(agent=agent, coach=actor, kind=kind, scheduled_on=scheduled_on, created_at=now,
                                  agenda=agenda.agenda_build(agent=agent, now=now))


@transaction.atomic
def session_agenda_refresh(*, actor: User, session: Session, now: datetime | None = None) -> Session:
    _must_coach(actor, session.agent)
    if session.state != SessionState.PLANNED:
        raise ValidationError({"agenda": ["A held session keeps the agenda it was held with."]})
    session.agenda = agenda.agenda_build(agent=session.agent, now=now)
    session.save(update_fields=["agenda"])
    return session


@transaction.atomic
def session_notes_save(*, actor: User, session: Session, shared_notes: str, private_notes: str) -> Session:
    _must_coach(actor, session.agent)
    session.shared_notes = _text(shared_notes, "shared_notes")
    session.private_notes = _text(private_notes, "private_notes")
    session.save(update_fields=["shared_notes", "private_notes"])
    return session


@transaction.atomic
def session_hold(*, actor: User, session: Session, at: datetime | None = None) -> Session:
    """Mark the session held (the cadence counts from its day)."""
    _must_coach(actor, session.agent)
    at = at or timezone.now()
    session.state, session.held_at = SessionState.HELD, at
    session.save(update_fields=["state", "held_at"])
    return session


@transaction.atomic
def focus_add(*, actor: User, session: Session, behaviour: str, kpi: str = "", criterion_id: int | None = None,
              window_days: int = 28) -> Focus:
    """A behaviour to work on, measured by a KPI or (with the quality app) a QA criterion."""
    _must_coach(actor, session.agent)
    behaviour = _text(behaviour, "behaviour", required=True, limit=300)
    if not 7 <= window_days <= 90:
        raise ValidationError({"window_days": ["Between 7 and 90 days."]})
    if criterion_id is not None:
        names = dict(quality_bridge.criteria())
        if criterion_id not in names:
            raise ValidationError({"criterion": ["No such QA criterion."]})
        return Focus.objects.create(session=session, kind=FocusKind.CRITERION, criterion_id=criterion_id,
                                    criterion_name=names[criterion_id], behaviour=behaviour, window_days=window_days)
    if kpi not in KPIS:
        raise ValidationError({"kpi": ["Choose the KPI this behaviour should move."]})
    return Focus.objects.create(session=session, kind=FocusKind.KPI, kpi=kpi, behaviour=behaviour,
                                window_days=window_days)


@transaction.atomic
def action_add(*, actor: User, session: Session, text: str, owner: User, due_on: date) -> ActionItem:
    _must_coach(actor, session.agent)
    text = _text(text, "text", required=True, limit=300)
    if owner.pk not in (session.agent_id, actor.pk):
        raise ValidationError({"owner": ["The owner is the agent or you."]})
    return ActionItem.objects.create(session=session, text=text, owner=owner, due_on=due_on)


@transaction.atomic
def action_set_done(*, actor: User, action: ActionItem, done: bool, at: datetime | None = None) -> ActionItem:
    """The owner, or whoever coaches the agent, ticks an action item done (or not)."""
    if actor.pk != action.owner_id and not selectors.coaches(viewer=actor, agent=action.session.agent):
        raise PermissionDenied("Only the owner or the agent's lead may change this.")
    action.done_at = (at or timezone.now()) if done else None
    action.save(update_fields=["done_at"])
    return action


# --- performance reviews --------------------------------------------------------------------------------------------

def review_period_days(period: str, first_day: date) -> tuple[date, date]:
    """The first and last day of the quarter, half year or year starting at ``first_day``'s period."""
    from .cadence import add_months

    months = {"quarter": 3, "half": 6, "year": 12}.get(period)
    if months is None:
        raise ValidationError({"period": ["Choose quarter, half year or year."]})
    start_month = (first_day.month - 1) // months * months + 1
    first = date(first_day.year, start_month, 1)
    return first, add_months(first, months) - timedelta(days=1)


def _review_event(review: PerformanceReview, kind: str, actor: User, at: datetime, note: str = "") -> None:
    ReviewEvent.objects.create(review=review, kind=kind, actor=actor, at=at, note=note)


@transaction.atomic
def review_create(*, actor: User, agent: User, period: str, day: date, now: datetime | None = None) -> PerformanceReview:
    _must_coach(actor, agent)
    if period not in ReviewPeriod.values:
        raise ValidationError({"period": ["Choose quarter, half year or year."]})
    first, last = review_period_days(period, day)
    if PerformanceReview.objects.filter(agent=agent, period=period, first_day=first).exists():
        raise ValidationError({"period": ["This agent already has a review for that period."]})
    now = now or timezone.now()
    review = PerformanceReview.objects.create(agent=agent, reviewer=actor, period=period, first_day=first,
                                              last_day=last, created_at=now, updated_at=now,
                                              facts=review_facts(agent=agent, first=first, last=last, now=now))
    _review_event(review, "created", actor, now)
    return review


def review_facts(*, agent: User, first: date, last: date, now: datetime) -> dict:
    """KPIs against the team, QA and goals over the review's period (up to yesterday)."""
    last = min(last, timezone.localdate(now) - timedelta(days=1))
    if last < first:
        return {"first": first.isoformat(), "last": first.isoformat(), "kpis": [], "qa": None, "goals": []}
    return {"first": first.isoformat(), "last": last.isoformat(),
            "kpis": agenda.kpi_lines(agent=agent, first=first, last=last),
            "qa": quality_bridge.qa_summary(agent=agent, first=first, last=last),
            "goals": agenda.goal_lines(agent=agent, now=now)}


def _locked(review: PerformanceReview) -> PerformanceReview:
    return PerformanceReview.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_update(*, actor: User, review: PerformanceReview, ratings: dict[str, int], summary: str,
                  now: datetime | None = None) -> PerformanceReview:
    """Change a draft's ratings and summary; a submitted review must be reopened first."""
    _must_coach(actor, review.agent)
    review = _locked(review)
    if review.state != ReviewState.DRAFT:
        raise ValidationError({"state": ["Submitted reviews are changed only after reopening them."]})
    errors = {}
    clean: dict[str, int] = {}
    for key, _label in COMPETENCIES:
        value = ratings.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[key] = ["A rating from 1 to 5."]
        else:
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    review.ratings, review.summary, review.updated_at = clean, _text(summary, "summary"), now
    review.save(update_fields=["ratings", "summary", "updated_at"])
    _review_event(review, "edited", actor, now)
    return review


@transaction.atomic
def review_submit(*, actor: User, review: PerformanceReview, now: datetime | None = None) -> PerformanceReview:
    """The lead hands the review to the agent: every competency rated and a summary written; facts refreshed."""
    _must_coach(actor, review.agent)
    review = _locked(review)
    if review.state != ReviewState.DRAFT:
        raise ValidationError({"state": ["Only a draft can be submitted."]})
    missing = {key: ["Rate this competency."] for key, _ in COMPETENCIES if key not in review.ratings}
    if not review.summary:
        missing["summary"] = ["Write a summary."]
    if missing:
        raise ValidationError(missing)
    now = now or timezone.now()
    review.facts = review_facts(agent=review.agent, first=review.first_day, last=review.last_day, now=now)
    review.state, review.updated_at = ReviewState.SUBMITTED, now
    review.save(update_fields=["facts", "state", "updated_at"])
    _review_event(review, "submitted", actor, now)
    return review


@transaction.atomic
def review_acknowledge(*, actor: User, review: PerformanceReview, comment: str = "",
                       now: datetime | None = None) -> PerformanceReview:
    if actor.pk != review.agent_id:
        raise PermissionDenied("Only the reviewed agent acknowledges a review.")
    review = _locked(review)
    if review.state != ReviewState.SUBMITTED:
        raise ValidationError({"state": ["Only a submitted review can be acknowledged."]})
    now = now or timezone.now()
    review.agent_comment, review.state, review.updated_at = _text(comment, "comment"), ReviewState.ACKNOWLEDGED, now
    review.save(update_fields=["agent_comment", "state", "updated_at"])
    _review_event(review, "acknowledged", actor, now, review.agent_comment)
    return review


@transaction.atomic
def review_sign_off(*, actor: User, review: PerformanceReview, now: datetime | None = None) -> PerformanceReview:
    _must_manage(actor)
    if actor.pk == review.agent_id:
        raise PermissionDenied("Nobody signs off their own review.")
    review = _locked(review)
    if review.state != ReviewState.ACKNOWLEDGED:
        raise ValidationError({"state": ["A review is signed off after the agent has acknowledged it."]})
    now = now or timezone.now()
    review.state, review.signed_off_by, review.updated_at = ReviewState.SIGNED_OFF, actor, now
    review.save(update_fields=["state", "signed_off_by", "updated_at"])
    _review_event(review, "signed_off", actor, now)
    return review


@transaction.atomic
def review_reopen(*, actor: User, review: PerformanceReview, reason: str,
                  now: datetime | None = None) -> PerformanceReview:
    """Back to draft to change a submitted review (the agent acknowledges again); signed-off reviews by managers."""
    _must_coach(actor, review.agent)
    reason = _text(reason, "reason", required=True, limit=500)
    review = _locked(review)
    if review.state == ReviewState.DRAFT:
        raise ValidationError({"state": ["The review is already a draft."]})
    if review.state == ReviewState.SIGNED_OFF and not actor.sees_everything:
        raise PermissionDenied("Only a manager reopens a signed-off review.")
    now = now or timezone.now()
    review.state, review.signed_off_by, review.updated_at = ReviewState.DRAFT, None, now
    review.save(update_fields=["state", "signed_off_by", "updated_at"])
    _review_event(review, "reopened", actor, now, reason)
    return review


# --- kudos ----------------------------------------------------------------------------------------------------------

@transaction.atomic
def kudos_give(*, giver: User, receiver: User, message: str, ticket_id: int | None = None,
               now: datetime | None = None) -> Kudos:
    if not selectors.is_staff(giver):
        raise PermissionDenied("Kudos are given by staff.")
    if receiver.pk == giver.pk or not selectors.colleagues(viewer=giver).filter(pk=receiver.pk).exists():
        raise ValidationError({"receiver": ["Choose a colleague."]})
    message = _text(message, "message", required=True, limit=500)
    ticket = None
    if ticket_id is not None:
        from django.http import Http404
        try:
            ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=giver)
        except Http404:
            raise ValidationError({"ticket": ["No such ticket."]}) from None
    return Kudos.objects.create(giver=giver, receiver=receiver, message=message, ticket=ticket,
                                created_at=now or timezone.now())


# --- onboarding -----------------------------------------------------------------------------------------------------

@transaction.atomic
def training_plan_create(*, actor: User, name: str, description: str = "", days: int = 28,
                         modules: list[dict] | None = None) -> TrainingPlan:
    """A plan with its modules: ``{"kind", "title", "body", "questions", "pass_percent"}`` each."""
    if not (selectors.is_staff(actor) and actor.role != "agent"):
        raise PermissionDenied("Team leads and managers write training plans.")
    name = _text(name, "name", required=True, limit=200)
    if TrainingPlan.objects.filter(name=name).exists():
        raise ValidationError({"name": ["A plan with this name exists."]})
    plan = TrainingPlan.objects.create(name=name, description=_text(description, "description"), days=days)
    for position, module in enumerate(modules or []):
        kind = module.get("kind", ModuleKind.READING)
        questions = module.get("questions", [])
        if kind not in ModuleKind.values:
            raise ValidationError({"kind": ["Reading, shadowing or knowledge check."]})
        if kind == ModuleKind.CHECK and not questions:
            raise ValidationError({"questions": ["A knowledge check needs questions."]})
        for q in questions:
            if not (q.get("text") and len(q.get("options", [])) >= 2 and 0 <= q.get("answer", -1) < len(q["options"])):
                raise ValidationError({"questions": ["Each question needs text, two options or more, and the answer."]})
        TrainingModule.objects.create(plan=plan, position=position, kind=kind, title=module["title"],
                                      body=module.get("body", ""), questions=questions,
                                      pass_percent=module.get("pass_percent", 80))
    return plan


@transaction.atomic
def enrol(*, actor: User, plan: TrainingPlan, hire: User, starts_on: date,
          now: datetime | None = None) -> Enrolment:
    _must_coach(actor, hire)
    if Enrolment.objects.filter(plan=plan, hire=hire).exists():
        raise ValidationError({"plan": ["Already assigned this plan."]})
    return Enrolment.objects.create(plan=plan, hire=hire, assigned_by=actor, starts_on=starts_on,
                                    due_on=starts_on + timedelta(days=plan.days), created_at=now or timezone.now())


@transaction.atomic
def module_complete(*, actor: User, enrolment: Enrolment, module: TrainingModule, answers: list[int] | None = None,
                    now: datetime | None = None) -> ModuleResult:
    """The hire marks a reading or shadowing done, or answers a knowledge check (scored; passed at its mark)."""
    if actor.pk != enrolment.hire_id:
        raise PermissionDenied("Only the hire completes their own modules.")
    if module.plan_id != enrolment.plan_id:
        raise ValidationError({"module": ["Not a module of this plan."]})
    now = now or timezone.now()
    result, _ = ModuleResult.objects.select_for_update().get_or_create(enrolment=enrolment, module=module)
    result.attempts += 1
    if module.kind == ModuleKind.CHECK:
        answers = answers or []
        if len(answers) != len(module.questions):
            raise ValidationError({"answers": ["Answer every question."]})
        right = sum(1 for q, a in zip(module.questions, answers, strict=True) if q["answer"] == a)
        result.score_percent = round(100 * right / len(module.questions))
        result.passed = result.passed or result.score_percent >= module.pass_percent
    else:
        result.passed = True
    if result.passed and result.completed_at is None:
        result.completed_at = now
    result.save()
    return result


# --- policies -------------------------------------------------------------------------------------------------------

@transaction.atomic
def policy_publish(*, actor: User, title: str, body: str, effective_on: date, change_note: str = "",
                   policy: Policy | None = None, now: datetime | None = None) -> PolicyVersion:
    """A new policy (``policy`` None) or a new version of one; everyone acknowledges the new version."""
    _must_manage(actor)
    now = now or timezone.now()
    body = _text(body, "body", required=True, limit=100_000)
    if policy is None:
        title = _text(title, "title", required=True, limit=200)
        if Policy.objects.filter(title=title).exists():
            raise ValidationError({"title": ["A policy with this title exists: publish a new version of it."]})
        policy = Policy.objects.create(title=title, created_at=now)
        number = 1
    else:
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return PolicyVersion.objects.create(policy=policy, number=number, body=body,
                                        change_note=_text(change_note, "change_note", limit=300),
                                        effective_on=effective_on, published_by=actor, published_at=now)


@transaction.atomic
def policy_acknowledge(*, actor: User, version: PolicyVersion, now: datetime | None = None) -> PolicyAck:
    if not selectors.is_staff(actor):
        raise PermissionDenied("Policies are acknowledged by staff.")
    ack, _ = PolicyAck.objects.get_or_create(version=version, user=actor, defaults={"at": now or timezone.now()})
    return ack


@transaction.atomic
def policy_remind(*, actor: User, version: PolicyVersion, now: datetime | None = None) -> int:
    """An in-app notice to each person (the actor coaches) who has not acknowledged ``version``; returns how many."""
    if not selectors.people_coached_by(viewer=actor).exists():
        raise PermissionDenied("Leads and managers remind their people.")
    missing, _ = selectors.policy_ack_status(version=version, viewer=actor)
    now = now or timezone.now()
    PolicyReminder.objects.bulk_create([PolicyReminder(version=version, user=p, sent_by=actor, at=now)
                                        for p in missing])
    return len(missing)
