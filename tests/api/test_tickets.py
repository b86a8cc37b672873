"""Ticket endpoints through HTTP: happy paths, visibility (404), permissions (403), conflicts (409)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.api.schemas import TicketPage
from frontline.customers.models import Customer
from frontline.desk.models import (
    EventKind,
    Message,
    Status,
    StatusCategory,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.desk.services import ticket_fields_update, ticket_reply, ticket_status_change
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db


def _closed_ticket() -> Ticket:
    ticket = f.ticket()
    ticket_status_change(ticket=ticket, status=f.status(StatusCategory.SOLVED), actor=None)
    return ticket_status_change(ticket=ticket, status=f.status(StatusCategory.CLOSED), actor=None)


# --- read -----------------------------------------------------------------------------------------


def test_an_agent_reads_a_ticket_of_their_team() -> None:
    team = f.team()
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team, tags=["vip"], subject="Broken login")
    response = ApiClient(agent).get(f"/tickets/{ticket.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["subject"], body["team"]["id"], body["tags"]) == (ticket.pk, "Broken login", team.pk, ["vip"])
    assert body["status"] == {"id": ticket.status_id, "name": "New", "category": "new"}
    assert body["requester"]["email"] == ticket.requester.email


def test_an_agent_gets_404_for_another_teams_ticket() -> None:
    agent = f.agent(teams=[f.team()])
    ticket = f.ticket(team=f.team())
    api = ApiClient(agent)
    assert api.get(f"/tickets/{ticket.pk}").status_code == 404
    assert api.get(f"/tickets/{ticket.pk}/messages").status_code == 404
    assert api.patch(f"/tickets/{ticket.pk}", {"priority": "high"}).status_code == 404
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "hi"}).status_code == 404
    assert api.get("/tickets").json()["items"] == []


def test_an_unknown_ticket_is_404_with_the_error_shape() -> None:
    response = ApiClient(f.manager()).get("/tickets/987654")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such ticket.", "errors": []}


def test_an_id_beyond_64_bits_is_404_not_a_crash() -> None:
    assert ApiClient(f.manager()).get(f"/tickets/{2**64}").status_code == 404


def test_a_customer_reads_their_own_ticket_but_gets_404_for_anothers() -> None:
    me = f.customer(with_login=True)
    mine = f.ticket(requester=me)
    theirs = f.ticket(requester=f.customer())
    api = ApiClient(me.user)
    assert api.get(f"/tickets/{mine.pk}").status_code == 200
    assert api.get(f"/tickets/{theirs.pk}").status_code == 404
    assert [t["id"] for t in api.get("/tickets").json()["items"]] == [mine.pk]


@pytest.mark.parametrize(
    ("share_tickets", "sees_company_tickets", "expected"),
    [(True, True, 200), (True, False, 404), (False, True, 404)],
)
def test_a_customer_sees_a_colleagues_ticket_only_when_the_company_shares_and_they_may(
    share_tickets: bool, sees_company_tickets: bool, expected: int
) -> None:
    company = f.company(share_tickets=share_tickets)
    me = f.customer(with_login=True, company=company, sees_company_tickets=sees_company_tickets)
    colleague_ticket = f.ticket(requester=f.customer(company=company))
    assert ApiClient(me.user).get(f"/tickets/{colleague_ticket.pk}").status_code == expected


def test_a_customer_does_not_see_custom_fields_hidden_from_customers() -> None:
    TicketField.objects.create(key="order", label="Order", visible_to_customers=True)
    TicketField.objects.create(key="risk", label="Risk")
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me, custom_fields={"order": "A-1", "risk": "high"})
    assert ApiClient(me.user).get(f"/tickets/{ticket.pk}").json()["custom_fields"] == {"order": "A-1"}
    assert ApiClient(f.manager()).get(f"/tickets/{ticket.pk}").json()["custom_fields"] == {"order": "A-1", "risk": "high"}


# --- list -------------------------------------------------------------------------------------------


def test_the_list_filters_by_status_priority_team_tag_and_words() -> None:
    team = f.team()
    agent = f.manager()
    urgent = f.ticket(priority="urgent", team=team, tags=["billing"], subject="Invoice twice")
    f.ticket(priority="low", subject="Password reset")
    api = ApiClient(agent)

    def ids(**params: object) -> list[int]:
        return [t["id"] for t in api.get("/tickets", params).json()["items"]]

    assert ids(priority="urgent") == [urgent.pk]
    assert ids(team_id=team.pk) == [urgent.pk]
    assert ids(tag="billing") == [urgent.pk]
    assert ids(q="invoice") == [urgent.pk]
    assert ids(q=f"#{urgent.pk}") == [urgent.pk]
    assert len(ids(status="unresolved")) == 2
    assert ids(status="solved") == []


def test_the_list_filters_by_created_and_updated_days() -> None:
    manager = f.manager()
    old = f.ticket(at=datetime(2026, 10, 5, 9, tzinfo=UTC))
    touched = f.ticket(at=datetime(2026, 10, 5, 9, tzinfo=UTC))
    new = f.ticket(at=datetime(2026, 11, 5, 9, tzinfo=UTC))
    ticket_status_change(ticket=touched, status=f.status("pending"), actor=manager, at=datetime(2026, 11, 20, tzinfo=UTC))
    api = ApiClient(manager)

    def ids(**params: object) -> list[int]:
        return sorted(t["id"] for t in api.get("/tickets", params).json()["items"])

    assert ids(created_from="2026-11-01") == [new.pk]
    assert ids(created_to="2026-10-31") == [old.pk, touched.pk]
    assert ids(updated_from="2026-11-01", updated_to="2026-11-10") == [new.pk]
    assert ids(updated_from="2026-11-20") == [touched.pk]


def test_the_list_finds_a_custom_field_value() -> None:
    TicketField.objects.create(key="order_number", label="Order number")
    ticket = f.ticket(custom_fields={"order_number": "ORD-4711"})
    f.ticket()
    assert [t["id"] for t in ApiClient(f.manager()).get("/tickets", {"q": "ORD-4711"}).json()["items"]] == [ticket.pk]


def test_the_mine_and_unassigned_views() -> None:
    agent = f.agent()
    mine = f.ticket(assignee=agent)
    open_pool = f.ticket()
    api = ApiClient(agent)
    assert [t["id"] for t in api.get("/tickets", {"view": "mine"}).json()["items"]] == [mine.pk]
    assert [t["id"] for t in api.get("/tickets", {"view": "unassigned"}).json()["items"]] == [open_pool.pk]
    assert [t["id"] for t in api.get("/tickets", {"unassigned": "true"}).json()["items"]] == [open_pool.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"view": "everything"}, "view"),
        ({"status": "sleeping"}, "status"),
        ({"priority": "meh"}, "priority"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"updated_to": "2026-02-30"}, "updated_to"),
        ({"updated_from": "0001-01-01"}, "updated_from"),
        ({"updated_since": "2026-01-01T00:00:00"}, "updated_since"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"team_id": "x"}, "team_id"),
    ],
)
def test_bad_list_parameters_are_422_naming_the_parameter(params: dict[str, object], field: str) -> None:
    response = ApiClient(f.manager()).get("/tickets", params)
    assert response.status_code == 422
    assert fields_of(response) == {field}


# --- create -----------------------------------------------------------------------------------------


def test_staff_open_a_ticket_for_a_new_customer_by_email() -> None:
    team = f.team()
    agent = f.agent(teams=[team])
    queue = f.queue(team=team)
    TicketField.objects.create(key="order", label="Order")
    response = ApiClient(agent).post("/tickets", {
        "subject": "Refund please", "body": "Order 42 arrived broken.", "requester_email": "New@Example.com",
        "requester_name": "Nia New", "priority": "high", "type": "incident", "queue_id": queue.pk,
        "assignee_id": agent.pk, "tags": ["refund"], "custom_fields": {"order": "42"},
    })
    assert response.status_code == 201
    body = response.json()
    customer = Customer.objects.get(email="new@example.com")
    assert (body["requester"]["id"], body["priority"], body["type"], body["channel"]) == (customer.pk, "high", "incident", "api")
    assert (body["queue_id"], body["team"]["id"], body["assignee"]["id"]) == (queue.pk, team.pk, agent.pk)
    assert (body["tags"], body["custom_fields"], body["status"]["category"]) == (["refund"], {"order": "42"}, "open")


def test_staff_open_a_ticket_for_an_existing_customer_by_id() -> None:
    requester = f.customer()
    response = ApiClient(f.agent()).post("/tickets", {"subject": "Hi", "body_html": "<p>Hello</p>", "requester_id": requester.pk})
    assert response.status_code == 201
    assert Ticket.objects.get(pk=response.json()["id"]).requester == requester


def test_a_failed_create_leaves_no_customer_behind() -> None:
    response = ApiClient(f.agent()).post("/tickets", {"subject": "Hi", "body": "  ", "requester_email": "ghost@example.com"})
    assert response.status_code == 422
    assert fields_of(response) == {"body"}
    assert not Customer.objects.filter(email="ghost@example.com").exists()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"body": "x", "requester_id": 1}, "subject"),
        ({"subject": 12, "body": "x"}, "subject"),
        ({"subject": "Hi", "body": "x", "priority": "asap"}, "priority"),
        ({"subject": "Hi", "body": "x", "tags": "one"}, "tags"),
        ({"subject": "Hi", "body": "x"}, "requester_id"),
        ({"subject": "Hi", "body": "x", "requester_email": "not-an-email"}, "requester_email"),
        ({"subject": "Hi", "body": "x", "requester_id": 999_999}, "requester_id"),
        ({"subject": "Hi", "body": "x", "requester_id": "me"}, "requester_id"),
        ({"subject": "   ", "body": "x", "requester_email": "a@example.com"}, "subject"),
    ],
)
def test_a_malformed_create_is_422_naming_the_field(body: dict[str, object], field: str) -> None:
    response = ApiClient(f.agent()).post("/tickets", body)
    assert response.status_code == 422
    assert field in fields_of(response)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("field", ["assignee_id", "team_id", "queue_id"])
def test_a_create_naming_an_unknown_object_is_422_naming_the_field(field: str) -> None:
    requester = f.customer()
    response = ApiClient(f.agent()).post("/tickets", {"subject": "Hi", "body": "x", "requester_id": requester.pk, field: 424242})
    assert response.status_code == 422
    assert fields_of(response) == {field}


def test_a_customer_cannot_be_made_assignee() -> None:
    requester = f.customer(with_login=True)
    response = ApiClient(f.agent()).post("/tickets", {"subject": "Hi", "body": "x", "requester_id": requester.pk,
                                                      "assignee_id": requester.user.pk})
    assert response.status_code == 422
    assert fields_of(response) == {"assignee_id"}


def test_an_unknown_custom_field_is_422() -> None:
    requester = f.customer()
    response = ApiClient(f.agent()).post("/tickets", {"subject": "Hi", "body": "x", "requester_id": requester.pk,
                                                      "custom_fields": {"colour": "red"}})
    assert response.status_code == 422
    assert fields_of(response) == {"custom_fields.colour"}


def test_malformed_json_is_422() -> None:
    response = ApiClient(f.agent()).post("/tickets", raw='{"subject": ')
    assert response.status_code == 422
    assert fields_of(response) == {"body"}


def test_a_customer_opens_a_ticket_for_themselves() -> None:
    me = f.customer(with_login=True)
    response = ApiClient(me.user).post("/tickets", {"subject": "Help", "body": "Please"})
    assert response.status_code == 201
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.requester, ticket.messages.get().author_customer) == (me, me)


def test_a_customer_cannot_set_staff_fields_when_opening_a_ticket() -> None:
    me = f.customer(with_login=True)
    response = ApiClient(me.user).post("/tickets", {"subject": "Help", "body": "Please", "requester_id": f.customer().pk})
    assert response.status_code == 403
    assert not Ticket.objects.exists()


# --- update -------------------------------------------------------------------------------------------


def test_patch_changes_several_fields_at_once() -> None:
    team = f.team()
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team)
    response = ApiClient(agent).patch(f"/tickets/{ticket.pk}", {
        "subject": "New subject", "priority": "urgent", "type": "problem", "assignee_id": agent.pk,
        "tags": ["a", "b"], "status": "pending",
    })
    assert response.status_code == 200
    body = response.json()
    assert (body["subject"], body["priority"], body["type"], body["assignee"]["id"]) == ("New subject", "urgent", "problem", agent.pk)
    assert (body["tags"], body["status"]["category"]) == (["a", "b"], "pending")


def test_patch_accepts_a_status_by_name() -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"status": "On hold"})
    assert response.json()["status"]["category"] == "on_hold"


def test_patch_status_by_category_takes_its_default_and_by_name_takes_that_status() -> None:
    Status.objects.create(name="Waiting on vendor", category=StatusCategory.PENDING, position=25)
    ticket = f.ticket()
    api = ApiClient(f.manager())
    by_category = api.patch(f"/tickets/{ticket.pk}", {"status": "pending"}).json()["status"]
    assert (by_category["name"], by_category["category"]) == ("Pending", "pending")
    by_name = api.patch(f"/tickets/{ticket.pk}", {"status": "waiting on VENDOR"}).json()["status"]
    assert (by_name["name"], by_name["category"]) == ("Waiting on vendor", "pending")


def test_patch_with_null_clears_the_assignee() -> None:
    agent = f.agent()
    ticket = f.ticket(assignee=agent)
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"assignee_id": None})
    assert response.status_code == 200
    assert response.json()["assignee"] is None
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_patch_leaves_absent_fields_alone() -> None:
    agent = f.agent()
    ticket = f.ticket(assignee=agent, priority="high")
    ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"subject": "Renamed"})
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.priority, ticket.subject) == (agent, "high", "Renamed")


def test_a_disallowed_transition_is_409_with_the_reason() -> None:
    ticket = _closed_ticket()
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"status": "open"})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_a_patch_that_fails_half_way_changes_nothing() -> None:
    ticket = f.ticket(priority="normal")
    ticket_status_change(ticket=ticket, status=f.status(StatusCategory.SOLVED), actor=None)
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"priority": "urgent", "tags": ["x"], "status": "pending"})
    assert response.status_code == 409
    assert "solved" in response.json()["detail"]
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.status_category, list(ticket.tags.all())) == ("normal", "solved", [])
    assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": None}, "subject"),
        ({"status": "asleep"}, "status"),
        ({"priority": "whenever"}, "priority"),
        ({"assignee_id": 31337}, "assignee_id"),
        ({"team_id": 31337}, "team_id"),
        ({"queue_id": 31337}, "queue_id"),
        ({"tags": [1, {"a": 2}]}, "tags.1"),
        ({"custom_fields": {"nope": 1}}, "custom_fields.nope"),
    ],
)
def test_a_malformed_patch_is_422_naming_the_field_and_changes_nothing(body: dict[str, object], field: str) -> None:
    ticket = f.ticket()
    events_before = TicketEvent.objects.filter(ticket=ticket).count()
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", {"priority": "high", **body})
    assert response.status_code == 422
    assert field in fields_of(response)
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"
    assert TicketEvent.objects.filter(ticket=ticket).count() == events_before


def test_a_customer_cannot_patch_their_ticket() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    response = ApiClient(me.user).patch(f"/tickets/{ticket.pk}", {"priority": "urgent"})
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"


# --- merge ------------------------------------------------------------------------------------------------


def test_merge_closes_the_duplicate_and_answers_the_target() -> None:
    source, target = f.ticket(), f.ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{source.pk}/merge", {"into": target.pk})
    assert response.status_code == 200
    assert response.json()["id"] == target.pk
    source.refresh_from_db()
    assert (source.status_category, source.merged_into_id) == ("closed", target.pk)


def test_merging_a_ticket_into_itself_is_409() -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/merge", {"into": ticket.pk})
    assert response.status_code == 409
    assert "itself" in response.json()["detail"]


def test_merging_into_a_ticket_the_agent_cannot_see_is_422() -> None:
    agent = f.agent(teams=[f.team()])
    source, hidden = f.ticket(), f.ticket(team=f.team())
    response = ApiClient(agent).post(f"/tickets/{source.pk}/merge", {"into": hidden.pk})
    assert response.status_code == 422
    assert fields_of(response) == {"into"}


def test_a_customer_cannot_merge() -> None:
    me = f.customer(with_login=True)
    first, second = f.ticket(requester=me), f.ticket(requester=me)
    assert ApiClient(me.user).post(f"/tickets/{first.pk}/merge", {"into": second.pk}).status_code == 403


# --- messages and events ---------------------------------------------------------------------------------


def test_an_agent_replies_and_the_conversation_lists_it() -> None:
    agent = f.manager()
    ticket = f.ticket()
    api = ApiClient(agent)
    response = api.post(f"/tickets/{ticket.pk}/messages", {"body": "On its way.", "status": "pending"})
    assert response.status_code == 201
    assert (response.json()["author_kind"], response.json()["public"]) == ("agent", True)
    assert Ticket.objects.get(pk=ticket.pk).status_category == "pending"
    listed = api.get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert [m["body_text"] for m in listed] == ["It has not arrived.", "On its way."]


def test_hostile_html_comes_back_sanitised() -> None:
    ticket = f.ticket()
    hostile = '<p onclick="x()">Hi</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a>'
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/messages", {"body_html": hostile})
    assert response.status_code == 201
    stored = response.json()["body_html"]
    assert "<script" not in stored
    assert "onerror" not in stored
    assert "onclick" not in stored
    assert "javascript:" not in stored
    assert "Hi" in stored


def test_a_customer_sees_public_messages_only() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    ticket_reply(ticket=ticket, author=f.manager(), body="Internal: refund approved", public=False)
    listed = ApiClient(me.user).get(f"/tickets/{ticket.pk}/messages").json()["items"]
    assert [m["body_text"] for m in listed] == ["It has not arrived."]


def test_a_customer_replies_but_cannot_add_an_internal_note_or_set_a_status() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    api = ApiClient(me.user)
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "Any news?"}).status_code == 201
    note = api.post(f"/tickets/{ticket.pk}/messages", {"body": "secret", "public": False})
    assert note.status_code == 422
    assert fields_of(note) == {"public"}
    assert api.post(f"/tickets/{ticket.pk}/messages", {"body": "done", "status": "solved"}).status_code == 403
    assert Message.objects.filter(ticket=ticket).count() == 2


def test_replying_to_a_closed_ticket_is_409() -> None:
    ticket = _closed_ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/messages", {"body": "Hello?"})
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_a_message_without_a_body_is_422() -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/messages", {"public": "maybe"})
    assert response.status_code == 422
    assert fields_of(response) == {"public"}


def test_staff_read_the_events_and_customers_get_403() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    events = ApiClient(f.manager()).get(f"/tickets/{ticket.pk}/events")
    assert events.status_code == 200
    assert [e["kind"] for e in events.json()["items"]] == [EventKind.CREATED]
    assert ApiClient(me.user).get(f"/tickets/{ticket.pk}/events").status_code == 403


def test_list_items_match_the_schema_and_the_read_endpoint_exactly() -> None:
    TicketField.objects.create(key="order_number", label="Order number")
    team = f.team()
    agent = f.agent(teams=[team])
    assigned = f.ticket(subject="Assigned", team=team, assignee=agent, tags=["b-tag", "a-tag"])
    ticket_fields_update(ticket=assigned, values={"order_number": "FL-1"}, actor=agent)
    ticket_reply(ticket=assigned, author=agent, body="On it")
    f.ticket(subject="Bare")
    api = ApiClient(f.manager())
    listed = api.get("/tickets").json()
    TicketPage.model_validate(listed)
    for item in listed["items"]:
        assert item == api.get(f"/tickets/{item['id']}").json()
    assert listed["items"][-1]["tags"] == ["a-tag", "b-tag"]
