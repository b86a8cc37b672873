"""Topic keywords and labels: class-based TF-IDF over words and adjacent bigrams (see :mod:`.topics`).

Terms are :func:`keyword_terms` of each text; :func:`topic_keywords` weighs them per topic as
BERTopic's c-TF-IDF does and :func:`topic_label` joins the best ones that do not repeat each other.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

KEYWORDS = 10
LABEL_WORDS = 3

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# A chunk with a digit in it is a number or a code ("FL-20481", "#12", "2FA", "10am"): no words.
_CODE = re.compile(r"[^\s]*\d[^\s]*")
# Between two words, anything but spaces, hyphens and quotes ends a phrase: no bigram across it.
_BREAK = re.compile(r"[^\s\-'\"]")
_CONTRACTION_ENDINGS = frozenset(["t", "s", "m", "re", "ve", "ll", "d"])
# Contractions as customers type them without the apostrophe; with it they are dropped by rule.
_BARE_CONTRACTIONS = frozenset([
    "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "couldnt", "wouldnt",
    "shouldnt", "havent", "hasnt", "hadnt", "aint", "im", "ive", "youre", "youve", "theyre", "theyve", "weve",
    "thats", "whats", "theres",
])


def topic_keywords(
    texts: Sequence[str], labels: NDArray[np.int64] | Sequence[int], *, top: int = KEYWORDS
) -> dict[int, list[str]]:
    """c-TF-IDF keywords per label (``-1`` skipped), best first (see the module docstring).

    Terms are :func:`keyword_terms`: words (letters only, lower-cased, accents stripped;
    contractions stay whole and are dropped as stop words, "don't", "I'm"; possessives lose
    their "'s") and bigrams of words that stand next to each other. Terms are counted per text
    and summed per topic, so a bigram never spans two texts; the cost is linear in the words of
    all texts.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    labels = np.asarray(labels, dtype=np.int64)
    if labels.shape != (len(texts),):
        raise ValueError(f"labels has {labels.size} items but there are {len(texts)} texts")
    ids = sorted(int(i) for i in np.unique(labels) if i >= 0)
    if not ids:
        return {}
    members = np.flatnonzero(labels >= 0)
    vectorizer = CountVectorizer(analyzer=keyword_terms, dtype=np.float64)
    try:
        per_text = vectorizer.fit_transform([texts[int(i)] for i in members])
    except ValueError:  # nothing but stop words and numbers
        return {topic: [] for topic in ids}
    row_of = np.searchsorted(ids, labels[members])
    indicator = sparse.csr_matrix(
        (np.ones(members.size), (row_of, np.arange(members.size))), shape=(len(ids), members.size)
    )
    counts = (indicator @ per_text).tocsr()
    terms = vectorizer.get_feature_names_out()
    words_per_topic = np.asarray(counts.sum(axis=1)).ravel()
    words_per_topic[words_per_topic == 0] = 1.0
    mean_words = counts.sum() / len(ids)
    idf = np.log(1.0 + mean_words / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1.0))
    scores = (sparse.diags(1.0 / words_per_topic) @ counts @ sparse.diags(idf)).tocsr()
    result: dict[int, list[str]] = {}
    for row, topic in enumerate(ids):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        columns, values = scores.indices[start:end], scores.data[start:end]
        order = np.lexsort((columns, -values))[:top]  # best first; ties by term, as a stable sort
        result[topic] = [str(terms[columns[j]]) for j in order if values[j] > 0]
    return result


def keyword_tokens(text: str) -> list[str]:
    """The words of ``text`` that may be keywords, lower-cased: runs of letters, an
    apostrophe inside a word kept ("don't" is one word, not "don" and "t"); contractions and
    English stop words (scikit-learn's list, plus contractions written without the apostrophe:
    "dont", "im") dropped; a possessive "'s" removed ("customer's" -> "customer"); one-letter
    words and whatever is written together with a digit (order numbers such as "FL-20481",
    "2FA") dropped.

    >>> keyword_tokens("i don't know why i can\u2019t log in, it's my account's fault (FL-20481)")
    ['know', 'log', 'account', 'fault']
    """
    return [word for word in _word_sequence(text) if word]


def keyword_terms(text: str) -> list[str]:
    """:func:`keyword_tokens` and the bigrams of two of them that stand next to each other in
    the text (no dropped word, number or punctuation between them): "it crashes as soon as I
    open it" gives no "crashes soon".

    >>> keyword_terms("The app crashes as soon as I open it. Password reset fails!")
    ['app', 'crashes', 'soon', 'open', 'password', 'reset', 'fails', 'app crashes', 'password reset', 'reset fails']
    """
    sequence = _word_sequence(text)
    words = [word for word in sequence if word]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(sequence) if a and b]


def _word_sequence(text: str) -> list[str]:
    """The words of ``text`` in order, "" where a word was dropped or punctuation stands."""
    from sklearn.feature_extraction.text import strip_accents_unicode

    stop = _stop_words()
    out: list[str] = []
    clean = _CODE.sub(" . ", strip_accents_unicode(text.lower().translate(_APOSTROPHES)))
    end = 0
    for match in _TOKEN.finditer(clean):
        if _BREAK.search(clean, end, match.start()):
            out.append("")
        end = match.end()
        token = match.group()
        if "'" in token:
            stem, _, ending = token.rpartition("'")
            if ending == "s" and stem not in stop and "'" not in stem:
                token = stem  # a possessive
            elif ending in _CONTRACTION_ENDINGS:
                token = ""  # don't, can't, I'm, you're, we've, they'll, I'd, it's
        out.append(token if len(token) > 1 and token not in stop else "")
    return out


def topic_label(keywords: Sequence[str], *, words: int = LABEL_WORDS) -> str:
    """The first ``words`` keywords that neither contain nor are contained in an earlier one,
    joined by " / "; "(no keywords)" when there are none."""
    chosen: list[str] = []
    for keyword in keywords:
        parts = set(keyword.split())
        if any(parts & set(c.split()) for c in chosen):
            continue
        chosen.append(keyword)
        if len(chosen) == words:
            break
    return " / ".join(chosen) if chosen else "(no keywords)"


# --- internals ---------------------------------------------------------------------------


@functools.cache
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _BARE_CONTRACTIONS
