"""Demo staffing plans: one per finished forecast, targets by channel, no duplicates."""

from __future__ import annotations

import pytest

from frontline.workforce.demo_staffing import seed_staffing_plans
from frontline.workforce.models import RunStatus, StaffingPlan
from tests.workforce import staffing_factories as sf

pytestmark = pytest.mark.django_db


def test_one_plan_per_finished_forecast_with_channel_targets():
    phone = sf.forecast(rows=sf.day_rows(), channel="phone", name="Phone")
    email = sf.forecast(rows=sf.day_rows(), channel="email", name="Email")
    mixed = sf.forecast(rows=sf.day_rows(), name="All")
    running = sf.forecast(rows=sf.day_rows(), status=RunStatus.RUNNING)
    plans = seed_staffing_plans([phone, email, mixed, running])
    assert [p.forecast for p in plans] == [phone, email, mixed]
    by = {p.forecast.name: p for p in plans}
    assert (by["Phone"].threshold_s, by["Phone"].patience_s, by["Phone"].max_abandon) == (20, 180, 0.05)
    assert (by["Email"].threshold_s, by["Email"].max_occupancy) == (3600, 0.9)
    assert (by["All"].threshold_s, by["All"].target_sl, by["All"].shrinkage) == (600, 0.8, 0.2)
    assert seed_staffing_plans([phone, email, mixed]) == plans
    assert StaffingPlan.objects.count() == 3
