"""Handle time on agent messages: captured by the workspace, checked by the services, shown on
the page, and produced by the demo (the writers' agreement is in tests/demo/test_replay.py)."""

from __future__ import annotations

import random
import re
import statistics
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from frontline.demo import timing
from frontline.demo.generator import demo_generate
from frontline.desk import services
from frontline.desk.forms import handle_timer_token
from frontline.desk.models import AuthorKind, Message, StatusCategory, Ticket
from frontline.desk.templatetags.desk import handle_time
from tests import factories as f
from tests.demo.builds import reset_after_build

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="opened" value="([^"]*)"')


@pytest.fixture
def agent():  # type: ignore[no-untyped-def]
    return f.agent(teams=[f.team()])


@pytest.fixture
def ticket(agent):  # type: ignore[no-untyped-def]
    return f.ticket(team=agent.teams.first())


def _ago(**delta: float) -> datetime:
    return timezone.now() - timedelta(**delta)


def _reply(client, ticket: Ticket, opened: str | None, body: str = "Here is what I found.", **extra: Any):  # type: ignore[no-untyped-def]
    data = {"body": body, "public": "1", **extra}
    if opened is not None:
        data["opened"] = opened
    return client.post(reverse("desk:ticket_reply", args=[ticket.pk]), data)


def _last_agent_message(ticket: Ticket) -> Message:
    return Message.objects.filter(ticket=ticket, author_kind=AuthorKind.AGENT).latest("pk")


def _tokens(response: Any) -> set[str]:
    return set(TOKEN.findall(response.content.decode()))


# --- capture in the workspace -----------------------------------------------------------------


def test_a_reply_records_the_time_since_the_ticket_was_opened(agent, ticket, login):  # type: ignore[no-untyped-def]
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(minutes=5))
    response = _reply(login(agent), ticket, opened)
    assert response.status_code == 302
    assert 300 <= _last_agent_message(ticket).handle_seconds <= 330


def test_an_internal_note_records_handle_time_too(agent, ticket, login):  # type: ignore[no-untyped-def]
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(seconds=90))
    _reply(login(agent), ticket, opened, body="Checked the carrier portal.", public="0")
    note = _last_agent_message(ticket)
    assert note.is_public is False and 90 <= note.handle_seconds <= 120


def test_a_form_left_open_overnight_counts_the_cap_not_fourteen_hours(agent, ticket, login):  # type: ignore[no-untyped-def]
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(hours=14))
    _reply(login(agent), ticket, opened)
    assert services.CAPTURE_CAP_SECONDS == 2 * 3600
    assert _last_agent_message(ticket).handle_seconds == 7200


@pytest.mark.parametrize("opened", [None, "", "1700000000", "1700000000:forged-signature", "garbage:::", "9" * 5000 + ":x"])
def test_a_missing_or_tampered_timestamp_stores_the_reply_without_handle_time(agent, ticket, login, opened):  # type: ignore[no-untyped-def]
    response = _reply(login(agent), ticket, opened)
    assert response.status_code == 302
    assert _last_agent_message(ticket).handle_seconds is None


def test_an_edited_time_under_a_valid_signature_is_refused(agent, ticket, login):  # type: ignore[no-untyped-def]
    token = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(minutes=5))
    value, signature = token.split(":", 1)
    forged = f"{int(value) - 3600}:{signature}"
    _reply(login(agent), ticket, forged)
    assert _last_agent_message(ticket).handle_seconds is None


def test_a_token_signed_with_another_key_is_refused(agent, ticket, login):  # type: ignore[no-untyped-def]
    opened = str(int(_ago(minutes=5).timestamp()))
    forged = signing.Signer(key="not-the-secret-key", salt=f"frontline.desk.handle-timer:{agent.pk}:{ticket.pk}").sign(opened)
    _reply(login(agent), ticket, forged)
    assert _last_agent_message(ticket).handle_seconds is None


def test_a_token_from_another_ticket_or_agent_does_not_count(agent, ticket, login):  # type: ignore[no-untyped-def]
    other_ticket = f.ticket(team=agent.teams.first())
    colleague = f.agent(teams=[agent.teams.first()])
    _reply(login(agent), ticket, handle_timer_token(user_id=agent.pk, ticket_id=other_ticket.pk, at=_ago(minutes=5)))
    from_other_ticket = _last_agent_message(ticket).handle_seconds
    _reply(login(agent), ticket, handle_timer_token(user_id=colleague.pk, ticket_id=ticket.pk, at=_ago(minutes=5)))
    assert (from_other_ticket, _last_agent_message(ticket).handle_seconds) == (None, None)


