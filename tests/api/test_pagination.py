"""Cursor pagination and query counts of the API lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.desk.services import ticket_reply
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _walk(api: ApiClient, path: str, limit: int) -> tuple[list[int], int]:
    """Every id of a list, page by page (an empty cursor starts at the top); also the number of pages."""
    ids: list[int] = []
    pages = 0
    cursor: str | None = ""
    while cursor is not None:
        body = api.get(path, {"limit": limit, "cursor": cursor}).json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
    return ids, pages


def test_walking_the_ticket_pages_returns_every_ticket_once_newest_first() -> None:
    start = timezone.now() - timedelta(days=3)
    # Pairs of tickets share an update time, so the id tie-break is exercised.
    tickets = [f.ticket(at=start + timedelta(minutes=i // 2)) for i in range(11)]
    ids, pages = _walk(ApiClient(f.manager()), "/tickets", limit=3)
    expected = [t.pk for t in sorted(tickets, key=lambda t: (t.updated_at, t.pk), reverse=True)]
    assert ids == expected
    assert pages == 4


def test_a_ticket_created_while_paging_does_not_shift_the_remaining_pages() -> None:
    start = timezone.now() - timedelta(days=3)
    tickets = [f.ticket(at=start + timedelta(minutes=i)) for i in range(6)]
    api = ApiClient(f.manager())
    first = api.get("/tickets", {"limit": 3}).json()
    f.ticket()  # newest: belongs before the first page, not in the next one
    second = api.get("/tickets", {"limit": 3, "cursor": first["next_cursor"]}).json()
    seen = [t["id"] for t in first["items"] + second["items"]]
    assert seen == [t.pk for t in reversed(tickets)]
    assert second["next_cursor"] is None


def test_walking_customers_and_messages_returns_each_once() -> None:
    customers = [f.customer() for _ in range(7)]
    agent = f.manager()
    ticket = f.ticket(requester=customers[0])
    replies = [ticket_reply(ticket=ticket, author=agent, body=f"Reply {n}") for n in range(4)]
    api = ApiClient(agent)
    assert _walk(api, "/customers", limit=2)[0] == [c.pk for c in customers]
    assert _walk(api, f"/tickets/{ticket.pk}/messages", limit=2)[0] == [ticket.messages.first().pk] + [m.pk for m in replies]


def _tickets_in_team(count: int, *, team: object, agent: object) -> None:
    for n in range(count):
        f.ticket(team=team, assignee=[None, agent][n % 2], tags=["a", f"t{n}"], priority="high")


@pytest.mark.parametrize("count", [5, 30])
def test_the_ticket_list_query_count_does_not_grow_with_the_page(count: int, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    team = f.team()
    agent = f.agent(teams=[team])
    _tickets_in_team(count, team=team, agent=agent)
    api = ApiClient(agent)
    # token, its last-use stamp, the viewer's teams, the page, the page's tags
    with django_assert_max_num_queries(5):
        response = api.get("/tickets", {"limit": 50})
    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [5, 30])
def test_a_customers_ticket_list_query_count_does_not_grow(count: int, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    me = f.customer(with_login=True)
    for _ in range(count):
        f.ticket(requester=me)
    api = ApiClient(me.user)
    # token, last use, the viewer's customer record, the page, its tags, the fields customers may see
    with django_assert_max_num_queries(6):
        response = api.get("/tickets")
    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [5, 30])
def test_the_customer_list_query_count_does_not_grow(count: int, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    company = f.company()
    for _ in range(count):
        f.customer(company=company)
    api = ApiClient(f.manager())
    with django_assert_max_num_queries(3):
        response = api.get("/customers", {"limit": 50})
    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [5, 30])
def test_the_agent_team_and_message_lists_query_counts_do_not_grow(count: int, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    teams = [f.team() for _ in range(3)]
    agents = [f.agent(teams=teams) for _ in range(count)]
    ticket = f.ticket()
    for agent in agents:
        ticket_reply(ticket=ticket, author=agent, body="Looking", public=False)
    api = ApiClient(f.manager())
    with django_assert_max_num_queries(4):
        assert len(api.get("/agents", {"limit": 200}).json()["items"]) == count + 1
    with django_assert_max_num_queries(4):
        assert len(api.get("/teams").json()["items"]) == 3
    with django_assert_max_num_queries(5):
        assert len(api.get(f"/tickets/{ticket.pk}/messages", {"limit": 200}).json()["items"]) == count + 1
