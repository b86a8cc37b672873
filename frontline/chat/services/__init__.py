"""Writes of live chat: start, messages, typing, offer and accept, transfer, end, leave a message, transcript.

Every chat is a desk ticket (channel ``chat``): its messages are written through
``desk.services.ticket_reply`` (so SLA clocks, first response and metrics see them like any
other), and the chat's own steps are desk events (``chat_started`` … ``chat_ended``) with the
wait and handle time in their payload and a ``summary`` sentence for the ticket history.

Times (definitions, the same in docs/chat.md):

- **chat wait time**: from the start (or a transfer back to a queue) to an agent's acceptance;
  for a chat nobody accepted, to its end;
- **chat handle time**: the sum of the agents' segments, each from acceptance (or a transfer to
  them) to the end (or their transfer away). It feeds the desk's handle time: each agent message
  carries the seconds since the agent's previous mark (acceptance, or their previous message),
  and when the segment closes a wrap-up note by that agent carries the rest, so the ticket's
  handle time (the sum over agent messages) equals the chat handle time.

At the end of a chat an agent joined, the CSAT survey of the surveys app's rule for the chat
channel (and the chat's queue) is shown in the widget (``surveys.services.survey_link_for``).

Routing (a later app) calls ``offer_chat`` then the agent ``accept_chat``; the queue page calls
``accept_chat`` directly.

The package: ``conversation`` (start, leave a message, messages, typing, seen), ``agents`` (offer,
accept, transfer, end; the segments behind the handle time), ``transcript`` (by email),
``lifecycle`` (idle chats, the desk listener), ``_common`` (what they share). Callers import from
``frontline.chat.services``.
"""

from __future__ import annotations

from ._common import NAME_MAX, NoAgentAvailable, StartedChat, message_text_clean
from .agents import accept_chat, chat_end, chat_transfer, offer_blocks, offer_chat
from .conversation import (
    chat_agent_says,
    chat_customer_says,
    chat_customer_seen,
    chat_leave_message,
    chat_start,
    chat_typing,
)
from .lifecycle import chats_end_idle, live_chat_guard
from .transcript import chat_transcript_request, chat_transcript_send, chat_transcript_text

__all__ = [
    "NAME_MAX", "NoAgentAvailable", "StartedChat", "accept_chat", "chat_agent_says", "chat_customer_says",
    "chat_customer_seen", "chat_end", "chat_leave_message", "chat_start", "chat_transcript_request",
    "chat_transcript_send", "chat_transcript_text", "chat_transfer", "chat_typing", "chats_end_idle",
    "live_chat_guard", "message_text_clean", "offer_blocks", "offer_chat",
]
