"""frontline.engine.insights.classify: the trained classifier and the start rules."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from frontline.engine.insights import Classifier, embedder, kind_rules, language, sentiment
from frontline.engine.insights.seed import SEED

TEXTS = [s[0] for s in SEED]
KINDS = [s[1] for s in SEED]


def test_classifier_on_vectors_predicts_probabilities_in_class_order() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal([2, 0], 0.3, (20, 2)), rng.normal([0, 2], 0.3, (20, 2))])
    y = ["a"] * 20 + ["b"] * 20
    clf = Classifier().fit(x, y)

    proba = clf.predict_proba([[2.0, 0.0], [0.0, 2.0]])

    assert clf.classes == ["a", "b"]
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert proba[0, 0] > 0.9 and proba[1, 1] > 0.9
    assert clf.score(x, y) == {"accuracy": 1.0, "macro_f1": 1.0}


def test_classifier_on_texts_fits_its_tfidf_embedder_and_pickles() -> None:
    clf = Classifier(embedder("tfidf")).fit(TEXTS, KINDS)

    again = pickle.loads(pickle.dumps(clf))

    assert again.predict(["Could you add a map of the parcel", "Thank you, great help"]) == clf.predict(
        ["Could you add a map of the parcel", "Thank you, great help"]
    )
    assert clf.score(TEXTS, KINDS)["accuracy"] == 1.0  # a training set is learnt


def test_macro_f1_weighs_every_class_equally() -> None:
    clf = Classifier().fit([[1.0, 0.0], [0.9, 0.0], [0.0, 1.0]], ["a", "a", "b"])

    scores = clf.score([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], ["a", "a", "a", "c"])

    assert scores["accuracy"] == 0.75
    assert scores["macro_f1"] == pytest.approx((1.0 + 0.0 + 0.0) / 3)  # a: 1, b: 0 (predicted once), c: 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Classifier().fit([[1.0], [2.0]], ["a", "a"]), "two different classes"),
        (lambda: Classifier().fit([[1.0], [2.0]], ["a"]), "labels has 1 items"),
        (lambda: Classifier().predict([[1.0]]), "not fitted"),
        (lambda: Classifier(c=0), "c must be positive"),
        (lambda: Classifier().fit("text", ["a"]), "not one string"),
        (lambda: Classifier().fit([[np.inf]], ["a"]), "finite"),
    ],
)
def test_bad_arguments_are_refused(call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()


def test_the_start_rules_on_the_seed_set() -> None:
    kinds = kind_rules(TEXTS)
    moods = sentiment(TEXTS)

    assert np.mean([a == b for a, b in zip(kinds, KINDS, strict=True)]) >= 0.95
    assert np.mean([a == s[2] for a, s in zip(moods, SEED, strict=True)]) >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not good", "negative"),
        ("never failed me", "positive"),
        ("it is not bad at all", "positive"),
        ("I moved house", "neutral"),
        ("", "neutral"),
    ],
)
def test_sentiment_flips_within_two_words_of_a_negator(text: str, expected: str) -> None:
    assert sentiment([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("why is my card blocked?", "question"),
        ("Why is this so slow? Terrible.", "complaint"),
        ("it would be great to have an app", "suggestion"),
        ("thanks!", "praise"),
        ("the package", "complaint"),
    ],
)
def test_kind_rules_precedence(text: str, expected: str) -> None:
    assert kind_rules([text]) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have not received my order and I want to know where it is", "en"),
        ("Ich habe meine Bestellung noch nicht bekommen und die Karte ist gesperrt", "de"),
        ("Je n'ai pas reçu le colis et je voudrais un remboursement", "fr"),
        ("No he recibido mi pedido y quiero saber por qué", "es"),
        ("Non ho ricevuto il pacco e vorrei sapere perché", "it"),
        ("Ik heb mijn bestelling niet ontvangen en wil graag weten waar die is", "nl"),
        ("Não recebi o meu pedido e quero saber por que", "pt"),
        ("ok", "und"),
        ("12345", "und"),
        ("Vielen Dank", "und"),
    ],
)
def test_language_by_stop_word_profiles(text: str, expected: str) -> None:
    assert language([text]) == [expected]


def test_rules_refuse_one_string_for_a_list() -> None:
    for rule in (kind_rules, sentiment, language):
        with pytest.raises(ValueError, match="not one string"):
            rule("a text")
