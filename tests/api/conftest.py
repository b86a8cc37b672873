"""An HTTP client for the API that signs requests with a fresh personal token of the given user."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from frontline.people.models import User
from frontline.people.services import api_token_create

BASE = "/api/v1"


class ApiClient:
    def __init__(self, user: User | None, *, secret: str | None = None) -> None:
        self.client = Client()
        self.user = user
        self.secret = secret or (api_token_create(user=user, name="tests").secret if user else "")
        self.headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(BASE + path, data, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.patch(BASE + path, data, content_type="application/json", headers=self.headers)


def fields_of(response: Any) -> set[str]:
    """The field names a 422 response complains about."""
    return {e["field"] for e in response.json()["errors"]}
