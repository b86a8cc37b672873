"""Who sees which survey responses: managers all; team leads their teams' tickets; agents the
tickets they may see; customers only their own surveys. Each line is crossed through lists,
counts, filters and the API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from frontline.desk.services import ticket_assign
from frontline.surveys import selectors, services
from frontline.surveys.models import Survey
from tests import factories as f
from tests.api.conftest import ApiClient
from tests.surveys.conftest import solved_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(smtp, rule):  # type: ignore[no-untyped-def]
    north, south = f.team(name="North"), f.team(name="South")
    lead = f.lead(leads=[north])
    tickets = {"north": solved_ticket(team=north, subject="North parcel"),
               "south": solved_ticket(team=south, subject="South parcel")}
    services.surveys_send_due(at=timezone.now())
    for name, ticket in tickets.items():
        services.survey_answer(survey=Survey.objects.get(ticket=ticket), score=1 if name == "south" else 5,
                               comment=f"{name} comment")
    return {"north_team": north, "south_team": south, "lead": lead, **tickets}


def test_a_lead_sees_only_their_teams_responses_in_pages(login, world):  # type: ignore[no-untyped-def]
    client = login(world["lead"])
    listed = client.get("/surveys/responses/").content.decode()
    filtered = client.get(f"/surveys/responses/?team={world['south_team'].pk}&kind=csat&score=1").content.decode()
    overview = client.get("/surveys/?kind=csat&group=team").content.decode()
    assert ("north comment" in listed, "south comment" in listed, "South parcel" in listed) == (True, False, False)
    assert "south comment" not in filtered and "No responses" in filtered
    assert ("North" in overview, "South" not in overview) == (True, True)


def test_managers_see_everything(login, world):  # type: ignore[no-untyped-def]
    listed = login(f.manager()).get("/surveys/responses/").content.decode()
    assert ("north comment" in listed, "south comment" in listed) == (True, True)


def test_an_agent_sees_responses_of_tickets_they_may_see(world):  # type: ignore[no-untyped-def]
    north_agent = f.agent(teams=[world["north_team"]])
    south_ticket_assignee = f.agent()
    ticket_assign(ticket=world["south"], assignee=south_ticket_assignee, actor=None)
    seen = {r.survey.ticket_id for r in selectors.responses_for_viewer(viewer=north_agent)}
    assigned = {r.survey.ticket_id for r in selectors.responses_for_viewer(viewer=south_ticket_assignee)}
    assert (seen, assigned) == ({world["north"].pk}, {world["south"].pk})


def test_a_customer_sees_and_answers_only_their_own(world):  # type: ignore[no-untyped-def]
    stranger = f.customer(with_login=True)
    api = ApiClient(stranger.user)
    assert (api.get("/surveys/mine").json(), selectors.surveys_for_viewer(viewer=stranger.user).count()) == ([], 0)
    assert api.post(f"/surveys/tickets/{world['north'].pk}/answer", {"survey": "csat", "score": 1}).status_code == 404
    assert selectors.responses_for_viewer(viewer=stranger.user).count() == 0


def test_a_lead_cannot_read_another_teams_responses_over_the_api(world):  # type: ignore[no-untyped-def]
    api = ApiClient(world["lead"])
    items = api.get("/surveys/responses", {"with_comment": True}).json()["items"]
    rates = api.get("/surveys/rates", {"survey": "csat", "group": "kind"}).json()
    assert ([i["comment"] for i in items], [(r["sent"], r["score"]) for r in rates]) == (["north comment"], [(1, 1.0)])
