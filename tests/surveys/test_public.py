"""The answer page a rating link opens: no sign-in, nothing recorded by opening it, a POST records
and a second one changes the answer; expired and forged links get a clear page and record nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from frontline.desk.models import EventKind, TicketEvent
from frontline.surveys import services
from frontline.surveys.models import Survey, SurveyResponse
from tests.surveys.conftest import links_in, solved_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(smtp, rule):  # type: ignore[no-untyped-def]
    ticket = solved_ticket(subject="Parcel lost")
    services.surveys_send_due(at=timezone.now())
    [email] = smtp.messages
    return Survey.objects.get(ticket=ticket), links_in(email.get_payload())


def test_opening_a_link_records_nothing_and_shows_the_score_chosen(sent):  # type: ignore[no-untyped-def]
    _survey, links = sent
    page = Client().get("/" + links[4])
    assert (page.status_code, SurveyResponse.objects.count()) == (200, 0)
    html = page.content.decode()
    assert 'value="4" checked' in html and "Parcel lost" in html
    assert (page["Referrer-Policy"], page["Cache-Control"]) == ("same-origin", "private, no-store")


def test_send_records_then_another_score_changes_the_answer(sent):  # type: ignore[no-untyped-def]
    _survey, links = sent
    client = Client(enforce_csrf_checks=True)
    client.get("/" + links[2])
    token = links[2].split("/")[1]
    csrf = client.cookies["csrftoken"].value
    done = client.post(f"/s/{token}/", {"score": "2", "comment": "Confusing onboarding", "csrfmiddlewaretoken": csrf})
    assert done.status_code == 302 and done["Location"].endswith("?saved=1")
    assert "We recorded 2" in client.get(done["Location"]).content.decode()
    changing = client.get("/" + links[5]).content.decode()
    assert "Your answer now is 2" in changing and "Confusing onboarding" in changing
    client.post(f"/s/{token}/", {"score": "5", "comment": "Confusing onboarding", "csrfmiddlewaretoken": csrf})
    response = SurveyResponse.objects.get()
    assert (response.score, response.changes, TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count()) == (
        5, 1, 2)


@pytest.mark.parametrize("score", ["7", "0", "", "x", "-1"])
def test_a_score_off_the_scale_is_refused_with_the_form(sent, score):  # type: ignore[no-untyped-def]
    _survey, links = sent
    token = links[1].split("/")[1]
    page = Client().post(f"/s/{token}/", {"score": score})
    assert (page.status_code, SurveyResponse.objects.count()) == (422, 0)
    assert 'class="errorlist"' in page.content.decode()


def test_a_link_with_a_score_off_the_scale_shows_the_form_without_a_choice(sent):  # type: ignore[no-untyped-def]
    _survey, links = sent
    page = Client().get("/" + links[1].replace("/1/", "/9/"))
    assert (page.status_code, "checked" in page.content.decode()) == (422, False)


def test_a_forged_token_gets_a_clear_page_and_records_nothing(sent):  # type: ignore[no-untyped-def]
    survey, links = sent
    token = links[3].split("/")[1]
    forged = token.replace(f"{survey.pk}.", f"{survey.pk + 1}.", 1)
    for path in (f"/s/{forged}/3/", f"/s/{token[:-3]}/3/", "/s/nonsense/3/"):
        page = Client().get(path)
        assert (page.status_code, "not valid" in page.content.decode()) == (404, True)
    assert Client().post(f"/s/{forged}/", {"score": "3"}).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_an_expired_link_gets_a_clear_page_and_records_nothing(sent):  # type: ignore[no-untyped-def]
    survey, links = sent
    Survey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    token = links[3].split("/")[1]
    page = Client().get("/" + links[3])
    posted = Client().post(f"/s/{token}/", {"score": "3"})
    assert (page.status_code, posted.status_code, "has closed" in page.content.decode()) == (410, 410, True)
    assert SurveyResponse.objects.count() == 0
