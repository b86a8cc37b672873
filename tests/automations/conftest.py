"""Fixtures of the automation tests: rules run through the real task path (immediate backend, after
commit), a manager, a team with a lead and an agent."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from frontline.automations import services
from frontline.automations.models import Trigger
from tests import factories as f

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """``with run_tasks():`` runs what the block enqueues after commit (and what that enqueues)."""
    def runner():  # type: ignore[no-untyped-def]
        return django_capture_on_commit_callbacks(execute=True)

    with override_settings(TASKS=IMMEDIATE):
        yield runner


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Billing team")


@pytest.fixture
def lead(team):  # type: ignore[no-untyped-def]
    return f.lead(leads=[team], teams=[team], username="lena")


@pytest.fixture
def agent(team):  # type: ignore[no-untyped-def]
    return f.agent(teams=[team], username="ana", first_name="Ana")


@pytest.fixture
def manager():  # type: ignore[no-untyped-def]
    return f.manager(username="mia")


def make_rule(manager: Any, *, trigger: str = Trigger.TICKET_CREATED, conditions: Any = None,
              actions: Any = None, name: str = "A rule", **kw: Any):  # type: ignore[no-untyped-def]
    return services.rule_save(rule=None, actor=manager, name=name, trigger=trigger,
                              conditions={"all": []} if conditions is None else conditions,
                              actions=actions or [{"type": "add_tags", "value": ["auto"]}], **kw)
