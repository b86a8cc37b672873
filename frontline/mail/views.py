"""The original of a message that arrived by email: its full HTML (sanitised) and its raw source;
and sending again an email whose delivery is uncertain or gave up.

Staff only, and only for tickets they may see (desk's ``ticket_get_for_viewer``); anything
else is a 404, so the existence of a message is not revealed.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import STAFF_ROLES

from . import selectors
from .models import InboundEmail
from .outgoing import outgoing_resend

_CID_SRC = re.compile(r'src="cid:([^"]+)"', re.IGNORECASE)


def _inbound_for_viewer(request: HttpRequest, message_id: int) -> InboundEmail:
    if request.user.role not in STAFF_ROLES:
        raise Http404("No such message.")
    inbound = selectors.inbound_for_message(message_id=message_id)
    if inbound is None or inbound.desk_message is None:
        raise Http404("No such message.")
    ticket_get_for_viewer(ticket_id=inbound.desk_message.ticket_id, viewer=request.user)  # 404 unless visible
    return inbound


@require_GET
@login_required
def original(request: HttpRequest, message_id: int) -> HttpResponse:
    inbound = _inbound_for_viewer(request, message_id)
    message = inbound.desk_message
    assert message is not None
    by_name = {a.filename: a.pk for a in message.attachments.all()}
    by_cid = {cid.lower(): by_name[name] for cid, name in inbound.inline_images.items() if name in by_name}

    def inline(match: re.Match[str]) -> str:
        pk = by_cid.get(match.group(1).lower())
        return f'src="{reverse("desk:attachment", args=[pk])}"' if pk else 'src=""'

    context = {
        "nav": "tickets", "inbound": inbound, "message": message, "ticket_id": message.ticket_id,
        "html": _CID_SRC.sub(inline, inbound.html), "headers": sorted(inbound.headers.items()),
    }
    return render(request, "mail/original.html", context)


@require_GET
@login_required
def original_raw(request: HttpRequest, message_id: int) -> HttpResponse:
    inbound = _inbound_for_viewer(request, message_id)
    response = HttpResponse(bytes(inbound.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{message_id}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


@require_POST
@login_required
def resend(request: HttpRequest, message_id: int) -> HttpResponse:
    """Send a message's uncertain or undelivered email again: 404 unless staff who see the ticket,
    403 unless a manager, an admin or the author, 422 for any other status."""
    outgoing = selectors.outgoing_for_message(message_id=message_id) if request.user.role in STAFF_ROLES else None
    if outgoing is None or outgoing.desk_message is None:
        raise Http404("No such email.")
    ticket_id = outgoing.desk_message.ticket_id
    ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)  # 404 unless visible
    try:
        outgoing_resend(message_id=message_id, actor=request.user)
    except ValidationError as exc:
        return render(request, "mail/resend_refused.html", {"nav": "tickets", "ticket_id": ticket_id,
                                                              "error": " ".join(exc.messages)}, status=422)
    messages.success(request, f"The email to {outgoing.to_address} will be sent again in a moment.")
    return redirect(f"{reverse('desk:ticket_detail', args=[ticket_id])}#message-{message_id}")
