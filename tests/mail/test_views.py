"""The original email behind a message: the link on the ticket page, the page, the raw download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from frontline.desk.models import Attachment, Ticket
from tests import factories as f

from .conftest import CORPUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def emailed(ingest):  # type: ignore[no-untyped-def]
    return ingest("08_related_inline_image.eml")


def test_ticket_page_links_the_original(login, emailed):
    page = login(f.manager()).get(reverse("desk:ticket_detail", args=[emailed.ticket]))
    assert reverse("mail:original", args=[emailed.message]) in page.content.decode()


def test_original_page_shows_inline_images_from_the_attachments(login, emailed):
    page = login(f.manager()).get(reverse("mail:original", args=[emailed.message]))
    image = Attachment.objects.get(message_id=emailed.message, filename="screen.png")
    html = page.content.decode()
    assert (page.status_code, f'src="{reverse("desk:attachment", args=[image.pk])}"' in html) == (200, True)
    assert "tracker.example" not in html


def test_raw_download_is_the_exact_bytes(login, emailed):
    response = login(f.manager()).get(reverse("mail:original_raw", args=[emailed.message]))
    assert (response.status_code, response["Content-Type"], response.content) == (
        200, "message/rfc822", (CORPUS / "08_related_inline_image.eml").read_bytes())
    assert response["Content-Disposition"].startswith("attachment")


def test_customers_never_see_the_original(login, emailed):
    requester = Ticket.objects.get(pk=emailed.ticket).requester
    customer_user = f.user(role="customer")
    requester.user = customer_user
    requester.save(update_fields=["user"])
    client = login(customer_user)
    statuses = [client.get(reverse(name, args=[emailed.message])).status_code for name in ("mail:original", "mail:original_raw")]
    assert statuses == [404, 404]


def test_agents_outside_the_tickets_team_get_404(login, emailed):
    team = f.team()
    Ticket.objects.filter(pk=emailed.ticket).update(team=team)
    outsider = f.agent(teams=[f.team()])
    assert login(outsider).get(reverse("mail:original", args=[emailed.message])).status_code == 404


def test_a_message_that_did_not_come_by_email_has_no_original(login):
    ticket = f.ticket(notify=False)
    message = ticket.messages.get()
    assert login(f.manager()).get(reverse("mail:original", args=[message.pk])).status_code == 404


def test_an_out_of_office_note_is_shown_apart_from_the_conversation(login, ingest):
    first = ingest("01_plain.eml")
    ingest("18_out_of_office.eml")
    page = login(f.manager()).get(reverse("desk:ticket_detail", args=[first.ticket])).content.decode()
    assert ("1 automatic email about this ticket" in page, "Automatic reply: Kettle broken" in page) == (True, True)
