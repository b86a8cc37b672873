"""Background work of insights (Django Tasks API): imports, syncing, labelling, training."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from frontline.core import background

from . import services


@background.runs_as("insights.import")
@task()
def import_batch(batch_id: int) -> str:
    """Import a mapped CSV batch (progress on its page)."""
    batch = services.batch_run(batch_id=batch_id)
    return f"{batch.imported} imported, {batch.duplicates} duplicates, {len(batch.errors)} rows skipped"


@background.runs_as("insights.sync")
@task()
def sync() -> str:
    """Bring recent survey comments and first customer messages in (periodic: INSIGHTS_SYNC_EVERY_S)."""
    since = timezone.now() - timedelta(seconds=2 * settings.INSIGHTS_SYNC_EVERY_S + 3600)
    outcome = services.feedback_sync(since=since)
    return f"{outcome['added']} added, {outcome['updated']} updated"


@background.runs_as("insights.label")
@task()
def label() -> str:
    """Label new feedback (kind, sentiment, language) and place it in the existing topics."""
    done = services.feedback_label_pending()
    placed = services.topics_assign_new()
    return f"{done} items labelled, {placed} placed in topics"


@background.runs_as("insights.train")
@task()
def train() -> str:
    """Retrain the kind and sentiment classifiers on the corrections, then relabel."""
    outcome = []
    for target in services.labels.TARGETS:
        row = services.classifier_train(target=target)
        outcome.append(f"{target}: {'too few corrections' if row is None else row.method}")
    services.feedback_label_pending(relabel=True)
    return "; ".join(outcome)


@background.runs_as("insights.topics")
@task()
def topics(run_id: int) -> str:
    """Discover topics over the inbox, or split one topic (progress on the insights page)."""
    run = services.topic_run_execute(run_id=run_id)
    return f"{run.topics} topics ({run.backend}), {run.matched} kept from the run before"


@background.runs_as("insights.alerts")
@task()
def alerts() -> str:
    """Recompute spike and emerging-topic alerts (periodic: daily)."""
    return f"{services.alerts_refresh()} alerts"


background.every("insights.alerts", 24 * 3600)
background.every("insights.sync", settings.INSIGHTS_SYNC_EVERY_S)
