"""Property-based fuzzing of every endpoint from the OpenAPI schema: whatever a client sends,
the API answers without a server error (schemathesis, in-process through WSGI)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from frontline.people.services import api_token_create
from frontline.wsgi import application
from tests import factories as f

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Few examples per operation in the everyday suite; FRONTLINE_FUZZ_EXAMPLES=500 for a long hunt.
EXAMPLES = int(os.environ.get("FRONTLINE_FUZZ_EXAMPLES", "10"))


@pytest.fixture
def bearer(db):  # type: ignore[no-untyped-def]
    """A manager's token, and a little data for ids to hit.

    Requests go straight to the WSGI app, so, as Django's own test client does, the handler
    must not close the test's database connection at the end of each request.
    """
    team = f.team()
    agent = f.agent(teams=[team])
    f.ticket(team=team, assignee=agent, tags=["vip"])
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {api_token_create(user=f.manager(), name='fuzz').secret}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, bearer):  # type: ignore[no-untyped-def]
    response = case.call(headers=bearer)
    case.validate_response(response, checks=[not_a_server_error])
