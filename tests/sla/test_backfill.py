"""Applying policies to tickets that already have history gives the clocks the live hook gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.desk import services as desk
from frontline.sla.backfill import sla_backfill
from frontline.sla.models import SLAClock, SLAPolicy
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=3)


def _history() -> int:
    agent = f.agent()
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=agent, body="Try this", at=T0 + timedelta(minutes=90))
    desk.ticket_status_change(ticket=ticket, status=f.status("pending"), actor=agent, at=T0 + timedelta(minutes=91))
    desk.ticket_reply(ticket=ticket, author=None, customer=ticket.requester, body="No luck", at=T0 + timedelta(hours=20))
    desk.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent, at=T0 + timedelta(hours=30))
    return ticket.pk


def _clocks(ticket_id: int) -> list[tuple]:  # type: ignore[type-arg]
    return list(SLAClock.objects.filter(ticket_id=ticket_id).order_by("kind", "sequence").values_list(
        "kind", "sequence", "started_at", "stopped_at", "paused_minutes", "due_at", "state", "breached_at"))


def test_backfill_derives_the_clocks_the_hook_derives():
    cal = sf.calendar(hours=sf.OFFICE_HOURS)
    policy = sf.policy(cal=cal, first_reply=60, next_reply=120, resolution=600)
    live = _clocks(_history())
    SLAPolicy.objects.filter(pk=policy.pk).update(active=False)
    later = _history()
    SLAPolicy.objects.filter(pk=policy.pk).update(active=True)
    applied = sla_backfill(now=NOW, ticket_ids=[later])
    assert (applied, _clocks(later)) == (1, live)


def test_backfill_leaves_tickets_that_have_a_policy_alone():
    sf.policy()
    ticket = f.ticket(at=T0)
    assert (sla_backfill(now=NOW), SLAClock.objects.filter(ticket=ticket).count()) == (0, 2)
