"""Messaging over HTTP: the signed inbound webhook (valid, forged, stale, replayed, malformed), the ticket
page's delivery states, the pages and who may use them."""

from __future__ import annotations

import time

import pytest

from frontline.customers.models import Customer
from frontline.desk.models import Ticket, TicketEvent
from frontline.desk.services import ticket_reply
from frontline.messaging import services
from frontline.messaging.models import (
    Delivery,
    DeliveryStatus,
    MessagingConnector,
    MessagingReceipt,
    Thread,
)
from tests import factories as f

from .conftest import post_signed

pytestmark = pytest.mark.django_db
MESSAGE = {"event_id": "m-1", "conversation_id": "conv-9", "user": {"id": "4477", "name": "Sam"}, "text": "Hello?"}


def nothing_stored() -> bool:
    return (Thread.objects.count(), Ticket.objects.count(), MessagingReceipt.objects.count(), TicketEvent.objects.count(),
            Customer.objects.count()) == (0, 0, 0, 0, 0)


def test_a_signed_message_opens_a_ticket_and_the_next_one_threads_into_it(client, connector):  # type: ignore[no-untyped-def]
    first = post_signed(client, "wa", MESSAGE)
    second = post_signed(client, "wa", {**MESSAGE, "event_id": "m-2", "text": "Anyone?"})
    assert (first.status_code, second.status_code, first.json()["ticket"], second.json()["new_ticket"],
            Ticket.objects.get().message_count) == (201, 200, second.json()["ticket"], False, 2)


@pytest.mark.parametrize("how", ["forged", "other_secret", "unsigned"])
def test_forged_signatures_are_401_and_store_nothing(client, connector, how):  # type: ignore[no-untyped-def]
    if how == "forged":
        response = post_signed(client, "wa", MESSAGE, sig="sha256=" + "f" * 64)
    elif how == "other_secret":
        response = post_signed(client, "wa", MESSAGE, secret="whsec_guess")
    else:
        response = client.post("/webhooks/messages/wa/", data=MESSAGE, content_type="application/json")
    assert (response.status_code, nothing_stored()) == (401, True)


def test_stale_signatures_are_403_and_store_nothing(client, connector):  # type: ignore[no-untyped-def]
    response = post_signed(client, "wa", MESSAGE, ts=time.time() - 600)
    assert (response.status_code, nothing_stored()) == (403, True)


def test_a_replayed_event_id_is_403_and_changes_nothing(client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "wa", MESSAGE)
    again = post_signed(client, "wa", MESSAGE)
    assert (again.status_code, Ticket.objects.get().message_count, MessagingReceipt.objects.count()) == (403, 1, 1)


@pytest.mark.parametrize(("raw", "fields"), [
    (b"{", ["body"]),
    (b'{"event_id": "e", "conversation_id": "c", "user": {"id": "u"}, "attachments": [{"url": "file:///etc/passwd"}]}',
     ["attachments.0.url"]),
    (b'{"event_id": "e", "user": {"id": "u"}, "text": "hi"}', ["conversation_id"]),
])
def test_malformed_messages_are_422_naming_the_fields_and_store_nothing(client, connector, raw, fields):  # type: ignore[no-untyped-def]
    response = post_signed(client, "wa", None, raw=raw)
    assert (response.status_code, sorted(e["field"] for e in response.json()["errors"]), nothing_stored()) == (
        422, fields, True)


def test_the_ticket_page_shows_each_replys_delivery_and_its_tries(login, client, connector, loopback):  # type: ignore[no-untyped-def]
    connector.outbound_url = loopback([500, 200]).url
    connector.save(update_fields=["outbound_url"])
    post_signed(client, "wa", {**MESSAGE, "attachments": [{"url": "https://cdn.example/a.png", "name": "a.png"}]})
    ticket = Ticket.objects.get()
    manager = f.manager()
    ticket_reply(ticket=ticket, author=manager, body="Looking into it")
    delivery = Delivery.objects.get()
    services.delivery_attempt(delivery_id=delivery.pk)
    page = login(manager).get(f"/tickets/{ticket.pk}/")
    assert b'<span class="badge delivery-retrying">Retrying</span>' in page.content and b"HTTP 500" in page.content
    assert b'href="https://cdn.example/a.png"' in page.content and b"Sam" in page.content


