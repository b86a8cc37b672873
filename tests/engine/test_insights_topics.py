"""frontline.engine.insights.topics: discovery (k not given), keywords, assignment, matching."""

from __future__ import annotations

import numpy as np
import pytest

from frontline.engine.insights import (
    assign,
    cluster_scores,
    discover_topics,
    match_topics,
    topic_keywords,
    topic_label,
)
from frontline.engine.insights.keywords import keyword_tokens
from frontline.engine.insights.topics import DEFAULT_THRESHOLD


def blobs(k: int, per: int, dim: int = 32, noise: float = 0.08, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``k`` well-separated directions (the same for every seed) with ``per`` noisy unit
    vectors each (the noise depends on ``seed``)."""
    centres = np.linalg.qr(np.random.default_rng(0).normal(size=(dim, dim)))[0][:k]
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(k), per)
    vectors = centres[labels] + rng.normal(0, noise, (k * per, dim))
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True), labels


def words(labels: np.ndarray) -> list[str]:
    vocab = ["card", "refund", "login", "delivery", "password", "invoice", "upgrade", "crash"]
    return [f"{vocab[label % len(vocab)]} problem number {i}" for i, label in enumerate(labels)]


def test_finds_the_number_of_topics_without_being_told() -> None:
    vectors, truth = blobs(k=6, per=25)

    model = discover_topics(vectors, words(truth))

    assert len(model.topics) == 6
    assert cluster_scores(model.labels.tolist(), truth.tolist()) == {"nmi": 1.0, "ari": 1.0}
    assert [t.id for t in model.topics] == list(range(6))
    assert sum(t.size for t in model.topics) == 150


def test_ids_go_by_decreasing_size_and_topics_carry_keywords_labels_representatives() -> None:
    vectors, truth = blobs(k=3, per=10)
    keep = np.r_[0:10, 10:16, 20:28]  # sizes 10, 6, 8
    texts = words(truth[keep])

    model = discover_topics(vectors[keep], texts)

    assert [t.size for t in model.topics] == [10, 8, 6]
    first = model.topics[0]
    assert first.keywords[0] == "card"
    assert first.label.startswith("card")
    assert all(model.labels[i] == 0 for i in first.representatives)
    assert len(first.representatives) == 5
    np.testing.assert_allclose(np.linalg.norm(first.centroid), 1.0, rtol=1e-5)


def test_a_sample_builds_the_tree_and_every_other_item_joins_its_nearest_topic() -> None:
    vectors, truth = blobs(k=4, per=60)

    model = discover_topics(vectors, words(truth), sample_size=80, seed=3)

    assert model.sampled == 80
    assert len(model.topics) == 4
    assert model.outliers == 0
    assert cluster_scores(model.labels.tolist(), truth.tolist())["nmi"] == 1.0


def test_the_same_seed_gives_the_same_topics() -> None:
    vectors, truth = blobs(k=4, per=60)

    a = discover_topics(vectors, words(truth), sample_size=100, seed=1)
    b = discover_topics(vectors, words(truth), sample_size=100, seed=1)

    np.testing.assert_array_equal(a.labels, b.labels)


def test_too_few_items_make_one_topic_and_none_make_an_empty_model() -> None:
    one = discover_topics([[1.0, 0.0]], ["only one"])
    none = discover_topics(np.zeros((0, 4)), [])

    assert [t.size for t in one.topics] == [1]
    assert (len(none.topics), none.labels.size) == (0, 0)


def test_assign_puts_new_items_into_existing_topics_or_calls_them_new() -> None:
    vectors, truth = blobs(k=3, per=20)
    model = discover_topics(vectors, words(truth))
    fresh, fresh_truth = blobs(k=3, per=5, seed=9)
    outsider = np.zeros((1, 32))
    outsider[0, -1] = 1.0  # orthogonal to every topic

    labels, sims = assign(model, np.vstack([fresh, outsider]), min_similarity=0.5)

    by_topic = {int(model.labels[truth == t][0]): t for t in range(3)}
    assert [by_topic[x] for x in labels[:-1]] == fresh_truth.tolist()
    assert labels[-1] == -1
    assert sims.dtype == np.float32
    assert sims[-1] < 0.5


def test_the_suggested_floor_keeps_about_95_percent_of_the_members() -> None:
    vectors, truth = blobs(k=3, per=40)
    model = discover_topics(vectors, words(truth))

    labels, _ = assign(model, vectors, min_similarity=model.assign_threshold)

    assert (labels == -1).sum() == 6  # 5 % of 120


def test_assign_takes_a_mapping_or_an_array_and_no_topics_means_unassigned() -> None:
    mapping = {40: np.array([1.0, 0.0]), 41: np.array([0.0, 1.0])}

    by_id, _ = assign(mapping, [[0.2, 0.9]], min_similarity=0.0)
    by_row, _ = assign(np.array([[1.0, 0.0], [0.0, 1.0]]), [[0.2, 0.9]], min_similarity=0.0)
    empty, sims = assign({}, [[0.2, 0.9]], min_similarity=0.0)

    assert (by_id.tolist(), by_row.tolist(), empty.tolist(), sims.tolist()) == ([41], [1], [-1], [0.0])


def test_match_topics_keeps_identities_across_runs_one_to_one() -> None:
    vectors, truth = blobs(k=4, per=20)
    first = discover_topics(vectors, words(truth))
    old = {100 + t.id: t.centroid for t in first.topics}
    more, more_truth = blobs(k=4, per=30, seed=5)  # same directions, other noise and order
    order = np.random.default_rng(2).permutation(more.shape[0])
    second = discover_topics(more[order], words(more_truth[order]))

    mapping = match_topics(old, second, min_similarity=0.8)

    assert sorted(mapping.values()) == [100, 101, 102, 103]
    for new_id, old_id in mapping.items():
        new_truth = more_truth[order][second.labels == new_id][0]
        old_truth = truth[first.labels == old_id - 100][0]
        assert new_truth == old_truth


def test_match_topics_leaves_a_topic_new_when_nothing_is_similar_enough() -> None:
    vectors, truth = blobs(k=2, per=10)
    model = discover_topics(vectors, words(truth))

    assert match_topics({7: -model.topics[0].centroid}, model, min_similarity=0.5) == {}
    assert match_topics({}, model, min_similarity=0.5) == {}


def test_c_tf_idf_ranks_a_topics_own_words_above_shared_ones() -> None:
    texts = ["card late card", "card missing", "refund late", "refund money refund"]

    keywords = topic_keywords(texts, [0, 0, 1, -1])

    assert keywords[0][0] == "card"
    assert keywords[1][0] == "refund"
    assert -1 not in keywords


def test_c_tf_idf_matches_the_formula_computed_by_hand() -> None:
    texts = ["card late", "card card", "refund late"]

    keywords = topic_keywords(texts, [0, 0, 1], top=10)

    # topic 0: card 3, late 1 (4 words); topic 1: refund 1, late 1; A = 3 words per topic.
    # card: 3/4 * log(1 + 3/3) = 0.520; late: 1/4 * log(1 + 3/2) = 0.229; "card late" 1/4 * log(4)
    # = 0.347, "card card" the same (ties by term); topic 1: refund 1/2 * log(4) = "refund late".
    assert keywords[0] == ["card", "card card", "card late", "late"]
    assert keywords[1] == ["refund", "refund late", "late"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I don't know why I can't log in", ["know", "log"]),
        ("I\u2019m stuck, it\u2019s been days and you haven\u2019t replied", ["stuck", "days", "replied"]),
        ("dont know, cant pay, im lost", ["know", "pay", "lost"]),
        ("My account's balance; the customers' cards", ["account", "balance", "customers", "cards"]),
        ("Café crème at 9 o'clock", ["cafe", "creme", "o'clock"]),
        ("Order FL-20481 (ref #A12) late, 2FA codes fail at 10am", ["order", "ref", "late", "codes", "fail"]),
    ],
)
def test_keyword_tokens_keep_contractions_whole_and_drop_them(text: str, tokens: list[str]) -> None:
    assert keyword_tokens(text) == tokens


def test_bigrams_are_words_that_stand_next_to_each_other() -> None:
    terms = topic_keywords(["It crashes as soon as I open it, restarted my phone twice"] * 3, [0, 0, 0], top=20)[0]

    assert "crashes soon" not in terms and "open restarted" not in terms
    assert "phone twice" in terms and "restarted" in terms


def test_no_keyword_or_label_is_a_split_contraction() -> None:
    texts = (["I don't get my card, I can't use it, I'm waiting"] * 5
             + ["I didn't get a refund and I won't wait, it's been a week"] * 5)

    keywords = topic_keywords(texts, [0] * 5 + [1] * 5)

    terms = {word for words in keywords.values() for term in words for word in term.split()}
    assert terms == {"card", "use", "waiting", "refund", "wait", "week"}
    assert {topic_label(words) for words in keywords.values()} == {"card / use / waiting", "refund / wait / week"}


def test_in_a_sample_a_topic_needs_only_its_share_of_the_minimum_size() -> None:
    vectors, truth = blobs(k=20, per=500, noise=0.05)
    texts = words(truth)

    model = discover_topics(vectors, texts, sample_size=150)  # about 7 of each topic in the sample

    assert model.sampled == 150
    assert len(model.topics) == 20  # min_topic_size: 10 items of the 10,000, not 10 of the 150
    assert cluster_scores(model.labels.tolist(), truth.tolist()) == {"nmi": 1.0, "ari": 1.0}


def test_after_the_sample_every_topic_holds_at_least_min_topic_size_items() -> None:
    vectors, truth = blobs(k=3, per=300, noise=0.05)
    fourth, _ = blobs(k=4, per=19, noise=0.05)
    vectors = np.vstack([vectors, fourth[57:]])  # 19 items of a fourth direction
    texts = words(np.r_[truth, [3] * 19])

    # seed 1 samples 9 of the 19: enough in the sample (20 * 300 / 919 -> 7), too few in all
    model = discover_topics(vectors, texts, sample_size=300, min_topic_size=20, seed=1)

    assert sorted(t.size for t in model.topics)[0] >= 300
    assert len(model.topics) == 3 and sum(t.size for t in model.topics) == 919


def test_labels_skip_keywords_that_repeat_an_earlier_one() -> None:
    assert topic_label(["card", "card arrival", "arrival", "late", "fee"]) == "card / arrival / late"
    assert topic_label([]) == "(no keywords)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"vectors": [[1.0, 0.0]], "texts": []}, "texts has 0 items"),
        ({"vectors": [1.0, 0.0], "texts": ["a", "b"]}, "2-D"),
        ({"vectors": [[np.nan, 0.0]], "texts": ["a"]}, "NaN"),
        ({"vectors": [[1.0, 0.0]], "texts": ["a"], "min_topic_size": 0}, "min_topic_size"),
        ({"vectors": [[1.0, 0.0]], "texts": ["a"], "threshold": 0}, "threshold"),
        ({"vectors": [[1.0, 0.0]], "texts": ["a"], "backend": "bert"}, "backend"),
    ],
)
def test_discover_refuses_bad_arguments(kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        discover_topics(**kwargs)


def test_assign_and_match_refuse_mismatched_dimensions_and_bad_floors() -> None:
    with pytest.raises(ValueError, match="dimensions"):
        assign({0: [1.0, 0.0]}, [[1.0, 0.0, 0.0]], min_similarity=0.5)
    with pytest.raises(ValueError, match="min_similarity"):
        assign({0: [1.0, 0.0]}, [[1.0, 0.0]], min_similarity=1.5)
    vectors, truth = blobs(k=2, per=10)
    with pytest.raises(ValueError, match="dimensions"):
        match_topics({0: [1.0, 0.0]}, discover_topics(vectors, words(truth)), min_similarity=0.5)


def test_the_default_cut_is_the_tuned_minilm_threshold() -> None:
    vectors, truth = blobs(k=2, per=10)

    assert discover_topics(vectors, words(truth)).threshold == DEFAULT_THRESHOLD


@pytest.mark.parametrize("name", ["embed", "topics", "classify", "language", "spikes", "scoring"])
def test_the_docstring_examples_run(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"frontline.engine.insights.{name}")

    assert doctest.testmod(module).failed == 0
