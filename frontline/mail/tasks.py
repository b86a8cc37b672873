"""Background work of the mail app (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from frontline.core import background

from .fetch import mailboxes_fetch_due
from .outgoing import failed_sends_due, message_send


@background.runs_as("mail.fetch")
@task()
def mail_fetch() -> str:
    """Fetch new mail from every enabled mailbox that is due (periodic: MAIL_FETCH_EVERY_S)."""
    results = mailboxes_fetch_due()
    return "; ".join(f"{r.mailbox}: {r.fetched} fetched" + (f", error {r.error}" if r.error else "") for r in results)


@background.runs_as("desk.notify_customer")
@task()
def message_notify_customer(message_id: int) -> str:
    """Email a public agent reply (or the receipt of a new request) to the ticket's requester, at most once."""
    return message_send(message_id=message_id)


@background.runs_as("mail.send_retry")
@task()
def mail_send_retry() -> str:
    """Try again the emails that failed and are due (periodic, every minute)."""
    sent = [message_send(message_id=pk) for pk in failed_sends_due(at=timezone.now())]
    return f"{sent.count('sent')} of {len(sent)} sent"


background.every("mail.fetch", settings.MAIL_FETCH_EVERY_S)
background.every("mail.send_retry", 60)
