"""Desk and portal pages through HTTP: lists, filters, htmx partials, forms, query counts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from frontline.customers.models import Customer
from frontline.desk import services
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.models import Message, Ticket, TicketEvent, TicketField
from frontline.desk.services import conversation
from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    '<a href="javascript:alert(1)">click</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "{{ 7*7 }} {% debug %}",
]


@pytest.fixture
def agent():  # type: ignore[no-untyped-def]
    return f.agent(teams=[f.team()])


def _tickets(n: int, agent) -> None:  # type: ignore[no-untyped-def]
    team = agent.teams.first()
    for i in range(n):
        f.ticket(subject=f"Order {i}", team=team, assignee=agent if i % 2 else None, tags=["orders", f"t{i % 3}"])


def test_queue_page_query_count_does_not_grow_with_tickets(agent, login, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client = login(agent)
    _tickets(5, agent)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/tickets/?view=all").status_code == 200
    _tickets(25, agent)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/tickets/?view=all").status_code == 200


def test_ticket_page_query_count_does_not_grow_with_messages(agent, login, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    client = login(agent)
    ticket = f.ticket(team=agent.teams.first())
    services.ticket_reply(ticket=ticket, author=agent, body="one")
    with django_assert_max_num_queries(40) as few:
        client.get(f"/tickets/{ticket.pk}/")
    for i in range(10):
        services.ticket_reply(ticket=ticket, author=agent, body=f"more {i}", public=bool(i % 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/tickets/{ticket.pk}/").status_code == 200


def test_views_and_filters(agent, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    mine = f.ticket(subject="Refund for broken kettle", assignee=agent, team=agent.teams.first(), priority="urgent")
    loose = f.ticket(subject="Password reset loop", team=agent.teams.first(), channel="chat")
    assert f"/tickets/{mine.pk}/" in client.get("/tickets/?view=mine").content.decode()
    unassigned = client.get("/tickets/?view=unassigned").content.decode()
    assert f"/tickets/{loose.pk}/" in unassigned and f"/tickets/{mine.pk}/" not in unassigned
    search = client.get("/tickets/?view=all&q=kettle").content.decode()
    assert "Refund for broken kettle" in search and "Password reset loop" not in search
    assert "Password reset loop" in client.get(f"/tickets/?view=all&q=%23{loose.pk}").content.decode()
    chat = client.get("/tickets/?view=all&channel=chat").content.decode()
    assert "Password reset loop" in chat and "kettle" not in chat
    urgent = client.get("/tickets/?view=all&priority=urgent&sort=-priority").content.decode()
    assert "kettle" in urgent and "Password reset" not in urgent


def test_queue_filters_by_tag_and_created_and_updated_days(agent, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    team = agent.teams.first()
    older = f.ticket(subject="Kettle from October", team=team, tags=["refund"], at=datetime(2026, 10, 5, 9, tzinfo=UTC))
    newer = f.ticket(subject="Toaster from November", team=team, at=datetime(2026, 11, 5, 9, tzinfo=UTC))
    page = client.get("/tickets/?view=all&tag=refund").content.decode()
    assert f"/tickets/{older.pk}/" in page and f"/tickets/{newer.pk}/" not in page
    created = client.get("/tickets/?view=all&created_from=2026-11-01&created_to=2026-11-30").content.decode()
    assert f"/tickets/{newer.pk}/" in created and f"/tickets/{older.pk}/" not in created
    updated = client.get("/tickets/?view=all&updated_to=2026-10-31").content.decode()
    assert f"/tickets/{older.pk}/" in updated and f"/tickets/{newer.pk}/" not in updated
    assert 'name="created_from" value="2026-11-01"' in created
    assert all(f'name="{name}"' in page for name in ("tag", "created_from", "created_to", "updated_from", "updated_to"))


def test_queue_search_finds_a_custom_field_value(agent, login):  # type: ignore[no-untyped-def]
    TicketField.objects.create(key="order_number", label="Order number")
    ticket = f.ticket(subject="Where is it", team=agent.teams.first(), custom_fields={"order_number": "ORD-90210"})
    assert f"/tickets/{ticket.pk}/" in login(agent).get("/tickets/?view=all&q=ORD-90210").content.decode()


@pytest.mark.parametrize("day", ["yesterday", "2026-13-01", "0001-01-01", "99999-01-01", "2026-11-01T00:00"])
def test_a_bad_day_in_the_queue_filters_is_ignored(agent, login, day):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    response = login(agent).get("/tickets/", {"view": "all", "created_from": day, "updated_to": day})
    assert response.status_code == 200
    assert f"/tickets/{ticket.pk}/" in response.content.decode()


def test_bad_query_parameters_are_ignored_not_errors(agent, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    for query in ("view=nope", "status=bogus", "assignee=abc", "team=1;drop", "page=999", "sort=;", "per_page=-1"):
        assert client.get(f"/tickets/?{query}").status_code == 200


def test_htmx_filter_returns_only_the_table(agent, login):  # type: ignore[no-untyped-def]
    f.ticket(team=agent.teams.first())
    response = login(agent).get("/tickets/?view=all", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-table")
    body = response.content.decode()
    assert response.status_code == 200 and "<table" in body and "<html" not in body


def test_htmx_filter_pushes_an_address_without_the_empty_fields(agent, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    response = client.get("/tickets/?view=all&q=&status=&priority=urgent&tag=&created_from=&page=2",
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-table")
    assert response["HX-Push-Url"] == "/tickets/?view=all&priority=urgent&page=2"
    bare = client.get("/tickets/?q=&status=", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-table")
    assert bare["HX-Push-Url"] == "/tickets/"


def test_reply_and_note_through_the_form(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    client = login(agent)
    upload = SimpleUploadedFile("log.txt", b"trace", content_type="text/plain")
    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "We're on it", "public": "1", "attachments": [upload]})
    assert response.status_code == 302
    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Escalate?", "public": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Escalate?" in response.content.decode()
    assert list(Message.objects.filter(ticket=ticket).values_list("is_public", flat=True)) == [True, True, False]
    assert Message.objects.get(body_text="We're on it").attachments.count() == 1


def test_empty_reply_is_rejected_with_the_field_named(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "", "public": "1"})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_update_form_changes_properties_and_refuses_bad_transition(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    client = login(agent)
    data = {"status": f.status("pending").pk, "priority": "high", "ticket_type": "incident", "assignee": agent.pk,
            "team": agent.teams.first().pk, "tags": "vip, refund"}
    assert client.post(f"/tickets/{ticket.pk}/update/", data).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.status_category, ticket.priority, ticket.assignee) == ("pending", "high", agent)
    services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
    services.ticket_status_change(ticket=ticket, status=f.status("closed"), actor=agent)
    events = TicketEvent.objects.count()
    response = client.post(f"/tickets/{ticket.pk}/update/", {**data, "status": f.status("open").pk, "priority": "low"})
    assert response.status_code == 409
    assert "A closed ticket cannot be changed." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == "high" and TicketEvent.objects.count() == events


def test_merge_form(agent, login):  # type: ignore[no-untyped-def]
    team = agent.teams.first()
    a, b = f.ticket(team=team), f.ticket(team=team)
    response = login(agent).post(f"/tickets/{a.pk}/merge/", {"into": b.pk})
    assert response.status_code == 302 and response["Location"] == f"/tickets/{b.pk}/"
    a.refresh_from_db()
    assert a.merged_into_id == b.pk


def test_new_ticket_for_a_new_customer(agent, login):  # type: ignore[no-untyped-def]
    response = login(agent).post("/tickets/new/", {
        "requester_email": "New.Person@Example.com", "requester_name": "New Person", "subject": "Phone call",
        "body": "Called about invoice", "channel": "phone", "priority": "normal", "ticket_type": "question",
    })
    ticket = Ticket.objects.get(subject="Phone call")
    assert response["Location"] == f"/tickets/{ticket.pk}/"
    assert ticket.requester.email == "new.person@example.com" and ticket.channel == "phone"


def test_a_failed_new_ticket_leaves_no_customer_and_no_file(agent, login, settings):  # type: ignore[no-untyped-def]
    good = SimpleUploadedFile("call-notes.png", b"\x89PNG\r\n", content_type="image/png")
    bad = SimpleUploadedFile("payload.exe", b"MZ", content_type="image/png")
    response = login(agent).post("/tickets/new/", {
        "requester_email": "first.contact@example.com", "subject": "Phone call", "body": "Called",
        "channel": "phone", "priority": "normal", "ticket_type": "question", "attachments": [good, bad],
    })
    assert response.status_code == 422 and "not accepted" in response.content.decode()
    assert not Customer.objects.filter(email="first.contact@example.com").exists()
    assert Ticket.objects.count() == 0
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_a_portal_request_with_a_refused_file_keeps_none_of_its_files(login, settings):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    good = SimpleUploadedFile("screen.png", b"\x89PNG\r\n", content_type="image/png")
    bad = SimpleUploadedFile("payload.exe", b"MZ", content_type="image/png")
    response = login(alice.user).post("/portal/new/", {"subject": "x", "body": "y", "attachments": [good, bad]})
    assert response.status_code == 422
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_a_portal_reply_that_fails_after_its_file_is_written_keeps_no_file(login, settings, monkeypatch):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    ticket = f.ticket(requester=alice)
    services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=None)

    def refuse(**kwargs):  # type: ignore[no-untyped-def]
        raise TransitionNotAllowed("forced: the reopen is refused")

    monkeypatch.setattr(conversation, "ticket_status_change", refuse)  # the reopen runs after the file write
    shot = SimpleUploadedFile("screen.png", b"\x89PNG\r\n", content_type="image/png")
    response = login(alice.user).post(f"/portal/requests/{ticket.pk}/reply/", {"body": "again", "attachments": [shot]})
    assert response.status_code == 409
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
    assert ticket.messages.count() == 1


def test_portal_submit_with_attachment_and_reply(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    client = login(alice.user)
    shot = SimpleUploadedFile("screen.png", b"\x89PNG\r\n", content_type="image/png")
    response = client.post("/portal/new/", {"subject": "App crashes", "body": "On start", "attachments": [shot]})
    ticket = Ticket.objects.get(subject="App crashes")
    assert response["Location"] == f"/portal/requests/{ticket.pk}/"
    assert ticket.requester == alice and ticket.channel == "web"
    assert client.post(f"/portal/requests/{ticket.pk}/reply/", {"body": "Also on resume"}).status_code == 302
    assert ticket.messages.count() == 2


def test_portal_rejects_a_disallowed_file_type_and_keeps_nothing(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    bad = SimpleUploadedFile("payload.html", b"<script>", content_type="image/png")
    response = login(alice.user).post("/portal/new/", {"subject": "x", "body": "y", "attachments": [bad]})
    assert response.status_code == 422 and "not accepted" in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_content_is_rendered_inert(payload, agent, login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    ticket = services.ticket_create(requester=alice, subject=f"Help {payload}", body=payload, actor=None,
                                    team=agent.teams.first())
    services.ticket_reply(ticket=ticket, author=alice.user, body_html=f"<p>hi</p>{payload}")
    pages = [
        login(agent).get(f"/tickets/{ticket.pk}/").content.decode(),
        login(agent).get("/tickets/?view=all").content.decode(),
        login(alice.user).get(f"/portal/requests/{ticket.pk}/").content.decode(),
        login(alice.user).get("/portal/").content.decode(),
    ]
    for page in pages:
        assert dangerous_markup(page) == []
        assert "49" not in page.split("Help")[-1][:40]


class _Scanner(HTMLParser):
    """Collects markup that could run script: event handlers, javascript: URLs, foreign scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"iframe", "svg", "math", "object", "embed"}:
            self.found.append(tag)
        if tag == "script" and not any(k == "src" and (v or "").startswith("/static/") for k, v in attrs):
            self.found.append("inline script")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            if name in {"href", "src", "style"} and "javascript:" in (value or "").replace(" ", "").lower():
                self.found.append(f"{tag} {name}={value}")


