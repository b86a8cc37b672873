"""Machine labels of feedback (kind, sentiment, language) and the classifier that learns from the
manager's corrections.

Until there are enough corrections, kind and sentiment come from the engine's rules
(``kind_rules``, ``sentiment``: cue words and a lexicon, English). Each correction retrains (task
``insights.train``): a logistic regression on sentence vectors (``engine.insights.Classifier``)
per target, evaluated honestly before it is used — stratified k-fold cross-validation over the
corrections (each correction predicted by a model that never saw it), next to the rules scored
on the same corrections. The trained model replaces the rules only when its cross-validated
macro-F1 beats theirs; either way the numbers are shown on the insights page.
A person's label is never overwritten.
"""

from __future__ import annotations

import pickle
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ClassifierModel, FeedbackItem

LABEL_BATCH = 2000
MIN_CORRECTIONS = 12  # and at least 2 per class in 2 or more classes
FOLDS = 5
TARGETS = ("kind", "sentiment")


def _engine() -> Any:
    from frontline.engine import insights

    return insights


def _model_for(target: str) -> Any | None:
    """The trained classifier of ``target`` when it beat the rules, else None."""
    row = ClassifierModel.objects.filter(target=target).order_by("-created_at", "-id").first()
    if row is None or row.method.startswith("rules"):
        return None
    return pickle.loads(bytes(row.blob))


def feedback_label_pending(*, relabel: bool = False, limit: int | None = None) -> int:
    """Label items without machine labels (all items not corrected by a person when ``relabel``).

    Returns how many items were labelled.
    """
    engine = _engine()
    items = FeedbackItem.objects.all() if relabel else FeedbackItem.objects.filter(
        Q(kind="") | Q(sentiment="") | Q(language=""))
    models = {target: _model_for(target) for target in TARGETS}
    done = 0
    ids = list(items.order_by("id").values_list("id", flat=True)[:limit])
    for start in range(0, len(ids), LABEL_BATCH):
        chunk = list(FeedbackItem.objects.filter(pk__in=ids[start:start + LABEL_BATCH]).order_by("id").only("id", "text"))
        texts = [i.text for i in chunk]
        kinds = models["kind"].predict(texts) if models["kind"] is not None else engine.kind_rules(texts)
        sentiments = models["sentiment"].predict(texts) if models["sentiment"] is not None else engine.sentiment(texts)
        languages = engine.language(texts)
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for item, kind, sentiment, language in zip(chunk, kinds, sentiments, languages, strict=True):
            groups[("kind", kind)].append(item.pk)
            groups[("sentiment", sentiment)].append(item.pk)
            groups[("language", language[:8])].append(item.pk)
        with transaction.atomic():  # one UPDATE per label value, not per item
            for (field, value), pks in groups.items():
                rows = FeedbackItem.objects.filter(pk__in=pks)
                if field != "language":
                    rows = rows.filter(**{f"{field}_corrected": False})
                rows.update(**{field: value})
        done += len(chunk)
    return done


def _corrections(target: str) -> tuple[list[str], list[str]]:
    rows = FeedbackItem.objects.filter(**{f"{target}_corrected": True}).order_by("id").values_list("text", target)
    texts = [t for t, _ in rows]
    return texts, [label for _, label in rows]


def _rules(target: str, texts: list[str]) -> list[str]:
    engine = _engine()
    return list(engine.kind_rules(texts) if target == "kind" else engine.sentiment(texts))


def _scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return float(accuracy_score(truth, predicted)), float(f1_score(truth, predicted, average="macro", zero_division=0))


def classifier_train(*, target: str, at: datetime | None = None) -> ClassifierModel | None:
    """Evaluate and (when it wins) keep a classifier of ``target`` trained on the corrections.

    None when there are too few corrections (fewer than MIN_CORRECTIONS, or under 2 classes with
    2 examples each). The saved row records both scores; ``method`` says which one labels.
    """
    from sklearn.model_selection import StratifiedKFold

    if target not in TARGETS:
        raise ValueError(f"target: one of {', '.join(TARGETS)}")
    engine = _engine()
    texts, labels = _corrections(target)
    counts = Counter(labels)
    usable = [c for c, n in counts.items() if n >= 2]
    if len(texts) < MIN_CORRECTIONS or len(usable) < 2:
        return None
    keep = [i for i, label in enumerate(labels) if counts[label] >= 2]
    texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    folds = min(FOLDS, min(counts[c] for c in usable))
    predicted = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in splitter.split(texts, labels):
        model = engine.Classifier(engine.embedder(backend="tfidf")).fit([texts[i] for i in train],
                                                                        [labels[i] for i in train])
        for i, label in zip(test, model.predict([texts[i] for i in test]), strict=True):
            predicted[i] = label
    accuracy, macro_f1 = _scores(labels, predicted)
    rule_accuracy, rule_f1 = _scores(labels, _rules(target, texts))
    wins = macro_f1 > rule_f1
    final = engine.Classifier(engine.embedder(backend="tfidf")).fit(texts, labels)
    method = (f"{'model' if wins else 'rules'}: {folds}-fold cross-validation over {len(texts)} corrections; "
              f"rules on the same corrections: accuracy {rule_accuracy:.3f}, macro-F1 {rule_f1:.3f}")
    row = ClassifierModel.objects.create(
        target=target, blob=pickle.dumps(final), backend="tfidf", trained_on=len(texts), evaluated_on=len(texts),
        accuracy=accuracy, macro_f1=macro_f1, method=method, created_at=at or timezone.now())
    return row
