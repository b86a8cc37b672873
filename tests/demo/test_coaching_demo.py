"""The demo's coaching: cadences for every agent (a few overdue), agendas, focuses showing each verdict,
reviews at every stage, kudos, an onboarding plan for the newest hire, a policy half acknowledged; reset."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from frontline.coaching import agenda, selectors
from frontline.coaching.models import (
    CoachingPlan,
    Enrolment,
    Focus,
    Kudos,
    PerformanceReview,
    PolicyVersion,
    Session,
)
from frontline.demo.coaching import coaching_reset, demo_coaching
from frontline.demo.generator import demo_generate, demo_reset
from frontline.people.models import Role, User

pytestmark = pytest.mark.slow  # a demo build or schedule solves: started first (tests/conftest.py)

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    summary = demo_generate(seed=3, days=100, scale=0.15, anchor=ANCHOR)
    return summary, time.monotonic() - started


def test_coaching_demo(demo) -> None:  # type: ignore[no-untyped-def]
    summary, seconds = demo
    print(f"demo_generate: {seconds:.1f} s")
    agents = User.objects.filter(role=Role.AGENT, email__endswith="frontline-demo.example")
    assert CoachingPlan.objects.count() == agents.count() > 30
    lead = User.objects.get(username="lead")
    rows = selectors.cadence_rows(viewer=lead, today=ANCHOR.date())
    assert [r["person"].username for r in rows if r["overdue_days"]] == ["kwame.mensah"]
    assert Session.objects.exclude(agenda={}).count() >= 30
    verdicts = [agenda.focus_followup(focus=f, now=ANCHOR)["verdict"] for f in Focus.objects.all()]
    # the simulated agents do not react to coaching: at this small scale the verdicts are mostly "no change";
    # the full demo (scale 1) has more of each (docs/demo.md)
    assert "no_change" in verdicts and len(set(verdicts)) >= 2, verdicts
    assert set(PerformanceReview.objects.values_list("state", flat=True)) == {
        "draft", "submitted", "acknowledged", "signed_off"}
    assert Kudos.objects.count() == summary.counts["kudos"] >= 20
    newest = User.objects.filter(role=Role.AGENT).order_by("-agent_profile__start_date", "username").first()
    assert Enrolment.objects.get().hire == newest
    v2 = PolicyVersion.objects.get(number=2)
    staff = User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEAD], email__endswith="frontline-demo.example")
    assert abs(v2.acks.count() - staff.count() / 2) <= 1
    coaching_reset()
    started = time.monotonic()
    demo_coaching(anchor=ANCHOR, seed=3)
    print(f"demo_coaching: {time.monotonic() - started:.1f} s")
    demo_reset()
    assert (Session.objects.count(), PerformanceReview.objects.count(), PolicyVersion.objects.count()) == (0, 0, 0)


def test_coaching_demo_keeps_to_the_days_of_history(db) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    demo_generate(seed=3, days=30, scale=0.1, anchor=ANCHOR, desk_only=True)
    counts = demo_coaching(anchor=ANCHOR, seed=3, days=30)
    first_day = ANCHOR.date() - timedelta(days=30)
    assert counts["coaching sessions"] > 0
    assert min(Session.objects.values_list("scheduled_on", flat=True)) >= first_day
    assert min(Kudos.objects.values_list("created_at", flat=True)) >= ANCHOR - timedelta(days=30)
    assert CoachingPlan.objects.order_by("starts_on").first().starts_on >= first_day
