"""Labelling feedback: a trainable classifier, and rules to start with before any training.

* :class:`Classifier`: multinomial logistic regression on sentence vectors, for any label set
  (kind: complaint / praise / question / suggestion; sentiment; a team's own). ``fit`` takes
  texts (embedded with its :class:`~frontline.engine.insights.embed.Embedder`, fitted on them
  when it is an unfitted TF-IDF one) or a 2-D array of vectors. ``C`` = 30 with balanced class
  weights was chosen by 5-fold cross-validated accuracy on banking77 *train* with MiniLM vectors
  (C = 1, 3, 10, 30, 100 gave 0.899, 0.913, 0.920, 0.922, 0.918; ``python -m
  bench.eval_insights --tune`` reprints it); ``make eval`` reports the test split.
* :func:`kind_rules` and :func:`sentiment`: transparent rules for the first days, when nobody
  has corrected a label yet (docs/insights-engine.md lists the cues). They are heuristics, not a
  trained model; their accuracy on the hand-written seed set in
  ``frontline/engine/insights/seed.py`` is measured in ``tests/engine/test_insights_classify.py``.

>>> clf = Classifier().fit([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]], ["a", "a", "b", "b"])
>>> clf.predict([[0.95, 0.05], [0.05, 0.95]])
['a', 'b']
>>> kind_rules(["Could you add dark mode?", "Thanks, great help!", "My order never came"])
['suggestion', 'praise', 'complaint']
>>> sentiment(["This is not good at all", "Love it, thank you", "I changed my address"])
['negative', 'positive', 'neutral']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .embed import Embedder, embedder

KINDS = ("complaint", "praise", "question", "suggestion")
SENTIMENTS = ("negative", "neutral", "positive")
DEFAULT_C = 30.0


class Classifier:
    """Logistic regression on sentence vectors; picklable with its embedder."""

    def __init__(self, embedder: Embedder | None = None, *, c: float = DEFAULT_C, seed: int = 0):
        if c <= 0:
            raise ValueError("c must be positive")
        self.embedder = embedder
        self.c = c
        self.seed = seed
        self._model: Any = None

    @property
    def classes(self) -> list[str]:
        if self._model is None:
            return []
        return [str(c) for c in self._model.classes_]

    def fit(self, texts_or_vectors: Sequence[str] | NDArray[np.floating], labels: Sequence[str]) -> Classifier:
        from sklearn.linear_model import LogisticRegression

        labels = [str(label) for label in labels]
        vectors = self._vectors(texts_or_vectors, fitting=True)
        if vectors.shape[0] != len(labels):
            raise ValueError(f"labels has {len(labels)} items but there are {vectors.shape[0]} inputs")
        if len(set(labels)) < 2:
            raise ValueError("labels must contain at least two different classes")
        model = LogisticRegression(C=self.c, max_iter=2000, class_weight="balanced")
        model.fit(vectors, labels)
        self._model = model
        return self

    def predict(self, texts_or_vectors: Sequence[str] | NDArray[np.floating]) -> list[str]:
        model = self._fitted()
        return [str(label) for label in model.predict(self._vectors(texts_or_vectors))]

    def predict_proba(self, texts_or_vectors: Sequence[str] | NDArray[np.floating]) -> NDArray[np.float64]:
        """Probabilities, one column per class in :attr:`classes` order."""
        model = self._fitted()
        return np.asarray(model.predict_proba(self._vectors(texts_or_vectors)), dtype=np.float64)

    def score(self, texts_or_vectors: Sequence[str] | NDArray[np.floating], labels: Sequence[str]) -> dict[str, float]:
        """``{"accuracy", "macro_f1"}`` of the predictions against ``labels``."""
        from sklearn.metrics import accuracy_score, f1_score

        truth = [str(label) for label in labels]
        predicted = self.predict(texts_or_vectors)
        if len(predicted) != len(truth):
            raise ValueError(f"labels has {len(truth)} items but there are {len(predicted)} inputs")
        if not truth:
            raise ValueError("nothing to score")
        return {
            "accuracy": float(accuracy_score(truth, predicted)),
            "macro_f1": float(f1_score(truth, predicted, average="macro", zero_division=0)),
        }

    def _fitted(self) -> Any:
        if self._model is None:
            raise ValueError("this classifier is not fitted: call fit first")
        return self._model

    def _vectors(self, values: Sequence[str] | NDArray[np.floating], *, fitting: bool = False) -> NDArray[np.float64]:
        if isinstance(values, str):
            raise ValueError("give a sequence of texts or a 2-D array, not one string")
        if isinstance(values, np.ndarray) or (len(values) and not isinstance(values[0], str)):
            matrix = np.asarray(values, dtype=np.float64)
            if matrix.ndim != 2 or not np.isfinite(matrix).all():
                raise ValueError("vectors must be a finite 2-D array")
            return matrix
        texts = list(values)
        if self.embedder is None:
            self.embedder = embedder("auto")
        if fitting and not self.embedder.fitted:
            self.embedder.fit(texts)
        return np.asarray(self.embedder.transform(texts), dtype=np.float64)


# --- rules for the start ------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

POSITIVE = frozenset(
    ["amazing", "appreciate", "appreciated", "awesome", "best", "brilliant", "excellent", "fantastic", "fast", "friendly", "glad", "good", "great", "happy", "helpful", "impressed", "love", "loved", "lovely", "nice", "perfect", "pleased", "quick", "quickly", "recommend", "resolved", "smooth", "solved", "super", "superb", "thank", "thanks", "thankful", "wonderful", "easy", "kind", "patient", "professional", "efficient", "reliable", "satisfied"]
)
NEGATIVE = frozenset(
    ["angry", "annoyed", "annoying", "awful", "bad", "broken", "complaint", "confusing", "crash", "crashed", "crashes", "damaged", "declined", "delay", "delayed", "disappointed", "disappointing", "error", "fail", "failed", "failing", "fails", "frustrated", "frustrating", "horrible", "issue", "lost", "missing", "overcharged", "poor", "problem", "refused", "stopped", "rude", "scam", "slow", "stuck", "terrible", "unacceptable", "unhappy", "unable", "useless", "waiting", "wrong", "worst", "hate", "hated", "impossible", "ridiculous", "nobody", "stolen", "fraud"]
)
NEGATORS = frozenset(["not", "no", "never", "nothing", "hardly", "isn't", "wasn't", "don't", "doesn't", "didn't", "can't", "cannot", "won't"])
QUESTION_START = frozenset(
    ["how", "what", "when", "where", "why", "who", "which", "can", "could", "do", "does", "did", "is", "are", "am", "will", "would", "should", "may", "wie", "was", "wann", "wo", "warum", "comment", "quand", "pourquoi", "où", "cómo", "qué", "cuándo", "dónde", "por"]
)
SUGGESTION_CUES = (
    r"\b(?:could|can|would|should|please) you (?:add|make|allow|let|offer|support|consider|introduce)\b",
    r"\bit would be (?:nice|great|good|helpful|better)\b",
    r"\bi(?:'d| would) (?:like|love) (?:to see|it if|if)\b",
    r"\b(?:suggest|suggestion|feature request|wish(?: there)? (?:was|were)|you should)\b",
    r"\bplease (?:add|make|allow|offer|support)\b",
)
PRAISE_CUES = (r"\bthank(?:s| you)\b", r"\b(?:great|excellent|amazing|awesome|fantastic) (?:service|job|support|help)\b")
# One pattern per list (an alternation finds a match where any cue would): one scan per text.
_SUGGESTION = re.compile("|".join(f"(?:{cue})" for cue in SUGGESTION_CUES))
_PRAISE = re.compile("|".join(f"(?:{cue})" for cue in PRAISE_CUES))


def _score(words: list[str]) -> int:
    """Lexicon score: +1 per positive, -1 per negative word, flipped within 2 words after a
    negator ("not good" counts -1, "never failed" +1)."""
    total = 0
    for i, word in enumerate(words):
        polarity = 1 if word in POSITIVE else -1 if word in NEGATIVE else 0
        if polarity == 0 or word in NEGATORS:
            continue
        if any(w in NEGATORS for w in words[max(0, i - 2) : i]):
            polarity = -polarity
        total += polarity
    return total


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def sentiment(texts: Sequence[str]) -> list[str]:
    """negative / neutral / positive by the signed lexicon count (:data:`POSITIVE`,
    :data:`NEGATIVE`, negation within two words); English only."""
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string")
    out = []
    for text in texts:
        score = _score(_words(text))
        out.append("positive" if score > 0 else "negative" if score < 0 else "neutral")
    return out


def kind_rules(texts: Sequence[str]) -> list[str]:
    """complaint / praise / question / suggestion from cues, in this order of precedence:
    a suggestion cue ("could you add", "it would be nice", "please add" ...); a question (a
    "?" or a first word like how/what/can) with no negative words; praise (thanks, or a
    positive lexicon score); otherwise complaint (feedback that is none of the others is, in a
    help desk, most often a problem report)."""
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string")
    out = []
    for text in texts:
        lowered = text.lower()
        words = _words(text)
        score = _score(words)
        if _SUGGESTION.search(lowered):
            out.append("suggestion")
        elif ("?" in text or (words and words[0] in QUESTION_START)) and score >= 0:
            out.append("question")
        elif score > 0 or (score >= 0 and _PRAISE.search(lowered)):
            out.append("praise")
        else:
            out.append("complaint")
    return out
