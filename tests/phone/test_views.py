"""Phone over HTTP: the signed webhook (valid, forged, stale, replayed, malformed), pages and who may use them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.customers.models import Customer
from frontline.desk.models import Ticket, TicketEvent
from frontline.phone.models import Call, PhoneConnector, PhoneReceipt
from frontline.phone.services import connector_rotate_secret
from tests import factories as f

from .conftest import post_signed

pytestmark = pytest.mark.django_db
RINGING = {"event_id": "ev-1", "type": "ringing", "call_id": "call-1", "from": "+1 555 0100", "caller_name": "Pat"}


def nothing_stored() -> bool:
    return (Call.objects.count(), Ticket.objects.count(), PhoneReceipt.objects.count(), TicketEvent.objects.count(),
            Customer.objects.count()) == (0, 0, 0, 0, 0)


def test_a_signed_event_makes_the_call_and_its_ticket(client, connector):  # type: ignore[no-untyped-def]
    response = post_signed(client, "acme", RINGING)
    body = response.json()
    call = Call.objects.get()
    assert (response.status_code, body["call"], body["ticket"], body["state"], call.ticket.requester.name) == (
        200, call.pk, call.ticket_id, "ringing", "Pat")


@pytest.mark.parametrize("how", ["forged", "other_secret", "unsigned", "garbage_timestamp"])
def test_forged_signatures_are_401_and_store_nothing(client, connector, how):  # type: ignore[no-untyped-def]
    if how == "forged":
        response = post_signed(client, "acme", RINGING, sig="sha256=" + "0" * 64)
    elif how == "other_secret":
        response = post_signed(client, "acme", RINGING, secret="whsec_guess")
    elif how == "unsigned":
        response = client.post("/webhooks/phone/acme/", data=RINGING, content_type="application/json")
    else:
        response = client.post("/webhooks/phone/acme/", data=RINGING, content_type="application/json",
                               headers={"X-Frontline-Timestamp": "soon", "X-Frontline-Signature": "sha256=00"})
    assert (response.status_code, nothing_stored()) == (401, True)


def test_a_body_changed_after_signing_is_401(client, connector):  # type: ignore[no-untyped-def]
    import json

    from frontline.core import webhooks
    body = json.dumps(RINGING).encode()
    headers = webhooks.signed_headers(secret="whsec_test", body=body, now=time.time())
    tampered = body.replace(b"+1 555 0100", b"+1 555 0666")
    response = client.post("/webhooks/phone/acme/", data=tampered, content_type="application/json", headers=headers)
    assert (response.status_code, nothing_stored()) == (401, True)


@pytest.mark.parametrize("offset", [-301, 301, -3600])
def test_stale_signatures_are_403_and_store_nothing(client, connector, offset):  # type: ignore[no-untyped-def]
    response = post_signed(client, "acme", RINGING, ts=time.time() + offset)
    assert (response.status_code, "stale" in response.json()["detail"], nothing_stored()) == (403, True, True)


def test_a_replayed_event_is_403_and_changes_nothing(client, connector):  # type: ignore[no-untyped-def]
    first = post_signed(client, "acme", RINGING)
    events = TicketEvent.objects.count()
    again = post_signed(client, "acme", {**RINGING, "call_id": "call-2"})  # same event id, re-signed
    assert (first.status_code, again.status_code, Call.objects.count(), TicketEvent.objects.count()) == (
        200, 403, 1, events)


def test_the_previous_secret_works_during_a_rotation(client, connector):  # type: ignore[no-untyped-def]
    made = connector_rotate_secret(actor=f.manager(), connector=connector)
    old = post_signed(client, "acme", RINGING)
    new = post_signed(client, "acme", {**RINGING, "event_id": "ev-2"}, secret=made.secret)
    assert (old.status_code, new.status_code) == (200, 200)


@pytest.mark.parametrize(("raw", "fields"), [
    (b"not json", ["body"]),
    (b"\xff\xfe", ["body"]),
    (b'{"type": "ringing"}', ["event_id", "call_id"]),
    (b'{"event_id": "e", "type": "ringing", "call_id": "c"}', ["from"]),
    (b'{"event_id": "e", "type": "recording", "call_id": "nope", "recording_url": "https://x.example/r"}', ["call_id"]),
    (b'{"event_id": "e", "type": "ringing", "call_id": "c", "from": "+15550100", "ticket_id": 999999}', ["ticket_id"]),
])
def test_malformed_payloads_are_422_naming_the_fields_and_store_nothing(client, connector, raw, fields):  # type: ignore[no-untyped-def]
    response = post_signed(client, "acme", None, raw=raw)
    assert (response.status_code, sorted(e["field"] for e in response.json()["errors"]), nothing_stored()) == (
        422, sorted(fields), True)


def test_unknown_or_disabled_connectors_are_404(client, connector):  # type: ignore[no-untyped-def]
    PhoneConnector.objects.filter(pk=connector.pk).update(enabled=False)
    assert (post_signed(client, "acme", RINGING).status_code, post_signed(client, "nope", RINGING).status_code,
            client.get("/webhooks/phone/acme/").status_code) == (404, 404, 405)


# --- pages and permissions --------------------------------------------------------------------------------------


def test_an_agent_logs_a_call_from_the_ticket_page(login):  # type: ignore[no-untyped-def]
    team = f.team()
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team)
    client = login(agent)
    page = client.get(f"/tickets/{ticket.pk}/")
    assert b"Log a call on this ticket" in page.content
    response = client.post(f"/phone/tickets/{ticket.pk}/log/", {"direction": "outbound", "talk": "3:30", "wrap": "0:45",
                                                                  "disposition": "callback", "notes": "Promised a refund"})
    call = Call.objects.get()
    assert (response.status_code, call.talk_seconds, call.wrap_seconds, call.message.handle_seconds, call.agent_id) == (
        302, 210, 45, 255, agent.pk)
    assert b"3 min 30 s talk" in client.get(f"/tickets/{ticket.pk}/").content


def test_an_agent_cannot_log_a_call_on_a_ticket_they_cannot_see(login):  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[f.team()])
    hidden = f.ticket(team=f.team())
    client = login(agent)
    on_ticket = client.post(f"/phone/tickets/{hidden.pk}/log/", {"direction": "inbound", "talk": "1:00"})
    by_number = client.post("/phone/log/", {"ticket": hidden.pk, "direction": "inbound", "talk": "1:00"})
    assert (on_ticket.status_code, by_number.status_code, Call.objects.count()) == (404, 422, 0)
    assert b"No ticket with this number that you can see" in by_number.content


def test_customers_cannot_use_the_phone_pages(login):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    client = login(customer.user)
    assert [client.get("/phone/").status_code, client.get("/phone/log/").status_code,
            client.post(f"/phone/tickets/{ticket.pk}/log/", {"direction": "inbound", "talk": "1:00"}).status_code] == [
        403, 403, 403]


def test_log_a_call_as_a_new_ticket_and_form_errors(login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    client = login(agent)
    missing = client.post("/phone/log/", {"direction": "inbound", "talk": "1:00"})
    bad = client.post("/phone/log/", {"direction": "inbound", "talk": "four minutes", "number": "+15550100"})
    made = client.post("/phone/log/", {"direction": "inbound", "talk": "2:00", "number": "+1 555 0100", "name": "Pat"})
    call = Call.objects.get()
    assert (missing.status_code, bad.status_code, made.status_code, made.url, call.customer.name) == (
        422, 422, 302, f"/tickets/{call.ticket_id}/", "Pat")
    assert b"minutes:seconds" in bad.content
    page = client.get("/phone/").content.decode()  # the talk time links to the call's ticket, wrap-up beside it
    assert (f'<a href="/tickets/?view=all&amp;ids={call.ticket_id}" title="The tickets of these calls">2 min</a>'
            in page), page
    assert "wrap-up, 1 call</div>" in page


def test_the_phone_page_counts_calls_per_day_and_links_each_number(login, client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "acme", RINGING)
    post_signed(client, "acme", {**RINGING, "event_id": "ev-2", "type": "abandoned"})
    manager = f.manager()
    page = login(manager).get("/phone/")
    ticket_id = Call.objects.get().ticket_id
    assert page.status_code == 200
    assert f'href="/tickets/?view=all&amp;ids={ticket_id}">1</a>'.encode() in page.content
    assert b"abandon rate 100 %" in page.content


def test_an_agent_sees_no_calls_of_tickets_outside_their_teams(login, client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "acme", {**RINGING, "type": "abandoned"})  # the connector's queue belongs to team "Phones"
    outsider = f.agent(teams=[f.team()])
    page = login(outsider).get("/phone/")
    assert b"No calls in the last 14 days" in page.content and b"Pat" not in page.content


def test_connectors_are_configured_by_managers_and_the_secret_is_shown_once(login):  # type: ignore[no-untyped-def]
    manager = f.manager()
    client = login(manager)
    made = client.post("/phone/connectors/", {"name": "Main PBX"})
    connector = PhoneConnector.objects.get()
    first = client.get(made.url)
    second = client.get(made.url)
    assert (made.status_code, connector.slug, connector.secret.encode() in first.content,
            connector.secret.encode() in second.content) == (302, "main-pbx", True, False)
    rotated = client.post(made.url, {"action": "rotate", "revoke": "1"})
    connector.refresh_from_db()
    assert (rotated.status_code, connector.previous_secret, connector.secret.encode() in client.get(made.url).content) == (
        302, "", True)


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_agents_and_leads_cannot_configure_connectors(login, connector, role):  # type: ignore[no-untyped-def]
    user = f.agent() if role == "agent" else f.lead()
    client = login(user)
    assert [client.get("/phone/connectors/").status_code,
            client.post("/phone/connectors/", {"name": "Evil"}).status_code,
            client.post(f"/phone/connectors/{connector.pk}/", {"action": "rotate"}).status_code] == [403, 403, 403]
    assert PhoneConnector.objects.get().secret == "whsec_test"


def test_the_ticket_page_shows_reported_calls(login, client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "acme", RINGING)
    post_signed(client, "acme", {**RINGING, "event_id": "ev-2", "type": "missed",
                                 "at": (timezone.now() + timedelta(seconds=1)).isoformat()})
    post_signed(client, "acme", {**RINGING, "event_id": "ev-3", "type": "recording", "recording_url": "https://pbx.example/r.mp3"})
    page = login(f.manager()).get(f"/tickets/{Call.objects.get().ticket_id}/")
    assert b"<strong>missed</strong>" in page.content and b'href="https://pbx.example/r.mp3"' in page.content


def test_a_caller_known_by_number_only_is_flagged_on_the_ticket(login, client, connector):  # type: ignore[no-untyped-def]
    post_signed(client, "acme", RINGING)
    page = login(f.manager()).get(f"/tickets/{Call.objects.get().ticket_id}/")
    assert b"known by number only" in page.content
