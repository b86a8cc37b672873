"""A customer answers a survey from its email in a real browser, on a phone: the link from the
email (sent through a loopback SMTP server) opens the answer page with the score chosen, a comment
and Send record it, another link from the same email changes the answer, reload and Back record
nothing new, and an expired link says so and records nothing. A manager then reads the response."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.desk.models import EventKind, TicketEvent
from frontline.surveys import services
from frontline.surveys.models import Survey, SurveyResponse, SurveyRule
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.smtp import smtp_server
from tests.surveys.conftest import links_in, solved_ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_customer_rates_from_the_email_changes_it_and_meets_an_expired_link(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    SurveyRule.objects.create(survey="csat", delay_minutes=0)
    ticket = solved_ticket(subject="Parcel never arrived")
    old = solved_ticket(subject="Old question")
    with override_settings(FRONTLINE_BASE_URL=live_server.url), smtp_server() as inbox:
        services.surveys_send_due(at=timezone.now())
    emails = {m["Subject"]: links_in(m.get_payload()) for m in inbox.messages}
    links = emails[f"How did we do? [#{ticket.pk}] Parcel never arrived"]
    expired = emails[f"How did we do? [#{old.pk}] Old question"]
    Survey.objects.filter(ticket=old).update(expires_at=timezone.now() - timedelta(minutes=1))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/" + links[2])  # the customer clicks "2" in the email; not signed in
    expect(page.get_by_role("heading", level=1)).to_have_text("How satisfied are you with the support you received?")
    expect(page.get_by_label("2", exact=True)).to_be_checked()
    assert SurveyResponse.objects.count() == 0  # opening the link records nothing
    page.get_by_label("Anything you want to tell us?").fill("The delivery took three weeks.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("We recorded 2 and your comment")
    page.reload()  # no second answer on reload
    expect(page.get_by_label("2", exact=True)).to_be_checked()

    page.goto("/" + links[4])  # later, another score from the same email
    expect(page.get_by_role("status")).to_contain_text("Your answer now is 2. Press “Send” to change it to 4.")
    expect(page.get_by_label("Anything you want to tell us?")).to_have_value("The delivery took three weeks.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("We recorded 4")
    page.go_back()
    expect(page.get_by_label("4", exact=True)).to_be_checked()
    response = SurveyResponse.objects.get()
    assert (response.score, response.changes, response.comment) == (4, 1, "The delivery took three weeks.")
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SURVEY_ANSWERED).count() == 2

    page.goto("/" + expired[5])
    expect(page.get_by_role("heading", level=1)).to_have_text("This survey has closed")
    page.goto("/" + links[4].replace(links[4].split("/")[1], links[4].split("/")[1][:-4] + "AAAA"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This survey link is not valid")
    assert SurveyResponse.objects.count() == 1

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, f.manager())
    page.goto("/surveys/responses/?kind=csat&comment=1")
    row = page.locator("table.data tbody tr").filter(has_text="Parcel never arrived")
    expect(row).to_contain_text("The delivery took three weeks.")
    expect(row).to_contain_text(re.compile("changed 1."))
    row.get_by_role("link", name=re.compile("Parcel never arrived")).click()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    page.locator("summary", has_text="History").click()
    expect(page.get_by_text(re.compile("changed the CSAT answer from 2 to 4"))).to_be_visible()
