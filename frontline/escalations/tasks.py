"""Background work of escalations: email the level an escalation reached (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from frontline.core import background
from frontline.mail.outgoing import notice_send

from .models import Escalation
from .selectors import escalation_recipients

NOTICE_KIND = "escalation"


def absolute_url(path: str) -> str:
    """``path`` on the address people use (FRONTLINE_BASE_URL), with exactly one slash between."""
    return settings.FRONTLINE_BASE_URL.rstrip("/") + path


@background.runs_as("escalations.notify")
@task()
def escalation_notify(escalation_id: int) -> str:
    """Email the team lead (or the managers) the escalation now waits on; nothing if it closed meanwhile.

    Through the mail app's outgoing path: one email per person, at most once per step of the
    escalation, recorded in Admin → Sent emails, rate-limited as automatic mail, bouncing addresses
    skipped.
    """
    escalation = Escalation.objects.select_related("ticket", "team").filter(pk=escalation_id, state="open").first()
    if escalation is None:
        return "closed; nothing sent"
    recipients = escalation_recipients(escalation=escalation)
    if not recipients:
        return "no one to notify"
    ticket = escalation.ticket
    subject = f"[#{ticket.pk}] Escalated to you ({escalation.get_level_display()}): {ticket.subject}"[:250]
    body = (f"Ticket #{ticket.pk} \"{ticket.subject}\" is escalated to {escalation.get_level_display().lower()} level: "
            f"{escalation.get_trigger_display()}.\n" + (f"Reason: {escalation.reason}\n" if escalation.reason else "")
            + f"\nOpen it: {absolute_url(reverse('desk:ticket_detail', args=[ticket.pk]))}\n"
            f"Your escalations: {absolute_url(reverse('escalations:escalation_list'))}\n")
    step = f"escalation:{escalation.pk}:{len(escalation.path)}:{escalation.level}"
    statuses = [notice_send(key=f"{step}:{address}", to=address, subject=subject, body=body, ticket=ticket,
                            kind=NOTICE_KIND) for address in recipients]
    sent = statuses.count("sent")
    return f"sent to {sent}" + (f"; {len(statuses) - sent} not sent" if sent < len(statuses) else "")
