"""Background work of escalations: email the level an escalation reached (Django Tasks API)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from frontline.core import background

from .models import Escalation
from .selectors import escalation_recipients


@background.runs_as("escalations.notify")
@task()
def escalation_notify(escalation_id: int) -> str:
    """Email the team lead (or the managers) the escalation now waits on; nothing if it closed meanwhile."""
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
            + f"\nOpen it: {settings.FRONTLINE_BASE_URL}/tickets/{ticket.pk}/\n"
            f"Your escalations: {settings.FRONTLINE_BASE_URL}/escalations/\n")
    send_mail(subject, body, None, recipients)
    return f"sent to {len(recipients)}"
