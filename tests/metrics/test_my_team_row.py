"""An agent's "My team" row on /metrics/ (read from the team's sample) equals the team's numbers and link
over every fact row. (Apart from tests/metrics/test_analysis_sql.py, whose data is built once per module.)"""

from __future__ import annotations

import pytest

from frontline.metrics.dashboard import card_values, tickets_link
from frontline.metrics.selectors import Scope, fact_rows, kpis_of_rows
from tests.metrics.conftest import WEEK_QUERY

pytestmark = pytest.mark.django_db


def test_an_agents_team_row_is_the_teams_numbers(department: dict, login) -> None:  # type: ignore[no-untyped-def]
    page = login(department["ann"]).get("/metrics/", WEEK_QUERY)
    assert page.status_code == 200
    mine = page.context["my_team"]
    scope = Scope(team_ids=frozenset({department["billing"].pk}))
    rows = fact_rows(scope=scope, period=page.context["period"])
    assert mine["values"] == card_values(kpis_of_rows(rows))
    assert mine["link"] == tickets_link(rows, scope=scope, period=page.context["period"])
