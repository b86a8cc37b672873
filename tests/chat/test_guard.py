"""A live chat keeps its ticket open: no merge, no close until the chat ends (the chat writes to it
until then); routing takes a waiting chat's lock before its ticket's, as the chat's own writes do."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from frontline.chat import services
from frontline.chat.models import Chat, ChatState, ChatWidget, EndedBy
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.models import StatusCategory, Ticket
from frontline.desk.services import ticket_merge, ticket_status_change
from frontline.routing.models import Mode, QueueRouting
from frontline.routing.services import route_ticket
from tests import factories as f

from .conftest import online


def _start(widget):  # type: ignore[no-untyped-def]
    return services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Where is order 1442?").chat


@pytest.mark.django_db
def test_a_live_chats_ticket_is_not_merged_until_the_chat_ends(widget, ana, login):  # type: ignore[no-untyped-def]
    chat = _start(widget)
    services.accept_chat(chat=chat, agent=ana)
    older = f.ticket(requester=chat.customer, team=widget.queue.team)
    client = login(ana)
    page = client.post(f"/tickets/{chat.ticket_id}/merge/", {"into": older.pk})
    with pytest.raises(Conflict, match="is a live chat: end the chat first"):
        ticket_merge(source=Ticket.objects.get(pk=chat.ticket_id), target=older, actor=ana)
    untouched = Ticket.objects.get(pk=chat.ticket_id)
    services.chat_end(chat=chat, by=EndedBy.AGENT, actor=ana)
    merged = ticket_merge(source=Ticket.objects.get(pk=chat.ticket_id), target=older, actor=ana)
    assert (page.status_code, "end the chat first" in page.content.decode(), untouched.merged_into_id,
            untouched.status_category) == (409, True, None, StatusCategory.NEW)
    assert Ticket.objects.get(pk=chat.ticket_id).merged_into_id == merged.pk == older.pk


@pytest.mark.django_db
def test_a_live_chats_ticket_is_not_closed_even_when_solved(widget, ana):  # type: ignore[no-untyped-def]
    chat = _start(widget)
    services.accept_chat(chat=chat, agent=ana)
    ticket_status_change(ticket=chat.ticket, status=f.status("solved"), actor=ana)  # solving while chatting is fine
    with pytest.raises(TransitionNotAllowed, match="is a live chat"):
        ticket_status_change(ticket=Ticket.objects.get(pk=chat.ticket_id), status=f.status("closed"), actor=ana)
    services.chat_end(chat=chat, by=EndedBy.CUSTOMER)
    closed = ticket_status_change(ticket=Ticket.objects.get(pk=chat.ticket_id), status=f.status("closed"), actor=ana)
    assert closed.status_category == StatusCategory.CLOSED


@pytest.mark.django_db
def test_a_chat_whose_ticket_was_closed_anyway_still_ends_when_idle(widget, ana, settings):  # type: ignore[no-untyped-def]
    """A ticket closed before the guard (or behind the services' back): the chat ends without its wrap-up note,
    and the chats after it in the idle list end too."""
    stuck, other = _start(widget), services.chat_start(widget=widget, name="Lee", email="lee@example.com", text="Hi").chat
    for chat in (stuck, other):
        services.accept_chat(chat=chat, agent=ana)
    Ticket.objects.filter(pk=stuck.ticket_id).update(status_category=StatusCategory.CLOSED, status=f.status("closed"))
    later = timezone.now() + timedelta(seconds=settings.CHAT_IDLE_END_S + 60)
    ended = services.chats_end_idle(now=later)
    assert (ended, sorted(Chat.objects.values_list("state", flat=True))) == (2, [ChatState.ENDED, ChatState.ENDED])


@pytest.mark.django_db(transaction=True)
def test_routing_a_waiting_chat_while_its_customer_writes_does_not_deadlock(team):  # type: ignore[no-untyped-def]
    """The customer's line locks chat then ticket; routing used to lock ticket then chat (PostgreSQL
    aborted one of the two as a deadlock: a 500 for the customer, or a lost routing run)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time (and its shared in-memory test database refuses a second one)")
    queue = f.queue(name="Orders chat", team=team)
    QueueRouting.objects.create(queue=queue, mode=Mode.LEAST_LOADED)
    widget = ChatWidget.objects.create(name="Shop", key="shop", queue=queue)
    online(f.agent(teams=[team], first_name="Ana"))
    chat = services.chat_start(widget=widget, name="Kim", email="kim@example.com", text="Hello?", require_agent=False).chat
    Chat.objects.filter(pk=chat.pk).update(offered_to=None, offered_at=None)
    chat_locked, errors = threading.Event(), []

    def customer_writes() -> None:  # the order of chat_customer_says, held open while routing starts
        try:
            with transaction.atomic():
                list(Chat.objects.select_for_update().filter(pk=chat.pk))
                chat_locked.set()
                time.sleep(0.5)
                list(Ticket.objects.select_for_update().filter(pk=chat.ticket_id))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def routing() -> None:
        try:
            chat_locked.wait(5)
            route_ticket(ticket_id=chat.ticket_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=customer_writes), threading.Thread(target=routing)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    chat.refresh_from_db()
    assert (errors, chat.offered_to is not None) == ([], True)
