"""Live chat in two browsers: a customer on a company's own page (another origin) and an agent in the desk.

The company's page is a plain HTML file served on loopback by a second server, on its own port
(a different origin from Frontline's live server): the widget runs there cross-origin, as it
would on a customer's site.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.models import F
from playwright.sync_api import Page, expect

from frontline.chat import services
from frontline.chat.models import Chat, ChatState, ChatWidget
from frontline.desk.models import Channel, Ticket
from frontline.people.models import Availability
from frontline.people.services import availability_set
from tests import factories as f
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def company_site(tmp_path: Path, live_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """http://127.0.0.1:PORT/ — a shop's page with the widget's one script tag."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Acme shop</title>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
        "<body><h1>Acme shop</h1><p>Garden tools since 1952.</p>"
        f"<script src='{live_server.url}/chat/widget.js' data-widget='acme' async></script></body></html>")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def desk(company_site: str, settings):  # type: ignore[no-untyped-def]
    # The live server shares one in-memory SQLite connection between its threads; the watcher
    # thread's own connection would lock its tables (SQLite's shared cache). Waiting requests read
    # for themselves here; the watcher runs against a real server in bench/bench_chat.py and its test.
    settings.CHAT_WAKE = "poll"
    team = f.team(name="Orders")
    queue = f.queue(name="Shop chat", team=team)
    ChatWidget.objects.create(name="Acme shop", key="acme", allowed_origins=company_site, queue=queue)
    ana = f.agent(teams=[team], first_name="Ana", last_name="Silva")
    availability_set(user=ana, availability=Availability.ONLINE)
    return {"ana": ana, "site": company_site}


@pytest.fixture(autouse=True)
def waiting_polls_answered_at_the_end() -> Iterator[None]:
    """The long polls the closed pages left waiting on the live server are answered at once.

    The agent's workspace and the widget poll with ``wait=25``; a page that goes away leaves its last
    poll running on the server until then, and the end of the test waits for it (the conftest's
    ``quiesce``: 24 s of this file's 40). Torn down after the test's browser contexts are closed (an
    autouse fixture of the module, so set up before them) and before that wait: a new typing pulse on
    every chat is news to both kinds of poll, so each answers within its next read (0.1 s). A poll that
    did not answer would still be reported by ``quiesce``.
    """
    yield
    for _ in range(50):  # a live-server thread's read may hold the in-memory database's table a moment
        try:
            Chat.objects.update(pulse=F("pulse") + 1)
            break
        except OperationalError:
            time.sleep(0.1)


def _widget(page: Page):  # type: ignore[no-untyped-def]
    return page.locator(".frontline-chat-host")


def test_a_customer_chats_from_the_shop_while_an_agent_answers_in_the_desk(new_page, desk) -> None:  # type: ignore[no-untyped-def]
    agent = new_page()
    sign_in(agent, desk["ana"])
    agent.goto("/chat/")
    expect(agent.get_by_text("No customer is waiting.")).to_be_visible()

    customer = new_page()
    customer.goto(desk["site"] + "/")
    widget = _widget(customer)
    widget.get_by_role("button", name="Chat with us").click()
    widget.get_by_label("Your name").fill("Kim Lee")
    widget.get_by_label("Email").fill("kim@example.com")
    widget.get_by_label("How can we help?").fill("My rake arrived broken, order 1442.")
    widget.get_by_role("button", name="Start chat").click()
    expect(widget.locator(".fc-status")).to_have_text("Waiting for an agent…")
    expect(widget.locator(".fc-log")).to_contain_text("My rake arrived broken")

    # The queue refreshes itself; the agent accepts and lands in the workspace.
    row = agent.locator("tr", has_text="Kim Lee")
    expect(row).to_contain_text("My rake arrived broken, order 1442.")
    row.get_by_role("button", name="Accept").click()
    expect(agent).to_have_url(re.compile(r"/chat/\d+/$"))
    expect(agent.locator("[data-chat-log]")).to_contain_text("My rake arrived broken")
    expect(widget.locator(".fc-status")).to_have_text("You are chatting with Ana.")
    expect(widget.locator(".fc-log")).to_contain_text("Ana joined the chat.")

    # Typing shows on the other side; messages arrive each way without a reload.
    widget.get_by_label("Your message").press_sequentially("A photo")
    expect(agent.locator("[data-customer-typing]")).to_be_visible()
    widget.get_by_label("Your message").fill("")
    agent.get_by_label("Your message").fill("Sorry about that, Kim! I will send a new one today.")
    agent.get_by_role("button", name="Send").click()
    # Within 5 s: the waiting poll is woken by the message, not answered by its 25 s timeout. How
    # fast it is: bench/bench_chat.py measures it (p99 under 1 s at 200 sessions), not a timed test.
    expect(widget.locator(".fc-log")).to_contain_text("I will send a new one today.", timeout=5_000)
    widget.get_by_label("Your message").fill("Thank you!")
    widget.get_by_label("Your message").press("Enter")
    expect(agent.locator("[data-chat-log]")).to_contain_text("Thank you!", timeout=5_000)

    # A message over the limit is refused with the server's reason; nothing is sent.
    widget.get_by_label("Your message").fill("x" * 2001)
    widget.get_by_role("button", name="Send").click()
    expect(widget.get_by_role("alert")).to_contain_text("the limit is 2,000")

    # A reload keeps the chat (its token lives in the tab) and shows the whole transcript again.
    customer.reload()
    widget = _widget(customer)
    expect(widget.locator(".fc-log")).to_contain_text("I will send a new one today.")
    expect(widget.locator(".fc-log .fc-line")).to_have_count(4)

    # The agent ends the chat and solves the ticket; the customer asks for the transcript.
    agent.get_by_role("button", name="End chat").click()
    expect(agent.locator("[data-chat-state]")).to_contain_text(re.compile("ended", re.I))
    expect(widget.locator(".fc-status")).to_have_text("This chat has ended.")
    widget.get_by_role("button", name="Email me the transcript").click()
    expect(widget.locator(".fc-note")).to_have_text("On its way to kim@example.com.")
    chat = Chat.objects.get()
    assert (chat.state, chat.ticket.channel, chat.ticket.status_category, chat.ticket.messages.count() >= 4) == (
        ChatState.ENDED, Channel.CHAT, "solved", True)

    # Back in the desk: the ticket's history tells the chat's story.
    agent.goto(f"/tickets/{chat.ticket_id}/")
    expect(agent.locator("body")).to_contain_text("Ana Silva accepted the chat after")


