"""Reads of coaching, scoped to the viewer. Who sees what (tests/coaching/test_permissions.py):

- an agent: their own sessions (shared notes only), action items, focuses and follow-up, their
  own performance reviews and acknowledgements; the team feed of kudos of their teams;
- a team lead: the same for the people of the teams they lead (and sub-teams), private notes
  included; for their own coaching they are the agent;
- a manager or admin: everyone's.
Anything else is reported missing (404), as the desk does for tickets.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from frontline.people.models import STAFF_ROLES, Role, User
from frontline.people.selectors import team_ids_for_viewer, team_ids_led_by

from .cadence import next_due
from .models import (
    ActionItem,
    CoachingPlan,
    Enrolment,
    Kudos,
    PerformanceReview,
    Policy,
    PolicyAck,
    PolicyVersion,
    Session,
    SessionState,
)


def is_staff(user: User) -> bool:
    return getattr(user, "role", None) in STAFF_ROLES and user.is_active


def people_coached_by(*, viewer: User) -> QuerySet[User]:
    """The staff whose coaching ``viewer`` runs and reads in full: managers everyone (but themselves),
    leads the members of the teams they lead (not themselves), agents nobody."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    if not is_staff(viewer):
        return staff.none()
    if viewer.sees_everything:
        return staff.exclude(pk=viewer.pk)
    if viewer.role == Role.TEAM_LEAD:
        return staff.filter(teams__in=team_ids_led_by(user=viewer)).exclude(pk=viewer.pk).distinct()
    return staff.none()


def coaches(*, viewer: User, agent: User) -> bool:
    """Whether ``viewer`` leads ``agent``'s coaching (sees private notes, writes sessions and reviews)."""
    return people_coached_by(viewer=viewer).filter(pk=agent.pk).exists()


def person_get_for_viewer(*, viewer: User, person_id: int) -> User:
    """The person whose coaching page ``viewer`` may open: themselves or someone they coach; else 404."""
    if not is_staff(viewer):
        raise Http404("No such person.")
    if person_id == viewer.pk:
        return viewer
    person = people_coached_by(viewer=viewer).filter(pk=person_id).first()
    if person is None:
        raise Http404("No such person.")
    return person


def _visible_subjects(viewer: User) -> Q:
    """Rows about the viewer or about someone they coach (for a model with an ``agent`` field)."""
    if viewer.sees_everything:
        return Q()
    if viewer.role == Role.TEAM_LEAD:
        return Q(agent=viewer) | Q(agent__in=people_coached_by(viewer=viewer))
    return Q(agent=viewer)


def sessions_for_viewer(*, viewer: User) -> QuerySet[Session]:
    sessions = Session.objects.select_related("agent", "coach")
    if not is_staff(viewer):
        return sessions.none()
    return sessions.filter(_visible_subjects(viewer))


def session_get_for_viewer(*, viewer: User, session_id: int) -> Session:
    session = sessions_for_viewer(viewer=viewer).filter(pk=session_id).first()
    if session is None:
        raise Http404("No such session.")
    return session


def actions_for_viewer(*, viewer: User) -> QuerySet[ActionItem]:
    actions = ActionItem.objects.select_related("session__agent", "owner")
    if not is_staff(viewer):
        return actions.none()
    if viewer.sees_everything:
        return actions
    subjects = Q(session__agent=viewer) | Q(owner=viewer)
    if viewer.role == Role.TEAM_LEAD:
        subjects |= Q(session__agent__in=people_coached_by(viewer=viewer))
    return actions.filter(subjects)


def reviews_for_viewer(*, viewer: User) -> QuerySet[PerformanceReview]:
    reviews = PerformanceReview.objects.select_related("agent", "reviewer", "signed_off_by")
    if not is_staff(viewer):
        return reviews.none()
    visible = reviews.filter(_visible_subjects(viewer))
    # a draft is the reviewer's work in progress: its agent sees it once submitted
    return visible.exclude(Q(agent=viewer) & Q(state="draft"))


