"""Feedback analysis: embeddings, topics without a given k, classification, spikes (docs/insights-engine.md).

Pure: texts, numpy arrays and frozen dataclasses; no Django. The Django app
``frontline.insights`` stores what these return.

* ``embed.py``: :class:`Embedder` (MiniLM from the optional ``ml`` extra, or TF-IDF + LSA) and
  :func:`embedder` (``"auto"`` picks MiniLM when installed).
* ``topics.py``: :func:`discover_topics` (average-linkage tree cut at a tuned cosine distance,
  c-TF-IDF keywords),
  :func:`assign` (new items into existing topics), :func:`match_topics` (stable ids).
* ``classify.py``: :class:`Classifier` (logistic regression on vectors), :func:`kind_rules` and
  :func:`sentiment` (rules for the start).
* ``language.py``: :func:`language` (stop-word profiles; "und" when unsure).
* ``spikes.py``: :func:`detect_spikes` (Poisson / negative binomial against the trailing
  baseline, Benjamini-Hochberg; periods before the data began left out), :func:`emerging`
  (binomial test recent vs earlier) and :func:`p_text` (p-values for people).
* ``scoring.py``: :func:`cluster_scores` (NMI and ARI against true labels).
"""

from .classify import KINDS, SENTIMENTS, Classifier, kind_rules, sentiment
from .embed import BACKENDS, Embedder, embedder, minilm_missing
from .keywords import topic_keywords, topic_label
from .language import language
from .scoring import cluster_scores
from .spikes import (
    Emerging,
    Spike,
    benjamini_hochberg,
    binomial_upper,
    detect_spikes,
    emerging,
    negative_binomial_upper,
    p_text,
    poisson_upper,
)
from .topics import (
    Topic,
    TopicModel,
    assign,
    default_min_topic_size,
    discover_topics,
    match_topics,
)

__all__ = [
    "BACKENDS",
    "KINDS",
    "SENTIMENTS",
    "Classifier",
    "Embedder",
    "Emerging",
    "Spike",
    "Topic",
    "TopicModel",
    "assign",
    "benjamini_hochberg",
    "binomial_upper",
    "cluster_scores",
    "default_min_topic_size",
    "detect_spikes",
    "discover_topics",
    "embedder",
    "emerging",
    "kind_rules",
    "language",
    "match_topics",
    "minilm_missing",
    "negative_binomial_upper",
    "p_text",
    "poisson_upper",
    "sentiment",
    "topic_keywords",
    "topic_label",
]
