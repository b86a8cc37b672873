"""Fixtures of the survey tests: a default CSAT rule, a solved ticket, a loopback SMTP server."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from frontline.desk.services import ticket_status_change
from frontline.surveys.models import SurveyRule
from tests import factories as f
from tests.smtp import smtp_server

LINK = re.compile(r"https?://\S+/s/(\S+?)/(\d+)/")


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def rule():  # type: ignore[no-untyped-def]
    return SurveyRule.objects.create(channel="", queue=None, survey="csat", delay_minutes=60)


def solve(ticket, at: datetime | None = None):  # type: ignore[no-untyped-def]
    return ticket_status_change(ticket=ticket, status=f.status("solved"), actor=None, at=at or timezone.now())


def solved_ticket(*, at: datetime | None = None, **kw):  # type: ignore[no-untyped-def]
    at = at or timezone.now() - timedelta(hours=3)
    kw.setdefault("at", at - timedelta(hours=2))
    ticket = f.ticket(**kw)
    return solve(ticket, at=at)


def links_in(body: str) -> dict[int, str]:
    """score -> the path of its rating link, from an email body."""
    return {int(m.group(2)): m.group(0).split("://", 1)[1].split("/", 1)[1] for m in LINK.finditer(body)}