def review_get_for_viewer(*, viewer: User, review_id: int) -> PerformanceReview:
    review = reviews_for_viewer(viewer=viewer).filter(pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return review


# --- cadence -------------------------------------------------------------------------------------------------------

def last_held_day(*, agent: User) -> date | None:
    held = (Session.objects.filter(agent=agent, state=SessionState.HELD, kind="one_on_one")
            .order_by("-scheduled_on").values_list("scheduled_on", flat=True).first())
    return held


def cadence_rows(*, viewer: User, today: date) -> list[dict]:
    """Per person the viewer coaches: plan, last one-on-one held, next due day, days overdue, open actions."""
    people = list(people_coached_by(viewer=viewer).order_by("first_name", "last_name"))
    plans = {p.agent_id: p for p in CoachingPlan.objects.filter(agent__in=people).select_related("coach")}
    held: dict[int, date] = {}
    for agent_id, day in (Session.objects.filter(agent__in=people, state=SessionState.HELD, kind="one_on_one")
                          .order_by("agent_id", "scheduled_on").values_list("agent_id", "scheduled_on")):
        held[agent_id] = day
    planned: dict[int, date] = {}
    for agent_id, day in (Session.objects.filter(agent__in=people, state=SessionState.PLANNED)
                          .order_by("agent_id", "-scheduled_on").values_list("agent_id", "scheduled_on")):
        planned[agent_id] = day
    open_actions: dict[int, int] = {}
    overdue_actions: dict[int, int] = {}
    for agent_id, due in ActionItem.objects.filter(session__agent__in=people, done_at__isnull=True).values_list(
            "session__agent_id", "due_on"):
        open_actions[agent_id] = open_actions.get(agent_id, 0) + 1
        if due < today:
            overdue_actions[agent_id] = overdue_actions.get(agent_id, 0) + 1
    rows = []
    for person in people:
        plan = plans.get(person.pk)
        due = next_due(cadence=plan.cadence, starts_on=plan.starts_on, last_held=held.get(person.pk)) if plan else None
        rows.append({"person": person, "plan": plan, "last_held": held.get(person.pk), "due": due,
                     "overdue_days": (today - due).days if due and due < today else 0,
                     "planned": planned.get(person.pk), "open_actions": open_actions.get(person.pk, 0),
                     "overdue_actions": overdue_actions.get(person.pk, 0)})
    return rows


# --- kudos ---------------------------------------------------------------------------------------------------------

def kudos_feed(*, viewer: User) -> QuerySet[Kudos]:
    """Kudos the viewer's team sees: to or from anyone in their teams (managers: all; a lead: also the
    teams they lead), and any to or from the viewer."""
    kudos = Kudos.objects.select_related("giver", "receiver", "ticket")
    if not is_staff(viewer):
        return kudos.none()
    teams = team_ids_for_viewer(viewer=viewer)
    if teams is None:
        return kudos
    return kudos.filter(Q(receiver__teams__in=teams) | Q(giver__teams__in=teams) | Q(receiver=viewer)
                        | Q(giver=viewer)).distinct()


def colleagues(*, viewer: User) -> QuerySet[User]:
    """Staff one may give kudos to: every active staff member but oneself."""
    if not is_staff(viewer):
        return User.objects.none()
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).exclude(pk=viewer.pk)


# --- onboarding ----------------------------------------------------------------------------------------------------

def enrolments_for_viewer(*, viewer: User) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.select_related("plan", "hire")
    if not is_staff(viewer):
        return enrolments.none()
    if viewer.sees_everything:
        return enrolments
    if viewer.role == Role.TEAM_LEAD:
        return enrolments.filter(Q(hire=viewer) | Q(hire__in=people_coached_by(viewer=viewer)))
    return enrolments.filter(hire=viewer)


def enrolment_get_for_viewer(*, viewer: User, enrolment_id: int) -> Enrolment:
    enrolment = enrolments_for_viewer(viewer=viewer).filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404("No such onboarding plan.")
    return enrolment


def enrolment_progress(*, enrolment: Enrolment) -> dict:
    modules = list(enrolment.plan.modules.all())
    results = {r.module_id: r for r in enrolment.results.all()}
    done = sum(1 for m in modules if results.get(m.pk) and results[m.pk].passed)
    return {"modules": [(m, results.get(m.pk)) for m in modules], "done": done, "total": len(modules),
            "percent": round(100 * done / len(modules)) if modules else 0}


# --- policies ------------------------------------------------------------------------------------------------------

def policy_current_versions(*, today: date) -> list[PolicyVersion]:
    """Each policy's latest version in effect (effective day on or before ``today``)."""
    out = []
    for policy in Policy.objects.prefetch_related("versions"):
        effective = [v for v in policy.versions.all() if v.effective_on <= today]
        latest = max(effective, key=lambda v: v.number) if effective else None
        newest = max(policy.versions.all(), key=lambda v: v.number, default=None)
        if newest is not None:
            out.append(latest or newest)
    return out


def policy_versions_to_ack(*, user: User) -> QuerySet[PolicyVersion]:
    """The newest version of each policy that ``user`` has not acknowledged (effective or announced)."""
    newest_ids = [p.versions.order_by("-number").values_list("pk", flat=True).first() for p in Policy.objects.all()]
    acked = PolicyAck.objects.filter(user=user).values("version_id")
    return PolicyVersion.objects.filter(pk__in=[i for i in newest_ids if i]).exclude(pk__in=acked).select_related(
        "policy")


def policy_ack_status(*, version: PolicyVersion, viewer: User) -> tuple[list[User], list[tuple[User, object]]]:
    """(who has not acknowledged, [(who has, when)]) among the staff ``viewer`` coaches (a manager: everyone)."""
    people = list(people_coached_by(viewer=viewer).order_by("first_name", "last_name"))
    acks = dict(PolicyAck.objects.filter(version=version, user__in=people).values_list("user_id", "at"))
    return ([p for p in people if p.pk not in acks], [(p, acks[p.pk]) for p in people if p.pk in acks])
