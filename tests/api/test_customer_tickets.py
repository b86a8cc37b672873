"""What a customer learns through the ticket API: only what they can see (issue #7, #13).

Each test tries an attack a curious customer could make: searching for note words, watching a
count or a time move, sorting, or filtering on staff-only data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from frontline.api.schemas import CustomerTicketOut, CustomerTicketPage
from frontline.desk.models import TicketField
from frontline.desk.services import (
    ticket_assign,
    ticket_fields_update,
    ticket_merge,
    ticket_reply,
    ticket_status_change,
    ticket_tags_set,
    ticket_team_change,
)
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
CUSTOMER_FIELDS = {"id", "subject", "state", "channel", "requester", "company_id", "custom_fields", "message_count",
                   "created_at", "updated_at", "solved_at", "closed_at"}


def _ids(api: ApiClient, **params: object) -> list[int]:
    response = api.get("/tickets", params)
    assert response.status_code == 200, response.content
    return [t["id"] for t in response.json()["items"]]


# --- search -----------------------------------------------------------------------------------------


def test_a_customer_cannot_learn_note_words_by_searching() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me, subject="App crashes", body="It closes on start.")
    ticket_reply(ticket=ticket, author=f.manager(), body="Known bug ENG-14427, fix next sprint", public=False)
    api = ApiClient(me.user)
    assert _ids(api, q="eng-1442") == []
    assert _ids(api, q="eng-14427") == []
    assert _ids(api, q="sprint") == []
    assert _ids(api, q="crashes") == [ticket.pk]
    assert _ids(api, q="closes start") == [ticket.pk]


def test_a_merge_does_not_put_another_customers_words_into_a_customers_search() -> None:
    alice, bob = f.customer(with_login=True), f.customer(with_login=True)
    alices = f.ticket(requester=alice, subject="Card declined", body="My payment failed.")
    bobs = f.ticket(requester=bob, subject="Card declined too", body="My card ends 9931 and it was refused.")
    ticket_merge(source=bobs, target=alices, actor=f.manager())
    assert _ids(ApiClient(alice.user), q="card ends 9931") == []
    assert _ids(ApiClient(alice.user), q="9931") == []
    # Bob still finds his own words on his own (now closed) ticket.
    assert _ids(ApiClient(bob.user), q="card ends 9931") == [bobs.pk]


def test_a_public_reply_is_searchable_by_the_customer() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    ticket_reply(ticket=ticket, author=f.manager(), body="Your parcel number is PX-4410.")
    ticket_reply(ticket=ticket, author=me.user, body="Still no sign of the courier.")
    api = ApiClient(me.user)
    assert _ids(api, q="px-4410") == [ticket.pk]
    assert _ids(api, q="courier") == [ticket.pk]


def test_a_customer_cannot_search_custom_fields_or_requester_details() -> None:
    TicketField.objects.create(key="risk", label="Risk")
    me = f.customer(with_login=True)
    f.ticket(requester=me, custom_fields={"risk": "fraud-suspected"})
    api = ApiClient(me.user)
    assert _ids(api, q="fraud-suspected") == []
    assert _ids(api, q=me.email) == []


# --- what a note changes: nothing a customer can observe ----------------------------------------------


def test_a_note_changes_nothing_a_customer_can_observe() -> None:
    me = f.customer(with_login=True)
    older = f.ticket(requester=me, subject="Older", at=T0)
    newer = f.ticket(requester=me, subject="Newer", at=T0 + timedelta(hours=1))
    api = ApiClient(me.user)
    before_list = api.get("/tickets").json()
    before_one = api.get(f"/tickets/{older.pk}").json()

    agent = f.manager()
    ticket_reply(ticket=older, author=agent, body="Customer is difficult; escalate.", public=False, at=T0 + timedelta(days=1))
    ticket_tags_set(ticket=older, tags=["escalated"], actor=agent, at=T0 + timedelta(days=1))
    ticket_assign(ticket=older, assignee=agent, actor=agent, at=T0 + timedelta(days=1))
    ticket_team_change(ticket=older, team=f.team(), actor=agent, at=T0 + timedelta(days=1))
    ticket_status_change(ticket=older, status=f.status("on_hold"), actor=agent, at=T0 + timedelta(days=1))

    assert api.get("/tickets").json() == before_list
    assert api.get(f"/tickets/{older.pk}").json() == before_one
    assert [t["id"] for t in before_list["items"]] == [newer.pk, older.pk]
    assert before_one["message_count"] == 1
    assert before_one["updated_at"] == "2026-11-02T09:00:00Z"
    assert _ids(api, updated_from="2026-11-03") == []
    assert _ids(api, updated_since="2026-11-02T12:00:00Z") == []


def test_what_a_customer_sees_change_moves_the_count_the_time_and_the_order() -> None:
    me = f.customer(with_login=True)
    older = f.ticket(requester=me, subject="Older", at=T0)
    newer = f.ticket(requester=me, subject="Newer", at=T0 + timedelta(hours=1))
    ticket_reply(ticket=older, author=f.manager(), body="Here is your answer.", at=T0 + timedelta(days=1))
    api = ApiClient(me.user)
    items = api.get("/tickets").json()["items"]
    assert [t["id"] for t in items] == [older.pk, newer.pk]
    assert (items[0]["message_count"], items[0]["updated_at"]) == (2, "2026-11-03T09:00:00Z")


def test_a_status_change_the_customer_is_told_about_moves_the_time() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me, at=T0)
    ticket_status_change(ticket=ticket, status=f.status("pending"), actor=f.manager(), at=T0 + timedelta(hours=5))
    body = ApiClient(me.user).get(f"/tickets/{ticket.pk}").json()
    assert (body["state"], body["updated_at"]) == ("awaiting_you", "2026-11-02T14:00:00Z")


# --- the customer's schema -----------------------------------------------------------------------------


def test_a_customer_gets_only_the_fields_a_customer_may_see() -> None:
    TicketField.objects.create(key="order", label="Order", visible_to_customers=True)
    TicketField.objects.create(key="risk", label="Risk")
    me = f.customer(with_login=True)
    agent = f.agent(first_name="Ada", last_name="Lovelace")
    ticket = f.ticket(requester=me, assignee=agent, team=f.team(), queue=f.queue(), priority="urgent",
                      tags=["escalated", "repeat-contact"], custom_fields={"order": "A-1", "risk": "high"})
    api = ApiClient(me.user)
    listed = api.get("/tickets").json()
    one = api.get(f"/tickets/{ticket.pk}").json()
    assert set(one) == CUSTOMER_FIELDS
    assert set(listed["items"][0]) == CUSTOMER_FIELDS
    assert one["custom_fields"] == {"order": "A-1"}
    assert one["requester"] == {"id": me.pk, "name": me.name}
    assert one["state"] == "awaiting_us"
    assert CustomerTicketPage.model_validate(listed).items[0].id == ticket.pk
    assert "Lovelace" not in str(listed) + str(one)


def test_a_customer_opening_a_ticket_gets_the_customer_schema() -> None:
    me = f.customer(with_login=True)
    response = ApiClient(me.user).post("/tickets", {"subject": "Help", "body": "Please"})
    assert response.status_code == 201
    assert set(response.json()) == CUSTOMER_FIELDS
    assert CustomerTicketOut.model_validate(response.json()).message_count == 1


def test_staff_still_get_the_full_ticket() -> None:
    ticket = f.ticket(tags=["escalated"])
    body = ApiClient(f.manager()).get(f"/tickets/{ticket.pk}").json()
    assert {"tags", "assignee", "team", "queue_id", "priority", "status"} <= set(body)


def test_a_customer_reading_messages_sees_an_agents_first_name_only() -> None:
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me)
    ticket_reply(ticket=ticket, author=f.agent(first_name="Ada", last_name="Lovelace"), body="Hello")
    names = [m["author_name"] for m in ApiClient(me.user).get(f"/tickets/{ticket.pk}/messages").json()["items"]]
    assert names == [me.name, "Ada"]


def test_the_openapi_document_describes_both_ticket_schemas() -> None:
    schema = ApiClient(None).client.get("/api/v1/openapi.json").json()
    listed = schema["paths"]["/api/v1/tickets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    one = schema["paths"]["/api/v1/tickets/{ticket_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {r["$ref"].rsplit("/", 1)[1] for r in listed["anyOf"]} == {"TicketPage", "CustomerTicketPage"}
    assert {r["$ref"].rsplit("/", 1)[1] for r in one["anyOf"]} == {"TicketOut", "CustomerTicketOut"}
    assert "tags" not in schema["components"]["schemas"]["CustomerTicketOut"]["properties"]


# --- filters ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [{"tag": "escalated"}, {"priority": "urgent"}, {"type": "incident"}, {"assignee_id": 1}, {"unassigned": "true"},
     {"team_id": 1}, {"queue_id": 1}, {"status": "on_hold"}, {"view": "unassigned"}, {"view": "mine"}, {"view": "team"}],
)
def test_a_customer_cannot_filter_on_staff_only_data(params: dict[str, object]) -> None:
    me = f.customer(with_login=True)
    f.ticket(requester=me, tags=["escalated"], priority="urgent")
    response = ApiClient(me.user).get("/tickets", params)
    assert response.status_code == 403
    assert "Only staff can filter on" in response.json()["detail"]


def test_a_customer_filters_on_what_they_see() -> None:
    me = f.customer(with_login=True)
    waiting = f.ticket(requester=me, channel="email", at=T0)
    done = f.ticket(requester=me, at=T0 + timedelta(days=3))
    ticket_status_change(ticket=waiting, status=f.status("pending"), actor=None, at=T0 + timedelta(hours=1))
    ticket_status_change(ticket=done, status=f.status("solved"), actor=None, at=T0 + timedelta(days=3))
    api = ApiClient(me.user)
    assert _ids(api, state="awaiting_you") == [waiting.pk]
    assert _ids(api, state="solved") == [done.pk]
    assert _ids(api, channel="email") == [waiting.pk]
    assert _ids(api, created_to="2026-11-02") == [waiting.pk]
    assert _ids(api, updated_from="2026-11-04") == [done.pk]


def test_a_customer_pages_through_their_tickets_by_last_visible_change() -> None:
    me = f.customer(with_login=True)
    tickets = [f.ticket(requester=me, at=T0 + timedelta(hours=i)) for i in range(5)]
    ticket_reply(ticket=tickets[0], author=f.manager(), body="note", public=False, at=T0 + timedelta(days=2))
    api = ApiClient(me.user)
    first = api.get("/tickets", {"limit": 3}).json()
    second = api.get("/tickets", {"limit": 3, "cursor": first["next_cursor"]}).json()
    seen = [t["id"] for t in first["items"] + second["items"]]
    assert seen == [t.pk for t in reversed(tickets)]
    assert second["next_cursor"] is None


def test_a_colleagues_ticket_shows_their_name_but_not_their_email() -> None:
    company = f.company(share_tickets=True)
    me = f.customer(with_login=True, company=company, sees_company_tickets=True)
    colleague = f.customer(company=company)
    f.ticket(requester=colleague)
    items = ApiClient(me.user).get("/tickets").json()["items"]
    assert [t["requester"] for t in items] == [{"id": colleague.pk, "name": colleague.name}]
    assert colleague.email not in str(items)


def test_a_hidden_field_change_does_not_move_the_customers_time_but_a_shown_one_does() -> None:
    TicketField.objects.create(key="order", label="Order", visible_to_customers=True)
    TicketField.objects.create(key="risk", label="Risk")
    me = f.customer(with_login=True)
    ticket = f.ticket(requester=me, at=T0)
    api = ApiClient(me.user)
    ticket_fields_update(ticket=ticket, values={"risk": "high"}, actor=None, at=T0 + timedelta(hours=1))
    assert api.get(f"/tickets/{ticket.pk}").json()["updated_at"] == "2026-11-02T09:00:00Z"
    ticket_fields_update(ticket=ticket, values={"order": "A-9"}, actor=None, at=T0 + timedelta(hours=2))
    assert api.get(f"/tickets/{ticket.pk}").json()["updated_at"] == "2026-11-02T11:00:00Z"


def test_the_customer_list_query_count_does_not_grow_with_tickets(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = f.customer(with_login=True)
    api = ApiClient(me.user)
    f.ticket(requester=me)
    with django_assert_max_num_queries(10) as few:
        assert api.get("/tickets").status_code == 200
    for _ in range(8):
        f.ticket(requester=me)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/tickets").json()["items"]) == 9


def test_a_customers_recent_view_reads_the_last_change_they_could_see() -> None:
    me = f.customer(with_login=True)
    long_ago = timezone.now() - timedelta(days=30)
    noted = f.ticket(requester=me, at=long_ago)
    answered = f.ticket(requester=me, at=long_ago)
    ticket_reply(ticket=noted, author=f.manager(), body="internal", public=False)
    ticket_reply(ticket=answered, author=f.manager(), body="Here you go")
    assert _ids(ApiClient(me.user), view="recent") == [answered.pk]


def test_naming_someone_elses_requester_or_company_answers_like_naming_nobody() -> None:
    me = f.customer(with_login=True)
    other_company = f.company(share_tickets=True)
    other = f.customer(company=other_company)
    f.ticket(requester=other)
    api = ApiClient(me.user)
    for params in ({"requester_id": other.pk}, {"company_id": other_company.pk}, {"q": "#1"}):
        response = api.get("/tickets", params)
        assert (response.status_code, response.json()["items"]) == (200, [])
    nobody = api.get("/tickets", {"requester_id": 987654, "company_id": 987654})
    assert (nobody.status_code, nobody.json()["items"]) == (200, [])
