"""Agent pages through HTTP: the queue, accept, the workspace, say, transfer, end, the agent poll; who may see what."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontline.chat import services
from frontline.chat.models import Chat, ChatState
from tests import factories as f

from .conftest import online

pytestmark = pytest.mark.django_db


def start(widget, email="kim@example.com"):  # type: ignore[no-untyped-def]
    return services.chat_start(widget=widget, name="Kim Lee", email=email, text="Where is order 1442?").chat


def test_the_queue_shows_waiting_chats_with_their_wait_and_accept_takes_one(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    client = login(ana)
    page = client.get("/chat/").content.decode()
    accepted = client.post(f"/chat/{chat.pk}/accept/")
    workspace = client.get(accepted["Location"]).content.decode()
    assert ("Kim Lee" in page, "Where is order 1442?" in page, "Accept" in page, accepted.status_code,
            "Ana joined the chat." in workspace, Chat.objects.get().agent) == (True, True, True, 302, True, ana)


def test_the_queue_page_reads_in_a_fixed_number_of_queries(widget, ana, login):  # type: ignore[no-untyped-def]
    client = login(ana)
    start(widget)
    with CaptureQueriesContext(connection) as one:
        client.get("/chat/", HTTP_HX_REQUEST="true")
    for i in range(5):
        start(widget, email=f"c{i}@example.com")
    with CaptureQueriesContext(connection) as six:
        client.get("/chat/", HTTP_HX_REQUEST="true")
    assert len(six) == len(one)


def test_agents_of_other_teams_neither_see_nor_take_the_chat(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    outsider = online(f.agent(teams=[f.team()]))
    client = login(outsider)
    responses = [client.get("/chat/").content.decode(), client.post(f"/chat/{chat.pk}/accept/").status_code,
                 client.get(f"/chat/{chat.pk}/").status_code,
                 client.get(f"/chat/agent/poll/?chat={chat.pk}&wait=0").status_code]
    poll = client.get("/chat/agent/poll/?wait=0").json()
    assert ("Kim Lee" in responses[0], responses[1:], poll["waiting"], Chat.objects.get().state) == (
        False, [404, 404, 404], 0, ChatState.WAITING)


def test_customers_and_anonymous_visitors_get_no_agent_page(widget, ana, login, client):  # type: ignore[no-untyped-def]
    chat = start(widget)
    customer = f.customer(with_login=True)
    signed_in = login(customer.user)
    assert ([signed_in.get("/chat/").status_code, signed_in.post(f"/chat/{chat.pk}/accept/").status_code,
             signed_in.get("/chat/agent/poll/?wait=0").status_code, client.get("/chat/").status_code,
             client.get("/chat/agent/poll/?wait=0").status_code]) == [403, 403, 403, 302, 403]


def test_say_transfer_and_end_from_the_workspace(widget, ana, team, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    bo = online(f.agent(teams=[team], first_name="Bo"))
    client = login(ana)
    client.post(f"/chat/{chat.pk}/accept/")
    said = client.post(f"/chat/{chat.pk}/say/", {"text": "Hello Kim"}, HTTP_ACCEPT="application/json")
    too_long = client.post(f"/chat/{chat.pk}/say/", {"text": "x" * 2001}, HTTP_ACCEPT="application/json")
    moved = client.post(f"/chat/{chat.pk}/transfer/", {"to": f"agent:{bo.pk}"})
    not_mine = client.post(f"/chat/{chat.pk}/say/", {"text": "still me"}, HTTP_ACCEPT="application/json")
    ended = login(bo).post(f"/chat/{chat.pk}/end/", {"solve": "on"})
    chat.refresh_from_db()
    assert (said.status_code, too_long.status_code, too_long.json()["errors"][0]["field"], moved.status_code,
            not_mine.status_code, ended.status_code, chat.state, chat.ticket.status_category) == (
        201, 422, "text", 302, 403, 302, ChatState.ENDED, "solved")


def test_a_bad_transfer_target_is_a_form_error_not_a_crash(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    client = login(ana)
    client.post(f"/chat/{chat.pk}/accept/")
    responses = [client.post(f"/chat/{chat.pk}/transfer/", {"to": to}, HTTP_ACCEPT="application/json").status_code
                 for to in ["", "agent:999999", "queue:x", "agent:" + str(ana.pk)]]
    assert responses == [422, 422, 422, 422]


def test_the_agent_poll_gives_the_open_chat_and_their_chats(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    client = login(ana)
    client.post(f"/chat/{chat.pk}/accept/")
    services.chat_customer_says(chat=chat, text="Are you there?")
    first = client.get(f"/chat/agent/poll/?chat={chat.pk}&after=0&wait=0").json()
    again = client.get(f"/chat/agent/poll/?chat={chat.pk}&after={first['chat']['seq']}&sig={first['sig']}&wait=0").json()
    assert ([e["seq"] for e in first["chat"]["entries"]], first["mine"][0]["name"], again["chat"]["entries"], again["sig"]) == (
        [1, 2, 3], "Kim Lee", [], first["sig"])


def test_a_chat_in_progress_stays_hidden_from_other_teams_in_every_poll(widget, ana, team, login):  # type: ignore[no-untyped-def]
    """The agent poll reads the tab's chats in one query and trusts a ticket's own row only for "no team" or
    "assigned to you": anyone else is checked against the desk's rule (404), whatever they ask for."""
    chat = start(widget)
    services.accept_chat(chat=chat, agent=ana)
    outsider = online(f.agent(teams=[f.team()]))
    teammate = online(f.agent(teams=[team]))
    asks = [f"/chat/agent/poll/?chat={chat.pk}&wait=0", f"/chat/agent/poll/?chat={chat.pk}&after=99&sig=x&wait=0"]
    seen = {name: [login(user).get(url).status_code for url in asks]
            for name, user in (("ana", ana), ("teammate", teammate), ("outsider", outsider))}
    mine = login(outsider).get("/chat/agent/poll/?wait=0").json()["mine"]
    assert (seen, mine) == ({"ana": [200, 200], "teammate": [200, 200], "outsider": [404, 404]}, [])


