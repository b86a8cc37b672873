"""Topic discovery over the inbox, stable topic identities, incremental assignment, and the
manager's edits (rename, merge, split).

A run (``TopicRun``, task ``insights.topics``) embeds every feedback text with a freshly fitted
embedder (``engine.insights.embedder("auto")``: MiniLM when the ``ml`` extra is installed, else
TF-IDF + LSA), discovers topics without being told how many, and keeps identities: each earlier
topic's centroid is recomputed **in the new run's vector space** from its current members, and
``engine.insights.match_topics`` (Hungarian assignment on cosine similarity) maps new topics onto
earlier ones; a matched topic keeps its id and a person's name for it, an unmatched earlier topic
is retired (inactive), an unmatched new one is created. The run keeps its fitted embedder so that
new items are placed into the existing topics (``topics_assign_new``) without a re-run.
"""

from __future__ import annotations

import pickle
import traceback
from collections import defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from frontline.core import background
from frontline.people.models import User

from ..models import FeedbackItem, Problem, RunState, Topic, TopicRun
from .text import text_clean
from .trends import alerts_refresh

MATCH_SIMILARITY = 0.5  # an earlier topic continues when its centroid is at least this similar
MIN_ITEMS = 10
FIT_SAMPLE = 3000  # the embedder learns its vocabulary and projection from at most this many texts
LABEL_MAX = 120


def _engine() -> Any:
    from frontline.engine import insights

    return insights


def topic_run_request(*, actor: User | None, topic: Topic | None = None, at: datetime | None = None) -> TopicRun:
    """Queue a discovery (or, with ``topic``, a split of that topic); one run at a time."""
    with transaction.atomic():
        busy = TopicRun.objects.select_for_update().filter(state__in=[RunState.QUEUED, RunState.RUNNING]).exists()
        if busy:
            raise ValidationError({"run": ["A topic run is already queued or running; wait for it to finish."]})
        if topic is not None and (not topic.active or FeedbackItem.objects.filter(topic=topic).count() < 4):
            raise ValidationError({"topic": ["A topic needs at least 4 items to be split."]})
        if topic is None and FeedbackItem.objects.count() < MIN_ITEMS:
            raise ValidationError({"run": [f"Topics need at least {MIN_ITEMS} feedback items."]})
        run = TopicRun.objects.create(kind="split" if topic else "discover", split_topic=topic, requested_by=actor,
                                      created_at=at or timezone.now(), step="Waiting for a worker")
        background.enqueue_on_commit("insights.topics", run.pk)
    return run