def test_a_failed_delivery_is_sent_again_from_the_ticket_but_not_by_another_agent(login, client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "wa", MESSAGE)  # the connector has no outbound URL: the reply fails at once
    ticket = Ticket.objects.get()
    author = f.agent(teams=[connector.queue.team])
    other = f.agent(teams=[connector.queue.team])
    ticket_reply(ticket=ticket, author=author, body="Hi Sam")
    delivery = Delivery.objects.get()
    page = login(author).get(f"/tickets/{ticket.pk}/")
    refused = login(other).post(f"/messaging/deliveries/{delivery.pk}/retry/")
    outsider = login(f.agent(teams=[f.team()])).post(f"/messaging/deliveries/{delivery.pk}/retry/")
    done = login(author).post(f"/messaging/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert b"Send again" in page.content
    assert (refused.status_code, outsider.status_code, done.status_code, delivery.status) == (
        403, 404, 302, DeliveryStatus.PENDING)


def test_connectors_and_the_delivery_log_are_for_managers_and_the_secret_is_shown_once(login):  # type: ignore[no-untyped-def]
    client = login(f.manager())
    made = client.post("/messaging/", {"name": "Shop SMS", "platform": "sms", "outbound_url": "https://sms.example/send"})
    connector = MessagingConnector.objects.get()
    first, second = client.get(made.url), client.get(made.url)
    assert (made.status_code, connector.slug, connector.secret.encode() in first.content,
            connector.secret.encode() in second.content, client.get("/messaging/deliveries/").status_code) == (
        302, "shop-sms", True, False, 200)
    bad = client.post(made.url, {"name": "Shop SMS", "outbound_url": "not a url"})
    assert bad.status_code == 422


def test_a_connector_with_an_internal_outbound_url_is_refused_with_the_field(login):  # type: ignore[no-untyped-def]
    client = login(f.manager())
    refused = client.post("/messaging/", {"name": "Metadata", "platform": "sms",
                                          "outbound_url": "http://169.254.169.254/latest/meta-data/"})
    assert (refused.status_code, b"internal address" in refused.content, MessagingConnector.objects.count()) == (422, True, 0)


@pytest.mark.parametrize("role", ["agent", "lead", "customer"])
def test_others_cannot_configure_connectors_or_read_the_delivery_log(login, connector, role):  # type: ignore[no-untyped-def]
    user = {"agent": f.agent, "lead": f.lead, "customer": lambda: f.customer(with_login=True).user}[role]()
    client = login(user)
    assert [client.get("/messaging/").status_code, client.get("/messaging/deliveries/").status_code,
            client.post("/messaging/", {"name": "Evil", "platform": "x"}).status_code,
            client.post(f"/messaging/connectors/{connector.pk}/", {"action": "rotate"}).status_code] == [403] * 4
    assert MessagingConnector.objects.get().secret == "whsec_test"


def test_the_echo_receiver_accepts_only_replies_signed_with_the_current_secret(client, connector):  # type: ignore[no-untyped-def]
    good = post_signed(client, "wa/echo", {"text": "hi"})
    forged = post_signed(client, "wa/echo", {"text": "hi"}, secret="whsec_guess")
    assert (good.status_code, forged.status_code, nothing_stored()) == (200, 401, True)


def test_the_delivery_log_tells_retried_from_failed_and_says_what_to_do(login, client, connector, loopback):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    connector.outbound_url = loopback([500, 200]).url
    connector.save(update_fields=["outbound_url"])
    post_signed(client, "wa", MESSAGE)
    ticket = Ticket.objects.get()
    manager = f.manager()
    ticket_reply(ticket=ticket, author=manager, body="Looking into it")
    retried = Delivery.objects.get()
    services.delivery_attempt(delivery_id=retried.pk)
    services.delivery_attempt(delivery_id=retried.pk, at=timezone.now() + timedelta(minutes=5))
    connector.outbound_url = ""
    connector.save(update_fields=["outbound_url"])
    ticket_reply(ticket=ticket, author=manager, body="Still there?")
    failed = Delivery.objects.exclude(pk=retried.pk).get()
    assert (Delivery.objects.get(pk=retried.pk).status, failed.status) == (DeliveryStatus.DELIVERED, DeliveryStatus.FAILED)
    page = login(manager).get("/messaging/deliveries/").content.decode()
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    first, second = body.split("</tr>")[:2]  # newest first: the failed reply, then the retried one
    assert '<span class="badge delivery-failed">Failed: not delivered</span>' in first
    assert f'<a href="/tickets/{ticket.pk}/#messaging">send it again from the ticket</a>' in first
    assert "no outbound webhook URL" in first
    assert '<span class="badge delivery-delivered">Delivered</span>' in second and "on try 2, after 1 failed" in second
    assert "Failed" not in second and "HTTP 500" not in second
