"""Clocks as pages read them: a clock stopped after its due time says how late, in business minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.desk import services as desk
from frontline.sla.selectors import sla_for_tickets
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

MONDAY_16 = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def test_a_reply_after_the_due_time_reads_as_business_minutes_late():
    sf.policy(cal=sf.calendar(hours=sf.OFFICE_HOURS), first_reply=30, next_reply=None, resolution=None)
    ticket = f.ticket(at=MONDAY_16)
    # due Monday 16:30; replied Tuesday 09:45 -> late by 30 min on Monday and 45 min on Tuesday
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Sorry for the wait", at=MONDAY_16 + timedelta(hours=17, minutes=45))
    clock = sla_for_tickets(ticket_ids=[ticket.pk], now=MONDAY_16 + timedelta(days=1))[ticket.pk].clocks[0]
    assert (clock.state, clock.minutes) == ("breached", 75)


def test_a_reply_in_time_has_no_lateness():
    sf.policy(first_reply=60, next_reply=None, resolution=None)
    ticket = f.ticket(at=MONDAY_16)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Hello", at=MONDAY_16 + timedelta(minutes=20))
    clock = sla_for_tickets(ticket_ids=[ticket.pk], now=MONDAY_16 + timedelta(days=1))[ticket.pk].clocks[0]
    assert (clock.state, clock.minutes) == ("met", None)