def _progress(run: TopicRun, percent: int, step: str) -> None:
    TopicRun.objects.filter(pk=run.pk).update(progress=percent, step=step)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def topic_run_execute(*, run_id: int, backend: str = "auto") -> TopicRun:
    """Do a queued run (the task calls this); failures are recorded on the run."""
    run = TopicRun.objects.get(pk=run_id)
    if run.state != RunState.QUEUED:
        return run
    TopicRun.objects.filter(pk=run.pk).update(state=RunState.RUNNING, started_at=timezone.now(), progress=1,
                                              step="Reading feedback")
    try:
        if run.kind == "split":
            _split(run)
        else:
            _discover(run, backend)
    except Exception as error:
        TopicRun.objects.filter(pk=run.pk).update(
            state=RunState.FAILED, finished_at=timezone.now(), step="Failed",
            error=f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"[:4000])
        raise
    run.refresh_from_db()
    return run


def _discover(run: TopicRun, backend: str) -> None:
    engine = _engine()
    rows = list(FeedbackItem.objects.order_by("id").values_list("id", "text", "topic_id"))
    ids = [r[0] for r in rows]
    texts = [r[1] for r in rows]
    embedder = engine.embedder(backend=backend)
    _progress(run, 10, f"Embedding {len(texts)} texts ({embedder.backend})")
    sample = texts if len(texts) <= FIT_SAMPLE else \
        [texts[i] for i in sorted(np.random.default_rng(0).choice(len(texts), FIT_SAMPLE, replace=False))]
    vectors = embedder.fit(sample).transform(texts)
    _progress(run, 50, "Finding topics")
    model = engine.discover_topics(vectors, texts, seed=0, backend=embedder.backend)
    _progress(run, 80, "Matching earlier topics")
    members: dict[int, list[int]] = defaultdict(list)
    for position, (_, _, topic_id) in enumerate(rows):
        if topic_id is not None:
            members[topic_id].append(position)
    active = set(Topic.objects.filter(active=True, pk__in=list(members)).values_list("pk", flat=True))
    old = {t: _unit(vectors[positions].mean(axis=0)) for t, positions in members.items() if t in active}
    matches = engine.match_topics(old, model, min_similarity=MATCH_SIMILARITY) if old else {}
    now = timezone.now()
    with transaction.atomic():
        topic_of: dict[int, Topic] = {}
        existing = Topic.objects.in_bulk(list(matches.values()))
        for found in model.topics:
            reps = [ids[i] for i in found.representatives]
            centroid = [round(float(x), 6) for x in found.centroid]
            if found.id in matches:
                topic = existing[matches[found.id]]
                if not topic.renamed:
                    topic.label = found.label[:LABEL_MAX]
                topic.keywords, topic.centroid, topic.size = list(found.keywords), centroid, found.size
                topic.representatives, topic.run, topic.active, topic.merged_into = reps, run, True, None
                topic.save(update_fields=["label", "keywords", "centroid", "size", "representatives", "run", "active",
                                          "merged_into"])
            else:
                topic = Topic.objects.create(label=found.label[:LABEL_MAX], keywords=list(found.keywords),
                                             centroid=centroid, size=found.size, representatives=reps, run=run,
                                             created_at=now)
            topic_of[found.id] = topic
        kept = {t.pk for t in topic_of.values()}
        Topic.objects.filter(active=True).exclude(pk__in=kept).update(active=False, size=0)
        members_of: dict[int | None, list[int]] = defaultdict(list)
        for position, label in enumerate(model.labels.tolist()):
            topic = topic_of.get(label)
            members_of[topic.pk if topic is not None else None].append(ids[position])
        _progress(run, 90, "Saving")
        for topic_id, pks in members_of.items():  # one UPDATE per topic, not per item
            for start in range(0, len(pks), 5000):
                FeedbackItem.objects.filter(pk__in=pks[start:start + 5000]).update(
                    topic_id=topic_id, topic_similarity=None, topic_run=run)
        TopicRun.objects.filter(pk=run.pk).update(
            state=RunState.DONE, progress=100, step="Done", finished_at=timezone.now(), backend=embedder.backend,
            missing=(embedder.missing or "")[:300], embedder=pickle.dumps(embedder), items=len(ids),
            topics=len(model.topics), matched=len(matches), assign_threshold=float(model.assign_threshold))
    # Items added while the run was working were not in it: place them now.
    topics_assign_new()
    alerts_refresh()


def _current_embedder() -> tuple[TopicRun, Any] | None:
    run = TopicRun.objects.filter(state=RunState.DONE, kind="discover").order_by("-finished_at", "-id").first()
    if run is None or not run.embedder:
        return None
    return run, pickle.loads(bytes(run.embedder))


def topics_assign_new(*, limit: int = 20_000) -> int:
    """Place items not yet seen by the current run's embedder into the active topics (those
    below the run's similarity threshold stay without a topic until the next run)."""
    current = _current_embedder()
    if current is None:
        return 0
    run, embedder = current
    pending = list(FeedbackItem.objects.filter(topic_run__isnull=True).order_by("id").values_list("id", "text")[:limit])
    topics = list(Topic.objects.filter(active=True).exclude(centroid=[]).values_list("pk", "centroid"))
    if not pending or not topics:
        return 0
    engine = _engine()
    vectors = embedder.transform([t for _, t in pending])
    labels, similarities = engine.assign({pk: np.asarray(c, dtype=np.float32) for pk, c in topics}, vectors,
                                         min_similarity=run.assign_threshold)
    with transaction.atomic():
        items = [FeedbackItem(pk=pk, topic_id=int(label) if label >= 0 else None,
                              topic_similarity=float(similarity), topic_run=run)
                 for (pk, _), label, similarity in zip(pending, labels.tolist(), similarities.tolist(), strict=True)]
        FeedbackItem.objects.bulk_update(items, ["topic", "topic_similarity", "topic_run"], batch_size=1000)
        _resize()
    return len(items)


def _resize() -> None:
    """Each active topic's size from its items (one grouped count, not a row per item)."""
    sizes = dict(FeedbackItem.objects.filter(topic__active=True).values_list("topic_id")
                 .annotate(n=Count("id")).order_by())
    for topic in Topic.objects.filter(active=True):
        if topic.size != sizes.get(topic.pk, 0):
            topic.size = sizes.get(topic.pk, 0)
            topic.save(update_fields=["size"])


def topic_rename(*, topic: Topic, label: str) -> Topic:
    clean = text_clean(label)[:LABEL_MAX]
    if not clean:
        raise ValidationError({"label": ["Give the topic a name."]})
    topic.label, topic.renamed = clean, True
    topic.save(update_fields=["label", "renamed"])
    return topic


def topic_merge(*, topic: Topic, into: Topic) -> Topic:
    """Move ``topic``'s feedback (and problems) into ``into``; ``topic`` is retired."""
    if topic.pk == into.pk:
        raise ValidationError({"into": ["Choose another topic to merge into."]})
    if not topic.active or not into.active:
        raise ValidationError({"into": ["Both topics must be current."]})
    with transaction.atomic():
        a = np.asarray(topic.centroid, dtype=np.float64)
        b = np.asarray(into.centroid, dtype=np.float64)
        if a.size and a.shape == b.shape:
            into.centroid = [round(float(x), 6) for x in _unit(a * topic.size + b * into.size)]
        FeedbackItem.objects.filter(topic=topic).update(topic=into)
        Problem.objects.filter(topic=topic).update(topic=into)
        into.size += topic.size
        into.keywords = list(dict.fromkeys(into.keywords + topic.keywords))[:10]
        into.save(update_fields=["centroid", "size", "keywords"])
        topic.active, topic.merged_into, topic.size = False, into, 0
        topic.save(update_fields=["active", "merged_into", "size"])
    return into


def _split(run: TopicRun) -> None:
    """Re-cluster one topic into two (k-means, k = 2, on the current embedder's vectors); the
    larger part keeps the topic's id, the other becomes a new topic."""
    from sklearn.cluster import KMeans

    engine = _engine()
    topic = Topic.objects.get(pk=run.split_topic_id)
    current = _current_embedder()
    if current is None:
        raise ValueError("no finished discovery run: run topic discovery first")
    base, embedder = current
    rows = list(FeedbackItem.objects.filter(topic=topic).order_by("id").values_list("id", "text"))
    texts = [t for _, t in rows]
    _progress(run, 30, f"Embedding {len(texts)} texts")
    vectors = embedder.transform(texts)
    _progress(run, 60, "Splitting in two")
    labels = KMeans(n_clusters=2, random_state=0, n_init=10).fit_predict(vectors)
    if np.sum(labels == 0) < np.sum(labels == 1):
        labels = 1 - labels
    keywords = engine.topic_keywords(texts, labels)
    now = timezone.now()
    with transaction.atomic():
        parts = {}
        for part in (0, 1):
            mask = labels == part
            centroid = _unit(vectors[mask].mean(axis=0))
            similarity = vectors[mask] @ centroid
            order = np.argsort(-similarity)[:5]
            member_ids = [rows[i][0] for i in np.flatnonzero(mask)]
            parts[part] = (member_ids, [round(float(x), 6) for x in centroid],
                           [member_ids[i] for i in order], keywords.get(part, []), similarity)
        ids0, centroid0, reps0, words0, _ = parts[0]
        topic.centroid, topic.size, topic.representatives, topic.keywords = centroid0, len(ids0), reps0, words0
        if not topic.renamed:
            topic.label = engine.topic_label(words0)[:LABEL_MAX]
        topic.save(update_fields=["centroid", "size", "representatives", "keywords", "label"])
        ids1, centroid1, reps1, words1, _ = parts[1]
        other = Topic.objects.create(label=engine.topic_label(words1)[:LABEL_MAX], keywords=words1, centroid=centroid1,
                                     size=len(ids1), representatives=reps1, run=base, created_at=now)
        FeedbackItem.objects.filter(pk__in=ids1).update(topic=other)
        TopicRun.objects.filter(pk=run.pk).update(
            state=RunState.DONE, progress=100, step=f"Split into “{topic.label}” and “{other.label}”",
            finished_at=timezone.now(), backend=base.backend, items=len(rows), topics=2)
