"""/api/v1/phone: staff log, list, read and change calls; a call is seen by whoever may see its
ticket, through every filter, order and page; customers get 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.desk.models import EventKind, Message, StatusCategory, TicketEvent
from frontline.desk.services import status_default, ticket_status_change
from frontline.phone import services
from frontline.phone.models import Call
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db
T0 = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
CALL = {"direction": "inbound", "started_at": T0.isoformat(), "talk_seconds": 300, "wrap_seconds": 60,
        "disposition": "resolved", "notes": "Reset the router."}


def log_call(agent, ticket, **kw):  # type: ignore[no-untyped-def]
    data = {"direction": "inbound", "started_at": T0, "talk_seconds": 120, "wrap_seconds": 30, **kw}
    return services.call_log(agent=agent, ticket=ticket, call=services.call_input_clean(**data))


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """Two teams; an agent in each; a ticket with a call in each."""
    mine, other = f.team(name="Mine"), f.team(name="Other")
    ana, ben, olga = f.agent(teams=[mine]), f.agent(teams=[mine]), f.agent(teams=[other])
    seen, hidden = f.ticket(team=mine), f.ticket(team=other)
    return {"ana": ana, "ben": ben, "olga": olga, "seen": seen, "hidden": hidden, "mine": mine, "other": other,
            "seen_call": log_call(ana, seen), "hidden_call": log_call(olga, hidden)}


def test_an_agent_logs_a_call_on_a_ticket_as_a_note_carrying_talk_plus_wrap(world):  # type: ignore[no-untyped-def]
    response = ApiClient(world["ana"]).post(f"/phone/tickets/{world['seen'].pk}/calls", CALL)
    assert response.status_code == 201, response.content
    body = response.json()
    call = Call.objects.get(pk=body["id"])
    assert (body["handle_seconds"], body["agent"]["id"], body["disposition"], call.message.handle_seconds,
            call.message.is_public) == (360, world["ana"].pk, "resolved", 360, False)
    assert TicketEvent.objects.filter(ticket=world["seen"], kind=EventKind.CALL_LOGGED, payload__call_id=call.pk).exists()


def test_a_call_on_a_ticket_the_agent_cannot_see_is_404_and_stores_nothing(world):  # type: ignore[no-untyped-def]
    before = Call.objects.count()
    api = ApiClient(world["ana"])
    assert api.post(f"/phone/tickets/{world['hidden'].pk}/calls", CALL).status_code == 404
    assert api.get(f"/phone/tickets/{world['hidden'].pk}/calls").status_code == 404
    assert Call.objects.count() == before


def test_customers_and_anonymous_callers_are_refused(world):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    own = f.ticket(requester=customer, actor=customer.user)
    api = ApiClient(customer.user)
    assert api.get("/phone/calls").status_code == 403
    assert api.post(f"/phone/tickets/{own.pk}/calls", CALL).status_code == 403
    assert api.get(f"/phone/tickets/{own.pk}/calls").status_code == 403
    assert ApiClient(None).get("/phone/calls").status_code == 401


def test_the_list_shows_only_calls_on_visible_tickets_whatever_the_filter(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    hidden = world["hidden_call"]
    assert [c["id"] for c in api.get("/phone/calls").json()["items"]] == [world["seen_call"].pk]
    for params in ({"ticket_id": hidden.ticket_id}, {"agent_id": world["olga"].pk},
                   {"customer_id": hidden.customer_id}, {"disposition": ""}, {"started_from": T0.isoformat()}):
        assert [c["id"] for c in api.get("/phone/calls", params).json()["items"]
                if c["id"] == hidden.pk] == [], params
    assert api.get(f"/phone/calls/{hidden.pk}").status_code == 404
    assert api.client.patch(f"/api/v1/phone/calls/{hidden.pk}", '{"notes": "x"}', content_type="application/json",
                            headers=api.headers).status_code == 404
    manager_ids = {c["id"] for c in ApiClient(f.manager()).get("/phone/calls").json()["items"]}
    assert manager_ids == {world["seen_call"].pk, hidden.pk}


def test_filters_and_pages_newest_first(world):  # type: ignore[no-untyped-def]
    later = log_call(world["ana"], world["seen"], started_at=T0 + timedelta(minutes=30), direction="outbound")
    api = ApiClient(world["ana"])
    first = api.get("/phone/calls", {"limit": 1}).json()
    second = api.get("/phone/calls", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert ([c["id"] for c in first["items"] + second["items"]], second["next_cursor"]) == (
        [later.pk, world["seen_call"].pk], None)
    assert [c["id"] for c in api.get("/phone/calls", {"direction": "outbound"}).json()["items"]] == [later.pk]
    window = {"started_from": (T0 + timedelta(minutes=1)).isoformat(), "started_to": (T0 + timedelta(hours=1)).isoformat()}
    assert [c["id"] for c in api.get("/phone/calls", window).json()["items"]] == [later.pk]
    ticket_calls = api.get(f"/phone/tickets/{world['seen'].pk}/calls").json()["items"]
    assert [c["id"] for c in ticket_calls] == [world["seen_call"].pk, later.pk]


@pytest.mark.parametrize("count", [1, 8])
def test_the_call_list_query_count_does_not_grow(world, count, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for i in range(count):
        log_call(world["ana"], world["seen"], started_at=T0 + timedelta(minutes=i + 1))
    api = ApiClient(world["ana"])
    with django_assert_max_num_queries(5):
        assert len(api.get("/phone/calls").json()["items"]) == count + 1


@pytest.mark.parametrize(("change", "fields"), [
    ({"talk_seconds": 7200, "ended_at": (T0 + timedelta(minutes=5)).isoformat()}, {"talk_seconds"}),
    ({"ended_at": (T0 - timedelta(minutes=5)).isoformat()}, {"ended_at"}),
    ({"started_at": (timezone.now() + timedelta(days=1)).isoformat()}, {"started_at"}),
    ({"started_at": "2026-12-06T10:00:00"}, {"started_at"}),
    ({"talk_seconds": "300"}, {"talk_seconds"}),
    ({"talk_seconds": -1, "wrap_seconds": 90_000}, {"talk_seconds", "wrap_seconds"}),
    ({"disposition": "happy"}, {"disposition"}),
    ({"direction": "sideways"}, {"direction"}),
    ({"number": "call me"}, {"number"}),
])
def test_bad_calls_are_422_naming_the_fields(world, change, fields):  # type: ignore[no-untyped-def]
    before = Call.objects.count()
    response = ApiClient(world["ana"]).post(f"/phone/tickets/{world['seen'].pk}/calls", {**CALL, **change})
    assert (response.status_code, fields_of(response)) == (422, fields)
    assert Call.objects.count() == before


def test_a_closed_ticket_takes_no_call(world):  # type: ignore[no-untyped-def]
    ticket_status_change(ticket=world["seen"], status=status_default(StatusCategory.SOLVED), actor=world["ana"])
    ticket_status_change(ticket=world["seen"], status=status_default(StatusCategory.CLOSED), actor=world["ana"])
    response = ApiClient(world["ana"]).post(f"/phone/tickets/{world['seen'].pk}/calls", CALL)
    assert (response.status_code, fields_of(response)) == (422, {"ticket"})


def test_a_call_as_a_new_ticket_finds_or_makes_the_customer(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    made = api.post("/phone/calls", {**CALL, "number": "+44 20 7946 0000", "name": "Pat Caller"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["customer"]["name"], body["number"], body["agent"]["id"]) == ("Pat Caller", "+442079460000", world["ana"].pk)
    assert api.get(f"/phone/calls/{body['id']}").status_code == 200
    assert fields_of(api.post("/phone/calls", {**CALL, "customer_id": 10**9})) == {"customer_id"}
    assert fields_of(api.post("/phone/calls", CALL)) == {"number"}
    assert fields_of(api.post("/phone/calls", {**CALL, "queue_id": 10**9, "number": "123456"})) == {"queue_id"}


def test_the_calls_agent_and_supervisors_change_disposition_and_notes_with_a_note_on_the_ticket(world):  # type: ignore[no-untyped-def]
    call = world["seen_call"]
    path = f"/api/v1/phone/calls/{call.pk}"

    def patch(user, body):  # type: ignore[no-untyped-def]
        api = ApiClient(user)
        return api.client.patch(path, body, content_type="application/json", headers=api.headers)

    notes_before = Message.objects.filter(ticket=world["seen"], is_public=False).count()
    assert patch(world["ben"], '{"disposition": "callback"}').status_code == 403
    changed = patch(world["ana"], '{"disposition": "callback"}')
    assert (changed.status_code, changed.json()["disposition"], changed.json()["notes"]) == (200, "callback", "")
    lead = f.lead(leads=[world["mine"]])
    assert patch(lead, '{"notes": "Call back Monday."}').json()["notes"] == "Call back Monday."
    assert fields_of(patch(world["ana"], '{"disposition": "happy"}')) == {"disposition"}
    notes = list(Message.objects.filter(ticket=world["seen"], is_public=False).order_by("id"))[notes_before:]
    assert [n.body_text.splitlines()[0] for n in notes] == [
        f"Call {call.pk} updated: disposition none → callback promised",
        f"Call {call.pk} updated: notes changed:"]
    assert [n.handle_seconds for n in notes] == [None, None]
    assert Call.objects.get(pk=call.pk).handle_seconds == 150
