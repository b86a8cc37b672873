"""The demo's surveys: settings, a realistic response rate, scores that follow the ticket's
experience, the two recurring complaints in the comments, NPS campaigns, the metrics export,
and a reset that removes them."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from statistics import mean

import pytest

from frontline.demo import surveys
from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import EventKind, TicketEvent
from frontline.desk.selectors import metrics_event_rows
from frontline.surveys.models import (
    NpsCampaign,
    Survey,
    SurveyConfig,
    SurveyResponse,
    SurveyRule,
    SurveyState,
)

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_generate(seed=3, days=36, scale=0.15, anchor=ANCHOR)


def test_settings_rates_scores_comments_and_campaigns(demo) -> None:  # type: ignore[no-untyped-def]
    sent = Survey.objects.filter(state=SurveyState.SENT)
    rate = SurveyResponse.objects.count() / sent.count()
    assert (SurveyConfig.objects.get().throttle_days, SurveyRule.objects.count()) == (7, 4)
    assert 0.18 <= rate <= 0.32, rate
    assert Survey.objects.filter(state=SurveyState.SKIPPED).exists()
    assert (demo.counts["surveys"], demo.counts["survey responses"]) == (sent.count(), SurveyResponse.objects.count())
    # scores follow the ticket's experience
    rows = SurveyResponse.objects.filter(survey__kind="csat").values_list("score", "survey__ticket__reopen_count")
    reopened = [s for s, r in rows if r]
    smooth = [s for s, r in rows if not r]
    assert mean(reopened) + 0.5 < mean(smooth), (mean(reopened), mean(smooth))
    # comments are varied and carry the two recurring complaints
    comments = list(SurveyResponse.objects.exclude(comment="").values_list("comment", flat=True))
    assert len(set(comments)) >= 0.8 * len(comments) >= 10
    # NPS campaigns, and every answer in the metrics export
    assert NpsCampaign.objects.count() == 2  # days 5 and 35 of the 36
    assert Survey.objects.filter(kind="nps", state=SurveyState.SENT).count() > 0
    answered = TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).count()
    surveys = [row for row in metrics_event_rows() if row[2] == "survey"]
    assert len(surveys) == answered >= SurveyResponse.objects.count()
    demo_reset()
    assert (Survey.objects.count(), SurveyResponse.objects.count(), SurveyRule.objects.count(),
            NpsCampaign.objects.count()) == (0, 0, 0, 0)


def test_comment_words_vary_and_follow_the_ticket() -> None:
    rng = random.Random(1)
    base = datetime(2026, 11, 1, tzinfo=UTC)

    def ticket(area: str, reopens: int = 0, first_reply_h: float = 1.0) -> surveys._Ticket:
        return surveys._Ticket(pk=1, customer_id=1, channel="email", queue="", queue_id=None, team_id=None, agent_id=None,
                               agent_name="Lena", solved_at=base, created_at=base, first_reply_h=first_reply_h,
                               reopens=reopens, area=area)

    onboarding = [surveys._comment(rng, ticket("Web app", reopens=1), "csat", 1) for _ in range(300)]
    delivery = [surveys._comment(rng, ticket("Delivery", first_reply_h=30), "csat", 2) for _ in range(300)]
    praise = [surveys._comment(rng, ticket("Delivery"), "csat", 5) for _ in range(300)]
    said = [c for c in onboarding + delivery + praise if c]
    assert len(set(said)) >= 150
    assert sum("workspace" in c for c in onboarding) >= 60
    assert sum("deliver" in c.lower() for c in delivery) >= 60
    assert not any("workspace" in c or "late" in c for c in praise)
