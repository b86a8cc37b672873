"""frontline.engine.insights.embed: TF-IDF always; MiniLM only where the ml extra is installed."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest

from frontline.engine.insights import Embedder, embedder, minilm_missing

TEXTS = [
    "my card has not arrived yet",
    "where is my new card",
    "I want a refund for this order",
    "please refund my money",
    "the app crashes when I log in",
    "cannot log in to the app",
]
needs_minilm = pytest.mark.skipif(
    minilm_missing() is not None, reason=f"MiniLM not available: {minilm_missing()}"
)


def test_tfidf_rows_are_unit_float32_and_similar_texts_are_closer() -> None:
    e = embedder(backend="tfidf").fit(TEXTS)
    v = e.transform(TEXTS)

    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] > sims[0, 2]
    assert sims[2, 3] > sims[2, 4]


def test_tfidf_embedder_pickles_and_gives_the_same_vectors() -> None:
    e = embedder(backend="tfidf").fit(TEXTS)

    again = pickle.loads(pickle.dumps(e))

    np.testing.assert_array_equal(again.transform(["card arrived"]), e.transform(["card arrived"]))
    assert again.backend == "tfidf"


def test_unknown_words_give_a_zero_row_not_nan() -> None:
    e = embedder(backend="tfidf").fit(TEXTS)

    v = e.transform(["", "zzzz qqqq"])

    assert np.isfinite(v).all()


def test_auto_says_why_minilm_is_not_used() -> None:
    e = embedder("auto")

    assert (e.backend, e.missing) == (("minilm", None) if minilm_missing() is None else ("tfidf", minilm_missing()))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: embedder("bert"), "backend must be"),
        (lambda: Embedder("tfidf", dimensions=1), "dimensions"),
        (lambda: Embedder("tfidf").transform(["x"]), "not fitted"),
        (lambda: Embedder("tfidf").fit([]), "must not be empty"),
        (lambda: Embedder("tfidf").fit("one string"), "not one string"),
        (lambda: Embedder("tfidf").fit(["ok", 3]), r"texts\[1\] is int"),
    ],
)
def test_bad_arguments_are_refused(call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()


def test_minilm_without_the_extra_is_refused_by_name() -> None:
    if minilm_missing() is None:
        pytest.skip("MiniLM is installed here")
    with pytest.raises(ValueError, match="not available"):
        Embedder("minilm")


@needs_minilm
@pytest.mark.slow
def test_minilm_embeds_offline_384_unit_rows_and_pickles_without_the_model() -> None:
    e = embedder("minilm")
    v = e.transform(["my card has not arrived", "where is my new card", "I want a refund"])

    assert v.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])
    blob = pickle.dumps(e)
    assert len(blob) < 10_000  # the model is reloaded, not stored
    np.testing.assert_allclose(pickle.loads(blob).transform(["card"]), e.transform(["card"]), atol=1e-6)


def test_the_insights_engine_does_not_import_django() -> None:
    code = (
        "import sys, frontline.engine.insights, frontline.commands.insights; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
