"""Background work of the chat app: the transcript email, and ending chats whose customer went away."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .services import chat_transcript_send, chats_end_idle


@background.runs_as("chat.send_transcript")
@task()
def chat_send_transcript(chat_id: int) -> str:
    """Email an ended chat's transcript to its customer (once per chat)."""
    return chat_transcript_send(chat_id=chat_id)


@background.runs_as("chat.end_idle")
@task()
def chat_end_idle() -> str:
    """End live chats whose widget stopped asking for news (periodic: CHAT_IDLE_CHECK_EVERY_S)."""
    return f"{chats_end_idle()} idle chat(s) ended"


background.every("chat.end_idle", settings.CHAT_IDLE_CHECK_EVERY_S)
