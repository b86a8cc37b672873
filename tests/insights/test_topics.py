"""Topics: discovery in the background (TF-IDF backend), stable identities and kept names across
re-runs, incremental assignment, merge, split, alerts against a topic's own baseline, labels and
the classifier evaluated on corrections; the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from frontline.insights import services
from frontline.insights.models import (
    Alert,
    AlertKind,
    ClassifierModel,
    FeedbackItem,
    RunState,
    Topic,
    TopicRun,
)
from frontline.insights.trends import monday
from tests import factories as f

from .conftest import in_running_week, item

pytestmark = pytest.mark.django_db

THEMES = {
    "delivery": ["my parcel delivery is late again", "the courier delivery never arrived", "parcel delivery late courier",
                 "late delivery of my parcel", "courier lost the parcel delivery"],
    "onboarding": ["the onboarding setup step is confusing", "confusing onboarding setup wizard",
                   "onboarding step setup makes no sense", "stuck at the onboarding setup step",
                   "setup onboarding step confusing again"],
    "billing": ["I was charged twice on my invoice", "double charge on the invoice", "invoice charged twice refund",
                "billing invoice shows a double charge", "refund the double invoice charge"],
}


def _inbox(copies: int = 3, at=None) -> None:  # type: ignore[no-untyped-def]
    at = at or timezone.now() - timedelta(days=1)
    for n in range(copies):
        for texts in THEMES.values():
            for text in texts:
                item(f"{text} {'!' * n}", at=at - timedelta(minutes=n))


def _run(actor=None, topic=None) -> TopicRun:  # type: ignore[no-untyped-def]
    run = services.topic_run_request(actor=actor, topic=topic)
    return services.topic_run_execute(run_id=run.pk, backend="tfidf")


def _themes_by_topic() -> dict[int, set[str]]:
    themes: dict[int, set[str]] = {}
    for text, topic_id in FeedbackItem.objects.values_list("text", "topic_id"):
        theme = next(name for name, texts in THEMES.items() if any(text.startswith(t) for t in texts))
        themes.setdefault(topic_id, set()).add(theme)
    return themes


def _topic_of(word: str) -> Topic:
    return FeedbackItem.objects.filter(text__contains=word).first().topic


def test_discovery_finds_the_themes_and_keeps_identities_and_names_across_runs() -> None:
    _inbox()
    run = _run()
    assert (run.state, run.backend, run.items) == (RunState.DONE, "tfidf", 45)
    before = _themes_by_topic()
    assert all(len(themes) == 1 for themes in before.values())  # no topic mixes two themes
    onboarding = _topic_of("onboarding")
    services.topic_rename(topic=onboarding, label="Onboarding wizard")
    again = _run()
    assert again.matched == len(before)
    assert _themes_by_topic() == before  # the same topics, with the same ids
    assert Topic.objects.get(pk=onboarding.pk).label == "Onboarding wizard"


def test_new_items_join_existing_topics_without_a_rerun() -> None:
    _inbox()
    _run()
    new = item("the courier says my parcel delivery is late")
    assert services.topics_assign_new() == 1
    new.refresh_from_db()
    assert new.topic == _topic_of("courier") and new.topic_similarity > 0


def test_one_run_at_a_time_and_a_minimum_of_feedback() -> None:
    with pytest.raises(ValidationError):
        services.topic_run_request(actor=None)
    _inbox()
    services.topic_run_request(actor=None)
    with pytest.raises(ValidationError):
        services.topic_run_request(actor=None)


def test_merge_moves_feedback_and_split_makes_two_topics() -> None:
    _inbox()
    _run()
    delivery, billing = _topic_of("courier"), _topic_of("invoice")
    sizes = delivery.size + billing.size
    merged = services.topic_merge(topic=billing, into=delivery)
    assert merged.size == sizes and not Topic.objects.get(pk=billing.pk).active
    assert FeedbackItem.objects.filter(topic=delivery).count() == sizes
    with pytest.raises(ValidationError):
        services.topic_merge(topic=delivery, into=delivery)
    split = _run(topic=delivery)
    assert split.state == RunState.DONE
    assert {_topic_of("courier").pk, _topic_of("invoice").pk} >= {delivery.pk}
    assert _topic_of("courier").pk != _topic_of("invoice").pk


def test_a_spike_in_one_week_is_an_alert_with_its_evidence() -> None:
    now = timezone.now()
    topic = Topic.objects.create(label="Delivery", created_at=now, size=0)
    this_week = monday(timezone.localdate())
    for weeks_ago in range(1, 13):  # two a week for twelve weeks
        day = this_week - timedelta(weeks=weeks_ago) + timedelta(days=2)
        for n in range(2):
            item(f"late {weeks_ago} {n}", at=now - (timezone.localdate() - day), topic=topic)
    for n in range(12):  # twelve in the current week
        item(f"late now {n}", at=in_running_week(n, 12), topic=topic)
    assert services.alerts_refresh() >= 1
    spike = Alert.objects.get(kind=AlertKind.SPIKE)
    assert (spike.topic, spike.week, spike.observed, spike.expected) == (topic, this_week, 12, 2.0)
    assert spike.p_value < 0.001 and "expected" in spike.evidence["reason"]
    assert services.alerts_refresh() >= 1 and Alert.objects.filter(kind=AlertKind.SPIKE).count() == 1


def test_labels_from_rules_then_a_classifier_scored_on_corrections() -> None:
    for text in ["Thanks, great support!", "Could you add dark mode?", "How do I reset my password?",
                 "The app crashes at login"]:
        item(text)
    assert services.feedback_label_pending() == 4
    assert FeedbackItem.objects.get(text__startswith="How do").kind == "question"
    assert FeedbackItem.objects.exclude(language="").count() == 4
    assert services.classifier_train(target="kind") is None  # too few corrections
    manager = f.manager()
    for text, kind in [("I love it, thank you", "praise"), ("great app, thanks", "praise"),
                       ("wonderful service thanks", "praise"), ("thanks for the quick help", "praise"),
                       ("the page is broken", "complaint"), ("app is broken again", "complaint"),
                       ("broken checkout page", "complaint"), ("login broken for days", "complaint"),
                       ("please add an export", "suggestion"), ("please add dark mode", "suggestion"),
                       ("please add a search", "suggestion"), ("please add filters", "suggestion")]:
        services.feedback_label_correct(item=item(text), actor=manager, kind=kind)
    row = services.classifier_train(target="kind")
    assert isinstance(row, ClassifierModel) and row.trained_on == 12 and row.evaluated_on == 12
    assert 0 <= row.accuracy <= 1 and 0 <= row.macro_f1 <= 1
    assert "cross-validation over 12 corrections" in row.method
    services.feedback_label_pending(relabel=True)
    assert FeedbackItem.objects.get(text="please add filters").kind == "suggestion"  # a person's label stays


def test_topic_pages_rename_merge_split_and_problem_from_topic(login) -> None:  # type: ignore[no-untyped-def]
    _inbox()
    _run()
    client = login(f.manager())
    home = client.get("/insights/")
    assert home.status_code == 200 and b"TF-IDF" in home.content and b"ml extra" in home.content
    topic = _topic_of("onboarding")
    page = client.get(f"/insights/topics/{topic.pk}/")
    assert page.status_code == 200 and b"Representative feedback" in page.content
    client.post(f"/insights/topics/{topic.pk}/edit/", {"action": "rename", "label": "Setup wizard"})
    assert Topic.objects.get(pk=topic.pk).label == "Setup wizard"
    client.post(f"/insights/topics/{topic.pk}/edit/", {"action": "rename", "label": "  "})
    assert Topic.objects.get(pk=topic.pk).label == "Setup wizard"
    client.post(f"/insights/topics/{topic.pk}/edit/", {"action": "split"})
    assert TopicRun.objects.filter(kind="split", state=RunState.QUEUED).count() == 1
    new = client.get(f"/insights/problems/new/?topic={topic.pk}")
    assert b"Setup wizard" in new.content
    assert client.post("/insights/topics/run/").status_code == 302
    assert client.get("/insights/topics/999999/").status_code == 404


@pytest.mark.parametrize("url", ["/insights/topics/1/", "/insights/topics/run/"])
def test_topics_are_for_managers(login, url) -> None:  # type: ignore[no-untyped-def]
    client = login(f.lead(leads=[f.team()]))
    assert (client.get(url) if "run" not in url else client.post(url)).status_code == 403


def test_the_metrics_dashboard_shows_a_line_of_alerts_to_managers_only(login) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    topic = Topic.objects.create(label="Late parcels", created_at=timezone.now(), size=5)
    Alert.objects.create(topic=topic, kind=AlertKind.SPIKE, week=date(2026, 11, 30), observed=12, expected=2.0,
                         p_value=1e-6, created_at=timezone.now())
    manager_page = login(f.manager()).get("/metrics/")
    assert b"Customer feedback alerts" in manager_page.content and b"Late parcels" in manager_page.content
    lead_page = login(f.lead(leads=[f.team()])).get("/metrics/")
    assert lead_page.status_code == 200 and b"Customer feedback alerts" not in lead_page.content
