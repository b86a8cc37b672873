"""The demo's SLAs and escalations: calendars per team, policies by priority and tier, clocks and breaches
in its history, live escalations at each level."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import Ticket, TicketEvent
from frontline.escalations.models import Escalation, EscalationSettings
from frontline.sla.models import BusinessCalendar, ClockState, SLAApplication, SLAClock, SLAPolicy

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_the_demo_has_calendars_policies_clocks_and_breaches_and_reset_removes_them() -> None:
    demo_generate(seed=2, days=7, scale=0.08, anchor=ANCHOR)
    tickets = Ticket.objects.count()
    seen = (
        BusinessCalendar.objects.count(),
        SLAApplication.objects.count() == tickets,
        SLAClock.objects.filter(state=ClockState.MET).exists(),
        SLAClock.objects.filter(state=ClockState.BREACHED).count()
        == TicketEvent.objects.filter(kind="sla_breached").count() > 0,
        SLAClock.objects.filter(state=ClockState.RUNNING).exists(),
        sorted(SLAPolicy.objects.values_list("name", flat=True))[:2],
        sorted(set(Escalation.objects.filter(state="open").values_list("level", flat=True))),
        EscalationSettings.objects.count(),
    )
    demo_reset()
    assert seen == (4, True, True, True, True, ["Accounts: gold & platinum", "Accounts: high priority"],
                    ["manager", "team_lead"], 3)
    assert (SLAPolicy.objects.count(), BusinessCalendar.objects.count(), SLAClock.objects.count(),
            Escalation.objects.count(), EscalationSettings.objects.count()) == (0, 0, 0, 0, 0)
