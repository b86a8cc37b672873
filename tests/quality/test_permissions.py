"""Each visibility line of the quality app crossed: pages, lists, filters, sorting, counts and the API.

An agent sees only their own submitted reviews and never a private note; a lead the reviews of
their teams' agents (not another team's); a manager all; a customer nothing."""

from __future__ import annotations

import pytest

from frontline.people.services import api_token_create
from frontline.quality import selectors, services
from tests import factories as f

from .conftest import handled_ticket, submitted_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviews(world):  # type: ignore[no-untyped-def]
    mine = submitted_review(world, world.agent_a, world.lead_a, correct_answer=5)
    colleague = submitted_review(world, world.agent_a2, world.lead_a, correct_answer=1)
    other_team = submitted_review(world, world.agent_b, world.lead_b, correct_answer=3)
    draft = services.review_start(ticket=handled_ticket(world.agent_a), agent=world.agent_a, version=world.version,
                                  reviewer=world.lead_a)
    return mine, colleague, other_team, draft


def _bearer(user):  # type: ignore[no-untyped-def]
    secret = api_token_create(user=user, name="t").secret
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_agent_sees_only_their_own_submitted_reviews(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    mine, colleague, other_team, draft = reviews
    visible = set(selectors.review_queryset_for_viewer(viewer=world.agent_a).values_list("pk", flat=True))
    assert visible == {mine.pk}
    client = login(world.agent_a)
    for review in (colleague, other_team, draft):
        assert client.get(f"/quality/reviews/{review.pk}/").status_code == 404
    # Filtering by a colleague, sorting by score, the full list: still only their own.
    for url in (f"/quality/reviews/?agent={world.agent_a2.pk}", "/quality/reviews/?sort=lowest",
                f"/quality/mine/?agent={world.agent_a2.pk}", f"/quality/reviews/?ticket={colleague.ticket_id}"):
        page = client.get(url).content.decode()
        assert f"/quality/reviews/{colleague.pk}/" not in page and f"/quality/reviews/{other_team.pk}/" not in page
    api = client.get("/api/v1/quality/reviews?limit=200", **_bearer(world.agent_a)).json()
    assert [r["id"] for r in api["items"]] == [mine.pk]
    assert client.get(f"/api/v1/quality/reviews/{colleague.pk}", **_bearer(world.agent_a)).status_code == 404
    detail = client.get(f"/api/v1/quality/reviews/{mine.pk}", **_bearer(world.agent_a)).json()
    assert detail["private_note"] is None and "Watch tone" not in str(detail)
    assert "Watch tone" not in client.get(f"/quality/reviews/{mine.pk}/").content.decode()
    # Counts by agent: only themself.
    summary = client.get("/api/v1/quality/scores?group=agent", **_bearer(world.agent_a)).json()
    assert [(r["key"], r["reviews"]) for r in summary] == [(str(world.agent_a.pk), 1)]


def test_lead_sees_their_teams_not_another_team(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    mine, colleague, other_team, draft = reviews
    assert set(selectors.review_queryset_for_viewer(viewer=world.lead_a).values_list("pk", flat=True)) == {
        mine.pk, colleague.pk, draft.pk}
    client = login(world.lead_a)
    assert client.get(f"/quality/reviews/{other_team.pk}/").status_code == 404
    page = client.get(f"/quality/reviews/?agent={world.agent_b.pk}").content.decode()
    assert f"/quality/reviews/{other_team.pk}/" not in page
    assert "Watch tone" in client.get(f"/quality/reviews/{mine.pk}/").content.decode()
    summary = client.get("/api/v1/quality/scores?group=team", **_bearer(world.lead_a)).json()
    assert [(r["label"], r["reviews"]) for r in summary] == [("Alpha", 2)]
    home = client.get("/quality/?group=agent").content.decode()
    assert world.agent_b.display_name not in home


def test_lead_b_cannot_see_draft_of_lead_a(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    draft = reviews[3]
    assert login(world.manager).get(f"/quality/reviews/{draft.pk}/").status_code == 404
    assert login(world.lead_b).get(f"/quality/reviews/{draft.pk}/").status_code == 404


def test_manager_sees_all_submitted(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    mine, colleague, other_team, _ = reviews
    api = login(world.manager).get("/api/v1/quality/reviews?sort=x", **_bearer(world.manager)).json()
    assert {r["id"] for r in api["items"]} == {mine.pk, colleague.pk, other_team.pk}


def test_customers_and_strangers_get_nothing(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True).user
    client = login(customer)
    assert client.get("/quality/").status_code == 403
    assert client.get(f"/quality/reviews/{reviews[0].pk}/").status_code == 403
    assert client.get("/api/v1/quality/reviews", **_bearer(customer)).status_code == 403
    from django.test import Client
    assert Client().get("/api/v1/quality/reviews").status_code == 401


def test_colleague_cannot_respond_or_edit(world, reviews, login) -> None:  # type: ignore[no-untyped-def]
    mine = reviews[0]
    colleague = login(world.agent_a2)
    assert colleague.post(f"/quality/reviews/{mine.pk}/acknowledge/").status_code == 404
    assert colleague.post(f"/quality/reviews/{mine.pk}/dispute/", {"reason": "x"}).status_code == 404
    assert login(world.lead_a).post(f"/quality/reviews/{mine.pk}/acknowledge/").status_code == 403
    assert login(world.manager).post(f"/quality/reviews/{mine.pk}/", {"summary": "mine now"}).status_code == 403


def test_review_list_query_count_is_flat(world, reviews, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        submitted_review(world, world.agent_a, world.lead_a)
    client = login(world.manager)
    client.get("/quality/reviews/")
    with django_assert_max_num_queries(12):
        client.get("/quality/reviews/")
