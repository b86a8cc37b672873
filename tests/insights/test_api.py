"""/api/v1/insights: feedback scoped like the pages (through lists, search and filters), label
correction (422 naming the field), topics and problems for managers only."""

from __future__ import annotations

import pytest

from frontline.insights.models import Source, Topic
from frontline.insights.services import problems as problem_services
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    mine, other = f.team(), f.team()
    return {"lead": f.lead(leads=[mine]),
            "own": item("mine: courier late", source=Source.TICKET, ticket=f.ticket(team=mine)),
            "theirs": item("theirs: courier late", source=Source.TICKET, ticket=f.ticket(team=other)),
            "review": item("review: courier late")}


def test_feedback_is_scoped_and_paged(world) -> None:  # type: ignore[no-untyped-def]
    lead = ApiClient(world["lead"])
    texts = {i["text"] for i in lead.get("/insights/feedback").json()["items"]}
    assert texts == {"mine: courier late", "review: courier late"}
    assert lead.get("/insights/feedback", {"q": "theirs"}).json()["items"] == []
    assert lead.get("/insights/feedback", {"ticket_id": world["theirs"].ticket_id}).json()["items"] == []
    assert lead.get(f"/insights/feedback/{world['theirs'].pk}").status_code == 404
    manager = ApiClient(f.manager())
    first = manager.get("/insights/feedback", {"limit": 2}).json()
    second = manager.get("/insights/feedback", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    assert ApiClient(f.agent()).get("/insights/feedback").status_code == 403


def test_label_correction_and_its_422(world) -> None:  # type: ignore[no-untyped-def]
    manager = ApiClient(f.manager())
    url = f"/insights/feedback/{world['review'].pk}/label"
    done = manager.post(url, {"kind": "praise"})
    assert done.status_code == 200 and (done.json()["kind"], done.json()["kind_corrected"]) == ("praise", True)
    bad = manager.post(url, {"kind": "rant"})
    assert bad.status_code == 422 and "kind" in str(fields_of(bad))
    assert manager.post(url, {}).status_code == 422
    assert ApiClient(world["lead"]).post(url, {"kind": "praise"}).status_code == 403
    assert manager.post("/insights/feedback/999999/label", {"kind": "praise"}).status_code == 404


def test_topics_and_problems_for_managers(world) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    topic = Topic.objects.create(label="Delivery", keywords=["courier"], size=3, created_at=timezone.now())
    manager_user = f.manager()
    problem = problem_services.problem_create(fields=problem_services.ProblemFields(title="Courier"), actor=manager_user,
                                              topic=topic)
    problem_services.problem_link_tickets(problem=problem, ticket_ids=[world["own"].ticket_id], actor=manager_user)
    manager = ApiClient(manager_user)
    assert [t["label"] for t in manager.get("/insights/topics").json()] == ["Delivery"]
    body = manager.get(f"/insights/problems/{problem.pk}").json()
    assert (body["tickets"], body["customers"], body["topic_id"]) == (1, 1, topic.pk)
    assert manager.get("/insights/problems").json()["items"][0]["id"] == problem.pk
    lead = ApiClient(world["lead"])
    assert lead.get("/insights/topics").status_code == 403
    assert lead.get(f"/insights/problems/{problem.pk}").status_code == 403
    assert manager.get("/insights/problems/999999").status_code == 404
