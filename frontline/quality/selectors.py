"""Reads of the quality app, scoped to the viewer.

Who sees which review (tested in tests/quality/test_permissions.py):
- managers and admins: every submitted review, and their own drafts;
- team leads: submitted reviews of the agents of the teams they lead (and sub-teams), reviews
  they wrote (drafts too) and reviews of themselves;
- agents: their own submitted reviews only — never the private note, never anyone else's;
- calibration scores are not reviews of an agent: they appear only in their session
  (``calibration.py``), never here.
A review a viewer may not see is reported as missing (404).

``reviews_for_agent`` and ``criterion_scores`` are the unscoped reads the coaching app uses
(it scopes its own pages); their signatures stay stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from frontline.desk.models import Ticket
from frontline.desk.selectors import ticket_queryset_for_viewer
from frontline.people.models import STAFF_ROLES, Role, User
from frontline.people.selectors import team_ids_led_by

from . import scoring
from .models import Criterion, Review, ReviewState, Rubric, RubricVersion, Score

REVIEWERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})


def rubric_current_version(*, rubric: Rubric) -> RubricVersion:
    version = rubric.versions.order_by("-number").first()
    if version is None:
        raise RubricVersion.DoesNotExist(f"Rubric {rubric.pk} has no version")
    return version


def rubrics_active() -> list[RubricVersion]:
    """The current version of each active rubric."""
    versions = []
    for rubric in Rubric.objects.filter(is_active=True).prefetch_related("versions"):
        current = max(rubric.versions.all(), key=lambda v: v.number, default=None)
        if current is not None:
            versions.append(current)
    return versions


def version_criteria(*, version: RubricVersion) -> list[tuple[object, list[Criterion]]]:
    """(section, its criteria) in order."""
    criteria = list(version.criteria.select_related("section").order_by("section__position", "position", "id"))
    out: list[tuple[object, list[Criterion]]] = []
    for c in criteria:
        if not out or out[-1][0] != c.section:
            out.append((c.section, []))
        out[-1][1].append(c)
    return out


def agent_ids_for_viewer(*, viewer: User) -> set[int] | None:
    """Agents whose reviews the viewer sees as a lead; None: everyone (managers, admins)."""
    if viewer.sees_everything:
        return None
    if viewer.role == Role.TEAM_LEAD:
        teams = team_ids_led_by(user=viewer)
        return set(User.objects.filter(teams__in=teams, role__in=STAFF_ROLES).values_list("id", flat=True)) - {viewer.pk}
    return set()


def review_queryset_for_viewer(*, viewer: User) -> QuerySet[Review]:
    reviews = Review.objects.filter(calibration__isnull=True)
    if not viewer.is_authenticated or not viewer.is_active or viewer.role not in STAFF_ROLES:
        return reviews.none()
    submitted = Q(state=ReviewState.SUBMITTED)
    mine_as_agent = submitted & Q(agent_id=viewer.pk)
    mine_as_reviewer = Q(reviewer_id=viewer.pk)
    agents = agent_ids_for_viewer(viewer=viewer)
    if agents is None:
        return reviews.filter(submitted | mine_as_reviewer)
    return reviews.filter(mine_as_agent | mine_as_reviewer | (submitted & Q(agent_id__in=agents)))


def review_get_for_viewer(*, review_id: int, viewer: User) -> Review:
    """A review the viewer may see, or their own calibration scores; otherwise Http404."""
    reviews = review_queryset_for_viewer(viewer=viewer)
    if viewer.is_authenticated and viewer.role in STAFF_ROLES:
        reviews = reviews | Review.objects.filter(calibration__isnull=False, reviewer_id=viewer.pk)
    try:
        return reviews.select_related(
            "ticket", "agent", "reviewer", "version__rubric", "calibration").get(pk=review_id)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None


def sees_private(*, viewer: User, review: Review) -> bool:
    """Whether the viewer may read the review's private note and the reviewer's drafts: anyone but
    the reviewed agent who may see the review."""
    return viewer.pk != review.agent_id


def may_resolve(*, viewer: User, review: Review) -> bool:
    if viewer.pk == review.agent_id:
        return False
    agents = agent_ids_for_viewer(viewer=viewer)
    return agents is None or review.agent_id in agents


def may_review(*, reviewer: User, agent: User) -> bool:
    if reviewer.role not in REVIEWERS or reviewer.pk == agent.pk or agent.role not in STAFF_ROLES:
        return False
    agents = agent_ids_for_viewer(viewer=reviewer)
    return agents is None or agent.pk in agents


def ticket_check_reviewable(*, ticket: Ticket, agent: User, reviewer: User) -> None:
    if not may_review(reviewer=reviewer, agent=agent):
        raise PermissionDenied("You may review the agents of the teams you lead (managers: anyone).")
    if not ticket_queryset_for_viewer(viewer=reviewer).filter(pk=ticket.pk).exists():
        raise Http404("No such ticket.")
    if not ticket.messages.filter(author_user_id=agent.pk).exists() and ticket.assignee_id != agent.pk:
        raise ValidationError({"agent": ["This agent did not work on the ticket."]})


def ticket_agents(*, ticket: Ticket) -> list[User]:
    """The staff who wrote on the ticket or hold it: the agents a review of it may be about."""
    ids = set(ticket.messages.filter(author_user__isnull=False).values_list("author_user_id", flat=True))
    if ticket.assignee_id:
        ids.add(ticket.assignee_id)
    return list(User.objects.filter(pk__in=ids, role__in=STAFF_ROLES).order_by("first_name", "last_name"))


@dataclass(frozen=True)
class ReviewFilters:
    agent_id: int | None = None
    reviewer_id: int | None = None
    rubric_id: int | None = None
    ticket_id: int | None = None
    response: str | None = None  # AgentResponse value; "open_dispute"
    since: datetime | None = None
    until: datetime | None = None


SORTS = {"newest": ("-submitted_at", "-id"), "oldest": ("submitted_at", "id"),
         "lowest": ("total", "-submitted_at", "-id"), "highest": ("-total", "-submitted_at", "-id")}


def reviews_for_viewer(*, viewer: User, filters: ReviewFilters | None = None, sort: str = "newest") -> QuerySet[Review]:
    f = filters or ReviewFilters()
    reviews = review_queryset_for_viewer(viewer=viewer).filter(state=ReviewState.SUBMITTED)
    if f.agent_id:
        reviews = reviews.filter(agent_id=f.agent_id)
    if f.reviewer_id:
        reviews = reviews.filter(reviewer_id=f.reviewer_id)
    if f.rubric_id:
        reviews = reviews.filter(version__rubric_id=f.rubric_id)
    if f.ticket_id:
        reviews = reviews.filter(ticket_id=f.ticket_id)
    if f.response == "open_dispute":
        reviews = reviews.filter(dispute__isnull=False, dispute__outcome="")
    elif f.response is not None:
        reviews = reviews.filter(agent_response=f.response)
    if f.since:
        reviews = reviews.filter(submitted_at__gte=f.since)
    if f.until:
        reviews = reviews.filter(submitted_at__lt=f.until)
    return reviews.select_related("ticket", "agent", "reviewer", "version__rubric", "dispute").order_by(
        *SORTS.get(sort, SORTS["newest"]))


def drafts_for_reviewer(*, reviewer: User) -> QuerySet[Review]:
    return Review.objects.filter(reviewer=reviewer, state=ReviewState.DRAFT, calibration__isnull=True).select_related(
        "ticket", "agent", "version__rubric")


def disputes_to_resolve(*, viewer: User) -> QuerySet[Review]:
    if viewer.role not in REVIEWERS:
        return Review.objects.none()
    return reviews_for_viewer(viewer=viewer, filters=ReviewFilters(response="open_dispute"), sort="oldest").exclude(
        agent_id=viewer.pk)


# --- for the coaching app (stable) ---------------------------------------------------------------

def reviews_for_agent(agent: User, since: datetime, until: datetime) -> QuerySet[Review]:
    """The agent's submitted reviews (calibration scores excluded) submitted in [since, until),
    oldest first, with rubric version and reviewer loaded. Unscoped: the caller checks access."""
    return (Review.objects.filter(agent=agent, state=ReviewState.SUBMITTED, calibration__isnull=True,
                                  submitted_at__gte=since, submitted_at__lt=until)
            .select_related("ticket", "reviewer", "version__rubric").order_by("submitted_at", "id"))


@dataclass(frozen=True)
class CriterionScore:
    criterion_id: int  # the id asked for (a score on another version of the rubric, same key, is reported under it)
    scored_criterion_id: int
    key: str
    label: str
    review_id: int
    ticket_id: int
    submitted_at: datetime
    value: int | None  # None: N/A
    fraction: float | None  # share of the criterion's points earned, 0..1 (None: N/A); comparable across scales


def criterion_scores(agent: User, criterion_ids: Iterable[int], since: datetime, until: datetime) -> list[CriterionScore]:
    """The agent's scores on these criteria — and on the same criteria (same key) in other versions
    of their rubrics — in reviews submitted in [since, until), oldest first. Unscoped."""
    asked = list(Criterion.objects.filter(pk__in=list(criterion_ids)).select_related("version"))
    if not asked:
        return []
    by_lineage = {(c.version.rubric_id, c.key): c for c in asked}
    lineage_q = Q()
    for rubric_id, key in by_lineage:
        lineage_q |= Q(criterion__version__rubric_id=rubric_id, criterion__key=key)
    scores = (Score.objects.filter(lineage_q, review__agent=agent, review__state=ReviewState.SUBMITTED,
                                   review__calibration__isnull=True, review__submitted_at__gte=since,
                                   review__submitted_at__lt=until)
              .select_related("criterion__version", "review").order_by("review__submitted_at", "review_id"))
    out = []
    for s in scores:
        c = s.criterion
        origin = by_lineage[(c.version.rubric_id, c.key)]
        value = None if s.na else s.value
        out.append(CriterionScore(
            criterion_id=origin.pk, scored_criterion_id=c.pk, key=c.key, label=origin.label, review_id=s.review_id,
            ticket_id=s.review.ticket_id, submitted_at=s.review.submitted_at,  # type: ignore[arg-type]
            value=value, fraction=None if value is None else scoring.fraction(c.scale, value)))
    return out


# --- summaries for the QA pages ----------------------------------------------------------------

@dataclass(frozen=True)
class ScoreRow:
    key: int | str
    label: str
    reviews: int
    mean: float | None  # mean total, percent
    critical: int  # reviews with an auto-fail
    disputed: int


def score_summary(*, viewer: User, since: datetime, until: datetime, group: str = "agent") -> list[ScoreRow]:
    """Reviews submitted in [since, until) the viewer may see, grouped by agent, team (the agent's
    teams: a review counts for each), rubric or week (Monday, UTC); the mean total of each group."""
    reviews = reviews_for_viewer(viewer=viewer, filters=ReviewFilters(since=since, until=until)).order_by()
    groups: dict[int | str, list] = {}
    labels: dict[int | str, str] = {}
    if group == "team":
        rows = reviews.values_list("agent__teams__id", "agent__teams__name", "total", "auto_failed", "agent_response")
        for team_id, name, *rest in rows:
            key = team_id or 0
            groups.setdefault(key, []).append(rest)
            labels[key] = name or "No team"
    elif group == "rubric":
        for rubric_id, name, *rest in reviews.values_list("version__rubric_id", "version__rubric__name", "total",
                                                          "auto_failed", "agent_response"):
            groups.setdefault(rubric_id, []).append(rest)
            labels[rubric_id] = name
    elif group == "week":
        for at, *rest in reviews.values_list("submitted_at", "total", "auto_failed", "agent_response"):
            monday = (at.date() - timedelta(days=at.weekday())).isoformat()
            groups.setdefault(monday, []).append(rest)
            labels[monday] = monday
    else:
        for agent_id, first, last, username, *rest in reviews.values_list(
                "agent_id", "agent__first_name", "agent__last_name", "agent__username", "total", "auto_failed",
                "agent_response"):
            groups.setdefault(agent_id, []).append(rest)
            labels[agent_id] = f"{first} {last}".strip() or username
    out = []
    for key, items in groups.items():
        totals = [t for t, _, _ in items if t is not None]
        out.append(ScoreRow(key=key, label=labels[key], reviews=len(items),
                            mean=sum(totals) / len(totals) if totals else None,
                            critical=sum(1 for _, failed, _ in items if failed),
                            disputed=sum(1 for _, _, r in items if r in ("disputed", "resolved"))))
    return sorted(out, key=lambda r: str(r.key) if group == "week" else r.label)


def agents_for_viewer(*, viewer: User) -> QuerySet[User]:
    """The agents whose reviews the viewer may filter by (leads: their teams'; managers: all staff)."""
    agents = agent_ids_for_viewer(viewer=viewer)
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("first_name", "last_name")
    return staff if agents is None else staff.filter(pk__in=agents)
