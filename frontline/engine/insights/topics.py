"""Topics in feedback: discovered without being told how many, kept stable across re-runs.

:func:`discover_topics` clusters unit-length sentence vectors (from
:class:`~frontline.engine.insights.embed.Embedder`) and describes each cluster:

1. **Tree.** Average-linkage agglomerative clustering on cosine distance. With more than
   ``sample_size`` items the tree is built on a seeded random sample (the rest join in step 3),
   which keeps memory and time linear in the number of items.
2. **Cut, k not given.** The tree is cut where merging two groups would put their mean pairwise
   cosine distance above ``threshold``: a topic is a group of texts that are, on average, at
   least ``1 - threshold`` similar to each other. The number of topics follows from the data.
   The default threshold depends on the embedding backend (:data:`THRESHOLDS`: MiniLM 0.40) and
   was chosen on banking77 *train* only, on random subsets the size of the test split
   (``python -m bench.eval_insights --tune``); ``make eval`` reports it on the untouched test
   split (docs/insights-engine.md).
3. **Small clusters and the rest.** A topic holds at least ``min_topic_size`` items. In a sample
   of ``m`` of ``n`` items a topic shows about ``min_topic_size * m / n`` of them, so that (at
   least 2) is the bar for a sample cluster; smaller clusters' items, and the items outside the
   sample, join the topic with the nearest centroid; a topic then still under
   ``min_topic_size`` is dropped and its items join their nearest remaining topic (every item
   gets a topic: :func:`discover_topics` leaves no ``-1``; :func:`assign` has the similarity
   floor for new items). Centroids are then the normalised means of the members.
4. **Description.** Keywords by class-based TF-IDF (c-TF-IDF, as in BERTopic: a term's
   frequency in the topic, times ``log(1 + A / f)`` where ``A`` is the mean number of words per
   topic and ``f`` the term's frequency over all topics), terms counted per text and summed per
   topic (sparse), contractions kept whole and dropped with the English stop words, bigrams
   only of words next to each other (:func:`~frontline.engine.insights.keywords.keyword_terms`); the label is the top three keywords that do not repeat each other;
   representatives are the members nearest the centroid.

Every step after the tree is linear in the number of items (one pass or one sparse product per
step, never a scan per topic), so at 100,000 items the embedding dominates.

Topic ids are ``0 .. k-1`` by decreasing size (ties by first member). :func:`match_topics` maps
the ids of a new run onto those of an earlier run (Hungarian assignment on centroid cosine
similarity), and :func:`assign` puts new items into existing topics.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> centres = np.eye(3, 8)
>>> vectors = np.repeat(centres, 20, axis=0) + rng.normal(0, 0.05, (60, 8))
>>> texts = ["card arrived late"] * 20 + ["refund money back"] * 20 + ["app login fails"] * 20
>>> model = discover_topics(vectors, texts)
>>> len(model.topics), sorted(t.size for t in model.topics)
(3, [20, 20, 20])
>>> sorted(t.label for t in model.topics)
['app / fails / login', 'arrived / card / late', 'money / refund']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .keywords import topic_keywords, topic_label

# Chosen on banking77 train only (python -m bench.eval_insights --tune prints the search).
THRESHOLDS = {"minilm": 0.40, "tfidf": 0.50}
DEFAULT_THRESHOLD = THRESHOLDS["minilm"]
DEFAULT_SAMPLE_SIZE = 4000
REPRESENTATIVES = 5


@dataclass(frozen=True, slots=True)
class Topic:
    """One topic. ``centroid``: unit-length mean of the members' vectors; ``size``: members;
    ``keywords``: c-TF-IDF terms, best first; ``label``: readable name from the keywords;
    ``representatives``: indices (into the texts given) of the members nearest the centroid;
    ``cohesion``: the members' mean cosine similarity to the centroid."""

    id: int
    centroid: NDArray[np.float32]
    size: int
    keywords: list[str]
    label: str
    representatives: list[int]
    cohesion: float = 0.0