def dangerous_markup(page: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(page)
    return scanner.found


def test_expired_session_on_an_htmx_request_sends_the_browser_to_sign_in(client):  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    response = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "x", "public": "1"},
                           HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver/tickets/{ticket.pk}/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/login/?next=%2Ftickets%2F{ticket.pk}%2F"


def test_queue_counts_are_capped_so_page_cost_does_not_grow_with_history(agent, login, monkeypatch):  # type: ignore[no-untyped-def]
    from frontline.desk import selectors, views

    monkeypatch.setattr(views, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "SIDEBAR_COUNT_CAP", 2)
    _tickets(5, agent)
    page = login(agent).get("/tickets/?view=all&per_page=25").content.decode()
    assert "of more than 3 — filter to narrow" in page
    assert '<span class="count">2+</span>' in page


# --- the workspace as agents use it (issue #14) -------------------------------------------------

def _props(ticket, **changes):  # type: ignore[no-untyped-def]
    """The Properties form's fields as the reply form carries them (the ticket as it is, plus changes)."""
    data = {"with_properties": "1", "status": ticket.status_id, "priority": ticket.priority,
            "ticket_type": ticket.ticket_type, "assignee": ticket.assignee_id or "", "team": ticket.team_id or "",
            "queue": ticket.queue_id or "", "tags": ""}
    return {**data, **changes}


