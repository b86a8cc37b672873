"""QA in coaching: the agenda's QA line and a focus on a rubric criterion, from the quality app's selectors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from frontline.coaching import agenda, quality_bridge, services
from frontline.quality.models import Review, ReviewState, Score
from frontline.quality.services import CriterionSpec, SectionSpec, rubric_create
from tests import factories as f
from tests.coaching.conftest import NOW


def _rubric(actor):  # type: ignore[no-untyped-def]
    return rubric_create(name="Email quality", actor=actor, sections=(
        SectionSpec("Tone", (CriterionSpec("Shows empathy", scale="one_five", weight=1),)),))


def _review(*, agent, reviewer, version, at, total, empathy):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=agent.teams.first(), assignee=agent, at=at - timedelta(hours=1), notify=False)
    review = Review.objects.create(ticket=ticket, agent=agent, reviewer=reviewer, version=version,
                                   state=ReviewState.SUBMITTED, total=total, created_at=at, submitted_at=at)
    Score.objects.create(review=review, criterion=version.criteria.get(), value=empathy)
    return review


def test_qa_summary_against_the_rest_of_the_team(dept) -> None:  # type: ignore[no-untyped-def]
    version = _rubric(dept["boss"])
    for i in range(6):
        at = NOW - timedelta(days=2 + i)
        _review(agent=dept["ann"], reviewer=dept["lena"], version=version, at=at, total=60.0 + i, empathy=2)
        _review(agent=dept["bob"], reviewer=dept["lena"], version=version, at=at, total=90.0 + i, empathy=5)
    _review(agent=dept["tia"], reviewer=dept["tom"], version=version, at=NOW - timedelta(days=3), total=10.0,
            empathy=1)  # another team: not in Ann's comparison
    summary = agenda.agenda_build(agent=dept["ann"], now=NOW)["qa"]
    assert (summary["reviews"], summary["team_reviews"]) == (6, 6)
    assert round(summary["mean"], 4) == 0.625 and round(summary["team_mean"], 4) == 0.925
    assert summary["verdict"] == "worsened" and summary["low"] < summary["delta"] < summary["high"] < 0
    assert quality_bridge.criteria() == [(version.criteria.get().pk, "Email quality \u00b7 Shows empathy")]


def test_focus_on_a_criterion_compares_its_scores_before_and_after(dept) -> None:  # type: ignore[no-untyped-def]
    version = _rubric(dept["boss"])
    criterion = version.criteria.get()
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    focus = services.focus_add(actor=dept["lena"], session=session, behaviour="Acknowledge the frustration first",
                               criterion_id=criterion.pk)
    assert focus.criterion_name == "Email quality \u00b7 Shows empathy"
    day = NOW.replace(day=2, hour=12)
    for i in range(6):
        _review(agent=dept["ann"], reviewer=dept["lena"], version=version, at=day - timedelta(days=1 + 3 * i),
                total=50.0, empathy=2 + i % 2)
        _review(agent=dept["ann"], reviewer=dept["lena"], version=version, at=day + timedelta(days=1 + 3 * i),
                total=90.0, empathy=4 + i % 2)
    result = agenda.focus_followup(focus=focus, now=NOW)
    assert result["comparison"].before == 0.375 and result["comparison"].after == 0.875  # (value - 1) / 4
    assert result["verdict"] == "improved"


def test_an_unknown_criterion_is_refused(dept) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    with pytest.raises(ValidationError) as error:
        services.focus_add(actor=dept["lena"], session=session, behaviour="x", criterion_id=999999)
    assert "criterion" in error.value.message_dict
