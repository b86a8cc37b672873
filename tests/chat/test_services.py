"""Chat services: start, accept within limits, offers, messages with handle time, transfer, end, leave a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from frontline.chat import selectors, services
from frontline.chat.models import Chat, ChatCapacity, ChatEntry, ChatState, EndedBy
from frontline.desk.errors import Conflict
from frontline.desk.models import Channel, EventKind, StatusCategory, TicketEvent
from frontline.desk.services import handle_seconds_total
from tests import factories as f

from .conftest import online

pytestmark = pytest.mark.django_db
T0 = timezone.now().replace(microsecond=0) - timedelta(hours=1)


def start(widget, text="Where is order 1442?", at=T0, email="kim@example.com"):  # type: ignore[no-untyped-def]
    return services.chat_start(widget=widget, name="Kim Lee", email=email, text=text, origin="https://shop.example", at=at)


def test_a_chat_is_a_ticket_on_the_chat_channel_in_the_widgets_queue(widget, ana):  # type: ignore[no-untyped-def]
    started = start(widget)
    chat = started.chat
    ticket = chat.ticket
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.CHAT_STARTED)
    assert (ticket.channel, ticket.queue_id, ticket.team_id, ticket.requester.email, ticket.messages.count(),
            chat.state, chat.seq, event.payload["summary"]) == (
        Channel.CHAT, widget.queue_id, widget.queue.team_id, "kim@example.com", 1, ChatState.WAITING, 1,
        "Kim Lee started a chat on https://shop.example.")
    assert selectors.token_digest(started.token) == chat.token_digest and started.token not in chat.token_digest


def test_nobody_online_refuses_the_chat_and_a_left_message_becomes_a_ticket(widget, team):  # type: ignore[no-untyped-def]
    f.agent(teams=[team])  # offline
    with pytest.raises(services.NoAgentAvailable):
        start(widget)
    ticket = services.chat_leave_message(widget=widget, name="Kim", email="kim@example.com", text="Call me back")
    assert (Chat.objects.count(), ticket.channel, ticket.status_category, ticket.queue_id) == (
        0, Channel.CHAT, StatusCategory.NEW, widget.queue_id)


def test_an_agent_of_another_team_online_does_not_count(widget):  # type: ignore[no-untyped-def]
    online(f.agent(teams=[f.team()]))
    assert selectors.agents_available_for(widget=widget) is False


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_empty_or_oversized_messages_are_refused_naming_the_field(widget, ana, text):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        start(widget, text=text)
    assert list(error.value.message_dict) == ["text"]


@override_settings(CHAT_MESSAGE_MAX_CHARS=10)
def test_the_size_limit_is_a_setting_and_the_message_says_it(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget, text="short").chat
    with pytest.raises(ValidationError) as error:
        services.chat_customer_says(chat=chat, text="eleven char")
    assert "the limit is 10" in error.value.message_dict["text"][0]


def test_bad_contact_details_are_refused_and_nothing_is_written(widget, ana):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        services.chat_start(widget=widget, name="", email="not-an-address", text="Hi")
    assert (sorted(error.value.message_dict), Chat.objects.count()) == (["email", "name"], 0)


def test_accepting_records_the_wait_assigns_the_ticket_and_says_so(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    chat = services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=40))
    event = TicketEvent.objects.get(ticket=chat.ticket, kind=EventKind.CHAT_ACCEPTED)
    chat.ticket.refresh_from_db()
    assert (chat.state, chat.agent, chat.wait_seconds, chat.ticket.assignee, event.payload["wait_seconds"],
            event.payload["summary"], list(chat.entries.values_list("kind", "text"))[-1]) == (
        ChatState.ACTIVE, ana, 40, ana, 40, "Ana Silva accepted the chat after 40 s waiting.",
        ("joined", "Ana joined the chat."))


def test_a_chat_taken_by_someone_else_cannot_be_accepted_again(widget, ana, team):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0)
    with pytest.raises(Conflict, match="already taken by Ana Silva"):
        services.accept_chat(chat=chat, agent=online(f.agent(teams=[team])), at=T0)


def test_the_concurrency_limit_holds_per_agent_then_per_team_then_default(widget, ana, team):  # type: ignore[no-untyped-def]
    ChatCapacity.objects.create(team=team, max_chats=2)
    chats = [start(widget, email=f"c{i}@example.com").chat for i in range(4)]
    services.accept_chat(chat=chats[0], agent=ana, at=T0)
    services.accept_chat(chat=chats[1], agent=ana, at=T0)
    with pytest.raises(Conflict, match="already holds 2 chats; the limit is 2"):
        services.accept_chat(chat=chats[2], agent=ana, at=T0)
    ChatCapacity.objects.create(agent=ana, max_chats=3)
    services.accept_chat(chat=chats[2], agent=ana, at=T0)
    assert (selectors.chat_load(agent=ana), selectors.chat_capacity(agent=ana),
            selectors.chat_capacity(agent=f.agent())) == (3, 3, 3)


def test_an_offer_reserves_the_chat_for_its_agent_until_it_lapses(widget, ana, team):  # type: ignore[no-untyped-def]
    bo = online(f.agent(teams=[team], first_name="Bo"))
    chat = start(widget).chat
    services.offer_chat(chat=chat, agent=bo, at=T0)
    with pytest.raises(Conflict, match="offered to another agent"):
        services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=10))
    accepted = services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=31))
    assert (accepted.agent, accepted.offered_to) == (ana, None)


def test_only_the_holding_agent_writes_in_a_chat(widget, ana, team):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    with pytest.raises(PermissionDenied):
        services.chat_agent_says(chat=chat, agent=ana, text="Hello")
    services.accept_chat(chat=chat, agent=ana, at=T0)
    with pytest.raises(PermissionDenied):
        services.chat_agent_says(chat=chat, agent=f.agent(teams=[team]), text="Hello")


def test_handle_time_is_accept_to_end_and_the_desk_sums_to_the_same(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=30))
    services.chat_agent_says(chat=chat, agent=ana, text="Hi Kim, let me look.", at=T0 + timedelta(seconds=50))
    services.chat_customer_says(chat=chat, text="Thanks", at=T0 + timedelta(seconds=70))
    services.chat_agent_says(chat=chat, agent=ana, text="It ships today.", at=T0 + timedelta(seconds=150))
    chat = services.chat_end(chat=chat, by=EndedBy.AGENT, actor=ana, solve=True, at=T0 + timedelta(seconds=200))
    ticket = chat.ticket
    ticket.refresh_from_db()
    total, measured, agent_messages = handle_seconds_total(ticket.messages.all())
    ended = TicketEvent.objects.get(ticket=ticket, kind=EventKind.CHAT_ENDED)
    assert (chat.wait_seconds, chat.handle_seconds, total, measured, agent_messages, ticket.status_category,
            ticket.first_response_at, ended.payload["handle_seconds"], ended.payload["wait_seconds"],
            ended.payload["summary"]) == (
        30, 170, 170, 3, 3, StatusCategory.SOLVED, T0 + timedelta(seconds=50), 170, 30,
        "Chat ended by the agent: handled in 2 min 50 s by Ana Silva, after 30 s waiting.")


def test_a_transfer_splits_handle_time_between_the_agents(widget, ana, team):  # type: ignore[no-untyped-def]
    bo = online(f.agent(teams=[team], first_name="Bo", last_name="Berg"))
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=10))
    services.chat_transfer(chat=chat, actor=ana, to_agent=bo, at=T0 + timedelta(seconds=70))
    services.chat_agent_says(chat=chat, agent=bo, text="Bo here.", at=T0 + timedelta(seconds=80))
    chat = services.chat_end(chat=chat, by=EndedBy.CUSTOMER, at=T0 + timedelta(seconds=100))
    by_author: dict[str, int] = {}
    for m in chat.ticket.messages.filter(handle_seconds__isnull=False):
        by_author[m.author_user.first_name] = by_author.get(m.author_user.first_name, 0) + m.handle_seconds
    moved = TicketEvent.objects.get(ticket=chat.ticket, kind=EventKind.CHAT_TRANSFERRED)
    assert (by_author, chat.handle_seconds, moved.payload["handle_seconds"], moved.payload["to_agent_id"],
            chat.ticket.assignee_id) == ({"Ana": 60, "Bo": 30}, 90, 60, bo.pk, bo.pk)


def test_a_transfer_to_a_queue_puts_the_chat_back_to_wait(widget, ana, team):  # type: ignore[no-untyped-def]
    other = f.queue(name="Billing chat", team=team)
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0 + timedelta(seconds=10))
    chat = services.chat_transfer(chat=chat, actor=ana, to_queue=other, at=T0 + timedelta(seconds=20))
    bo = online(f.agent(teams=[team]))
    chat = services.accept_chat(chat=chat, agent=bo, at=T0 + timedelta(seconds=50))
    chat.ticket.refresh_from_db()
    assert (chat.state, chat.queue, chat.ticket.queue, chat.wait_seconds, chat.agent) == (
        ChatState.ACTIVE, other, other, 10 + 30, bo)


def test_a_transfer_needs_room_with_the_other_agent(widget, ana, team):  # type: ignore[no-untyped-def]
    bo = online(f.agent(teams=[team]))
    ChatCapacity.objects.create(agent=bo, max_chats=0)
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0)
    with pytest.raises(Conflict, match="the limit is 0"):
        services.chat_transfer(chat=chat, actor=ana, to_agent=bo)
    assert Chat.objects.get(pk=chat.pk).agent == ana


def test_another_agent_cannot_transfer_or_end_someone_elses_chat(widget, ana, team):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0)
    intruder = f.agent(teams=[team])
    with pytest.raises(PermissionDenied):
        services.chat_end(chat=chat, by=EndedBy.AGENT, actor=intruder)
    with pytest.raises(PermissionDenied):
        services.chat_transfer(chat=chat, actor=intruder, to_agent=online(f.agent(teams=[team])))


def test_a_chat_nobody_took_stays_a_new_ticket_when_the_customer_leaves(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    chat = services.chat_end(chat=chat, by=EndedBy.LEFT_MESSAGE, at=T0 + timedelta(minutes=3))
    chat.ticket.refresh_from_db()
    ended = TicketEvent.objects.get(ticket=chat.ticket, kind=EventKind.CHAT_ENDED)
    assert (chat.ticket.status_category, chat.wait_seconds, ended.payload["accepted"], ended.payload["summary"]) == (
        StatusCategory.NEW, 180, False,
        "Chat ended by the customer, who left a message after 3 min waiting; no agent joined.")


def test_entries_are_numbered_without_gaps_and_ending_twice_changes_nothing(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0)
    services.chat_customer_says(chat=chat, text="one", at=T0)
    services.chat_agent_says(chat=chat, agent=ana, text="two", at=T0)
    services.chat_end(chat=chat, by=EndedBy.CUSTOMER, at=T0)
    services.chat_end(chat=chat, by=EndedBy.AGENT, actor=ana, at=T0)
    assert list(ChatEntry.objects.filter(chat=chat).values_list("seq", "kind")) == [
        (1, "message"), (2, "joined"), (3, "message"), (4, "message"), (5, "ended")]
    with pytest.raises(Conflict):
        services.chat_customer_says(chat=chat, text="still there?")


def test_idle_chats_end_by_timeout(widget, ana):  # type: ignore[no-untyped-def]
    quiet = start(widget, at=timezone.now() - timedelta(minutes=10)).chat
    fresh = start(widget, email="other@example.com", at=timezone.now()).chat
    assert (services.chats_end_idle(), Chat.objects.get(pk=quiet.pk).ended_by, Chat.objects.get(pk=fresh.pk).state) == (
        1, EndedBy.TIMEOUT, ChatState.WAITING)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_the_transcript_is_mailed_once_after_the_end(widget, ana, mailoutbox, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    chat = start(widget).chat
    services.accept_chat(chat=chat, agent=ana, at=T0)
    services.chat_agent_says(chat=chat, agent=ana, text="Your parcel ships today.", at=T0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.chat_transcript_request(chat=chat) is True
        assert services.chat_transcript_request(chat=chat) is False
    assert mailoutbox == []  # not before the end
    with django_capture_on_commit_callbacks(execute=True):
        services.chat_end(chat=chat, by=EndedBy.CUSTOMER, at=T0)
    assert ([m.to for m in mailoutbox], "Ana: Your parcel ships today." in mailoutbox[0].body) == ([["kim@example.com"]], True)


def test_a_chat_an_agent_joined_ends_with_the_surveys_rule_shown_in_the_widget(widget, ana):  # type: ignore[no-untyped-def]
    from frontline.surveys.models import Survey, SurveyRule

    SurveyRule.objects.create(channel=Channel.CHAT, survey="csat", delay_minutes=60)
    chat = start(widget, at=timezone.now()).chat
    services.accept_chat(chat=chat, agent=ana)
    chat = services.chat_end(chat=chat, by=EndedBy.AGENT, actor=ana, solve=True)
    missed = services.chat_end(chat=start(widget, email="missed@example.com", at=timezone.now()).chat, by=EndedBy.CUSTOMER)
    assert (chat.survey_url.startswith("http://"), Survey.objects.filter(ticket=chat.ticket).count(), missed.survey_url,
            Survey.objects.filter(ticket=missed.ticket).count()) == (True, 1, "", 0)


def test_no_survey_rule_no_survey(widget, ana):  # type: ignore[no-untyped-def]
    chat = start(widget, at=timezone.now()).chat
    services.accept_chat(chat=chat, agent=ana)
    assert services.chat_end(chat=chat, by=EndedBy.CUSTOMER).survey_url == ""
