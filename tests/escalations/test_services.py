"""Escalation triggers, levels, events, notification, de-escalation and resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.desk import services as desk
from frontline.desk.models import EventKind, TicketEvent
from frontline.escalations import services
from frontline.escalations.models import (
    Escalation,
    EscalationSettings,
    EscalationState,
    Level,
    Trigger,
)
from frontline.escalations.tasks import escalation_notify
from frontline.sla.services import sla_clocks_check
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    team = f.team()
    f.lead(leads=[team])
    EscalationSettings.objects.create(team=team)
    return team


def _open(ticket) -> Escalation:  # type: ignore[no-untyped-def]
    return Escalation.objects.get(ticket=ticket, state=EscalationState.OPEN)


def test_a_customer_asking_for_a_manager_escalates_to_the_team_lead(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, body="This is the third time. I want to speak to a manager.", at=T0)
    escalation = _open(ticket)
    assert (escalation.level, escalation.trigger) == (Level.TEAM_LEAD, Trigger.ASKED_FOR_MANAGER)


def test_a_customer_reply_asking_again_does_not_raise_twice(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, body="Speak to a manager please", at=T0)
    desk.ticket_reply(ticket=ticket, author=None, customer=ticket.requester, body="Get me a supervisor!",
                      at=T0 + timedelta(minutes=5))
    assert (_open(ticket).level, TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATED).count()) == (
        Level.TEAM_LEAD, 1,
    )


def test_an_agent_quoting_the_phrase_does_not_escalate(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, actor=f.agent(teams=[team]), body="Customer said: I want to speak to a manager")
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_sla_at_risk_then_breached_climb_lead_then_manager(team):  # type: ignore[no-untyped-def]
    sf.policy(first_reply=60, next_reply=None, resolution=None)
    ticket = f.ticket(team=team, at=T0)
    sla_clocks_check(now=T0 + timedelta(minutes=50))
    lead_level = _open(ticket).level
    sla_clocks_check(now=T0 + timedelta(minutes=61))
    escalation = _open(ticket)
    assert (lead_level, escalation.level, [s["trigger"] for s in escalation.path]) == (
        Level.TEAM_LEAD, Level.MANAGER, [Trigger.SLA_AT_RISK, Trigger.SLA_BREACHED],
    )


def test_a_team_without_a_lead_escalates_straight_to_a_manager():
    ticket = f.ticket(team=f.team())
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(), reason="Legal threat")
    assert escalation is not None and escalation.level == Level.MANAGER


def test_reopened_the_teams_limit_of_times_escalates(team):  # type: ignore[no-untyped-def]
    EscalationSettings.objects.filter(team=team).update(reopen_limit=2)
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team, at=T0)
    for n in range(2):
        desk.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent, at=T0 + timedelta(hours=2 * n + 1))
        desk.ticket_status_change(ticket=ticket, status=f.status("open"), actor=agent, at=T0 + timedelta(hours=2 * n + 2))
    assert _open(ticket).trigger == Trigger.REOPENED


def test_a_vip_tier_escalates_on_arrival(team):  # type: ignore[no-untyped-def]
    EscalationSettings.objects.filter(team=team).update(vip_tiers=["platinum"])
    vip = f.customer(company=f.company(tier="platinum"))
    ticket = f.ticket(requester=vip, team=team)
    assert _open(ticket).trigger == Trigger.VIP


def test_a_manual_escalation_needs_a_reason(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    with pytest.raises(ValidationError, match="Say why"):
        services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(teams=[team]), reason="  ")


def test_a_customer_cannot_escalate_manually(team):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, team=team)
    with pytest.raises(PermissionDenied):
        services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=customer.user, reason="Now!")


def test_an_escalation_is_an_event_and_enqueues_a_notification_after_commit(team, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    with django_capture_on_commit_callbacks() as callbacks:
        services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(teams=[team]), reason="Angry")
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ESCALATED)
    assert (event.payload["level"], event.payload["reason"], len(callbacks)) == ("team_lead", "Angry", 1)


def test_the_notification_emails_the_team_lead(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, subject="Broken kettle")
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(teams=[team]), reason="Angry")
    escalation_notify.call(escalation.pk)
    [sent] = mail.outbox
    assert (sent.to, "Broken kettle" in sent.subject, "Reason: Angry" in sent.body) == ([team.lead.email], True, True)


def test_a_manager_level_escalation_emails_the_managers():
    manager = f.manager()
    ticket = f.ticket(team=f.team())
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(), reason="Legal")
    escalation_notify.call(escalation.pk)
    assert [m.to for m in mail.outbox] == [[manager.email]]


def test_de_escalation_steps_down_and_resolution_closes_both_as_events(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    agent = f.agent(teams=[team])
    services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="One")
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Two")
    manager = f.manager()
    down = services.escalation_de_escalate(escalation=escalation, actor=manager, note="Handled at lead level")
    level_after = down.level
    services.escalation_resolve(escalation=down, actor=team.lead)
    kinds = list(TicketEvent.objects.filter(ticket=ticket, kind__in=[EventKind.ESCALATED, EventKind.DE_ESCALATED,
                                                                      EventKind.ESCALATION_RESOLVED]).values_list("kind", flat=True))
    assert (level_after, Escalation.objects.get(pk=escalation.pk).state, kinds) == (
        Level.TEAM_LEAD, EscalationState.RESOLVED,
        [EventKind.ESCALATED, EventKind.ESCALATED, EventKind.DE_ESCALATED, EventKind.ESCALATION_RESOLVED],
    )


def test_an_agent_cannot_resolve_an_escalation(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    agent = f.agent(teams=[team])
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Help")
    with pytest.raises(PermissionDenied):
        services.escalation_resolve(escalation=escalation, actor=agent)


def test_solving_the_ticket_resolves_its_escalation(team):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    agent = f.agent(teams=[team])
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Help")
    desk.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
    assert Escalation.objects.get(pk=escalation.pk).state == EscalationState.RESOLVED


def test_a_team_without_settings_is_escalated_by_hand_only():
    team = f.team()
    f.lead(leads=[team])
    ticket = f.ticket(team=team, body="I want to speak to a manager")
    assert not Escalation.objects.filter(ticket=ticket).exists()
