"""The demo's insights: the feedback inbox filled from the demo's survey comments and first
customer messages (tickets of the last six weeks), a few reviews imported through the CSV path, labels, one topic discovery
(TF-IDF backend: no torch needed), and the problem "Confusing onboarding step" linked to the
tickets whose feedback talks about the onboarding workspace step, with its fix shipped three
weeks before the anchor so the before / after comparison shows.

Written after the surveys (it reads their comments); deterministic from the data.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from django.db.models import Q

from frontline.insights import services
from frontline.insights.models import (
    Alert,
    ClassifierModel,
    FeedbackItem,
    ImportBatch,
    InsightsConfig,
    Problem,
    ProblemStatus,
    ProblemTicket,
    Topic,
    TopicRun,
)
from frontline.insights.services.problems import ProblemFields, problem_create, problem_link_tickets
from frontline.people.models import User

FIX_DAYS_AGO = 21
TICKET_DAYS = 42  # first messages of the last six weeks' tickets (all survey comments): keeps the build short
REVIEWS = (
    ("as-101", 2, "The onboarding is confusing: the step where you connect a workspace makes no sense."),
    ("as-102", 5, "Great support team, they answered within minutes."),
    ("as-103", 1, "Delivery took three weeks and nobody told me it was delayed."),
    ("as-104", 4, "Good app. It would be nice to export reports to PDF."),
    ("as-105", 2, "Almost gave up during onboarding, the workspace linking step is a maze."),
    ("as-106", 3, "How do I change the billing address on my account?"),
    ("as-107", 1, "My parcel was late again, the tracking said in transit for ten days."),
    ("as-108", 5, "Thanks for the quick refund, very smooth."),
    ("as-109", 2, "Could you add a dark mode? The screen is very bright at night."),
    ("as-110", 1, "Charged twice for the same order and still waiting for the refund."),
)
ONBOARDING = ("onboarding", "workspace step", "workspace linking", "connect a workspace")


def _reviews_csv(anchor: datetime) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "rating", "date", "review"])
    for n, (review_id, stars, text) in enumerate(REVIEWS):
        writer.writerow([review_id, stars, (anchor - timedelta(days=3 + 4 * n)).date().isoformat(), text])
    return out.getvalue().encode()


def demo_insights(*, anchor: datetime) -> dict[str, int]:
    """Fill the inbox, label it, find topics, record the onboarding problem; returns counts."""
    manager = User.objects.get(username="manager")
    synced = services.feedback_sync(since=None, at=anchor, tickets_since=anchor - timedelta(days=TICKET_DAYS))
    batch = services.batch_upload(filename="app-store-reviews.csv", data=_reviews_csv(anchor), actor=manager, at=anchor)
    services.batch_start(batch=batch, mapping=batch.mapping, source_name="App Store")
    services.batch_run(batch_id=batch.pk)
    services.feedback_label_pending()
    run = services.topic_run_request(actor=manager, at=anchor)
    run = services.topic_run_execute(run_id=run.pk, backend="tfidf")
    mention = Q()
    for phrase in ONBOARDING:
        mention |= Q(text__icontains=phrase)
    onboarding = FeedbackItem.objects.filter(mention)
    problem = problem_create(fields=ProblemFields(
        title="Confusing onboarding step", department="product",
        description="Customers get stuck at the onboarding step that connects a workspace; many open a ticket to get "
                    "past it and some mention cancelling.",
        external_url="https://tracker.frontline.example/PRODUCT-142", status=ProblemStatus.FIX_SHIPPED,
        fix_shipped_on=(anchor - timedelta(days=FIX_DAYS_AGO)).date()), actor=manager, at=anchor)
    problem.feedback.add(*onboarding.values_list("pk", flat=True))
    ticket_ids = sorted(set(onboarding.exclude(ticket__isnull=True).values_list("ticket_id", flat=True)))
    if ticket_ids:
        problem_link_tickets(problem=problem, ticket_ids=ticket_ids, actor=manager, at=anchor)
    return {"feedback items": FeedbackItem.objects.count(), "feedback synced": synced["added"],
            "topics": run.topics, "problem tickets": len(ticket_ids)}


def insights_reset() -> None:
    """Remove every insights row (the problem_linked events go with the tickets)."""
    ProblemTicket.objects.all().delete()
    Problem.objects.all().delete()
    Alert.objects.all().delete()
    FeedbackItem.objects.all().delete()
    Topic.objects.all().delete()
    TopicRun.objects.all().delete()
    ImportBatch.objects.all().delete()
    ClassifierModel.objects.all().delete()
    InsightsConfig.objects.all().delete()
