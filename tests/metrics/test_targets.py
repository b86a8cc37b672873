"""Targets (frontline/metrics/services.py target_set, target_selectors.py): versions, validation,
status and projection from the data, an agent's goals on their dashboard and on their lead's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.metrics.models import Target
from frontline.metrics.periods import period_of
from frontline.metrics.selectors import Scope
from frontline.metrics.services import target_set
from frontline.metrics.target_selectors import targets_for_dashboard
from tests.metrics.conftest import WEEK_QUERY

pytestmark = pytest.mark.django_db

# Thursday noon of the conftest's week: 3.5 of its 7 days are gone
NOW = datetime(2026, 3, 5, 12, tzinfo=UTC)


def test_changing_a_target_keeps_the_old_one(department):
    boss, billing = department["boss"], department["billing"].pk
    first = target_set(actor=boss, kpi="one_touch_rate", period="month", value=60, team=billing,
                       at=datetime(2026, 2, 1, tzinfo=UTC))
    second = target_set(actor=boss, kpi="one_touch_rate", period="month", value=70, team=billing,
                        at=datetime(2026, 3, 1, tzinfo=UTC))
    first.refresh_from_db()
    assert (first.value, first.superseded_at) == (0.6, datetime(2026, 3, 1, tzinfo=UTC))
    assert (second.value, second.superseded_at) == (0.7, None)
    assert Target.objects.filter(superseded_at__isnull=True, kpi="one_touch_rate").count() == 1


@pytest.mark.parametrize(("kpi", "value", "field"), [
    ("csat", 101, "value"), ("nps", -101, "value"), ("first_reply_median", -1, "value"),
    ("nonsense", 1, "kpi"), ("csat", float("nan"), "value"),
])
def test_bad_targets_name_the_field_and_write_nothing(department, kpi, value, field):
    with pytest.raises(ValidationError) as error:
        target_set(actor=department["boss"], kpi=kpi, period="month", value=value)
    assert field in error.value.message_dict
    assert not Target.objects.exists()


def test_a_team_and_an_agent_at_once_is_refused(department):
    with pytest.raises(ValidationError):
        target_set(actor=department["boss"], kpi="csat", period="month", value=80, team=department["billing"].pk,
                   agent=department["ann"].pk)


def test_a_lead_cannot_set_another_teams_target_through_the_service(department):
    with pytest.raises(PermissionDenied):
        target_set(actor=department["lena"], kpi="csat", period="month", value=80, team=department["tech"].pk)
    with pytest.raises(PermissionDenied):
        target_set(actor=department["lena"], kpi="csat", period="month", value=80, agent=department["tia"].pk)


def test_status_and_projection_come_from_the_data(department):
    # Billing's week: b1 and b2 solved (2 of 3 tickets); 3.5 days gone: 2 solved project to 4.
    target_set(actor=department["boss"], kpi="solved", period="week", value=4, team=department["billing"].pk)
    target_set(actor=department["boss"], kpi="solved", period="week", value=5, team=department["billing"].pk,
               at=datetime(2026, 3, 5, 13, tzinfo=UTC))  # supersedes: only the 5 counts
    week = period_of("week", NOW.date(), UTC)
    goals = targets_for_dashboard(viewer=department["boss"], scope=Scope(team_ids=frozenset({department["billing"].pk})),
                                  period=week, now=NOW)
    assert [(g.target.value, g.actual, g.status.projected, g.status.status) for g in goals] == [(5, 2, 4, "at_risk")]


def test_an_agents_goal_shows_on_their_dashboard_and_on_their_leads(department, login):
    target_set(actor=department["lena"], kpi="handle_time_mean", period="week", value=1234, agent=department["ann"].pk)
    for who in ("ann", "lena"):
        page = login(department[who]).get("/metrics/", WEEK_QUERY).content.decode()
        assert "Average handle time per ticket" in page
        assert "20 min 34 s" in page  # 1234 s
    assert "20 min 34 s" not in login(department["tom"]).get("/metrics/", WEEK_QUERY).content.decode()


def test_the_targets_page_shows_the_history(department, login):
    boss = department["boss"]
    target_set(actor=boss, kpi="csat", period="quarter", value=80, at=datetime(2026, 1, 1, tzinfo=UTC))
    target_set(actor=boss, kpi="csat", period="quarter", value=85, at=datetime(2026, 2, 1, tzinfo=UTC))
    page = login(department["ann"]).get("/metrics/targets/").content.decode()
    assert "85.0 %" in page and "80.0 %" in page and "History" in page
    assert "Set target" not in page  # agents read only
