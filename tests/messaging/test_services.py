"""Messaging services: threading into tickets, contacts, attachments, 422 fields, replays; replies delivered
through a loopback outbound webhook with retries and backoff, each try logged."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from frontline.core import webhooks
from frontline.desk.models import Channel, StatusCategory
from frontline.desk.services import status_default, ticket_reply, ticket_status_change
from frontline.mail.models import OutgoingEmail
from frontline.mail.outgoing import message_send
from frontline.messaging import services
from frontline.messaging.models import (
    Contact,
    Delivery,
    DeliveryStatus,
    MessagingConnector,
    MessagingReceipt,
    Thread,
)
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) - timedelta(hours=1)
_n = iter(range(1, 10_000))


def receive(connector, text="Hi, my order 1442 is late", conversation="conv-1", user="u-1", name="Kim",
            at=None, **extra):  # type: ignore[no-untyped-def]
    data = {"event_id": f"ev-{next(_n)}", "conversation_id": conversation, "user": {"id": user, "name": name},
            "text": text, **extra}
    return services.message_receive(connector=connector, msg=services.message_parse(data), at=at)


def test_a_conversation_is_one_ticket_on_the_social_channel_for_the_platform_user(connector):  # type: ignore[no-untyped-def]
    first = receive(connector)
    second = receive(connector, text="Any news?")
    ticket = first.thread.ticket
    ticket.refresh_from_db()
    assert (first.new_ticket, second.new_ticket, second.thread.pk, ticket.channel, ticket.queue_id, ticket.message_count,
            ticket.subject, ticket.requester.name, ticket.requester.email.endswith("@messaging.invalid")) == (
        True, False, first.thread.pk, Channel.SOCIAL, connector.queue_id, 2, "WhatsApp: Hi, my order 1442 is late",
        "Kim", True)
    assert [m.author_kind for m in ticket.messages.all()] == ["customer", "customer"]


def test_the_same_person_in_another_conversation_gets_another_ticket_but_stays_one_customer(connector):  # type: ignore[no-untyped-def]
    a = receive(connector, conversation="c-a")
    b = receive(connector, conversation="c-b", name="Kim L.")
    assert (a.thread.ticket_id != b.thread.ticket_id, a.thread.ticket.requester_id == b.thread.ticket.requester_id,
            Contact.objects.get().display_name) == (True, True, "Kim L.")


def test_a_closed_ticket_makes_the_next_message_a_new_ticket_and_a_solved_one_reopens(connector):  # type: ignore[no-untyped-def]
    agent = f.agent()
    first = receive(connector)
    ticket = first.thread.ticket
    ticket_status_change(ticket=ticket, status=status_default(StatusCategory.SOLVED), actor=agent)
    reopened = receive(connector, text="Still broken")
    ticket.refresh_from_db()
    assert (reopened.thread.ticket_id, ticket.status_category) == (ticket.pk, StatusCategory.OPEN)
    ticket_status_change(ticket=ticket, status=status_default(StatusCategory.SOLVED), actor=agent)
    ticket_status_change(ticket=ticket, status=status_default(StatusCategory.CLOSED), actor=agent)
    fresh = receive(connector, text="New problem")
    assert (fresh.new_ticket, fresh.thread.ticket_id != ticket.pk, Thread.objects.count()) == (True, True, 2)


def test_attachments_are_links_never_fetched(connector):  # type: ignore[no-untyped-def]
    got = receive(connector, text="", attachments=[{"url": "https://cdn.example/p/1.jpg", "name": "photo <1>.jpg"}])
    message = got.message
    assert '<a href="https://cdn.example/p/1.jpg"' in message.body_html and "photo &lt;1&gt;.jpg" in message.body_html
    assert message.inbound_messaging.attachments == [{"url": "https://cdn.example/p/1.jpg", "name": "photo <1>.jpg",
                                                      "content_type": ""}]


def test_customer_html_is_escaped(connector):  # type: ignore[no-untyped-def]
    got = receive(connector, text="<script>alert(1)</script><b>hi</b>")
    assert "<script>" not in got.message.body_html and "&lt;script&gt;" in got.message.body_html


@pytest.mark.parametrize(("data", "fields"), [
    ({}, {"event_id", "conversation_id", "user", "text"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"name": "x"}, "text": "hi"}, {"user.id"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"id": "u"}}, {"text"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"id": "u"}, "text": "x" * 10_001}, {"text"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"id": "u"}, "attachments": [{"url": "javascript:alert(1)"}]},
     {"attachments.0.url"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"id": "u"}, "attachments": [{"url": "https://x.example/a"}] * 11},
     {"attachments"}),
    ({"event_id": "e", "conversation_id": "c", "user": {"id": "u"}, "text": "hi", "sent_at": "2026-12-06 10:00"}, {"sent_at"}),
    ({"event_id": "e", "conversation_id": 7, "user": "u", "text": ["hi"]}, {"conversation_id", "user", "text"}),
    ("hello", {"body"}),
])
def test_malformed_messages_name_every_failing_field(data, fields):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.message_parse(data)
    assert set(error.value.message_dict) == fields


def test_a_replayed_event_id_is_refused_and_rolls_back(connector):  # type: ignore[no-untyped-def]
    data = {"event_id": "same", "conversation_id": "c", "user": {"id": "u"}, "text": "hi"}
    services.message_receive(connector=connector, msg=services.message_parse(data))
    with pytest.raises(services.Replayed):
        services.message_receive(connector=connector, msg=services.message_parse({**data, "conversation_id": "d"}))
    assert (Thread.objects.count(), MessagingReceipt.objects.count()) == (1, 1)


# --- replies out -------------------------------------------------------------------------------------------------


def with_url(connector: MessagingConnector, url: str) -> MessagingConnector:
    connector.outbound_url = url
    connector.save(update_fields=["outbound_url"])
    return connector


def test_a_public_agent_reply_is_queued_for_delivery_and_never_emailed(connector, loopback):  # type: ignore[no-untyped-def]
    with_url(connector, loopback([200]).url)
    ticket = receive(connector).thread.ticket
    agent = f.agent()
    reply = ticket_reply(ticket=ticket, author=agent, body="It ships today.")
    ticket_reply(ticket=ticket, author=agent, body="(checked the warehouse)", public=False)
    delivery = Delivery.objects.get()
    assert (delivery.message_id, delivery.status, message_send(message_id=reply.pk), OutgoingEmail.objects.count()) == (
        reply.pk, DeliveryStatus.PENDING, "skipped", 0)


def test_a_reply_on_a_ticket_without_a_conversation_is_not_delivered(connector):  # type: ignore[no-untyped-def]
    ticket_reply(ticket=f.ticket(), author=f.agent(), body="Hello")
    assert Delivery.objects.count() == 0


def test_delivery_fails_twice_then_succeeds_with_exponential_backoff(connector, loopback):  # type: ignore[no-untyped-def]
    server = loopback([500, 502, 200])
    with_url(connector, server.url)
    ticket = receive(connector).thread.ticket
    agent = f.agent(first_name="Ana")
    reply = ticket_reply(ticket=ticket, author=agent, body="It ships today.", at=T0)
    delivery = Delivery.objects.get()
    first = services.delivery_attempt(delivery_id=delivery.pk, at=T0)
    delivery.refresh_from_db()
    next_1 = delivery.next_attempt_at
    too_early = services.delivery_attempt(delivery_id=delivery.pk, at=T0 + timedelta(seconds=29))
    second = services.delivery_attempt(delivery_id=delivery.pk, at=T0 + timedelta(seconds=30))
    delivery.refresh_from_db()
    next_2 = delivery.next_attempt_at
    third = services.delivery_attempt(delivery_id=delivery.pk, at=T0 + timedelta(seconds=90))
    delivery.refresh_from_db()
    log = list(delivery.attempt_log.values_list("number", "status_code", "ok", "error"))
    assert ([first, too_early, second, third], next_1 - T0, next_2 - (T0 + timedelta(seconds=30)),
            delivery.status, delivery.attempts, log, len(server.requests)) == (
        ["retrying", "retrying", "retrying", "delivered"], timedelta(seconds=30), timedelta(seconds=60),
        DeliveryStatus.DELIVERED, 3, [(1, 500, False, "HTTP 500"), (2, 502, False, "HTTP 502"), (3, 200, True, "")], 3)
    sent = server.requests[-1]
    body = json.loads(sent["body"])
    assert (body["event_id"], body["conversation_id"], body["user_id"], body["text"], body["agent"]["name"]) == (
        f"frontline-message-{reply.pk}", "conv-1", "u-1", "It ships today.", "Ana")
    check = webhooks.verify(secrets_=["whsec_test"], timestamp=sent["headers"]["X-Frontline-Timestamp"],
                            sig=sent["headers"]["X-Frontline-Signature"], body=sent["body"],
                            now=float(sent["headers"]["X-Frontline-Timestamp"]))
    assert check.ok


@override_settings(MESSAGING_DELIVERY_ATTEMPTS=2)
def test_a_delivery_fails_after_its_last_try_and_is_sent_again_by_its_author_only(connector, loopback):  # type: ignore[no-untyped-def]
    with_url(connector, loopback([503]).url)
    ticket = receive(connector).thread.ticket
    author, other = f.agent(), f.agent()
    ticket_reply(ticket=ticket, author=author, body="Hello", at=T0)
    delivery = Delivery.objects.get()
    services.delivery_attempt(delivery_id=delivery.pk, at=T0)
    assert services.delivery_attempt(delivery_id=delivery.pk, at=T0 + timedelta(minutes=5)) == "failed"
    with pytest.raises(PermissionDenied):
        services.delivery_retry(delivery=delivery, actor=other)
    again = services.delivery_retry(delivery=delivery, actor=author)
    assert (again.status, again.attempts) == (DeliveryStatus.PENDING, 0)
    with pytest.raises(ValidationError):
        services.delivery_retry(delivery=delivery, actor=author)


def test_an_unreachable_webhook_is_logged_without_a_status_code(connector, loopback):  # type: ignore[no-untyped-def]
    server = loopback([200])
    url = server.url
    server.close()  # nothing listens there now
    with_url(connector, url)
    ticket_reply(ticket=receive(connector).thread.ticket, author=f.agent(), body="Hello", at=T0)
    delivery = Delivery.objects.get()
    services.delivery_attempt(delivery_id=delivery.pk, at=T0)
    attempt = delivery.attempt_log.get()
    assert (attempt.status_code, attempt.ok, "Error" in attempt.error or "refused" in attempt.error.lower()) == (None, False, True)


INTERNAL_URLS = ["http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data/",
                 "http://[::1]/hook", "http://localhost:8000/hook"]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_an_internal_outbound_url_is_refused_on_save(team, url):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.connector_create(actor=f.manager(), name="X", platform="sms", outbound_url=url)
    assert list(error.value.message_dict) == ["outbound_url"]
    assert "internal address" in error.value.message_dict["outbound_url"][0]
    assert not MessagingConnector.objects.filter(name="X").exists()


def test_a_reply_to_an_internal_address_is_refused_when_sent_and_nothing_arrives(connector, loopback, settings):  # type: ignore[no-untyped-def]
    """Saved while internal receivers were allowed (or while the name pointed outside); checked again when sending."""
    server = loopback([200])
    with_url(connector, server.url)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    ticket_reply(ticket=receive(connector).thread.ticket, author=f.agent(), body="Hello", at=T0)
    delivery = Delivery.objects.get()
    services.delivery_attempt(delivery_id=delivery.pk, at=T0)
    attempt = delivery.attempt_log.get()
    assert (attempt.ok, attempt.status_code, attempt.error.startswith("BlockedAddress: 127.0.0.1")) == (False, None, True)
    assert server.requests == []


def test_without_an_outbound_url_a_reply_fails_at_once_saying_why(connector):  # type: ignore[no-untyped-def]
    ticket_reply(ticket=receive(connector).thread.ticket, author=f.agent(), body="Hello")
    delivery = Delivery.objects.get()
    assert (delivery.status, "no outbound webhook URL" in delivery.last_error) == (DeliveryStatus.FAILED, True)


def test_deliveries_due_are_the_open_ones_whose_time_has_come(connector, loopback):  # type: ignore[no-untyped-def]
    with_url(connector, loopback([500]).url)
    ticket_reply(ticket=receive(connector).thread.ticket, author=f.agent(), body="Hello", at=T0)
    delivery = Delivery.objects.get()
    assert services.deliveries_due(at=T0) == [delivery.pk]
    services.delivery_attempt(delivery_id=delivery.pk, at=T0)
    assert (services.deliveries_due(at=T0 + timedelta(seconds=10)), services.deliveries_due(at=T0 + timedelta(seconds=31))) == (
        [], [delivery.pk])


def test_connectors_are_managed_by_managers_only(team):  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.connector_create(actor=f.lead(), name="X", platform="x")
    with pytest.raises(ValidationError) as error:
        services.connector_create(actor=f.manager(), name="X", platform="myspace", outbound_url="ftp://x.example")
    assert set(error.value.message_dict) == {"platform", "outbound_url"}
