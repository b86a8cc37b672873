"""The demo's insights: the inbox filled from surveys, tickets and imported reviews, labels,
topics from one TF-IDF run, the onboarding problem with its fix day and linked tickets, and a
reset that removes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import EventKind, TicketEvent
from frontline.insights import impact
from frontline.insights.models import FeedbackItem, Problem, RunState, Source, Topic, TopicRun

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_generate(seed=3, days=36, scale=0.15, anchor=ANCHOR)


def test_inbox_topics_and_the_onboarding_problem(demo) -> None:  # type: ignore[no-untyped-def]
    sources = set(FeedbackItem.objects.values_list("source", flat=True))
    assert sources == {Source.SURVEY, Source.TICKET, Source.REVIEW}
    assert not FeedbackItem.objects.filter(kind="").exists()
    run = TopicRun.objects.get()
    assert (run.state, run.backend) == (RunState.DONE, "tfidf") and run.topics == Topic.objects.filter(active=True).count()
    problem = Problem.objects.get(title="Confusing onboarding step")
    result = impact.problem_impact(problem=problem, today=ANCHOR.date())
    assert result.tickets > 0 and result.fix is not None
    assert TicketEvent.objects.filter(kind=EventKind.PROBLEM_LINKED).count() == result.tickets
    demo_reset()
    assert (FeedbackItem.objects.count(), Problem.objects.count(), Topic.objects.count()) == (0, 0, 0)
