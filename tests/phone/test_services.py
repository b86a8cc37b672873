"""Phone services: logging calls (handle time = talk + wrap-up), the webhook's call events, customers by number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontline.desk.models import Channel, EventKind, StatusCategory, TicketEvent
from frontline.desk.services import handle_seconds_total
from frontline.metrics.models import TicketFact
from frontline.metrics.services import metrics_refresh_dirty
from frontline.phone import selectors, services
from frontline.phone.models import Call, CallState, PhoneReceipt
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) - timedelta(hours=2)


def logged(**kw):  # type: ignore[no-untyped-def]
    values = {"direction": "inbound", "started_at": T0, "talk_seconds": 252, "wrap_seconds": 60,
              "disposition": "resolved", "notes": "Customer will retry the card.", "now": T0 + timedelta(hours=1)}
    values.update(kw)
    return services.call_input_clean(**values)


def test_a_call_logged_on_a_ticket_is_a_note_carrying_talk_plus_wrap_as_handle_time():  # type: ignore[no-untyped-def]
    agent = f.agent()
    ticket = f.ticket()
    call = services.call_log(agent=agent, ticket=ticket, call=logged(), at=T0 + timedelta(minutes=6))
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.CALL_LOGGED)
    assert (call.message.is_public, call.message.handle_seconds, handle_seconds_total(ticket.messages.all())[0],
            event.payload["talk_seconds"], event.payload["wrap_seconds"], event.payload["summary"]) == (
        False, 312, 312, 252, 60, "Inbound call, 4 min 12 s talk + 1 min wrap-up (resolved on the call)")
    assert "Customer will retry the card." in call.message.body_text


def test_metrics_count_a_calls_talk_and_wrap_as_the_tickets_handle_time():  # type: ignore[no-untyped-def]
    agent = f.agent()
    ticket = f.ticket()
    services.call_log(agent=agent, ticket=ticket, call=logged(talk_seconds=300, wrap_seconds=45), at=T0)
    metrics_refresh_dirty()
    assert TicketFact.objects.get(ticket_id=ticket.pk).handle_seconds == 345


def test_a_call_logged_as_a_new_ticket_finds_the_customer_by_number_whatever_the_separators():  # type: ignore[no-untyped-def]
    agent = f.agent()
    customer = f.customer()
    customer.phone = "+49 (151) 234-5678"
    customer.save(update_fields=["phone"])
    call = services.call_log_new_ticket(agent=agent, call=logged(), number="+49151 2345678", at=T0)
    ticket = call.ticket
    assert (ticket.requester_id, ticket.channel, ticket.assignee_id, handle_seconds_total(ticket.messages.all())) == (
        customer.pk, Channel.PHONE, agent.pk, (312, 2, 2))
    assert not ticket.messages.order_by("id").first().body_text.count("retry")  # notes stay internal


def test_an_unknown_number_gets_a_customer_without_an_email_address_once():  # type: ignore[no-untyped-def]
    first = services.customer_for_number(number="+1 555 0100", name="Pat")
    again = services.customer_for_number(number="+15550100")
    assert (first.pk, first.email, first.phone, first.name) == (again.pk, "phone-15550100@phone.invalid", "+15550100", "Pat")


@pytest.mark.parametrize(("kw", "field"), [
    ({"talk_seconds": None}, "talk_seconds"),
    ({"talk_seconds": -1}, "talk_seconds"),
    ({"wrap_seconds": 90_000}, "wrap_seconds"),
    ({"direction": "sideways"}, "direction"),
    ({"disposition": "bored"}, "disposition"),
    ({"ended_at": T0 - timedelta(minutes=1)}, "ended_at"),
    ({"ended_at": T0 + timedelta(seconds=60), "talk_seconds": 120}, "talk_seconds"),
    ({"started_at": T0 + timedelta(days=1)}, "started_at"),
])
def test_bad_call_input_names_the_field(kw, field):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        logged(**kw)
    assert field in error.value.message_dict


def test_talk_time_defaults_to_the_calls_length():  # type: ignore[no-untyped-def]
    assert logged(talk_seconds=None, ended_at=T0 + timedelta(minutes=3)).talk_seconds == 180


def test_customers_cannot_log_calls_and_closed_tickets_take_none():  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    with pytest.raises(PermissionDenied):
        services.call_log(agent=f.user(role="customer"), ticket=ticket, call=logged())
    ticket.status_category = StatusCategory.CLOSED
    with pytest.raises(ValidationError):
        services.call_log(agent=f.agent(), ticket=ticket, call=logged())
    assert Call.objects.count() == 0


def ev(connector, kind, at, call_id="c-1", **kw):  # type: ignore[no-untyped-def]
    data = {"event_id": f"{call_id}-{kind}-{at.timestamp()}", "type": kind, "call_id": call_id, "at": at.isoformat(),
            "from": "+44 20 7946 0000", "caller_name": "Jo Bloggs", **kw}
    event = services.call_event_parse(data, now=timezone.now())
    return services.call_event_apply(connector=connector, event=event)


def test_a_reported_call_rings_is_answered_and_ends_with_handle_time_on_its_ticket(connector):  # type: ignore[no-untyped-def]
    agent = f.agent(username="ana")
    ev(connector, "ringing", T0)
    ev(connector, "answered", T0 + timedelta(seconds=20), agent_email="ANA@staff.example")
    result = ev(connector, "ended", T0 + timedelta(seconds=200), wrap_seconds=40, disposition="follow_up")
    call = result.call
    ticket = call.ticket
    assert (call.state, call.wait_seconds, call.talk_seconds, call.wrap_seconds, call.agent_id, ticket.channel,
            ticket.queue_id, ticket.assignee_id, ticket.requester.phone, handle_seconds_total(ticket.messages.all())[0]) == (
        CallState.ENDED, 20, 180, 40, agent.pk, Channel.PHONE, connector.queue_id, agent.pk, "+442079460000", 220)
    assert list(TicketEvent.objects.filter(ticket=ticket, kind__in=[EventKind.CALL_LOGGED, EventKind.CALL_MISSED])
                .values_list("kind", flat=True)) == [EventKind.CALL_LOGGED]


def test_abandoned_and_missed_calls_write_call_missed_and_are_counted_per_day(connector):  # type: ignore[no-untyped-def]
    manager = f.manager()
    ev(connector, "ringing", T0, call_id="a")
    ev(connector, "abandoned", T0 + timedelta(seconds=45), call_id="a")
    ev(connector, "ringing", T0, call_id="b")
    ev(connector, "ended", T0 + timedelta(seconds=30), call_id="b")  # hung up before an answer: missed
    ev(connector, "missed", T0, call_id="c")
    ev(connector, "answered", T0, call_id="d")
    ev(connector, "ended", T0 + timedelta(seconds=60), call_id="d")
    events = TicketEvent.objects.filter(kind=EventKind.CALL_MISSED).order_by("id")
    assert [e.payload["reason"] for e in events] == ["abandoned", "missed", "missed"]
    assert events[0].payload["summary"] == "Abandoned call: +442079460000 hung up after 45 s waiting."
    tz = timezone.get_current_timezone()
    day = T0.astimezone(tz).date()
    rows = selectors.call_counts_per_day(viewer=manager, first=day, last=day, tz=tz)
    assert [(len(r.offered), len(r.answered), len(r.missed), len(r.abandoned), r.abandon_rate) for r in rows] == [
        (4, 1, 2, 1, 0.25)]
    assert selectors.abandoned_count(viewer=manager, since=T0 - timedelta(hours=1), until=T0 + timedelta(hours=1)) == 1


def test_late_events_change_nothing_and_a_recording_is_kept(connector):  # type: ignore[no-untyped-def]
    ev(connector, "missed", T0)
    late = ev(connector, "answered", T0 + timedelta(seconds=5))
    rec = ev(connector, "recording", T0 + timedelta(seconds=9), recording_url="https://pbx.example/r/1.mp3")
    assert (late.applied, rec.call.state, rec.call.recording_url) == (False, CallState.MISSED, "https://pbx.example/r/1.mp3")


def test_an_unknown_agent_email_is_a_warning_and_no_handle_time(connector):  # type: ignore[no-untyped-def]
    ev(connector, "answered", T0, agent_email="ghost@example.com")
    result = ev(connector, "ended", T0 + timedelta(seconds=60))
    assert (result.call.agent_id, result.call.message_id, handle_seconds_total(result.call.ticket.messages.all())[0]) == (
        None, None, 0)
    assert "no agent known" in TicketEvent.objects.get(kind=EventKind.CALL_LOGGED).payload["summary"]


def test_a_call_can_be_reported_on_an_existing_ticket(connector):  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    result = ev(connector, "ringing", T0, ticket_id=ticket.pk, direction="outbound", to="+1 555 0199")
    assert (result.call.ticket_id, result.call.customer_id, result.call.direction) == (ticket.pk, ticket.requester_id, "outbound")


def test_a_replayed_event_id_is_refused_and_rolls_back(connector):  # type: ignore[no-untyped-def]
    data = {"event_id": "e1", "type": "ringing", "call_id": "x", "from": "+15550100"}
    services.call_event_apply(connector=connector, event=services.call_event_parse(data, now=timezone.now()))
    with pytest.raises(services.Replayed):
        services.call_event_apply(connector=connector, event=services.call_event_parse(
            {**data, "call_id": "y"}, now=timezone.now()))
    assert (Call.objects.count(), PhoneReceipt.objects.count()) == (1, 1)


@pytest.mark.parametrize(("data", "fields"), [
    ({}, {"event_id", "type", "call_id"}),
    ({"event_id": "e", "type": "exploded", "call_id": "x"}, {"type"}),
    ({"event_id": "e", "type": "ringing", "call_id": "x", "from": "call me"}, {"from"}),
    ({"event_id": "e", "type": "ringing", "call_id": "x", "at": "yesterday"}, {"at"}),
    ({"event_id": "e", "type": "ringing", "call_id": "x", "at": "2026-12-06T10:00:00"}, {"at"}),
    ({"event_id": "e", "type": "recording", "call_id": "x", "recording_url": "javascript:alert(1)"}, {"recording_url"}),
    ({"event_id": "e", "type": "ended", "call_id": "x", "talk_seconds": "long"}, {"talk_seconds"}),
    ({"event_id": 5, "type": "ringing", "call_id": "x"}, {"event_id"}),
    ([1, 2], {"body"}),
])
def test_malformed_payloads_name_every_failing_field(data, fields):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.call_event_parse(data, now=timezone.now())
    assert set(error.value.message_dict) == fields


def test_rotation_keeps_the_previous_secret_for_a_day_unless_revoked(connector):  # type: ignore[no-untyped-def]
    manager = f.manager()
    now = timezone.now()
    made = services.connector_rotate_secret(actor=manager, connector=connector, at=now)
    assert selectors.connector_secrets(connector=made.connector, now=now) == [made.secret, "whsec_test"]
    assert selectors.connector_secrets(connector=made.connector, now=now + timedelta(hours=25)) == [made.secret]
    again = services.connector_rotate_secret(actor=manager, connector=connector, keep_previous=False, at=now)
    assert selectors.connector_secrets(connector=again.connector, now=now) == [again.secret]
    with pytest.raises(PermissionDenied):
        services.connector_rotate_secret(actor=f.lead(), connector=connector)


def test_nothing_is_emailed_to_a_customer_known_only_by_number():  # type: ignore[no-untyped-def]
    from frontline.desk.services import ticket_reply
    from frontline.mail.models import OutgoingEmail
    from frontline.mail.outgoing import message_send

    agent = f.agent()
    call = services.call_log_new_ticket(agent=agent, call=logged(), number="+15550100", at=T0)
    reply = ticket_reply(ticket=call.ticket, author=agent, body="We called you back.")
    assert (message_send(message_id=reply.pk), OutgoingEmail.objects.count()) == ("skipped", 0)
