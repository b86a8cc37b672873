"""How well a clustering matches true labels: NMI and ARI (scikit-learn's definitions).

NMI is the normalised mutual information with the arithmetic-mean normalisation
(``sklearn.metrics.normalized_mutual_info_score``' default); ARI the adjusted Rand index. The
unassigned label ``-1`` counts as one more cluster (as BERTopic's outliers are scored).

>>> cluster_scores([0, 0, 1, 1], ["a", "a", "b", "b"])
{'nmi': 1.0, 'ari': 1.0}
"""

from __future__ import annotations

from collections.abc import Sequence


def cluster_scores(predicted: Sequence[int], truth: Sequence[object]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    predicted = list(predicted)
    truth = [str(t) for t in truth]
    if len(predicted) != len(truth):
        raise ValueError(f"predicted has {len(predicted)} labels but truth has {len(truth)}")
    if not truth:
        raise ValueError("nothing to score")
    return {
        "nmi": round(float(normalized_mutual_info_score(truth, predicted)), 4),
        "ari": round(float(adjusted_rand_score(truth, predicted)), 4),
    }
