"""The demo's calls and messaging conversations: realistic talk / wrap-up, some missed and abandoned calls,
deliveries with their tries, deterministic, and removed by the reset."""

from __future__ import annotations

from datetime import UTC, datetime
from statistics import median

import pytest

from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import Channel, Ticket
from frontline.messaging.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    MessagingConnector,
    Thread,
)
from frontline.phone.models import Call, CallState, PhoneConnector

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_calls_conversations_and_deliveries_then_reset() -> None:
    demo = demo_generate(seed=3, days=14, scale=0.15, anchor=ANCHOR)
    answered = list(Call.objects.filter(state=CallState.ENDED))
    not_answered = Call.objects.exclude(state=CallState.ENDED)
    phone_tickets = Ticket.objects.filter(channel=Channel.PHONE).count()
    assert len(answered) == phone_tickets and demo.counts["calls"] == Call.objects.count()
    assert all(c.message.handle_seconds == c.talk_seconds + c.wrap_seconds for c in answered)
    assert 120 <= median(c.talk_seconds for c in answered) <= 900
    assert 0.1 <= sum(c.wrap_seconds for c in answered) / sum(c.talk_seconds + c.wrap_seconds for c in answered) <= 0.3
    assert 0.05 <= not_answered.count() / len(answered) <= 0.25
    assert not_answered.filter(state=CallState.ABANDONED).exists() and not_answered.filter(state=CallState.MISSED).exists()
    delivered = Delivery.objects.filter(status=DeliveryStatus.DELIVERED)
    assert Thread.objects.exists() and delivered.filter(attempts__gt=1).exists()
    assert DeliveryAttempt.objects.filter(ok=False).exists() and DeliveryAttempt.objects.filter(ok=True).count() == delivered.count()
    demo_reset()
    assert (Call.objects.count(), Thread.objects.count(), Delivery.objects.count(), PhoneConnector.objects.count(),
            MessagingConnector.objects.count()) == (0, 0, 0, 0, 0)
