"""The clock badge: what each state says, durations marked as business time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from frontline.sla.selectors import ClockView
from frontline.sla.templatetags.sla import sla_clock

T = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RUNNING = ClockView(kind="first_reply", label="First reply", sequence=1, state="running", at_risk=False,
                    target_minutes=240, started_at=T, stopped_at=None, due_at=T, breached_at=None, minutes=130)


@pytest.mark.parametrize(("clock", "text"), [
    (RUNNING, ">Due in 2 h 10 min</span> <span class=\"small muted\">(business time)"),
    (replace(RUNNING, at_risk=True, minutes=20), "sla-risk\" title=\"First reply: target 4 h of business time\">At risk · due in 20 min<"),
    (replace(RUNNING, state="breached", minutes=65), "sla-breached\" title=\"First reply: target 4 h of business time\">Breached 1 h 5 min ago<"),
    (replace(RUNNING, state="breached", stopped_at=T, minutes=90), ">Breached · stopped 1 h 30 min late</span> <span class=\"small muted\">(business time)"),
    (replace(RUNNING, state="met", stopped_at=T, minutes=None), ">Met</span>"),
    (replace(RUNNING, state="paused", minutes=None), ">Paused</span>"),
])
def test_the_badge_says_the_state_and_business_time(clock, text):  # type: ignore[no-untyped-def]
    assert text in sla_clock(clock)


def test_unmarked_it_leaves_business_time_to_the_column_header():
    assert sla_clock(RUNNING, marked=False).endswith(">Due in 2 h 10 min</span>")
