"""Hostile and out-of-range input is answered 422 or 404 in the error shape, never 500."""

from __future__ import annotations

import base64
import json

import pytest

from frontline.desk.models import Ticket
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db

HUGE = 2**70


def _cursor(value: object, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/tickets", {"team_id": HUGE}, "team_id"),
        ("/tickets", {"created_to": "9999-12-31"}, "created_to"),
        ("/tickets", {"created_from": "0001-01-01"}, "created_from"),
        ("/tickets", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ("/tickets", {"cursor": _cursor("0001-01-01T00:00:00+05:00", 1)}, "cursor"),
        ("/tickets", {"cursor": _cursor("2026-01-01T00:00:00", 1)}, "cursor"),
        ("/tickets", {"cursor": _cursor("2026-01-01T00:00:00+00:00", HUGE)}, "cursor"),
        ("/tickets", {"q": "nul\x00byte"}, "q"),
        ("/customers", {"company_id": HUGE}, "company_id"),
        ("/customers", {"cursor": _cursor(None, "1")}, "cursor"),
        ("/agents", {"team_id": HUGE}, "team_id"),
    ],
)
def test_out_of_range_list_parameters_are_422(path: str, params: dict[str, object], field: str) -> None:
    response = ApiClient(f.manager()).get(path, params)
    assert response.status_code == 422
    assert fields_of(response) == {field}


def test_a_create_without_any_body_is_422_naming_the_body() -> None:
    response = ApiClient(f.manager()).post("/tickets", raw="")
    assert response.status_code == 422
    assert fields_of(response) == {"body"}


@pytest.mark.parametrize("raw", ["[]", '"text"', "null", "{bad json", '{"body": "nul \\u0000 here"}'])
def test_a_body_that_is_not_a_clean_json_object_is_422(raw: str) -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/messages", raw=raw)
    assert response.status_code == 422
    assert fields_of(response) == {"body"}
    assert ticket.messages.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tags": ["x" * 100]}, "tags.0"),
        ({"tags": [""]}, "tags.0"),
        ({"assignee_id": HUGE}, "assignee_id"),
        ({"team_id": 0}, "team_id"),
        ({"subject": "x" * 251}, "subject"),
    ],
)
def test_out_of_range_patch_values_are_422(body: dict[str, object], field: str) -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).patch(f"/tickets/{ticket.pk}", body)
    assert response.status_code == 422
    assert fields_of(response) == {field}


@pytest.mark.parametrize("path", ["/tickets/{huge}", "/customers/{huge}", "/companies/{huge}", "/agents/{huge}", "/teams/{huge}"])
def test_huge_ids_in_paths_are_404(path: str) -> None:
    response = ApiClient(f.manager()).get(path.format(huge=HUGE))
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_a_merge_into_a_huge_id_is_422() -> None:
    ticket = f.ticket()
    response = ApiClient(f.manager()).post(f"/tickets/{ticket.pk}/merge", {"into": HUGE})
    assert response.status_code == 422
    assert fields_of(response) == {"into"}
    assert Ticket.objects.get(pk=ticket.pk).merged_into is None


def test_a_validation_error_lists_every_failing_field_in_one_response() -> None:
    response = ApiClient(f.manager()).post("/tickets", {"subject": 1, "priority": "x", "type": "y", "channel": "pigeon"})
    assert response.status_code == 422
    assert fields_of(response) == {"subject", "priority", "type", "channel"}
    assert response.json()["detail"] == "Check these fields: channel, priority, subject, type."
