"""Auto-QA in the app: build the engine's ``Interaction`` from a desk ticket, run the checks on solved
tickets incrementally, store the results, and measure how far auto-QA agrees with human reviewers.

- A ticket's turns are its messages in order (agent / customer / system, public or internal
  note, the plain text); ``first_reply_due_at`` is the due time of its SLA first-reply clock
  (``sla`` app; none: the reply-time check is n/a); ``escalated`` when it has an ``escalated``
  event. The policy is the ticket's queue's ``AutoQaPolicy``, else the global one, else defaults.
- ``autoqa_run`` checks solved and closed tickets whose last message is newer than the one their
  stored results were computed on (each ticket once per activity); the periodic task runs it,
  and ``manage.py quality_autoqa`` runs it over the whole history.
- Agreement per criterion with an ``auto_check``: over submitted reviews (calibration apart) whose
  score is not N/A and whose ticket's check passed or failed (not n/a), the human score counts as
  a pass when it is "yes" or 4 to 5 on 1-5; percent agreement and Cohen's kappa with n.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from frontline.desk.models import EventKind, Message, StatusCategory, Ticket, TicketEvent
from frontline.engine.agreement import cohen_kappa
from frontline.engine.autoqa import Interaction, Policy, Turn, run_checks
from frontline.people.models import User
from frontline.sla.models import SLAClock, TargetKind

from . import selectors
from .models import AutoCheck, AutoQaPolicy, Criterion, ReviewState, Score

SOLVED = (StatusCategory.SOLVED, StatusCategory.CLOSED)
BATCH = 500
ROLES = {"agent": "agent", "customer": "customer", "system": "system"}


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def policies() -> tuple[Policy, dict[int, Policy]]:
    """(the global policy, queue id → its own policy)."""
    default, by_queue = Policy(), {}
    for p in AutoQaPolicy.objects.all():
        policy = Policy(required_phrases=_lines(p.required_phrases), forbidden_phrases=_lines(p.forbidden_phrases),
                        greeting_required=p.greeting_required, closing_required=p.closing_required)
        if p.queue_id is None:
            default = policy
        else:
            by_queue[p.queue_id] = policy
    return default, by_queue


def interactions(ticket_ids: Iterable[int]) -> Iterator[tuple[int, datetime | None, Interaction]]:
    """(ticket id, its last message's time, its Interaction) for the tickets given, in few queries."""
    ids = list(ticket_ids)
    turns: dict[int, list[Turn]] = defaultdict(list)
    last: dict[int, datetime] = {}
    for ticket_id, kind, public, text, at in (Message.objects.filter(ticket_id__in=ids).order_by("ticket_id", "created_at", "id")
                                              .values_list("ticket_id", "author_kind", "is_public", "body_text",
                                                           "created_at")):
        turns[ticket_id].append(Turn(at=at, role=ROLES.get(kind, "system"), public=public, text=text))
        last[ticket_id] = at
    escalated = set(TicketEvent.objects.filter(ticket_id__in=ids, kind=EventKind.ESCALATED)
                    .values_list("ticket_id", flat=True))
    due = {t: d or b for t, d, b in SLAClock.objects.filter(ticket_id__in=ids, kind=TargetKind.FIRST_REPLY, sequence=0)
           .values_list("ticket_id", "due_at", "breached_at")}
    for ticket_id in ids:
        yield ticket_id, last.get(ticket_id), Interaction(turns=tuple(turns[ticket_id]),
                                                          first_reply_due_at=due.get(ticket_id),
                                                          escalated=ticket_id in escalated)


def _stale(tickets: QuerySet[Ticket]) -> list[int]:
    """Solved tickets with no stored results or with messages newer than the ones checked."""
    checked = dict(AutoCheck.objects.filter(ticket__in=tickets).values("ticket_id").annotate(a=Max("activity_at"))
                   .values_list("ticket_id", "a"))
    latest = dict(Message.objects.filter(ticket__in=tickets).values("ticket_id").annotate(a=Max("created_at"))
                  .values_list("ticket_id", "a"))
    return [t for t in tickets.values_list("id", flat=True).order_by("id")
            if t in latest and (t not in checked or checked[t] < latest[t])]


def autoqa_run(*, ticket_ids: Iterable[int] | None = None, limit: int | None = None,
               at: datetime | None = None) -> int:
    """Check the solved tickets that need it (all, or those among ``ticket_ids``); returns how many."""
    at = at or timezone.now()
    tickets = Ticket.objects.filter(status_category__in=SOLVED)
    if ticket_ids is not None:
        tickets = tickets.filter(pk__in=list(ticket_ids))
    todo = _stale(tickets)[:limit] if limit else _stale(tickets)
    default, by_queue = policies()
    queues = dict(Ticket.objects.filter(pk__in=todo).values_list("id", "queue_id")) if by_queue else {}
    for start in range(0, len(todo), BATCH):
        chunk = todo[start:start + BATCH]
        rows = []
        for ticket_id, activity, interaction in interactions(chunk):
            if activity is None:
                continue
            policy = by_queue.get(queues.get(ticket_id), default)  # type: ignore[arg-type]
            for r in run_checks(interaction, policy):
                rows.append(AutoCheck(ticket_id=ticket_id, check_name=r.check, outcome=r.outcome, score=r.score,
                                      evidence=r.evidence[:2000], turn_index=r.turn_index, activity_at=activity,
                                      checked_at=at))
        with transaction.atomic():
            AutoCheck.objects.filter(ticket_id__in=chunk).delete()
            AutoCheck.objects.bulk_create(rows)
    return len(todo)


# --- reads ---------------------------------------------------------------------------------------

def checks_for_ticket(*, ticket_id: int) -> dict[str, AutoCheck]:
    return {c.check_name: c for c in AutoCheck.objects.filter(ticket_id=ticket_id)}


@dataclass(frozen=True)
class CheckAgreement:
    rubric: str
    key: str
    label: str
    check: str
    n: int
    percent: float | None  # share of reviews where auto-QA and the reviewer agree, 0..1
    kappa: float | None
    auto_fail_human_pass: int
    auto_pass_human_fail: int


def human_pass(scale: str, value: int) -> bool:
    return value == 1 if scale.startswith("yes_no") else value >= 4


def agreement(*, viewer: User, since: datetime | None = None) -> list[CheckAgreement]:
    """Per rubric criterion with an auto-QA check, how far auto-QA agrees with the reviewers, over the
    reviews the viewer may see."""
    reviews = selectors.review_queryset_for_viewer(viewer=viewer).filter(state=ReviewState.SUBMITTED)
    if since is not None:
        reviews = reviews.filter(submitted_at__gte=since)
    scores = (Score.objects.filter(review__in=reviews, na=False, value__isnull=False)
              .exclude(criterion__auto_check="")
              .values_list("review__ticket_id", "criterion__version__rubric__name", "criterion__key",
                           "criterion__auto_check", "criterion__scale", "value"))
    scores = list(scores)
    auto = {(t, c): o for t, c, o in AutoCheck.objects.filter(
        ticket_id__in={s[0] for s in scores}, outcome__in=("pass", "fail")).values_list("ticket_id", "check_name",
                                                                                      "outcome")}
    labels = dict(Criterion.objects.exclude(auto_check="").order_by("version__number")
                  .values_list("key", "label"))
    pairs: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for ticket_id, rubric, key, check, scale, value in scores:
        outcome = auto.get((ticket_id, check))
        if outcome is None:
            continue
        pairs[(rubric, key, check)].append(("pass" if human_pass(scale, value) else "fail", outcome))
    out = []
    for (rubric, key, check), rows in sorted(pairs.items()):
        agree = sum(1 for h, a in rows if h == a)
        out.append(CheckAgreement(
            rubric=rubric, key=key, label=labels.get(key, key), check=check, n=len(rows),
            percent=agree / len(rows) if rows else None, kappa=cohen_kappa(rows) if rows else None,
            auto_fail_human_pass=sum(1 for h, a in rows if h == "pass" and a == "fail"),
            auto_pass_human_fail=sum(1 for h, a in rows if h == "fail" and a == "pass")))
    return out
