"""Fixtures of the insights tests: feedback items made directly, CSV bytes."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from frontline.insights.models import FeedbackItem, Source
from frontline.insights.services import content_hash
from frontline.insights.trends import monday


def in_running_week(n: int, count: int) -> datetime:
    """The ``n``-th of ``count`` moments spread between the start of the running week (local Monday
    00:00) and now: inside the running week whatever the hour (just after midnight on a Monday too)."""
    now = timezone.now()
    start = timezone.make_aware(datetime.combine(monday(timezone.localdate()), time.min))
    return start + (now - start) * (n + 1) / (count + 1)


def item(text: str = "The onboarding step is confusing", *, at: datetime | None = None, **kw: Any) -> FeedbackItem:
    at = at or timezone.now() - timedelta(days=1)
    kw.setdefault("source", Source.REVIEW)
    kw.setdefault("dedupe_key", f"hash:{content_hash(text)}:{FeedbackItem.objects.count()}")
    return FeedbackItem.objects.create(text=text, created_at=at, added_at=at, **kw)


def csv_bytes(rows: list[list[str]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def sent_survey(ticket, kind: str = "csat"):  # type: ignore[no-untyped-def]
    """A CSAT survey of ``ticket`` as if emailed a minute ago."""
    import secrets

    from frontline.surveys.models import Survey, SurveyState, SurveyTrigger

    now = timezone.now()
    return Survey.objects.create(kind=kind, trigger=SurveyTrigger.SOLVED, state=SurveyState.SENT, ticket=ticket,
                                 customer_id=ticket.requester_id, channel=ticket.channel, queue_id=ticket.queue_id,
                                 team_id=ticket.team_id, agent_id=ticket.assignee_id, nonce=secrets.token_hex(16),
                                 created_at=now - timedelta(minutes=2), due_at=now - timedelta(minutes=1),
                                 sent_at=now - timedelta(minutes=1), expires_at=now + timedelta(days=7))
