"""Reads of chats: the widget's token check, the live log, the agents' queue, capacity, availability.

Agents see the chats whose tickets they may see (the desk's visibility rule: their teams' tickets,
tickets with no team, tickets assigned to them; managers and admins everything). A chat they may
not see is reported missing (404). The widget sees one chat: the one whose secret token it holds.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from frontline.core.prepared import Prepared
from frontline.desk.selectors import ticket_visibility_q
from frontline.people.models import STAFF_ROLES, Availability, User

from .models import LIVE_STATES, Chat, ChatCapacity, ChatEntry, ChatState, ChatWidget


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def widget_get(*, key: str) -> ChatWidget:
    """The enabled widget with this public key, else Http404."""
    widget = ChatWidget.objects.filter(key=key, enabled=True).select_related("queue").first()
    if widget is None:
        raise Http404("No such chat widget.")
    return widget


def chat_get_for_token(*, widget: ChatWidget, chat_id: int, token: str, now: datetime | None = None) -> Chat:
    """The chat the widget's secret ``token`` opens; PermissionDenied (403) for a wrong, missing or expired one.

    A token works while the chat is live and for ``CHAT_TOKEN_TTL_S`` after it ended (so the
    customer can read the transcript and ask for it by email); after that it is expired.
    """
    chat = Chat.objects.filter(pk=chat_id, widget=widget).select_related("agent", "customer").first()
    if chat is None:
        raise PermissionDenied("This chat session is not valid.")
    return chat_token_checked(chat, token, now or timezone.now())


def chat_of_widget(*, key: str, chat_id: int) -> Chat | None:
    """The chat ``chat_id`` if it belongs to the enabled widget ``key``, with its widget (``chat.widget``: the
    fields the endpoints check) and the names of its customer and agent, in one query compiled once (the
    widget's live endpoints, each poll of each customer; the token is checked with ``chat_token_checked``)."""
    rows = _WIDGET_CHAT(chat_id)
    if not rows:
        return None
    chat = rows[0]
    if chat.widget_key != key or not chat.widget_enabled:  # type: ignore[attr-defined]
        return None
    chat.widget = ChatWidget(pk=chat.widget_id, key=chat.widget_key, enabled=True,  # type: ignore[attr-defined]
                             allowed_origins=chat.widget_origins, name=chat.widget_name)  # type: ignore[attr-defined]
    return chat


def chat_token_checked(chat: Chat, token: str, now: datetime) -> Chat:
    """``chat`` when ``token`` opens it and has not expired; else PermissionDenied."""
    if not token or not hmac.compare_digest(chat.token_digest, token_digest(token)):
        raise PermissionDenied("This chat session is not valid.")
    if chat.ended_at is not None and now - chat.ended_at > timedelta(seconds=settings.CHAT_TOKEN_TTL_S):
        raise PermissionDenied("This chat session has expired.")
    return chat


def chat_queryset_for_viewer(*, viewer: User) -> QuerySet[Chat]:
    if viewer.role not in STAFF_ROLES or not viewer.is_active:
        return Chat.objects.none()
    q = ticket_visibility_q(viewer=viewer)
    chats = Chat.objects.all()
    if q is None:
        return chats
    # ticket_visibility_q speaks of the ticket's columns: the same rule through the relation.
    return chats.filter(ticket__in=_tickets(q))


def _tickets(q: Q) -> QuerySet:  # type: ignore[type-arg]
    from frontline.desk.models import Ticket

    return Ticket.objects.filter(q).values("pk")


PAGE_RELATED = ("ticket", "customer", "agent", "queue", "widget", "offered_to")
LIVE_RELATED = ("customer", "agent")  # what the agent poll and the say/typing posts read of a chat


def chat_get_for_viewer(*, chat_id: int, viewer: User, related: tuple[str, ...] = PAGE_RELATED) -> Chat:
    """The chat, if the viewer (staff) may see its ticket; otherwise Http404.

    ``related``: the relations read with it (all a page shows by default; the live paths pass
    ``LIVE_RELATED``: a join of six tables costs the poll more CPU than its own reads).
    """
    try:
        return chat_queryset_for_viewer(viewer=viewer).select_related(*related).get(pk=chat_id)
    except (Chat.DoesNotExist, ValueError, TypeError):
        raise Http404("No such chat.") from None


def chat_waiting_for_viewer(*, viewer: User) -> QuerySet[Chat]:
    """Chats waiting for an agent that the viewer may take, longest wait first."""
    return (chat_queryset_for_viewer(viewer=viewer).filter(state=ChatState.WAITING)
            .select_related("customer", "queue", "offered_to", "ticket").order_by("waiting_since", "id"))


def chat_active_for_viewer(*, viewer: User) -> QuerySet[Chat]:
    """Chats in progress the viewer may see (a lead's or manager's overview), oldest first."""
    return (chat_queryset_for_viewer(viewer=viewer).filter(state=ChatState.ACTIVE)
            .select_related("customer", "agent", "queue").order_by("segment_started_at", "id"))


def chats_held_by(*, agent: User) -> QuerySet[Chat]:
    """The agent's chats in progress, oldest first."""
    return Chat.objects.filter(agent=agent, state=ChatState.ACTIVE).select_related("customer").order_by("segment_started_at", "id")


_NAMES = {"customer_name": F("customer__name"), "customer_email": F("customer__email"),
          "agent_first_name": F("agent__first_name"), "agent_last_name": F("agent__last_name"),
          "agent_username": F("agent__username")}
_AGENT_TAB = Prepared(lambda agent_id, chat_id: (
    Chat.objects.filter(Q(agent_id=agent_id, state=ChatState.ACTIVE) | Q(pk=chat_id))
    .annotate(ticket_team_id=F("ticket__team_id"), ticket_assignee_id=F("ticket__assignee_id"), **_NAMES)
    .order_by("segment_started_at", "id")), 2)
_LIVE_CHAT = Prepared(lambda chat_id: Chat.objects.filter(pk=chat_id).annotate(**_NAMES), 1)
_WIDGET_CHAT = Prepared(lambda chat_id: Chat.objects.filter(pk=chat_id).annotate(
    widget_key=F("widget__key"), widget_enabled=F("widget__enabled"), widget_origins=F("widget__allowed_origins"),
    widget_name=F("widget__name"), **_NAMES), 1)


def chats_for_agent_tab(*, agent: User, chat_id: int | None) -> list[Chat]:
    """The agent's chats in progress (oldest first) and the chat ``chat_id`` of their tab, in one query.

    Each carries its ticket's team and assignee (``ticket_team_id``, ``ticket_assignee_id``) for
    ``chat_plainly_visible``, and the names of its customer and agent (``customer_label``,
    ``agent_label``); the open chat is not checked against the viewer here. Compiled once (a poll's
    hottest read).
    """
    return _AGENT_TAB(agent.pk, chat_id or 0)


def chat_of_ticket(*, ticket_id: int) -> Chat | None:
    """The ticket's chat with its agent and widget, for the ticket page (the caller has checked the
    viewer may see the ticket, and so its chat); None when the ticket came by no live chat."""
    return Chat.objects.select_related("agent", "widget").filter(ticket_id=ticket_id).first()


def live_chat(*, chat_id: int) -> Chat:
    """The chat with its customer's and agent's names (for ``customer_label`` and ``agent_label``): a poll's re-read.

    Compiled once; Chat.DoesNotExist when there is none.
    """
    rows = _LIVE_CHAT(chat_id)
    if not rows:
        raise Chat.DoesNotExist(chat_id)
    return rows[0]


def customer_label(chat: Chat) -> str:
    """How agents and the transcript name the chat's customer (from ``_NAMES`` when read with them)."""
    if hasattr(chat, "customer_email"):
        return chat.customer_name or chat.customer_email  # type: ignore[attr-defined]
    return chat.customer.name or chat.customer.email


def agent_label(chat: Chat, *, for_customer: bool) -> str | None:
    """The chat's agent as the customer (first name) or staff (full name) see them; None without one."""
    if chat.agent_id is None:
        return None
    if hasattr(chat, "agent_username"):
        first, last, username = chat.agent_first_name, chat.agent_last_name, chat.agent_username  # type: ignore[attr-defined]
    else:
        first, last, username = chat.agent.first_name, chat.agent.last_name, chat.agent.username
    if for_customer:
        return first or username
    return f"{first} {last}".strip() or username


def chat_plainly_visible(chat: Chat, viewer: User) -> bool:
    """True when the chat's own ticket (as ``chats_for_agent_tab`` reads it) shows that the desk's rule lets
    active staff ``viewer`` see it: a ticket with no team, or one assigned to them. False means "not
    known without the viewer's teams": ask ``chat_get_for_viewer``."""
    if viewer.role not in STAFF_ROLES or not viewer.is_active:
        return False
    return chat.ticket_team_id is None or chat.ticket_assignee_id == viewer.pk  # type: ignore[attr-defined]


def chat_capacity(*, agent: User) -> int:
    """Chats the agent may hold at once: their own setting, else the highest of their teams', else the default."""
    own = ChatCapacity.objects.filter(agent=agent).values_list("max_chats", flat=True).first()
    if own is not None:
        return own
    teams = list(ChatCapacity.objects.filter(team__members=agent).values_list("max_chats", flat=True))
    return max(teams) if teams else settings.CHAT_MAX_PER_AGENT


def chat_load(*, agent: User) -> int:
    return Chat.objects.filter(agent=agent, state=ChatState.ACTIVE).count()


def agents_online_for(*, widget: ChatWidget) -> QuerySet[User]:
    """Active staff who are Online now and answer this widget's chats (its queue's team; any team without one)."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True, agent_profile__availability=Availability.ONLINE)
    team_id = widget.queue.team_id if widget.queue_id and widget.queue else None
    if team_id is not None:
        staff = staff.filter(teams__id=team_id)
    return staff.distinct()


def agents_available_for(*, widget: ChatWidget) -> bool:
    """Whether a chat started now would reach someone: an agent who is online and takes chats."""
    return any(chat_capacity(agent=agent) > 0 for agent in agents_online_for(widget=widget)[:200])


def transfer_targets(*, chat: Chat, viewer: User) -> list[tuple[User, int, int]]:
    """Agents the chat may go to: online, not the current agent, with (load, capacity); free ones first."""
    staff = (User.objects.filter(role__in=STAFF_ROLES, is_active=True, agent_profile__availability=Availability.ONLINE)
             .exclude(pk=chat.agent_id).annotate(load=Count("chats", filter=Q(chats__state=ChatState.ACTIVE)))
             .order_by("first_name", "last_name"))
    rows = [(agent, agent.load, chat_capacity(agent=agent)) for agent in staff[:200]]  # type: ignore[attr-defined]
    return sorted(rows, key=lambda r: (r[1] >= r[2], r[0].display_name))


@dataclass(frozen=True)
class EntryView:
    seq: int
    kind: str
    author: str
    name: str
    html: str
    text: str
    at: datetime

    def as_json(self) -> dict[str, object]:
        return {"seq": self.seq, "kind": self.kind, "author": self.author, "name": self.name, "html": self.html,
                "text": self.text, "at": self.at.isoformat()}


def chat_entries_after(*, chat: Chat, after: int, for_customer: bool, limit: int = 500,
                       upto: int | None = None) -> list[EntryView]:
    """The chat's log after entry ``after`` (and up to ``upto``), oldest first. Customers see agents by first name.

    The polls pass ``upto=chat.seq`` as they read it (through ``chat_news``): entries written between
    the two reads come with the next answer, so a client asking "after seq" never gets an entry twice.
    """
    if upto is not None and upto <= after:
        return []  # nothing to read: the polls' usual case while nothing happens
    last = after + limit if upto is None else min(upto, after + limit)  # entry numbers run 1, 2, 3, ... per chat
    rows = _ENTRIES(chat.pk, after, last)
    customer = customer_label(chat)
    views = []
    for entry in rows:
        if entry.author == "agent" and entry.agent_id is not None:
            first, last, username = entry.agent_first_name, entry.agent_last_name, entry.agent_username  # type: ignore[attr-defined]
            name = (first or username) if for_customer else (f"{first} {last}".strip() or username)
        elif entry.author == "customer":
            name = customer
        else:
            name = ""
        has_message = entry.message_id is not None
        views.append(EntryView(seq=entry.seq, kind=entry.kind, author=entry.author, name=name,
                               html=entry.message_html if has_message else "",  # type: ignore[attr-defined]
                               text=entry.message_text if has_message else entry.text,  # type: ignore[attr-defined]
                               at=entry.created_at))
    return views


def chat_news(*, chat: Chat, after: int, for_customer: bool) -> tuple[list[EntryView], int]:
    """What a poll answers: the entries after ``after`` up to ``chat.seq`` as read, and the answer's ``seq``.

    The answer's ``seq`` (the client's next ``after``) is the last entry of the unbroken run read from
    ``after + 1``, never past an entry the answer does not carry. Numbers are handed out one by one
    under the chat's row lock, so a gap is an entry not yet visible to this read (or beyond the read's
    limit): it comes with the next answer instead of being skipped for good. PostgreSQL commits the
    number and its entry together, so there a gap only comes from the limit; a database connection
    shared between threads (the test suite's in-memory SQLite) can show the chat's new number before
    its entry.
    """
    entries = chat_entries_after(chat=chat, after=after, for_customer=for_customer, upto=chat.seq)
    seq = after
    for count, entry in enumerate(entries):
        if entry.seq != seq + 1:
            return entries[:count], seq
        seq = entry.seq
    return entries, seq


_ENTRIES = Prepared(lambda chat_id, after, upto: (
    ChatEntry.objects.filter(chat_id=chat_id, seq__gt=after, seq__lte=upto)
    .annotate(message_html=F("message__body_html"), message_text=F("message__body_text"),
              agent_first_name=F("agent__first_name"), agent_last_name=F("agent__last_name"),
              agent_username=F("agent__username"))
    .order_by("seq")), 3)


def typing_now(at: datetime | None, *, now: datetime) -> bool:
    return at is not None and (now - at).total_seconds() < settings.CHAT_TYPING_S


def chat_live_rows(*, now: datetime) -> list[tuple[int, int, int, str, int | None, int | None, int]]:
    """(id, seq, pulse, state, agent, offered to, customer's last message) of every live chat and of those ended
    in the last two minutes (the row the PostgreSQL trigger of migration chat 0003 announces).

    What the live watcher compares tick to tick to wake the clients waiting on a chat.
    """
    return list(Chat.objects.filter(Q(state__in=LIVE_STATES) | Q(ended_at__gte=now - timedelta(seconds=120)))
                .values_list("id", "seq", "pulse", "state", "agent_id", "offered_to_id", "customer_seq"))


def chats_idle(*, now: datetime) -> list[int]:
    """Live chats whose widget stopped asking for news (the customer closed the page) for CHAT_IDLE_END_S."""
    limit = now - timedelta(seconds=settings.CHAT_IDLE_END_S)
    return list(Chat.objects.filter(state__in=LIVE_STATES)
                .filter(Q(customer_seen_at__lt=limit) | Q(customer_seen_at__isnull=True, started_at__lt=limit))
                .values_list("id", flat=True)[:500])
