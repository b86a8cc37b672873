"""Handle time through the API: set on replies, notes and staff-filed tickets, validated (422),
staff only (403), returned in message output for staff."""

from __future__ import annotations

import pytest

from frontline.desk.models import AuthorKind, Message
from frontline.desk.services import ticket_reply
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():  # type: ignore[no-untyped-def]
    return f.agent(teams=[f.team()])


@pytest.fixture
def ticket(agent):  # type: ignore[no-untyped-def]
    return f.ticket(team=agent.teams.first())


def test_an_agent_records_handle_time_on_a_reply_and_a_note(agent, ticket) -> None:  # type: ignore[no-untyped-def]
    api = ApiClient(agent)
    reply = api.post(f"/tickets/{ticket.pk}/messages", {"body": "Refund issued.", "handle_seconds": 250})
    note = api.post(f"/tickets/{ticket.pk}/messages", {"body": "Checked ledger.", "public": False, "handle_seconds": 0})
    assert (reply.status_code, note.status_code) == (201, 201)
    assert (reply.json()["handle_seconds"], note.json()["handle_seconds"]) == (250, 0)
    stored = Message.objects.filter(ticket=ticket, author_kind=AuthorKind.AGENT).order_by("pk")
    assert list(stored.values_list("handle_seconds", flat=True)) == [250, 0]


def test_handle_time_is_optional(agent, ticket) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(agent).post(f"/tickets/{ticket.pk}/messages", {"body": "On it."})
    assert response.status_code == 201 and response.json()["handle_seconds"] is None


@pytest.mark.parametrize("bad", ["-1", "86401", "1e20", "12.5", "true", '"600"', "[60]"])
def test_bad_handle_time_is_422_naming_the_field(agent, ticket, bad) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(agent).post(f"/tickets/{ticket.pk}/messages", raw=f'{{"body": "Hi", "handle_seconds": {bad}}}')
    assert response.status_code == 422
    assert fields_of(response) == {"handle_seconds"}
    assert not Message.objects.filter(ticket=ticket, author_kind=AuthorKind.AGENT).exists()


def test_the_bounds_are_accepted(agent, ticket) -> None:  # type: ignore[no-untyped-def]
    api = ApiClient(agent)
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "a", "handle_seconds": 86400}).json()["handle_seconds"] == 86400


def test_staff_filing_a_ticket_record_handle_time_on_its_first_message(agent) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(agent).post("/tickets", {
        "subject": "Phone: lost parcel", "body": "Caller reports a lost parcel.", "requester_email": "caller@example.com",
        "channel": "phone", "handle_seconds": 420,
    })
    assert response.status_code == 201
    assert Message.objects.get(ticket_id=response.json()["id"]).handle_seconds == 420


def test_bad_handle_time_on_a_new_ticket_is_422(agent) -> None:  # type: ignore[no-untyped-def]
    response = ApiClient(agent).post("/tickets", {"subject": "x", "body": "y", "requester_email": "c@example.com",
                                                   "handle_seconds": -3})
    assert response.status_code == 422 and fields_of(response) == {"handle_seconds"}


def test_a_customer_cannot_record_handle_time(agent) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    api = ApiClient(customer.user)
    reply = api.post(f"/tickets/{ticket.pk}/messages", {"body": "Any news?", "handle_seconds": 60})
    opened = api.post("/tickets", {"subject": "Help", "body": "Please", "handle_seconds": 60})
    assert (reply.status_code, opened.status_code) == (403, 403)
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_customers_never_read_handle_time_and_staff_do(agent) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, team=agent.teams.first())
    ticket_reply(ticket=ticket, author=agent, body="Sent a replacement.", handle_seconds=310)
    as_customer = ApiClient(customer.user).get(f"/tickets/{ticket.pk}/messages").json()["items"]
    as_agent = ApiClient(agent).get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert [m["handle_seconds"] for m in as_customer] == [None, None]
    assert [(m["author_kind"], m["handle_seconds"]) for m in as_agent] == [("customer", None), ("agent", 310)]


def test_the_openapi_schema_documents_the_bounds() -> None:
    schema = ApiClient(None).client.get("/api/v1/openapi.json").json()
    create = schema["components"]["schemas"]["MessageCreateIn"]["properties"]["handle_seconds"]
    integer = next(option for option in create["anyOf"] if option.get("type") == "integer")
    assert (integer["minimum"], integer["maximum"]) == (0, 86400)
    assert "handle_seconds" in schema["components"]["schemas"]["MessageOut"]["properties"]
