"""/api/v1/chats: staff list and read the chats of tickets they may see, through every filter and
page; customers get 403."""

from __future__ import annotations

import pytest

from frontline.chat.models import ChatWidget
from frontline.chat.services import accept_chat, chat_start
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def start(widget, email):  # type: ignore[no-untyped-def]
    return chat_start(widget=widget, name="Kim Lee", email=email, text="Is my order shipped?", require_agent=False).chat


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    mine, other = f.team(name="Orders"), f.team(name="Billing")
    widgets = [ChatWidget.objects.create(name=n, key=n, queue=f.queue(team=t)) for n, t in (("w1", mine), ("w2", other))]
    return {"ana": f.agent(teams=[mine]), "olga": f.agent(teams=[other]), "seen": start(widgets[0], "kim@example.com"),
            "hidden": start(widgets[1], "lee@example.com")}


def ids(response):  # type: ignore[no-untyped-def]
    return [c["id"] for c in response.json()["items"]]


def test_an_agent_lists_and_reads_only_chats_on_tickets_they_see(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["ana"])
    seen, hidden = world["seen"], world["hidden"]
    assert ids(api.get("/chats")) == [seen.pk]
    for params in ({"state": "waiting"}, {"ticket_id": hidden.ticket_id}, {"queue_id": hidden.queue_id},
                   {"started_from": "2000-01-01T00:00:00Z"}):
        assert hidden.pk not in ids(api.get("/chats", params)), params
    assert api.get(f"/chats/{hidden.pk}").status_code == 404
    body = api.get(f"/chats/{seen.pk}").json()
    assert (body["state"], body["customer"]["email"], body["agent"], body["ticket_id"]) == (
        "waiting", "kim@example.com", None, seen.ticket_id)
    assert set(ids(ApiClient(f.manager()).get("/chats"))) == {seen.pk, hidden.pk}


def test_filters_and_pages(world):  # type: ignore[no-untyped-def]
    manager = ApiClient(f.manager())
    accept_chat(chat=world["hidden"], agent=world["olga"])
    first = manager.get("/chats", {"limit": 1}).json()
    second = manager.get("/chats", {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert ({c["id"] for c in first["items"] + second["items"]}, second["next_cursor"]) == (
        {world["seen"].pk, world["hidden"].pk}, None)
    assert ids(manager.get("/chats", {"state": "active"})) == [world["hidden"].pk]
    assert ids(manager.get("/chats", {"agent_id": world["olga"].pk})) == [world["hidden"].pk]
    assert manager.get("/chats", {"state": "gone"}).status_code == 422


def test_customers_and_anonymous_callers_are_refused(world):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    assert ApiClient(customer.user).get("/chats").status_code == 403
    assert ApiClient(customer.user).get(f"/chats/{world['seen'].pk}").status_code == 403
    assert ApiClient(None).get("/chats").status_code == 401


@pytest.mark.parametrize("count", [1, 6])
def test_the_chat_list_query_count_does_not_grow(world, count, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    widget = world["seen"].widget
    for i in range(count):
        start(widget, f"c{i}@example.com")
    api = ApiClient(world["ana"])
    with django_assert_max_num_queries(5):
        assert len(api.get("/chats").json()["items"]) == count + 1
