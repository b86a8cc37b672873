"""Writes of problems: create and change one, link tickets (a ``problem_linked`` event on each)
and feedback to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, Ticket, TicketEvent
from frontline.desk.selectors import ticket_queryset_for_viewer
from frontline.people.models import User

from ..models import Department, FeedbackItem, Problem, ProblemStatus, ProblemTicket, Topic
from .text import text_clean

LINK_MAX = 500  # tickets per request


@dataclass(frozen=True)
class ProblemFields:
    title: str
    description: str = ""
    department: str = Department.PRODUCT
    external_url: str = ""
    status: str = ProblemStatus.OPEN
    fix_shipped_on: date | None = None


def _checked(fields: ProblemFields, today: date) -> ProblemFields:
    errors: dict[str, list[str]] = {}
    title = text_clean(fields.title)[:200]
    if not title:
        errors["title"] = ["Give the problem a title."]
    if fields.department not in Department.values:
        errors["department"] = [f"One of {', '.join(Department.values)}."]
    if fields.status not in ProblemStatus.values:
        errors["status"] = [f"One of {', '.join(ProblemStatus.values)}."]
    url = fields.external_url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["external_url"] = ["An http:// or https:// address."]
        if len(url) > 500:
            errors["external_url"] = ["Up to 500 characters."]
    if fields.status == ProblemStatus.FIX_SHIPPED and fields.fix_shipped_on is None:
        errors["fix_shipped_on"] = ["Give the day the fix shipped."]
    if fields.fix_shipped_on is not None and fields.fix_shipped_on > today:
        errors["fix_shipped_on"] = ["A fix ships today or earlier."]
    if errors:
        raise ValidationError(errors)
    return ProblemFields(title=title, description=text_clean(fields.description), department=fields.department,
                         external_url=url, status=fields.status, fix_shipped_on=fields.fix_shipped_on)


def problem_create(*, fields: ProblemFields, actor: User, topic: Topic | None = None,
                   at: datetime | None = None) -> Problem:
    """A new problem; made from a topic, it starts with the topic's feedback linked."""
    at = at or timezone.now()
    clean = _checked(fields, timezone.localdate(at))
    with transaction.atomic():
        problem = Problem.objects.create(title=clean.title, description=clean.description, department=clean.department,
                                         external_url=clean.external_url, status=clean.status,
                                         fix_shipped_on=clean.fix_shipped_on, topic=topic, created_by=actor,
                                         created_at=at, updated_at=at)
        if topic is not None:
            problem.feedback.add(*FeedbackItem.objects.filter(topic=topic).values_list("pk", flat=True))
    return problem


def problem_update(*, problem: Problem, fields: ProblemFields, at: datetime | None = None) -> Problem:
    at = at or timezone.now()
    clean = _checked(fields, timezone.localdate(at))
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        problem.title, problem.description, problem.department = clean.title, clean.description, clean.department
        problem.external_url, problem.status, problem.fix_shipped_on = clean.external_url, clean.status, clean.fix_shipped_on
        problem.updated_at = at
        problem.save(update_fields=["title", "description", "department", "external_url", "status", "fix_shipped_on",
                                    "updated_at"])
    return problem


def parse_ticket_numbers(text: str) -> list[int]:
    """``"#12, 15 #17"`` -> [12, 15, 17]; ValidationError on ``tickets`` for anything else."""
    numbers = []
    for word in text.replace(",", " ").split():
        digits = word.lstrip("#")
        if not digits.isascii() or not digits.isdigit() or not 0 < int(digits) < 2**63:
            raise ValidationError({"tickets": [f"{word!r} is not a ticket number."]})
        numbers.append(int(digits))
    return numbers


def problem_link_tickets(*, problem: Problem, ticket_ids: Iterable[int], actor: User,
                         at: datetime | None = None) -> list[Ticket]:
    """Link tickets the actor may see; each newly linked one gets a ``problem_linked`` event.

    A number the actor cannot see (or that does not exist) fails the whole request with a
    ValidationError on ``tickets`` naming it, and nothing is linked. Returns the newly linked.
    """
    at = at or timezone.now()
    wanted = list(dict.fromkeys(ticket_ids))
    if not wanted:
        raise ValidationError({"tickets": ["Give at least one ticket number."]})
    if len(wanted) > LINK_MAX:
        raise ValidationError({"tickets": [f"Up to {LINK_MAX} tickets at a time."]})
    with transaction.atomic():
        problem = Problem.objects.select_for_update().get(pk=problem.pk)
        found = {t.pk: t for t in ticket_queryset_for_viewer(viewer=actor).filter(pk__in=wanted)}
        missing = [n for n in wanted if n not in found]
        if missing:
            raise ValidationError({"tickets": [f"No ticket #{n}." for n in missing[:10]]})
        already = set(ProblemTicket.objects.filter(problem=problem, ticket_id__in=wanted).values_list("ticket_id",
                                                                                                     flat=True))
        linked = []
        for number in wanted:
            if number in already:
                continue
            ticket = found[number]
            ProblemTicket.objects.create(problem=problem, ticket=ticket, linked_by=actor, linked_at=at)
            event = TicketEvent.objects.create(
                ticket=ticket, kind=EventKind.PROBLEM_LINKED, actor=actor, created_at=at,
                payload={"problem": problem.pk, "title": problem.title,
                         "summary": f"Linked to the problem \u201c{problem.title}\u201d ({problem.get_department_display()})"})
            ticket_event_written(event)
            linked.append(ticket)
        if linked:
            problem.updated_at = at
            problem.save(update_fields=["updated_at"])
    return linked


def problem_link_feedback(*, problem: Problem, item_ids: Iterable[int]) -> int:
    with transaction.atomic():
        ids = list(FeedbackItem.objects.filter(pk__in=list(item_ids)).values_list("pk", flat=True))
        problem.feedback.add(*ids)
    return len(ids)