@dataclass(frozen=True, slots=True)
class TopicModel:
    """The result of :func:`discover_topics`.

    ``labels``: one topic id per item, ``-1`` for unassigned. ``topics``: by id (= position).
    ``assign_threshold``: a data-driven ``min_similarity`` for :func:`assign` — the 5th
    percentile of the members' similarity to their own centroid, so that about 95 % of items
    like the ones clustered would be assigned and the rest called new.
    ``threshold``: the cut used. ``sampled``: how many items built the tree.
    """

    labels: NDArray[np.int64]
    topics: list[Topic]
    assign_threshold: float
    sampled: int
    threshold: float = 0.0

    @property
    def centroids(self) -> dict[int, NDArray[np.float32]]:
        return {topic.id: topic.centroid for topic in self.topics}

    @property
    def outliers(self) -> int:
        return int((self.labels == -1).sum())


def default_min_topic_size(n: int) -> int:
    """``max(3, n // 1000)``: 3 items up to 3,999 items, then one in a thousand."""
    return max(3, n // 1000)


def discover_topics(
    vectors: NDArray[np.floating] | Sequence[Sequence[float]],
    texts: Sequence[str],
    *,
    min_topic_size: int | None = None,
    seed: int = 0,
    threshold: float | None = None,
    backend: str | None = None,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> TopicModel:
    """Cluster ``vectors`` (one row per text) into topics; the number of topics is found.

    See the module docstring for the method. ``min_topic_size``: smallest cluster that counts
    as a topic (default :func:`default_min_topic_size`). ``threshold``: the cut (mean pairwise
    cosine distance within a topic); default ``THRESHOLDS[backend]`` for the embedder's
    ``backend`` ("minilm" / "tfidf"), MiniLM's when not given.
    """
    matrix = _unit(_matrix(vectors, "vectors"))
    n = matrix.shape[0]
    if len(texts) != n:
        raise ValueError(f"texts has {len(texts)} items but vectors has {n} rows")
    size = default_min_topic_size(n) if min_topic_size is None else min_topic_size
    if size < 1:
        raise ValueError("min_topic_size must be at least 1")
    if sample_size < 10:
        raise ValueError("sample_size must be at least 10")
    if backend is not None and backend not in THRESHOLDS:
        raise ValueError(f"backend must be one of {', '.join(THRESHOLDS)}, not {backend!r}")
    cut_at = THRESHOLDS[backend or "minilm"] if threshold is None else threshold
    if not 0 < cut_at < 2:
        raise ValueError("threshold must be between 0 and 2 (a cosine distance)")
    if n == 0:
        return TopicModel(np.zeros(0, dtype=np.int64), [], 0.0, 0, cut_at)
    rng = np.random.default_rng(seed)
    sample = np.sort(rng.choice(n, sample_size, replace=False)) if n > sample_size else np.arange(n)
    labels = np.full(n, -1, dtype=np.int64)
    labels[sample] = _cut(matrix[sample], threshold=cut_at)
    # In a sample, a topic of ``size`` items shows about size * sample / n of them.
    labels = _drop_small(labels, min(size, max(2, -(-size * sample.size // n))))
    if labels.max() < 0:  # nothing big enough: one topic of everything
        labels[:] = 0
    labels = _join_nearest(matrix, labels)
    if sample.size < n:  # the rest has joined: now each topic must hold ``size`` items
        kept = _drop_small(labels, size)
        if kept.max() >= 0:
            labels = _join_nearest(matrix, kept)
    labels = _renumber(labels)
    return _describe(matrix, texts, labels, sampled=int(sample.size), threshold=cut_at)


def assign(
    model_or_centroids: TopicModel | Mapping[int, NDArray[np.floating]] | NDArray[np.floating],
    vectors: NDArray[np.floating] | Sequence[Sequence[float]],
    *,
    min_similarity: float,
) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Each vector's nearest topic by cosine similarity, ``-1`` when below ``min_similarity``.

    ``model_or_centroids``: a :class:`TopicModel`, a mapping topic id -> centroid, or a 2-D
    array (ids are then the row numbers). Returns ``(labels, similarities)``: the similarity to
    the nearest topic even when it was too low to be assigned (0 rows when there is no topic).

    >>> labels, sims = assign({7: [1.0, 0.0], 9: [0.0, 1.0]}, [[0.9, 0.1], [0.6, 0.6]],
    ...                       min_similarity=0.8)
    >>> labels.tolist(), [round(float(s), 3) for s in sims]
    ([7, -1], [0.994, 0.707])
    """
    if not -1.0 <= min_similarity <= 1.0:
        raise ValueError("min_similarity must be between -1 and 1")
    if isinstance(model_or_centroids, TopicModel):
        ids = np.array([t.id for t in model_or_centroids.topics], dtype=np.int64)
        rows: list[NDArray[np.floating]] = [t.centroid for t in model_or_centroids.topics]
    elif isinstance(model_or_centroids, Mapping):
        ids = np.array(list(model_or_centroids.keys()), dtype=np.int64)
        rows = [np.asarray(v, dtype=np.float64) for v in model_or_centroids.values()]
    else:
        array = np.asarray(model_or_centroids, dtype=np.float64)
        if array.ndim != 2:
            raise ValueError("centroids must be a 2-D array, a mapping or a TopicModel")
        ids = np.arange(array.shape[0], dtype=np.int64)
        rows = list(array)
    matrix = _unit(_matrix(vectors, "vectors"))
    n = matrix.shape[0]
    if not rows:
        return np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.float32)
    centroids = _unit(_matrix(np.vstack(rows), "centroids"))
    if centroids.shape[1] != matrix.shape[1]:
        raise ValueError(
            f"vectors have {matrix.shape[1]} dimensions but the centroids {centroids.shape[1]}"
        )
    similarity = matrix @ centroids.T
    best = np.argmax(similarity, axis=1) if n else np.zeros(0, dtype=np.int64)
    sims = similarity[np.arange(n), best] if n else np.zeros(0)
    labels = np.where(sims >= min_similarity, ids[best], -1).astype(np.int64)
    return labels, sims.astype(np.float32)


def match_topics(
    old_centroids: Mapping[int, NDArray[np.floating] | Sequence[float]],
    new: TopicModel,
    *,
    min_similarity: float,
) -> dict[int, int]:
    """Which earlier topic each new topic continues: ``{new_id: old_id}``.

    One-to-one (Hungarian assignment maximising the total cosine similarity of matched
    centroids); a pair below ``min_similarity`` is not a match, and new topics without a match
    are new. Each old topic is used at most once, so a split keeps the old id on one side only.

    >>> model = TopicModel(np.array([0, 1]), [
    ...     Topic(0, np.array([0.0, 1.0], np.float32), 1, [], "", []),
    ...     Topic(1, np.array([1.0, 0.0], np.float32), 1, [], "", [])], 0.5, 2)
    >>> match_topics({10: [1.0, 0.1], 11: [0.1, 1.0]}, model, min_similarity=0.5)
    {0: 11, 1: 10}
    """
    from scipy.optimize import linear_sum_assignment

    if not -1.0 <= min_similarity <= 1.0:
        raise ValueError("min_similarity must be between -1 and 1")
    if not old_centroids or not new.topics:
        return {}
    old_ids = list(old_centroids.keys())
    old = _unit(_matrix(np.vstack([np.asarray(v, dtype=np.float64) for v in old_centroids.values()]),
                        "old_centroids"))
    fresh = _unit(np.vstack([t.centroid for t in new.topics]).astype(np.float64))
    if old.shape[1] != fresh.shape[1]:
        raise ValueError(
            f"old centroids have {old.shape[1]} dimensions but the new topics {fresh.shape[1]}"
        )
    similarity = fresh @ old.T
    rows, cols = linear_sum_assignment(-similarity)
    return {
        new.topics[r].id: old_ids[c]
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        if similarity[r, c] >= min_similarity
    }


def _matrix(values: object, name: str) -> NDArray[np.float64]:
    try:
        matrix = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D array of numbers") from None
    if matrix.ndim == 1 and matrix.size == 0:
        matrix = matrix.reshape(0, 0)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one row per item), not {matrix.ndim}-D")
    if not np.isfinite(matrix).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return matrix


def _unit(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: NDArray[np.float64] = matrix / norms
    return unit


def _cut(matrix: NDArray[np.float64], *, threshold: float) -> NDArray[np.int64]:
    """Average-linkage clusters of ``matrix`` whose mean pairwise cosine distance is at most
    ``threshold`` (labels 0..k-1)."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist

    n = matrix.shape[0]
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    distances = np.clip(pdist(matrix, metric="cosine"), 0.0, 2.0)
    tree = linkage(distances, method="average")
    labels: NDArray[np.int64] = fcluster(tree, t=threshold, criterion="distance").astype(np.int64)
    return labels - 1


def _drop_small(labels: NDArray[np.int64], min_size: int) -> NDArray[np.int64]:
    """``labels`` with the clusters of fewer than ``min_size`` members set to -1."""
    out = labels.copy()
    assigned = labels >= 0
    if not assigned.any():
        return out
    sizes = np.bincount(labels[assigned])
    out[assigned & (sizes[np.maximum(labels, 0)] < min_size)] = -1
    return out


def _join_nearest(matrix: NDArray[np.float64], labels: NDArray[np.int64]) -> NDArray[np.int64]:
    """Items labelled -1 join the cluster with the most similar centroid."""
    loose = np.flatnonzero(labels < 0)
    if not loose.size:
        return labels
    out = labels.copy()
    ids = np.unique(labels[labels >= 0])
    centroids = _centroids(matrix, labels)[ids]
    for start in range(0, loose.size, 8192):  # bounded memory: 8,192 rows x topics at a time
        part = loose[start : start + 8192]
        out[part] = ids[np.argmax(matrix[part] @ centroids.T, axis=1)]
    return out


def _renumber(labels: NDArray[np.int64]) -> NDArray[np.int64]:
    """Ids 0..k-1 by decreasing size, ties by first appearance; -1 stays."""
    ids, first, counts = np.unique(labels[labels >= 0], return_index=True, return_counts=True)
    positions = np.flatnonzero(labels >= 0)
    order = sorted(range(ids.size), key=lambda i: (-counts[i], positions[first[i]]))
    lookup = np.full(int(ids.max()) + 2 if ids.size else 1, -1, dtype=np.int64)
    for new, i in enumerate(order):
        lookup[ids[i]] = new
    return lookup[labels]  # -1 indexes the last entry, which stays -1


def _centroids(matrix: NDArray[np.float64], labels: NDArray[np.int64]) -> NDArray[np.float64]:
    """Unit-length mean vector of each label 0..max (a zero row for an empty label)."""
    from scipy import sparse

    k = int(labels.max()) + 1
    mask = labels >= 0
    rows = labels[mask]
    indicator = sparse.csr_matrix((np.ones(rows.size), (rows, np.flatnonzero(mask))), shape=(k, labels.size))
    return _unit(np.asarray(indicator @ matrix))


def _own_similarity(
    matrix: NDArray[np.float64], labels: NDArray[np.int64], centroids: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Each item's cosine similarity to its own label's centroid (0 for -1), 8,192 rows at a
    time (no copy of the whole matrix)."""
    out = np.zeros(labels.size)
    for start in range(0, labels.size, 8192):
        rows = slice(start, start + 8192)
        part = labels[rows]
        inside = part >= 0
        out[rows][inside] = np.einsum("ij,ij->i", matrix[rows][inside], centroids[part[inside]])
    return out


def _groups(labels: NDArray[np.int64], k: int) -> list[NDArray[np.int64]]:
    """The member indices of each label 0..k-1, in index order (one sort, not k scans)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(k + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(k)]


def _describe(
    matrix: NDArray[np.float64],
    texts: Sequence[str],
    labels: NDArray[np.int64],
    *,
    sampled: int,
    threshold: float,
) -> TopicModel:
    if labels.size == 0 or labels.max() < 0:
        return TopicModel(labels, [], 0.0, sampled, threshold)
    centroids = _centroids(matrix, labels)
    keywords = topic_keywords(texts, labels)
    similarity = _own_similarity(matrix, labels, centroids)
    member_sims = similarity[labels >= 0]
    topics = []
    for topic, members in enumerate(_groups(labels, centroids.shape[0])):
        sims = similarity[members]
        nearest = members[np.argsort(-sims, kind="stable")[:REPRESENTATIVES]]
        words = keywords.get(topic, [])
        topics.append(
            Topic(
                id=topic,
                centroid=centroids[topic].astype(np.float32),
                size=int(members.size),
                keywords=words,
                label=topic_label(words),
                representatives=[int(i) for i in nearest],
                cohesion=float(sims.mean()),
            )
        )
    assign_at = float(np.percentile(member_sims, 5)) if member_sims.size else 0.0
    return TopicModel(labels, topics, assign_at, sampled, threshold)
