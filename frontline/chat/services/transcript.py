"""The transcript by email, asked for in the widget and sent once the chat has ended."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction

from frontline.core import background

from .. import selectors
from ..models import Chat, ChatState, EntryKind
from ._common import _now


@transaction.atomic
def chat_transcript_request(*, chat: Chat, at: datetime | None = None) -> bool:
    """The customer asks for the transcript by email: sent once, when the chat has ended. False if asked before."""
    at = _now(at)
    updated = Chat.objects.filter(pk=chat.pk, transcript_requested_at__isnull=True).update(transcript_requested_at=at)
    if not updated:
        return False
    if Chat.objects.filter(pk=chat.pk, state=ChatState.ENDED).exists():
        background.enqueue_on_commit("chat.send_transcript", chat.pk)
    return True


def chat_transcript_text(*, chat: Chat) -> str:
    """The transcript as the customer reads it in the email: who said what, when (UTC)."""
    lines = [f"Your chat with {chat.ticket.subject.removeprefix('Chat: ')!r} (request #{chat.ticket_id})", ""]
    for entry in selectors.chat_entries_after(chat=chat, after=0, for_customer=True, limit=5000):
        stamp = entry.at.astimezone(UTC).strftime("%H:%M")
        if entry.kind == EntryKind.MESSAGE:
            lines.append(f"[{stamp}] {entry.name}: {entry.text}")
        else:
            lines.append(f"[{stamp}] {entry.text}")
    lines += ["", "Times are UTC. Reply to this email if you need anything else."]
    return "\n".join(lines)


def chat_transcript_send(*, chat_id: int) -> str:
    """Email the transcript to the customer through the mail app's outgoing path (at most once per chat)."""
    from frontline.mail.outgoing import notice_send

    chat = Chat.objects.select_related("ticket", "customer").get(pk=chat_id)
    return notice_send(key=f"chat-transcript-{chat.pk}", to=chat.customer.email,
                       subject=f"Your chat transcript (request #{chat.ticket_id})", body=chat_transcript_text(chat=chat),
                       ticket=chat.ticket, kind="chat_transcript")
