"""Escalation notices go out through the mail app's outgoing path: a real SMTP server on loopback,
one email per person with an absolute link, recorded, at most once, rate-limited, bounces skipped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from frontline.escalations import services
from frontline.escalations.models import EscalationSettings, Trigger
from frontline.escalations.tasks import escalation_notify
from frontline.mail.models import AutoMail, Delivery, MailAddress, OutgoingEmail
from tests import factories as f
from tests.smtp import no_smtp_server, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    team = f.team()
    f.lead(leads=[team])
    EscalationSettings.objects.create(team=team)
    return team


def _escalate(team, subject: str = "Broken kettle"):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, subject=subject)
    return services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(teams=[team]), reason="Angry")


@override_settings(FRONTLINE_BASE_URL="https://desk.example.com/")
def test_the_lead_gets_one_email_with_absolute_links_recorded_as_sent(smtp, team):  # type: ignore[no-untyped-def]
    escalation = _escalate(team)
    result = escalation_notify.call(escalation.pk)
    [sent] = smtp.messages
    lines = sent.get_payload().splitlines()
    record = OutgoingEmail.objects.get()
    ticket_link = f"https://desk.example.com{reverse('desk:ticket_detail', args=[escalation.ticket_id])}"
    assert (result, sent["To"], sent["Auto-Submitted"], sent["Message-ID"]) == (
        "sent to 1", team.lead.email, "auto-generated", f"<{record.message_id}>")
    assert (f"Open it: {ticket_link}" in lines, ticket_link.startswith("https://desk.example.com/tickets/"),
            f"Your escalations: https://desk.example.com{reverse('escalations:escalation_list')}" in lines) == (
        True, True, True)
    assert (record.status, record.desk_message, record.ticket_id, record.to_address, record.subject) == (
        Delivery.SENT, None, escalation.ticket_id, team.lead.email, sent["Subject"])
    assert AutoMail.objects.filter(address=team.lead.email, kind="escalation").count() == 1


def test_a_task_that_runs_again_sends_nothing_twice(smtp, team):  # type: ignore[no-untyped-def]
    escalation = _escalate(team)
    escalation_notify.call(escalation.pk)
    escalation_notify.call(escalation.pk)
    assert (len(smtp.messages), OutgoingEmail.objects.count()) == (1, 1)


def test_the_next_level_is_a_new_notice(smtp, team):  # type: ignore[no-untyped-def]
    manager = f.manager()
    escalation = _escalate(team)
    escalation_notify.call(escalation.pk)
    escalation = services.escalation_raise(ticket=escalation.ticket, trigger=Trigger.MANUAL, actor=team.lead,
                                           reason="Needs a refund decision")
    escalation_notify.call(escalation.pk)
    assert [m["To"] for m in smtp.messages] == [team.lead.email, manager.email]


def test_a_bouncing_address_is_skipped(smtp, team):  # type: ignore[no-untyped-def]
    MailAddress.objects.create(address=team.lead.email.lower(), bouncing=True, bounce_count=2)
    result = escalation_notify.call(_escalate(team).pk)
    record = OutgoingEmail.objects.get()
    assert (smtp.messages, result, record.status, "bounces" in record.last_error) == (
        [], "sent to 0; 1 not sent", Delivery.SKIPPED, True)


@override_settings(MAIL_NOTICE_LIMIT=2)
def test_notices_to_one_address_are_rate_limited(smtp, team):  # type: ignore[no-untyped-def]
    for n in range(3):
        escalation_notify.call(_escalate(team, subject=f"Ticket {n}").pk)
    statuses = list(OutgoingEmail.objects.order_by("pk").values_list("status", flat=True))
    assert (len(smtp.messages), statuses) == (2, [Delivery.SENT, Delivery.SENT, Delivery.SKIPPED])
    assert "Rate limit" in OutgoingEmail.objects.order_by("pk").last().last_error


@override_settings(MAIL_NOTICE_LIMIT=1)
def test_the_limit_counts_notices_in_the_window_only(smtp, team):  # type: ignore[no-untyped-def]
    AutoMail.objects.create(address=team.lead.email.lower(), kind="escalation", sent_at=timezone.now() - timedelta(days=1))
    AutoMail.objects.create(address=team.lead.email.lower(), kind="acknowledgement", sent_at=timezone.now())
    escalation_notify.call(_escalate(team).pk)
    assert len(smtp.messages) == 1


def test_an_unreachable_server_is_recorded_not_raised(team):  # type: ignore[no-untyped-def]
    with no_smtp_server():
        result = escalation_notify.call(_escalate(team).pk)
    record = OutgoingEmail.objects.get()
    assert (result, record.status, record.last_error != "") == ("sent to 0; 1 not sent", Delivery.GAVE_UP, True)
