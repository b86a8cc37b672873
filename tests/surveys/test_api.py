"""The survey API: customers answer their own tickets' surveys (422 off the scale, naming score;
404 for anyone else's ticket); staff list responses and rates of the tickets they may see."""

from __future__ import annotations

import pytest
from django.utils import timezone

from frontline.surveys import services
from frontline.surveys.models import Survey, SurveyResponse, SurveyTrigger
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of
from tests.surveys.conftest import solved_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():  # type: ignore[no-untyped-def]
    return f.customer(with_login=True)


def test_a_customer_answers_the_emailed_survey_and_changes_it(smtp, rule, customer):  # type: ignore[no-untyped-def]
    ticket = solved_ticket(requester=customer)
    services.surveys_send_due(at=timezone.now())
    api = ApiClient(customer.user)
    first = api.post(f"/surveys/tickets/{ticket.pk}/answer", {"survey": "csat", "score": 3, "comment": "Slow"})
    second = api.post(f"/surveys/tickets/{ticket.pk}/answer", {"survey": "csat", "score": 5})
    assert (first.status_code, second.status_code) == (200, 200)
    assert (second.json()["score"], second.json()["comment"], second.json()["changes"], second.json()["via"]) == (
        5, "Slow", 1, "api")
    assert SurveyResponse.objects.count() == 1
    [mine] = api.get("/surveys/mine").json()
    assert (mine["ticket_id"], mine["score"], mine["lowest"], mine["highest"]) == (ticket.pk, 5, 1, 5)


def test_a_solved_ticket_without_a_survey_can_be_rated_once(customer):  # type: ignore[no-untyped-def]
    ticket = solved_ticket(requester=customer)
    api = ApiClient(customer.user)
    assert api.post(f"/surveys/tickets/{ticket.pk}/answer", {"survey": "ces", "score": 7}).status_code == 200
    assert Survey.objects.get().trigger == SurveyTrigger.API
    unsolved = f.ticket(requester=customer)
    refused = api.post(f"/surveys/tickets/{unsolved.pk}/answer", {"survey": "csat", "score": 4})
    nps = api.post(f"/surveys/tickets/{ticket.pk}/answer", {"survey": "nps", "score": 9})
    assert (refused.status_code, fields_of(refused), nps.status_code) == (422, {"survey"}, 422)


@pytest.mark.parametrize("body", [{"survey": "csat", "score": 6}, {"survey": "csat", "score": 0},
                                  {"survey": "ces", "score": 8}, {"survey": "nps", "score": 11},
                                  {"survey": "csat", "score": "4"}, {"survey": "csat", "score": True},
                                  {"survey": "csat", "score": 4.5}, {"survey": "csat"}])
def test_scores_off_the_scale_are_422_naming_score(customer, body):  # type: ignore[no-untyped-def]
    ticket = solved_ticket(requester=customer)
    response = ApiClient(customer.user).post(f"/surveys/tickets/{ticket.pk}/answer", body)
    assert (response.status_code, fields_of(response), SurveyResponse.objects.count()) == (422, {"score"}, 0)


def test_nobody_answers_for_someone_elses_ticket(smtp, rule):  # type: ignore[no-untyped-def]
    company = f.company(share_tickets=True)
    owner = f.customer(with_login=True, company=company)
    colleague = f.customer(with_login=True, company=company, sees_company_tickets=True)
    ticket = solved_ticket(requester=owner)
    services.surveys_send_due(at=timezone.now())
    body = {"survey": "csat", "score": 1}
    assert ApiClient(colleague.user).post(f"/surveys/tickets/{ticket.pk}/answer", body).status_code == 404
    assert ApiClient(f.customer(with_login=True).user).post(f"/surveys/tickets/{ticket.pk}/answer", body).status_code == 404
    assert ApiClient(f.manager()).post(f"/surveys/tickets/{ticket.pk}/answer", body).status_code == 403
    assert ApiClient(colleague.user).get("/surveys/mine").json() == []
    assert SurveyResponse.objects.count() == 0


def test_staff_list_responses_and_rates_of_their_tickets_only(smtp, rule):  # type: ignore[no-untyped-def]
    mine, other = f.team(name="Mine"), f.team(name="Other")
    agent = f.agent(teams=[mine])
    seen, hidden = solved_ticket(team=mine), solved_ticket(team=other)
    services.surveys_send_due(at=timezone.now())
    for survey in Survey.objects.all():
        services.survey_answer(survey=survey, score=2 if survey.ticket_id == hidden.pk else 5, comment="secret"
                               if survey.ticket_id == hidden.pk else "")
    api = ApiClient(agent)
    listed = api.get("/surveys/responses").json()["items"]
    by_score = api.get("/surveys/responses", {"score": 2}).json()["items"]
    by_ticket = api.get("/surveys/responses", {"ticket_id": hidden.pk}).json()["items"]
    by_team = api.get("/surveys/responses", {"team_id": other.pk, "with_comment": True}).json()["items"]
    rates = api.get("/surveys/rates", {"survey": "csat", "group": "team"}).json()
    assert ([r["ticket_id"] for r in listed], by_score, by_ticket, by_team) == ([seen.pk], [], [], [])
    assert [(r["label"], r["sent"], r["answered"], r["score"]) for r in rates] == [("Mine", 1, 1, 1.0)]
    everything = ApiClient(f.manager()).get("/surveys/rates", {"survey": "csat", "group": "kind"}).json()
    assert [(r["sent"], r["answered"], r["score"]) for r in everything] == [(2, 2, 0.5)]


def test_customers_cannot_list_responses(customer):  # type: ignore[no-untyped-def]
    api = ApiClient(customer.user)
    assert (api.get("/surveys/responses").status_code, api.get("/surveys/rates").status_code) == (403, 403)
    assert ApiClient(None).get("/surveys/responses").status_code == 401
