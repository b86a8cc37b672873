"""The demo's quality data: rubrics in versions, reviews with disagreement, responses, sampling,
two revealed calibration sessions whose ambiguous criterion is flagged, auto-QA results; reset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.demo.generator import demo_generate, demo_reset
from frontline.quality import calibration, calibration_views
from frontline.quality.models import (
    Assignment,
    AutoCheck,
    Calibration,
    Dispute,
    Review,
    Rubric,
    RubricVersion,
)

pytestmark = pytest.mark.slow  # a demo build or schedule solves: started first (tests/conftest.py)

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_generate(seed=3, days=60, scale=0.15, anchor=ANCHOR)


def test_quality_demo(demo) -> None:  # type: ignore[no-untyped-def]
    assert sorted(Rubric.objects.values_list("name", flat=True)) == ["Chat quality", "Email quality"]
    assert RubricVersion.objects.filter(rubric__name="Email quality").count() == 2
    reviews = Review.objects.filter(calibration__isnull=True)
    totals = [t for t in reviews.values_list("total", flat=True) if t is not None]
    assert reviews.count() == demo.counts["QA reviews"] >= 100
    assert 50 < sum(totals) / len(totals) < 90 and max(totals) - min(totals) > 40
    assert Dispute.objects.exists() and reviews.filter(agent_response="acknowledged").exists()
    assert Assignment.objects.exists()
    sessions = list(Calibration.objects.order_by("created_at"))
    assert [s.state for s in sessions] == ["revealed", "revealed"] and sessions[1].expert is not None
    flags = {r.criterion.key: r.flag for r in calibration.reliability(session=sessions[1]).criteria}
    assert flags["shows-empathy"] == "rewrite"
    for session in sessions:  # realistic agreement: most criteria agree, one or two are flagged
        measured = [r.flag for r in calibration.reliability(session=session).criteria if r.flag != "unknown"]
        assert measured.count("rewrite") <= 2 and measured.count("acceptable") > len(measured) / 2, measured
    manager = sessions[0].created_by
    points = calibration.reliability_over_time(viewer=manager)
    assert len(points) == 2
    assert "<svg" in calibration_views.criteria_chart(points) and "<svg" in calibration_views.trend_chart(points)
    assert AutoCheck.objects.filter(ticket_id__in=reviews.values("ticket_id")).exists()
    demo_reset()
    assert not Review.objects.exists() and not Rubric.objects.exists()
