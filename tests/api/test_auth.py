"""Authentication: personal tokens, the session (with CSRF for writes), and the docs."""

from __future__ import annotations

import pytest
from django.test import Client

from frontline.people.models import ApiToken
from frontline.people.services import api_token_create, api_token_revoke
from tests import factories as f
from tests.api.conftest import BASE, ApiClient

pytestmark = pytest.mark.django_db


def test_a_request_without_a_token_is_401_with_the_error_shape() -> None:
    response = ApiClient(None).get("/tickets")
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"], "errors": []}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401() -> None:
    assert ApiClient(None, secret="fl_not-a-real-token").get("/tickets").status_code == 401


def test_a_token_without_the_bearer_scheme_is_401() -> None:
    agent = f.agent()
    secret = api_token_create(user=agent, name="ci").secret
    response = Client().get(BASE + "/tickets", headers={"Authorization": f"Token {secret}"})
    assert response.status_code == 401


def test_a_revoked_token_is_401() -> None:
    agent = f.agent()
    issued = api_token_create(user=agent, name="ci")
    api = ApiClient(agent, secret=issued.secret)
    assert api.get("/tickets").status_code == 200
    api_token_revoke(token=issued.token, actor=agent)
    assert api.get("/tickets").status_code == 401


def test_a_token_of_a_deactivated_user_is_401() -> None:
    agent = f.agent()
    api = ApiClient(agent)
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert api.get("/tickets").status_code == 401


def test_a_token_records_its_last_use() -> None:
    agent = f.agent()
    ApiClient(agent).get("/tickets")
    assert ApiToken.objects.get(user=agent).last_used_at is not None


def test_a_signed_in_session_can_read() -> None:
    agent = f.agent()
    client = Client()
    client.force_login(agent)
    assert client.get(BASE + "/tickets").status_code == 200


def test_a_session_write_without_the_csrf_token_is_403() -> None:
    agent = f.agent()
    requester = f.customer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    response = client.post(BASE + "/tickets", {"subject": "Hi", "body": "x", "requester_id": requester.pk},
                           content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_session_write_with_the_csrf_token_succeeds() -> None:
    agent = f.agent()
    requester = f.customer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    client.get(BASE + "/docs")  # the docs page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(BASE + "/tickets", {"subject": "Hi", "body": "x", "requester_id": requester.pk},
                           content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_an_anonymous_write_is_401_not_a_csrf_failure() -> None:
    response = Client(enforce_csrf_checks=True).post(BASE + "/tickets", {}, content_type="application/json")
    assert response.status_code == 401


def test_the_openapi_document_lists_the_endpoints_and_their_errors() -> None:
    response = Client().get(BASE + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/v1/tickets", "/api/v1/tickets/{ticket_id}", "/api/v1/customers", "/api/v1/agents", "/api/v1/teams"} <= set(schema["paths"])
    patch = schema["paths"]["/api/v1/tickets/{ticket_id}"]["patch"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(patch["responses"])
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_interactive_docs_page_renders() -> None:
    assert Client().get(BASE + "/docs").status_code == 200


def test_a_customers_session_gets_403_from_a_staff_endpoint() -> None:
    me = f.customer(with_login=True)
    client = Client()
    client.force_login(me.user)
    assert client.get(BASE + "/agents").status_code == 403