def test_opening_the_workspace_issues_a_token_for_this_agent_and_ticket(agent, ticket, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    (token,) = _tokens(client.get(reverse("desk:ticket_detail", args=[ticket.pk])))
    opened = signing.Signer(salt=f"frontline.desk.handle-timer:{agent.pk}:{ticket.pk}").unsign(token)
    assert abs(int(opened) - timezone.now().timestamp()) < 30
    _reply(client, ticket, token)
    assert 0 <= _last_agent_message(ticket).handle_seconds < 30


def test_a_draft_re_rendered_after_422_keeps_its_original_opened_time(agent, ticket, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(minutes=5))
    response = client.post(reverse("desk:ticket_reply", args=[ticket.pk]), {"body": "", "public": "1", "opened": opened},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert _tokens(response) == {opened}  # the reply form, and the properties and merge forms
    _reply(client, ticket, opened)
    assert 300 <= _last_agent_message(ticket).handle_seconds <= 330


def test_a_draft_re_rendered_after_409_keeps_its_original_opened_time(agent, ticket, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(minutes=5))
    closed = f.status(StatusCategory.CLOSED)  # new → closed is not allowed
    response = _reply(client, ticket, opened, then_status=str(closed.pk))
    assert response.status_code == 409
    assert _tokens(response) == {opened}
    assert not Message.objects.filter(ticket=ticket, author_kind=AuthorKind.AGENT).exists()


def test_saving_properties_keeps_the_reply_clock_and_sending_restarts_it(agent, ticket, login):  # type: ignore[no-untyped-def]
    client = login(agent)
    opened = handle_timer_token(user_id=agent.pk, ticket_id=ticket.pk, at=_ago(minutes=5))
    saved = client.post(reverse("desk:ticket_update", args=[ticket.pk]), {
        "status": ticket.status_id, "priority": "high", "ticket_type": "question", "opened": opened,
    }, HTTP_HX_REQUEST="true")
    sent = client.post(reverse("desk:ticket_reply", args=[ticket.pk]), {"body": "Done.", "public": "1", "opened": opened},
                       HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and _tokens(saved) == {opened}
    assert sent.status_code == 200 and opened not in _tokens(sent) and len(_tokens(sent)) == 1


def test_a_forged_token_posted_with_the_properties_is_replaced_by_a_fresh_one(agent, ticket, login):  # type: ignore[no-untyped-def]
    saved = login(agent).post(reverse("desk:ticket_update", args=[ticket.pk]), {
        "status": ticket.status_id, "priority": "high", "ticket_type": "question", "opened": "1:forged",
    }, HTTP_HX_REQUEST="true")
    (token,) = _tokens(saved)
    assert token != "1:forged"
    assert abs(int(token.split(":")[0]) - timezone.now().timestamp()) < 30


def test_an_agent_filing_a_ticket_records_handle_time_on_its_first_message(agent, login):  # type: ignore[no-untyped-def]
    opened = handle_timer_token(user_id=agent.pk, ticket_id=None, at=_ago(minutes=7))
    response = login(agent).post(reverse("desk:ticket_new"), {
        "requester_email": "caller@example.com", "requester_name": "Caller", "subject": "Phone: refund",
        "body": "Customer called about a refund.", "channel": "phone", "priority": "normal", "ticket_type": "question",
        "opened": opened,
    })
    assert response.status_code == 302
    message = Message.objects.get(ticket__subject="Phone: refund")
    assert message.author_kind == AuthorKind.AGENT and 420 <= message.handle_seconds <= 450


def test_the_new_ticket_form_keeps_its_token_when_it_comes_back_with_errors(agent, login):  # type: ignore[no-untyped-def]
    opened = handle_timer_token(user_id=agent.pk, ticket_id=None, at=_ago(minutes=7))
    response = login(agent).post(reverse("desk:ticket_new"), {"subject": "", "opened": opened})
    assert response.status_code == 422 and _tokens(response) == {opened}
    assert ">Opened<" not in response.content.decode()  # hidden, not a labelled field


def test_a_customer_reply_on_the_portal_has_no_handle_time(login):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    response = login(customer.user).post(reverse("portal:request_reply", args=[ticket.pk]),
                                         {"body": "Any news?", "opened": "1:x", "handle_seconds": "600"})
    assert response.status_code in (200, 302)
    assert list(Message.objects.filter(ticket=ticket).values_list("author_kind", "handle_seconds")) == [
        ("customer", None), ("customer", None),
    ]


# --- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [-1, 86_401, 10**12, True, 12.5, "600"])
def test_the_reply_service_refuses_handle_time_out_of_range(agent, ticket, bad):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.ticket_reply(ticket=ticket, author=agent, body="Hi", handle_seconds=bad)
    assert list(error.value.message_dict) == ["handle_seconds"]
    assert not Message.objects.filter(ticket=ticket, author_kind=AuthorKind.AGENT).exists()


@pytest.mark.parametrize("good", [0, 1, 86_400])
def test_the_reply_service_stores_handle_time_at_the_bounds(agent, ticket, good):  # type: ignore[no-untyped-def]
    assert services.ticket_reply(ticket=ticket, author=agent, body="Hi", handle_seconds=good).handle_seconds == good


def test_handle_time_is_stored_only_on_agent_messages(agent) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    by_customer = services.ticket_create(requester=customer, subject="Help", body="x", actor=customer.user,
                                         handle_seconds=300)
    reply = services.ticket_reply(ticket=by_customer, author=customer.user, body="More", handle_seconds=300)
    by_agent = services.ticket_create(requester=customer, subject="Call", body="y", actor=agent, handle_seconds=300,
                                      channel="phone")
    assert (by_customer.messages.first().handle_seconds, reply.handle_seconds) == (None, None)
    assert by_agent.messages.get().handle_seconds == 300


def test_the_create_service_refuses_handle_time_out_of_range(agent) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.ticket_create(requester=f.customer(), subject="Call", body="y", actor=agent, handle_seconds=-5)
    assert list(error.value.message_dict) == ["handle_seconds"]
    assert not Ticket.objects.filter(subject="Call").exists()


def test_capture_clamps_between_zero_and_the_cap() -> None:
    t = datetime(2026, 11, 23, 9, tzinfo=UTC)
    assert services.handle_seconds_since(t, now=t + timedelta(minutes=4, seconds=10)) == 250
    assert services.handle_seconds_since(t, now=t + timedelta(hours=2)) == 7200
    assert services.handle_seconds_since(t, now=t + timedelta(hours=2, seconds=1)) == 7200
    assert services.handle_seconds_since(t, now=t - timedelta(seconds=5)) == 0


def test_a_tickets_handle_time_sums_its_measured_agent_messages(agent, ticket) -> None:  # type: ignore[no-untyped-def]
    services.ticket_reply(ticket=ticket, author=agent, body="a", handle_seconds=250)
    services.ticket_reply(ticket=ticket, author=agent, body="b", public=False, handle_seconds=500)
    services.ticket_reply(ticket=ticket, author=agent, body="c")  # not measured
    # By hand: 250 + 500 = 750 s over 2 of 3 agent messages; the customer's opening message is not counted.
    assert services.handle_seconds_total(ticket.messages.all()) == (750, 2, 3)


# --- showing it -------------------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (0, "0 s"), (45, "45 s"), (60, "1 min"), (250, "4 min 10 s"), (750, "12 min 30 s"),
    (3600, "1 h"), (3900, "1 h 5 min"), (7200, "2 h"),
])
def test_handle_time_reads_as_minutes_and_seconds(seconds, text) -> None:  # type: ignore[no-untyped-def]
    assert handle_time(seconds) == text


def test_the_workspace_shows_each_messages_handle_time_and_the_tickets_total(agent, ticket, login):  # type: ignore[no-untyped-def]
    services.ticket_reply(ticket=ticket, author=agent, body="a", handle_seconds=250)
    services.ticket_reply(ticket=ticket, author=agent, body="b", public=False, handle_seconds=500)
    services.ticket_reply(ticket=ticket, author=agent, body="c")
    page = login(agent).get(reverse("desk:ticket_detail", args=[ticket.pk])).content.decode()
    sidebar = page[page.index('id="handle-time"'):]
    sidebar = sidebar[:sidebar.index("</dl>")]
    assert "handled in 4 min 10 s" in page and "handled in 8 min 20 s" in page
    assert page.count("handled in") == 2  # not on the unmeasured reply, nor on the customer's message
    assert "12 min 30 s" in sidebar and "2 of 3 agent messages measured" in sidebar


def test_a_ticket_without_agent_messages_says_so(agent, ticket, login):  # type: ignore[no-untyped-def]
    page = login(agent).get(reverse("desk:ticket_detail", args=[ticket.pk])).content.decode()
    assert "None yet" in page and "handled in" not in page


# --- the demo ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_messages(django_db_setup: None, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        demo_generate(seed=5, days=10, scale=0.15, anchor=datetime(2026, 11, 23, 9, tzinfo=UTC))
        rows = list(Message.objects.values_list(
            "ticket_id", "author_kind", "is_public", "handle_seconds", "body_text", "ticket__channel", "created_at", "pk"))
        reset_after_build()
    return rows


@pytest.mark.slow  # a demo build: the file is started first (tests/conftest.py)
def test_the_demo_has_handle_times_on_agent_messages_and_none_on_customer_messages(demo_messages) -> None:  # type: ignore[no-untyped-def]
    agent = [r for r in demo_messages if r[1] == AuthorKind.AGENT and not r[4].startswith("Merged ticket #")]
    merge_notes = [r for r in demo_messages if r[1] == AuthorKind.AGENT and r[4].startswith("Merged ticket #")]
    customer = [r for r in demo_messages if r[1] == AuthorKind.CUSTOMER]
    assert len(agent) > 300 and len(customer) > 300
    assert all(r[3] is not None and 10 <= r[3] <= 7200 for r in agent)
    assert all(r[3] is None for r in customer)
    assert all(r[3] is None for r in merge_notes)  # a merge is a click: not measured


def test_demo_handle_times_are_realistic(demo_messages) -> None:  # type: ignore[no-untyped-def]
    by_ticket: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in sorted(demo_messages, key=lambda r: (r[6], r[7])):
        by_ticket[row[0]].append(row)
    first, follow_up, notes, chat_first, email_first = [], [], [], [], []
    for rows in by_ticket.values():
        public = [r for r in rows if r[1] == AuthorKind.AGENT and r[2] and r[5] != "phone"]
        notes += [r[3] for r in rows if r[1] == AuthorKind.AGENT and not r[2] and r[3] is not None]
        if public:
            first.append(public[0][3])
            follow_up += [r[3] for r in public[1:]]
            (chat_first if public[0][5] == "chat" else email_first if public[0][5] == "email" else []).append(public[0][3])
    assert statistics.median(notes) < statistics.median(follow_up) < statistics.median(first)
    assert statistics.median(chat_first) < statistics.median(email_first)
    assert 180 <= statistics.median(first) <= 900  # minutes, not seconds or hours
    # AHT (total handle seconds / tickets) lands in the range of a real email-and-chat desk.
    aht = sum(r[3] or 0 for r in demo_messages) / len(by_ticket)
    assert 300 <= aht <= 1800


def test_the_handle_time_model_follows_its_medians() -> None:
    rng = random.Random(11)

    def median(**kw: Any) -> float:
        return statistics.median(timing.handle_seconds(rng, **kw) for _ in range(4000))

    base = {"channel": "email", "ticket_type": "task", "priority": "normal", "pace": 1.0}
    assert median(kind="first_reply", **base) == pytest.approx(480, rel=0.06)
    assert median(kind="follow_up", **base) == pytest.approx(480 * 0.6, rel=0.06)
    assert median(kind="note", **base) == pytest.approx(75, rel=0.06)
    assert median(kind="first_reply", **{**base, "ticket_type": "problem", "priority": "urgent", "pace": 1.5}) == \
        pytest.approx(480 * 1.35 * 1.2 * 1.5, rel=0.06)
    assert timing.agent_pace(speed=55, skill=1.0) == 1.0
    assert timing.agent_pace(speed=110, skill=1.0) > 1.0 > timing.agent_pace(speed=55, skill=1.2)
