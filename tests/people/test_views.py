"""People pages: numbers in the shared formats."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from frontline.people.models import AgentProfile, ApiToken
from frontline.people.services import api_token_create, api_token_revoke
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_people_list_shows_contracted_hours_with_one_decimal(login):  # type: ignore[no-untyped-def]
    part_time = f.agent()
    AgentProfile.objects.filter(user=part_time).update(contracted_hours_per_week=Decimal("37.50"))
    f.agent()
    page = login(f.manager()).get("/people/").content.decode()
    assert "37.5 h" in page and "40 h" in page and "40.00" not in page


def test_token_list_dates_read_as_day_month_year_in_the_viewers_zone(login):  # type: ignore[no-untyped-def]
    agent = f.agent(time_zone="Asia/Tokyo")
    issued = api_token_create(user=agent, name="CRM")
    api_token_revoke(token=issued.token, actor=agent)
    ApiToken.objects.filter(pk=issued.token.pk).update(
        created_at=datetime(2026, 12, 6, 23, 30, tzinfo=UTC), revoked_at=datetime(2026, 12, 6, 23, 45, tzinfo=UTC))
    page = login(agent).get("/people/me/tokens/").content.decode()
    assert "7 Dec 2026, 08:30" in page and "Revoked 7 Dec 2026" in page
