"""The widget's endpoints through HTTP: CORS per widget, the per-chat token (403), size limit (422), long poll."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from frontline.chat import selectors, services
from frontline.chat.models import Chat, ChatEntry, ChatState, EndedBy, EntryAuthor, EntryKind
from frontline.desk.models import Ticket
from tests import factories as f

pytestmark = pytest.mark.django_db
SHOP = "https://shop.example"


def post(client, path, data, origin=SHOP, token=None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    if token:
        headers["HTTP_X_CHAT_TOKEN"] = token
    return client.post(path, data=json.dumps(data), content_type="application/json", **headers)


def get(client, path, origin=SHOP, token=None):  # type: ignore[no-untyped-def]
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    if token:
        headers["HTTP_X_CHAT_TOKEN"] = token
    return client.get(path, **headers)


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    return Client(enforce_csrf_checks=True)


def started(client, ana):  # type: ignore[no-untyped-def]
    response = post(client, "/chat/w/shop/chats", {"name": "Kim", "email": "kim@example.com", "text": "Hello <b>there</b><script>x()</script>"})
    assert response.status_code == 201, response.content
    return response.json()


def test_an_allowed_origin_gets_cors_headers_and_a_preflight(client, widget, ana):  # type: ignore[no-untyped-def]
    config = get(client, "/chat/w/shop/config")
    preflight = client.options("/chat/w/shop/chats", HTTP_ORIGIN=SHOP, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert (config.status_code, config["Access-Control-Allow-Origin"], config.json()["agents_available"],
            preflight.status_code, preflight["Access-Control-Allow-Headers"], "Access-Control-Allow-Credentials" in preflight) == (
        200, SHOP, True, 204, "Content-Type, X-Chat-Token", False)


def test_another_site_is_refused_without_cors_headers(client, widget, ana):  # type: ignore[no-untyped-def]
    response = post(client, "/chat/w/shop/chats", {"name": "Kim", "email": "kim@example.com", "text": "Hi"}, origin="https://evil.example")
    assert (response.status_code, "Access-Control-Allow-Origin" in response, Chat.objects.count()) == (403, False, 0)


def test_a_disabled_or_unknown_widget_is_404(client, widget):  # type: ignore[no-untyped-def]
    widget.enabled = False
    widget.save()
    assert (get(client, "/chat/w/shop/config").status_code, get(client, "/chat/w/nope/config").status_code) == (404, 404)


def test_start_needs_no_csrf_cookie_and_sanitises_the_customers_text(client, widget, ana):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    poll = get(client, f"/chat/w/shop/chats/{data['chat_id']}/poll?after=0&wait=0", token=data["token"])
    entry = poll.json()["entries"][0]
    assert ("<script>" in entry["html"], "&lt;b&gt;there&lt;/b&gt;" in entry["html"], poll.json()["state"]) == (False, True, "waiting")


def test_no_agent_online_is_409_offline_and_a_left_message_is_a_ticket(client, widget):  # type: ignore[no-untyped-def]
    response = post(client, "/chat/w/shop/chats", {"name": "Kim", "email": "kim@example.com", "text": "Hi"})
    left = post(client, "/chat/w/shop/messages", {"name": "Kim", "email": "kim@example.com", "text": "Call me"})
    assert (response.status_code, response.json()["offline"], left.status_code,
            Ticket.objects.get(pk=left.json()["ticket"]).subject) == (409, True, 201, "Call me")


@pytest.mark.parametrize("token", ["", "wrong", "x" * 500])
def test_a_missing_or_wrong_token_is_403(client, widget, ana, token):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    responses = [get(client, f"/chat/w/shop/chats/{data['chat_id']}/poll?wait=0", token=token),
                 post(client, f"/chat/w/shop/chats/{data['chat_id']}/say", {"text": "hi"}, token=token),
                 post(client, f"/chat/w/shop/chats/{data['chat_id']}/end", {}, token=token)]
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert Chat.objects.get().state == ChatState.WAITING


def test_another_chats_token_does_not_open_this_one(client, widget, ana):  # type: ignore[no-untyped-def]
    mine = started(client, ana)
    other = post(client, "/chat/w/shop/chats", {"name": "Bo", "email": "bo@example.com", "text": "Hi"}).json()
    assert get(client, f"/chat/w/shop/chats/{mine['chat_id']}/poll?wait=0", token=other["token"]).status_code == 403


def test_an_expired_token_is_403(client, widget, ana):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    chat = Chat.objects.get()
    services.chat_end(chat=chat, by=EndedBy.CUSTOMER, at=timezone.now() - timedelta(hours=2))
    response = get(client, f"/chat/w/shop/chats/{data['chat_id']}/poll?wait=0", token=data["token"])
    assert (response.status_code, response.json()["detail"]) == (403, "This chat session has expired.")


def test_an_oversized_message_is_422_with_the_field_and_nothing_is_stored(client, widget, ana):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    response = post(client, f"/chat/w/shop/chats/{data['chat_id']}/say", {"text": "x" * 2001}, token=data["token"])
    huge = post(client, f"/chat/w/shop/chats/{data['chat_id']}/say", {"text": "x" * 100_000}, token=data["token"])
    assert (response.status_code, response.json()["errors"][0]["field"], "the limit is 2,000" in response.json()["detail"],
            huge.status_code, Chat.objects.get().seq, response["Access-Control-Allow-Origin"]) == (422, "text", True, 422, 1, SHOP)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"text": 5}'])
def test_malformed_bodies_are_422_not_500(client, widget, ana, body):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    response = client.post(f"/chat/w/shop/chats/{data['chat_id']}/say", data=body, content_type="application/json",
                           HTTP_X_CHAT_TOKEN=data["token"])
    assert response.status_code == 422


def test_the_poll_returns_entries_after_the_cursor_once(client, widget, ana):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    chat = Chat.objects.get()
    services.accept_chat(chat=chat, agent=ana)
    services.chat_agent_says(chat=chat, agent=ana, text="Hi Kim")
    path = f"/chat/w/shop/chats/{data['chat_id']}/poll"
    first = get(client, f"{path}?after=0&wait=0", token=data["token"]).json()
    second = get(client, f"{path}?after={first['seq']}&pulse={first['pulse']}&wait=0", token=data["token"]).json()
    assert ([e["seq"] for e in first["entries"]], first["agent"], first["entries"][-1]["name"], second["entries"]) == (
        [1, 2, 3], {"name": "Ana"}, "Ana", [])


def test_a_poll_answer_ends_at_the_seq_it_read_so_no_entry_comes_twice(client, widget, ana):  # type: ignore[no-untyped-def]
    """An entry written between the poll's read of the chat and its read of the entries comes with the next answer,
    not this one: a client asking "after seq" would otherwise get it twice."""
    started(client, ana)
    read_first = Chat.objects.get()  # the poll's read of the chat row: seq 1
    services.chat_customer_says(chat=Chat.objects.get(), text="And one more thing")  # seq 2, written after that read
    now = selectors.chat_entries_after(chat=read_first, after=0, for_customer=True, upto=read_first.seq)
    later = selectors.chat_entries_after(chat=Chat.objects.get(), after=read_first.seq, for_customer=True,
                                         upto=Chat.objects.get().seq)
    assert ([e.seq for e in now], [e.seq for e in later]) == ([1], [2])


def test_a_number_handed_out_before_its_entry_is_visible_is_not_skipped(client, widget, ana):  # type: ignore[no-untyped-def]
    """The poll's cursor stops before a gap: the entry comes with the next answer instead of never.

    A poll can read the chat's new number before the entry under it is visible (a connection shared
    between threads, as the test suite's in-memory SQLite live server has, reads another thread's
    transaction half done): the widget showed "chatting with Ana" and never "Ana joined the chat.".
    """
    data = started(client, ana)
    chat = Chat.objects.get()
    Chat.objects.filter(pk=chat.pk).update(seq=2)  # accept_chat's number 2 handed out; its entry not written yet
    path = f"/chat/w/shop/chats/{data['chat_id']}/poll"
    first = get(client, f"{path}?after=0&wait=0", token=data["token"]).json()
    ChatEntry.objects.create(chat=chat, seq=2, kind=EntryKind.JOINED, author=EntryAuthor.SYSTEM, agent=ana,
                             text="Ana joined the chat.", created_at=timezone.now())
    second = get(client, f"{path}?after={first['seq']}&pulse={first['pulse']}&wait=0", token=data["token"]).json()
    assert ([e["seq"] for e in first["entries"]], first["seq"], [e["text"] for e in second["entries"]], second["seq"]) == (
        [1], 1, ["Ana joined the chat."], 2)


def test_a_long_chat_comes_in_pages_and_the_cursor_follows_the_page(widget, ana):  # type: ignore[no-untyped-def]
    """A client asking after 0 in a chat of 600 entries gets 500 and the number of the 500th, then the rest."""
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    now = timezone.now()
    ChatEntry.objects.bulk_create(ChatEntry(chat=chat, seq=n, kind=EntryKind.MESSAGE, author=EntryAuthor.SYSTEM,
                                            text=f"line {n}", created_at=now) for n in range(2, 601))
    Chat.objects.filter(pk=chat.pk).update(seq=600)
    chat.refresh_from_db()
    page, seq = selectors.chat_news(chat=chat, after=0, for_customer=True)
    rest, last = selectors.chat_news(chat=chat, after=seq, for_customer=True)
    assert (len(page), seq, [e.seq for e in rest][:1], len(rest), last) == (500, 500, [501], 100, 600)


def test_the_widget_script_is_served_to_any_site(client):  # type: ignore[no-untyped-def]
    response = client.get("/chat/widget.js")
    assert (response.status_code, response["Content-Type"].startswith("text/javascript"), b"X-Chat-Token" in response.content) == (
        200, True, True)


def test_the_transcript_request_and_the_customer_end(client, widget, ana):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    asked = post(client, f"/chat/w/shop/chats/{data['chat_id']}/transcript", {}, token=data["token"])
    ended = post(client, f"/chat/w/shop/chats/{data['chat_id']}/end", {}, token=data["token"])
    assert (asked.status_code, asked.json()["when"], ended.json()["state"], f.agent().pk > 0) == (202, "at the end", "ended", True)


@pytest.mark.parametrize(("chat_id", "field"), [("abc", "chat_id"), ([1], "chat_id"), (True, "chat_id"), ({"a": 1}, "chat_id")])
def test_leaving_a_message_with_a_bad_chat_id_is_422_naming_it_and_stores_nothing(client, widget, ana, chat_id, field):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    response = post(client, "/chat/w/shop/messages", {"chat_id": chat_id, "text": "Call me"}, token=data["token"])
    assert (response.status_code, response.json()["errors"][0]["field"], Chat.objects.get().state,
            Ticket.objects.count()) == (422, field, ChatState.WAITING, 1)


@pytest.mark.parametrize(("query", "field"), [("after=x", "after"), ("wait=2.5", "wait"), ("pulse=[]", "pulse")])
def test_a_poll_with_a_bad_number_is_422_naming_the_parameter(client, widget, ana, query, field):  # type: ignore[no-untyped-def]
    data = started(client, ana)
    response = get(client, f"/chat/w/shop/chats/{data['chat_id']}/poll?{query}", token=data["token"])
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, field)


def test_an_ended_long_chat_says_there_is_more_until_its_last_page(client, widget, ana):  # type: ignore[no-untyped-def]
    """The widget stops polling at "ended": an answer carrying only part of the log says ``more``,
    so a reload of a long, ended chat still shows its end."""
    data = started(client, ana)
    chat = Chat.objects.get()
    now = timezone.now()
    ChatEntry.objects.bulk_create(ChatEntry(chat=chat, seq=n, kind=EntryKind.MESSAGE, author=EntryAuthor.SYSTEM,
                                            text=f"line {n}", created_at=now) for n in range(2, 601))
    Chat.objects.filter(pk=chat.pk).update(seq=600, state=ChatState.ENDED, ended_at=now, ended_by=EndedBy.CUSTOMER)
    path = f"/chat/w/shop/chats/{data['chat_id']}/poll"
    first = get(client, f"{path}?after=0&wait=0", token=data["token"]).json()
    last = get(client, f"{path}?after={first['seq']}&wait=0", token=data["token"]).json()
    assert (first["state"], first["more"], first["seq"], last["more"], last["seq"]) == ("ended", True, 500, False, 600)
