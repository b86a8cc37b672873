"""The customer portal shows and searches only what a customer can see (portal_views)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.desk import services
from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _listed(page: str, *tickets) -> list[int]:  # type: ignore[no-untyped-def]
    """The given tickets in the order the page lists them (absent ones left out)."""
    positions = {t.pk: page.find(f'/portal/requests/{t.pk}/"') for t in tickets}
    return [pk for pk, at in sorted(positions.items(), key=lambda item: item[1]) if at >= 0]


def test_portal_search_finds_public_words_but_not_note_words(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    ticket = f.ticket(requester=alice, subject="Invoice wrong", body="Charged twice")
    services.ticket_reply(ticket=ticket, author=f.manager(), body="Refund approved via ENG-14427", public=False)
    client = login(alice.user)
    assert _listed(client.get("/portal/", {"q": "charged twice"}).content.decode(), ticket) == [ticket.pk]
    page = client.get("/portal/", {"q": "eng-1442"}).content.decode()
    assert _listed(page, ticket) == []
    assert "No requests match" in page


def test_portal_search_does_not_show_another_customers_merged_words(login):  # type: ignore[no-untyped-def]
    alice, bob = f.customer(with_login=True), f.customer(with_login=True)
    alices = f.ticket(requester=alice, subject="Card declined")
    bobs = f.ticket(requester=bob, subject="Card refused", body="my card ends 9931")
    services.ticket_merge(source=bobs, target=alices, actor=f.manager())
    assert _listed(login(alice.user).get("/portal/", {"q": "card ends 9931"}).content.decode(), alices) == []


def test_portal_order_follows_the_last_change_the_customer_could_see(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    older = f.ticket(requester=alice, subject="Older", at=T0)
    newer = f.ticket(requester=alice, subject="Newer", at=T0 + timedelta(hours=1))
    client = login(alice.user)
    services.ticket_reply(ticket=older, author=f.manager(), body="internal", public=False, at=T0 + timedelta(days=1))
    assert _listed(client.get("/portal/").content.decode(), older, newer) == [newer.pk, older.pk]
    services.ticket_reply(ticket=older, author=f.manager(), body="Answer", at=T0 + timedelta(days=2))
    assert _listed(client.get("/portal/").content.decode(), older, newer) == [older.pk, newer.pk]


def test_portal_state_filter_and_search_keep_to_the_customers_own_requests(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    mine = f.ticket(requester=alice, subject="Kettle broken")
    theirs = f.ticket(subject="Kettle broken too")
    services.ticket_status_change(ticket=mine, status=f.status("solved"), actor=None)
    client = login(alice.user)
    assert _listed(client.get("/portal/", {"q": "kettle", "state": "solved"}).content.decode(), mine, theirs) == [mine.pk]
    assert _listed(client.get("/portal/", {"q": "kettle", "state": "open"}).content.decode(), mine, theirs) == []
    assert _listed(client.get("/portal/", {"q": f"#{theirs.pk}"}).content.decode(), mine, theirs) == []
