"""Who sees feedback: managers and admins all; team leads the feedback of tickets they may see
and imported reviews; agents and customers nothing. Tried through pages, search, counts,
filters, labels and imports."""

from __future__ import annotations

import pytest

from frontline.insights.models import Source
from tests import factories as f

from .conftest import item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    mine, other = f.team(), f.team()
    lead = f.lead(leads=[mine])
    own = item("secret-mine courier late", source=Source.TICKET, ticket=f.ticket(team=mine), kind="complaint")
    theirs = item("secret-other courier late", source=Source.TICKET, ticket=f.ticket(team=other), kind="complaint")
    review = item("public review courier late", kind="praise")
    return {"lead": lead, "own": own, "theirs": theirs, "review": review}


def test_a_lead_sees_their_teams_feedback_and_reviews_only(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["lead"])
    page = client.get("/insights/feedback/")
    assert b"secret-mine" in page.content and b"public review" in page.content
    assert b"secret-other" not in page.content
    # search, filters and counts do not reveal the other team's item
    assert client.get("/insights/feedback/?q=secret-other").context["page"].items == []
    counts = client.get("/insights/feedback/").context["counts"]
    assert counts["kind"] == {"complaint": 1, "praise": 1}
    assert client.get(f"/insights/feedback/?ticket={world['theirs'].ticket_id}").context["page"].items == []
    assert client.get("/insights/").context["total"] == 2


@pytest.mark.parametrize("url", ["/insights/feedback/sync/", "/insights/import/"])
def test_only_managers_change_things(login, world, url) -> None:  # type: ignore[no-untyped-def]
    assert login(world["lead"]).post(url).status_code == 403


def test_a_lead_cannot_correct_labels_nor_open_imports(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(world["lead"])
    assert client.post(f"/insights/feedback/{world['own'].pk}/label/", {"kind": "praise"}).status_code == 403
    assert client.get("/insights/import/").status_code == 403
    assert b"Correct:" not in client.get("/insights/feedback/").content


@pytest.mark.parametrize("role", ["agent", "customer"])
@pytest.mark.parametrize("url", ["/insights/", "/insights/feedback/", "/insights/feedback/?q=courier",
                                 "/insights/import/"])
def test_agents_and_customers_see_nothing(login, world, role, url) -> None:  # type: ignore[no-untyped-def]
    user = f.agent() if role == "agent" else f.customer(with_login=True).user
    assert login(user).get(url).status_code == 403


def test_a_manager_cannot_label_an_item_that_does_not_exist_and_anonymous_is_sent_to_sign_in(client, world) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/insights/feedback/").status_code == 302
