"""/api/v1/quality: shapes, filters, paging and the error cases."""

from __future__ import annotations

import pytest

from frontline.people.services import api_token_create

from .conftest import submitted_review

pytestmark = pytest.mark.django_db


def _auth(user):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t').secret}"}


def test_list_detail_paging_and_filters(world, client) -> None:  # type: ignore[no-untyped-def]
    first = submitted_review(world, world.agent_a, world.lead_a, correct_answer=1)
    second = submitted_review(world, world.agent_a2, world.lead_a)
    auth = _auth(world.lead_a)
    page = client.get("/api/v1/quality/reviews?limit=1", **auth).json()
    assert [r["id"] for r in page["items"]] == [second.pk] and page["next_cursor"]
    rest = client.get(f"/api/v1/quality/reviews?limit=1&cursor={page['next_cursor']}", **auth).json()
    assert [r["id"] for r in rest["items"]] == [first.pk]
    only = client.get(f"/api/v1/quality/reviews?agent_id={world.agent_a.pk}&response=none", **auth).json()
    assert [(r["id"], r["rubric"], r["version"]) for r in only["items"]] == [(first.pk, "Email quality", 1)]
    detail = client.get(f"/api/v1/quality/reviews/{first.pk}", **auth).json()
    assert detail["private_note"] == "Watch tone next time"
    assert [s["key"] for s in detail["scores"]] == ["greets-the-customer", "shows-empathy", "correct-answer",
                                                     "no-data-leak"]
    weekly = client.get("/api/v1/quality/scores?group=week", **auth).json()
    assert sum(r["reviews"] for r in weekly) == 2


def test_errors(world, client) -> None:  # type: ignore[no-untyped-def]
    auth = _auth(world.manager)
    bad = client.get("/api/v1/quality/reviews?response=maybe&limit=0", **auth)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"response", "limit"}
    assert client.get("/api/v1/quality/reviews/99999999999999999999", **auth).status_code in (404, 422)
    assert client.get("/api/v1/quality/reviews/123456", **auth).status_code == 404
    assert client.get("/api/v1/quality/scores?group=planet", **auth).status_code == 422
