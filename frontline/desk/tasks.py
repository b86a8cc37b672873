"""Background work of the desk (Django Tasks API; the database backend by default)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django_tasks import task

from frontline.core import background

from .models import AuthorKind, Message


@background.runs_as("desk.notify_customer")
@task()
def message_notify_customer(message_id: int) -> str:
    """Email a public agent reply (or the receipt of a new request) to the ticket's requester."""
    message = Message.objects.select_related("ticket", "ticket__requester", "author_user").filter(pk=message_id).first()
    if message is None or not message.is_public:
        return "skipped"
    ticket = message.ticket
    # Nothing reads replies to these emails yet: point the customer to the portal instead.
    portal = settings.FRONTLINE_BASE_URL.rstrip("/") + reverse("portal:request_detail", kwargs={"ticket_id": ticket.pk})
    answer = f"To answer, use the portal (replies to this email are not read):\n{portal}"
    if message.author_kind == AuthorKind.AGENT:
        subject = f"Re: {ticket.subject} [#{ticket.pk}]"
        signature = message.author_user.first_name if message.author_user else "Support"
        text = f"{message.body_text}\n\n— {signature}, Support\n\n{answer}"
    else:
        subject = f"We received your request: {ticket.subject} [#{ticket.pk}]"
        text = (f"Hello {ticket.requester.name},\n\nThanks for contacting us. Your request #{ticket.pk} is with our "
                f"team and we'll reply as soon as we can.\n\nYou wrote:\n{message.body_text}\n\n{answer}")
    # RFC 3834: a receipt is an automatic reply, so well-behaved auto-responders do not answer it.
    automatic = {} if message.author_kind == AuthorKind.AGENT else {"Auto-Submitted": "auto-replied"}
    email = EmailMessage(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[ticket.requester.email],
                         headers={"X-Frontline-Ticket": str(ticket.pk), **automatic})
    email.send(fail_silently=False)
    return "sent"