def test_a_transfer_away_tells_the_first_agents_tab_it_no_longer_holds_the_chat(widget, ana, team, login):  # type: ignore[no-untyped-def]
    """The tab's poll says whether the viewer holds the chat (the reply box hides); a line sent
    from a stale tab is a JSON 403 with the reason, not an HTML page the script cannot read."""
    bo = online(f.agent(teams=[team], first_name="Bo"))
    chat = start(widget)
    client = login(ana)
    client.post(f"/chat/{chat.pk}/accept/")
    held = client.get(f"/chat/agent/poll/?chat={chat.pk}&after=0&wait=0").json()["chat"]
    services.chat_transfer(chat=chat, actor=ana, to_agent=bo)
    moved = client.get(f"/chat/agent/poll/?chat={chat.pk}&after={held['seq']}&wait=0").json()["chat"]
    said = client.post(f"/chat/{chat.pk}/say/", {"text": "Still there?"}, HTTP_ACCEPT="application/json")
    assert (held["holds"], moved["holds"], moved["agent"], said.status_code, "Only the agent holding" in said.json()["detail"]) == (
        True, False, "Bo Tester", 403, True)


@pytest.mark.parametrize("query", ["chat=%C2%B2", "after=%C2%B2", "wait=%C2%B2", "chat=%D9%A3"])
def test_odd_digits_in_the_agent_poll_are_ignored_not_a_500(widget, ana, login, query):  # type: ignore[no-untyped-def]
    assert login(ana).get(f"/chat/agent/poll/?{query}&wait=0").status_code == 200


def _chat_panel(html: str) -> str:
    start = html.find('id="chat"')
    return html[start:html.find("</div>", start)] if start >= 0 else ""


def test_the_ticket_page_shows_its_chat_waiting_live_then_ended_with_a_link_to_it(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = start(widget)
    client = login(ana)
    url = f"/tickets/{chat.ticket_id}/"
    waiting = _chat_panel(client.get(url).content.decode())
    client.post(f"/chat/{chat.pk}/accept/")
    live = _chat_panel(client.get(url).content.decode())
    services.chat_transcript_request(chat=Chat.objects.get())
    services.chat_end(chat=Chat.objects.get(), by="agent", actor=ana)
    ended = _chat_panel(client.get(url).content.decode())
    link = f'href="/chat/{chat.pk}/"'
    assert ("Waiting" in waiting and "Open the chat to take it" in waiting and link in waiting,
            "Live" in live and "with Ana Silva" in live and "Open the live chat" in live and "running" in live,
            "Ended" in ended and "by the agent" in ended and "The chat as it ran" in ended and link in ended,
            "Transcript" in ended) == (True, True, True, True)


def test_the_ticket_page_of_a_left_message_says_so_and_other_tickets_read_no_chat(widget, ana, login):  # type: ignore[no-untyped-def]
    left = services.chat_leave_message(widget=widget, name="Lee", email="lee@example.com", text="Do you ship to Norway?")
    email = f.ticket(team=widget.queue.team, queue=widget.queue)
    client = login(ana)
    left_page = _chat_panel(client.get(f"/tickets/{left.pk}/").content.decode())
    with CaptureQueriesContext(connection) as queries:
        email_page = client.get(f"/tickets/{email.pk}/").content.decode()
    assert ("no live chat" in left_page, _chat_panel(email_page),
            [q["sql"] for q in queries.captured_queries if '"chat_chat"' in q["sql"]]) == (True, "", [])


def test_a_chat_nobody_joined_shows_its_wait_and_no_handle_time_and_a_waiting_one_runs_no_clock(widget, ana, login):  # type: ignore[no-untyped-def]
    waiting = start(widget, email="w@example.com")
    gone = start(widget)
    services.chat_end(chat=gone, by="customer")
    client = login(ana)
    for url in (f"/tickets/{gone.ticket_id}/", f"/chat/{gone.pk}/"):
        page = client.get(url).content.decode()
        times = page[page.index("<dt>Wait</dt>"):]
        assert "then it ended: no agent joined" in times and "<dt>Handle time</dt><dd>—</dd>" in times, url
    for url in (f"/tickets/{waiting.ticket_id}/", f"/chat/{waiting.pk}/"):
        page = client.get(url).content.decode()
        times = page[page.index("<dt>Wait</dt>"):]
        assert "waiting now" in times and "running" not in times[:200], url