def test_with_nobody_online_a_phone_visitor_leaves_a_message(new_page, desk) -> None:  # type: ignore[no-untyped-def]
    availability_set(user=desk["ana"], availability=Availability.OFFLINE)
    customer = new_page()
    customer.set_viewport_size({"width": 390, "height": 800})
    customer.goto(desk["site"] + "/")
    widget = _widget(customer)
    launcher = widget.get_by_role("button", name="Chat with us")
    # the widget's own type, not the host page's (nor the browser's default serif)
    assert launcher.evaluate("b => getComputedStyle(b).fontFamily").startswith("system-ui")
    launcher.click()
    expect(widget).to_contain_text("No one is available to chat right now.")
    widget.get_by_label("Your name").fill("Lee Park")
    widget.get_by_label("Email").fill("lee@example.com")
    widget.get_by_label("Your message").fill("Do you ship to Norway?")
    widget.get_by_role("button", name="Send message").click()
    expect(widget).to_contain_text(re.compile(r"We have your message \(request #\d+\)"))
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.requester.email, Chat.objects.count()) == (
        "Do you ship to Norway?", Channel.CHAT, "lee@example.com", 0)
    box = widget.locator(".fc-panel").bounding_box()
    assert box is not None and box["width"] <= 390


def test_a_chat_transferred_away_takes_the_reply_box_from_the_first_agents_tab(new_page, desk) -> None:  # type: ignore[no-untyped-def]
    """Ana holds a chat in one tab and passes it to Bo from another: the first tab, left open, says
    who has it now, no longer offers a reply box (a line sent from it would be refused) and drops it
    from 'Your chats'."""
    ana = desk["ana"]
    chat = services.chat_start(widget=ChatWidget.objects.get(), name="Kim Lee", email="kim@example.com",
                               text="Where is order 1442?").chat
    services.accept_chat(chat=chat, agent=ana)
    bo = f.agent(teams=list(ana.teams.all()), first_name="Bo", last_name="Berg")
    availability_set(user=bo, availability=Availability.ONLINE)
    first = new_page()
    sign_in(first, ana)
    first.goto(f"/chat/{chat.pk}/")
    expect(first.get_by_label("Your message")).to_be_visible()

    second = new_page()
    sign_in(second, ana)
    second.goto(f"/chat/{chat.pk}/")
    second.get_by_label("To").select_option(value=f"agent:{bo.pk}")
    second.get_by_role("button", name="Transfer").click()
    expect(second).to_have_url(re.compile(r"/chat/$"))

    expect(first.locator("[data-chat-state]")).to_contain_text("With Bo Berg.")
    expect(first.get_by_label("Your message")).to_be_hidden()
    expect(first.locator("[data-chat-log]")).to_contain_text("You are now chatting with Bo.")
    expect(first.locator("[data-my-chats]")).to_have_text("None.")  # no longer Ana's
    expect(first.locator(".chat-list").locator("xpath=..").locator(".count")).to_contain_text(re.compile(r"^0 of"))
    first.reload()  # the page as served agrees
    expect(first.locator("[data-chat-log]")).to_contain_text("You are now chatting with Bo.")
    expect(first.get_by_label("Your message")).to_have_count(0)


def test_a_lead_reads_the_chat_report_follows_a_count_and_comes_back(new_page, desk) -> None:  # type: ignore[no-untyped-def]
    """From the chat queue to the report, a longer period, a count to its tickets, Back, reload; on a phone."""
    ana = desk["ana"]
    widget = ChatWidget.objects.get()
    answered = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Where is order 1442?").chat
    services.accept_chat(chat=answered, agent=ana)
    services.chat_end(chat=Chat.objects.get(pk=answered.pk), by="agent", actor=ana)
    left = services.chat_start(widget=widget, name="Lee Park", email="lee@example.com", text="Do you ship to Norway?").chat
    services.chat_end(chat=left, by="left_message")
    lead = f.lead(teams=list(ana.teams.all()), first_name="Lia")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, lead)
    page.goto("/chat/")
    page.get_by_role("link", name="Chat report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chat report")
    cards = page.locator(".cards")
    expect(cards).to_contain_text("answer rate 50 %")
    page.get_by_label("Period").select_option("30")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"days=30"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.locator(".card").filter(has_text="Not answered").locator(".big a").click()
    expect(page.locator("body")).to_contain_text("Do you ship to Norway?")
    expect(page.locator("body")).not_to_contain_text("Where is order 1442?")
    page.go_back()
    expect(page.get_by_label("Period")).to_have_value("30")
    page.reload()
    expect(cards).to_contain_text("1 left a message")
