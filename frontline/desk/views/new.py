"""A new ticket from the agent's side; attachments downloaded by whoever may see their ticket."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from frontline.people.models import STAFF_ROLES

from .. import services
from ..forms import (
    NewTicketForm,
    add_service_errors,
    uploads_from,
)
from ..models import Attachment
from ..selectors import (
    ticket_get_for_viewer,
)
from ._common import staff_required


@staff_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = NewTicketForm(request.POST or None, request.FILES or None, user_id=request.user.pk, ticket_id=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create_for_contact(
                email=data["requester_email"], name=data["requester_name"],
                subject=data["subject"], body=data["body"], actor=request.user,
                channel=data["channel"], priority=data["priority"], ticket_type=data["ticket_type"],
                queue=data["queue"], assignee=data["assignee"], attachments=uploads_from(data["attachments"]),
                handle_seconds=form.handle_seconds(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc.message_dict)
        else:
            messages.success(request, f"Ticket #{ticket.pk} created.")
            return redirect("desk:ticket_detail", ticket_id=ticket.pk)
    status = 422 if request.method == "POST" else 200
    context = {"nav": "tickets", "form": form, "handle_cap": services.CAPTURE_CAP_SECONDS}
    return render(request, "desk/ticket_new.html", context, status=status)


@require_GET
@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment, if the viewer may see its message (customers: public messages only)."""
    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    ticket_get_for_viewer(ticket_id=attachment.message.ticket_id, viewer=request.user)  # 404 unless visible
    if not attachment.message.is_public and request.user.role not in STAFF_ROLES:
        raise Http404("No such attachment.")
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.filename,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
