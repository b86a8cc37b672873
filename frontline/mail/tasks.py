"""Background work of the mail app (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from frontline.core import background

from .fetch import mailboxes_fetch_due


@background.runs_as("mail.fetch")
@task()
def mail_fetch() -> str:
    """Fetch new mail from every enabled mailbox that is due (periodic: MAIL_FETCH_EVERY_S)."""
    results = mailboxes_fetch_due()
    return "; ".join(f"{r.mailbox}: {r.fetched} fetched" + (f", error {r.error}" if r.error else "") for r in results)


background.every("mail.fetch", settings.MAIL_FETCH_EVERY_S)
