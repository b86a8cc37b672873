"""Hardening headers (frontline.core.middleware): a CSP everywhere, no caching of personal data."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from frontline.desk.models import Attachment
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

NO_STORE = "no-store, private"


def directives(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    parts = (d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


@pytest.mark.parametrize("path", ["/login/", "/api/v1/docs", "/api/v1/openapi.json"])
def test_pages_for_everyone_send_a_policy_that_allows_scripts_only_from_self(path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["style-src-elem"] == "'self'"
    assert (policy["object-src"], policy["frame-ancestors"]) == ("'none'", "'none'")


def test_signed_in_pages_are_not_stored(login) -> None:  # type: ignore[no-untyped-def]
    agent = f.agent()
    client = login(agent)

    for path in ("/tickets/", "/customers/", "/workforce/"):
        response = client.get(path)
        assert (path, response.status_code, response["Cache-Control"]) == (path, 200, NO_STORE)
        assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_sign_in_page_keeps_its_own_no_cache_policy() -> None:
    response = Client().get("/login/")

    assert "no-store" in response["Cache-Control"]
    assert "must-revalidate" in response["Cache-Control"]  # Django's never_cache, not overwritten


def test_api_responses_are_not_stored_with_or_without_a_token() -> None:
    admin = f.manager()
    ok = ApiClient(admin).get("/tickets")
    refused = ApiClient(None).get("/tickets")

    assert (ok.status_code, ok["Cache-Control"]) == (200, NO_STORE)
    assert (refused.status_code, refused["Cache-Control"]) == (401, NO_STORE)


def test_attachments_are_not_stored(login) -> None:  # type: ignore[no-untyped-def]
    agent = f.agent()
    ticket = f.ticket(team=agent.teams.first())
    client = login(agent)
    upload = SimpleUploadedFile("log.txt", b"trace", content_type="text/plain")
    client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Log attached", "public": "1", "attachments": [upload]})
    attachment = Attachment.objects.get()

    response = client.get(f"/tickets/attachments/{attachment.pk}/")

    assert (response.status_code, response["Cache-Control"]) == (200, NO_STORE)


def test_static_files_keep_their_public_caching(login) -> None:  # type: ignore[no-untyped-def]
    response = login(f.agent()).get("/static/frontline/app.js")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
