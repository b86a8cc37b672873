"""/api/v1/messaging: staff list conversations, read their messages and deliveries, reply (the
desk's reply service, queued for the outbound webhook) and send a failed delivery again; nothing
on a ticket the caller may not see is listed, counted or readable; customers get 403."""

from __future__ import annotations

import pytest
from django.utils import timezone

from frontline.desk.models import EventKind, StatusCategory, TicketEvent
from frontline.desk.services import (
    status_default,
    ticket_reply,
    ticket_status_change,
    ticket_team_change,
)
from frontline.messaging import services
from frontline.messaging.models import Delivery, DeliveryStatus, MessagingConnector, Platform
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db
_n = iter(range(1, 10_000))


def receive(connector, conversation, text="Where is my parcel?", **extra):  # type: ignore[no-untyped-def]
    data = {"event_id": f"ev-{next(_n)}", "conversation_id": conversation, "user": {"id": f"u-{conversation}",
            "name": "Kim"}, "text": text, **extra}
    return services.message_receive(connector=connector, msg=services.message_parse(data))


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A connector per team (its queue's team); a conversation in each; an agent in each team."""
    mine, other = f.team(name="Mine"), f.team(name="Other")
    made = {}
    for name, team in (("seen", mine), ("hidden", other)):
        connector = MessagingConnector.objects.create(
            name=f"WA {name}", slug=f"wa-{name}", platform=Platform.WHATSAPP, secret="whsec_test",
            outbound_url="http://127.0.0.1:9/out", created_at=timezone.now(), queue=f.queue(team=team))
        received = receive(connector, f"c-{name}", attachments=[{"url": "https://cdn.example/p.jpg", "name": "p.jpg"}])
        ticket_team_change(ticket=received.thread.ticket, team=team, actor=None)
        made[name] = received.thread
    return {"ana": f.agent(teams=[mine]), "olga": f.agent(teams=[other]), **made}


def test_an_agent_lists_and_reads_only_conversations_on_tickets_they_see(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    seen, hidden = world["seen"], world["hidden"]
    assert [c["id"] for c in api.get("/messaging/conversations").json()["items"]] == [seen.pk]
    for params in ({"ticket_id": hidden.ticket_id}, {"connector_id": hidden.connector_id}, {"platform": "whatsapp"}):
        assert hidden.pk not in [c["id"] for c in api.get("/messaging/conversations", params).json()["items"]]
    assert api.get(f"/messaging/conversations/{hidden.pk}").status_code == 404
    assert api.get(f"/messaging/conversations/{hidden.pk}/messages").status_code == 404
    assert api.post(f"/messaging/conversations/{hidden.pk}/replies", {"body": "Hi"}).status_code == 404
    body = api.get(f"/messaging/conversations/{seen.pk}").json()
    assert (body["ticket_id"], body["contact"]["name"], body["connector"]["platform"]) == (seen.ticket_id, "Kim", "whatsapp")
    assert {c["id"] for c in ApiClient(f.manager()).get("/messaging/conversations").json()["items"]} == {seen.pk, hidden.pk}


def test_customers_and_anonymous_callers_are_refused(world):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    api = ApiClient(customer.user)
    for path in ("/messaging/conversations", "/messaging/deliveries", f"/messaging/conversations/{world['seen'].pk}"):
        assert api.get(path).status_code == 403
    assert api.post(f"/messaging/conversations/{world['seen'].pk}/replies", {"body": "Hi"}).status_code == 403
    assert ApiClient(None).get("/messaging/conversations").status_code == 401


def test_a_reply_goes_through_the_desk_and_is_queued_for_the_outbound_webhook(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    thread = world["seen"]
    response = api.post(f"/messaging/conversations/{thread.pk}/replies", {"body": "It ships today."})
    assert response.status_code == 201, response.content
    reply = response.json()
    assert (reply["direction"], reply["body_text"], reply["delivery"]["status"]) == ("outbound", "It ships today.", "pending")
    assert TicketEvent.objects.filter(ticket_id=thread.ticket_id, kind=EventKind.REPLIED,
                                      payload__message_id=reply["id"]).exists()
    assert Delivery.objects.get(message_id=reply["id"]).thread == thread
    messages = api.get(f"/messaging/conversations/{thread.pk}/messages").json()["items"]
    assert [(m["direction"], m["attachments"]) for m in messages] == [
        ("inbound", [{"url": "https://cdn.example/p.jpg", "name": "p.jpg", "content_type": ""}]), ("outbound", [])]


def test_bad_replies_are_422_and_a_closed_ticket_is_409(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    path = f"/messaging/conversations/{world['seen'].pk}/replies"
    assert fields_of(api.post(path, {"body": ""})) == {"body"}
    assert fields_of(api.post(path, {})) == {"body"}
    assert fields_of(api.post(path, {"body": "x" * 10_001})) == {"body"}
    ticket = world["seen"].ticket
    for category in (StatusCategory.SOLVED, StatusCategory.CLOSED):
        ticket_status_change(ticket=ticket, status=status_default(category), actor=world["ana"])
    assert api.post(path, {"body": "Hello?"}).status_code == 409
    assert not Delivery.objects.exists()


def test_the_delivery_log_is_scoped_and_a_failed_delivery_is_sent_again_by_its_author(world):  # type: ignore[no-untyped-def]
    seen_msg = ticket_reply(ticket=world["seen"].ticket, author=world["ana"], body="On its way.")
    hidden_msg = ticket_reply(ticket=world["hidden"].ticket, author=world["olga"], body="Sorry.")
    seen, hidden = Delivery.objects.get(message=seen_msg), Delivery.objects.get(message=hidden_msg)
    Delivery.objects.filter(pk__in=[seen.pk, hidden.pk]).update(status=DeliveryStatus.FAILED, last_error="HTTP 500")
    api = ApiClient(world["ana"])
    assert [d["id"] for d in api.get("/messaging/deliveries").json()["items"]] == [seen.pk]
    for params in ({"status": "failed"}, {"ticket_id": hidden.thread.ticket_id}, {"connector_id": hidden.thread.connector_id}):
        assert hidden.pk not in [d["id"] for d in api.get("/messaging/deliveries", params).json()["items"]]
    assert api.get(f"/messaging/deliveries/{hidden.pk}").status_code == 404
    assert api.post(f"/messaging/deliveries/{hidden.pk}/retry").status_code == 404
    colleague = f.agent(teams=list(world["ana"].teams.all()))
    assert ApiClient(colleague).post(f"/messaging/deliveries/{seen.pk}/retry").status_code == 403
    again = api.post(f"/messaging/deliveries/{seen.pk}/retry")
    assert (again.status_code, again.json()["status"], again.json()["attempts"]) == (200, "pending", 0)
    assert api.post(f"/messaging/deliveries/{seen.pk}/retry").status_code == 422
    assert {d["id"] for d in ApiClient(f.manager()).get("/messaging/deliveries").json()["items"]} == {seen.pk, hidden.pk}


@pytest.mark.parametrize("count", [1, 6])
def test_list_query_counts_do_not_grow(world, count, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for i in range(count):
        ticket_reply(ticket=world["seen"].ticket, author=world["ana"], body=f"Reply {i}")
    api = ApiClient(world["ana"])
    with django_assert_max_num_queries(5):
        assert len(api.get("/messaging/deliveries").json()["items"]) == count
    with django_assert_max_num_queries(5):
        assert len(api.get(f"/messaging/conversations/{world['seen'].pk}/messages").json()["items"]) == count + 1