def test_a_reply_carries_pending_property_changes(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    data = {"body": "On its way", "public": "1", "then_status": f.status("pending").pk,
            **_props(ticket, assignee=agent.pk, priority="high")}
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Reply sent; ticket updated." in response.content.decode()
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.priority, ticket.status_category) == (agent.pk, "high", "pending")
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == ["created", "priority_changed", "assigned", "replied", "status_changed"]


def test_unchanged_properties_cannot_undo_what_the_reply_does(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())  # new: a first public reply opens it
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "Hello", "public": "1", **_props(ticket)},
                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Reply sent." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True)) == ["created", "replied", "status_changed"]


def test_a_refused_property_change_sends_nothing(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    events = TicketEvent.objects.count()
    data = {"body": "Closing this", "public": "1", **_props(ticket, priority="low", status=f.status("closed").pk)}
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "cannot go from new to closed" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == "normal" and TicketEvent.objects.count() == events
    assert not Message.objects.filter(ticket=ticket, body_text__contains="Closing this").exists()


def test_invalid_properties_with_a_reply_are_422_and_nothing_is_sent(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    data = {"body": "Hi", "public": "1", **_props(ticket, priority="whenever")}
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_after_a_note_the_form_is_empty_and_stays_a_note(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    response = login(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "Staff only words", "public": "0"},
                                 HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'data-draft-sent="note"' in page and "reply-form note-mode" in page
    assert '<input type="radio" name="public" value="0" id="id_public_1" required checked>' in page
    assert ">Staff only words</textarea>" not in page and "Add internal note</button>" in page


def test_take_it_assigns_to_me_and_returns_to_the_queue(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    client = login(agent)
    response = client.post(f"/tickets/{ticket.pk}/take/", {"next": "/tickets/?view=unassigned&priority=high"})
    assert response.status_code == 302 and response["Location"] == "/tickets/?view=unassigned&priority=high"
    ticket.refresh_from_db()
    assert ticket.assignee_id == agent.pk
    assert TicketEvent.objects.filter(ticket=ticket, kind="assigned", actor=agent).count() == 1


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_take_it_never_redirects_off_site(next_url, agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    response = login(agent).post(f"/tickets/{ticket.pk}/take/", {"next": next_url})
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"


def test_take_it_is_for_staff_who_can_see_the_ticket(agent, login):  # type: ignore[no-untyped-def]
    hidden = f.ticket(team=f.team())
    assert login(agent).post(f"/tickets/{hidden.pk}/take/").status_code == 404
    customer = f.customer(with_login=True)
    own = f.ticket(requester=customer)
    assert login(customer.user).post(f"/tickets/{own.pk}/take/").status_code == 403
    assert Ticket.objects.filter(assignee__isnull=False).count() == 0


def test_take_it_on_a_closed_ticket_is_refused_with_the_reason(agent, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first())
    services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
    services.ticket_status_change(ticket=ticket, status=f.status("closed"), actor=agent)
    response = login(agent).post(f"/tickets/{ticket.pk}/take/", HTTP_HX_REQUEST="true")
    assert response.status_code == 409 and "A closed ticket cannot be reassigned." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee_id is None


def test_pages_that_answer_htmx_with_a_fragment_vary_on_it(agent, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    full = client.get("/tickets/?view=all")
    partial = client.get("/tickets/?view=all", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ticket-table")
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]
    # A history restore (htmx 2 sends HX-Request with it) gets the whole page.
    restore = client.get("/tickets/?view=all", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_the_filter_form_submits_to_the_list_not_the_current_url(agent, login):  # type: ignore[no-untyped-def]
    page = login(agent).get("/tickets/?view=all&priority=high&q=kettle").content.decode()
    assert 'hx-get="/tickets/"' in page and 'action="/tickets/"' in page and 'hx-get=""' not in page


def test_the_sidebar_counts_every_view_with_one_bounded_query_each(agent, django_assert_num_queries):  # type: ignore[no-untyped-def]
    from frontline.desk.selectors import VIEWS, ticket_counts_for_viewer

    _tickets(4, agent)
    f.ticket(team=f.team())  # not visible to the agent
    with django_assert_num_queries(len(VIEWS) + 1):  # + the viewer's teams, read once per view's visibility
        counts = ticket_counts_for_viewer(viewer=agent)
    assert list(counts) == list(VIEWS)
    assert counts == {"mine": "2", "unassigned": "2", "team": "4", "all": "4", "recent": "4"}


def test_queue_links_carry_each_parameter_once(agent, login):  # type: ignore[no-untyped-def]
    from urllib.parse import parse_qsl, urlsplit

    _tickets(30, agent)
    page = login(agent).get("/tickets/?view=all&view=all&priority=&per_page=25&per_page=25&sort=-id&q=&q=").content.decode()
    links = re.findall(r'href="(\?[^"]*)"', page)
    assert any("per_page=50" in link for link in links) and any("page=2" in link for link in links)
    for link in links:
        keys = [k for k, _ in parse_qsl(urlsplit(link.replace("&amp;", "&")).query, keep_blank_values=True)]
        assert len(keys) == len(set(keys)), link
    # Filtering keeps the sort (the form carries it).
    assert '<input type="hidden" name="sort" value="-id">' in page
