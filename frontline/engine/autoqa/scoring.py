"""A small lexicon-based English sentiment scorer: ``sentiment(text)`` in [-1, 1].

The rules follow VADER's (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text") on Frontline's own lexicon (:mod:`.lexicon`):

* each sentiment word or phrase has a valence in [-3, 3]; phrases (longest first) are matched
  before words and are never flipped by a negation (most contain one: "not working");
* an intensifier among the three words before a word strengthens it by 0.293 (0.95 and 0.9 of
  that two and three words back), a dampener weakens it by as much;
* a negation ("not", "never", "no", "don't", ...) among the three words before it multiplies
  it by -0.74 ("not good" is mildly negative, not the opposite of "good");
* a word in CAPITALS, in a text that is not all capitals, is strengthened by 0.733;
* with "but", the words before it count half and the words after it one and a half times;
* each "!" (at most 4) adds 0.292 in the direction of the total;
* the total ``s`` is mapped into (-1, 1) by ``s / sqrt(s ** 2 + 15)``.

0.0 means no sentiment words. English only: other languages score (mostly) 0.

>>> sentiment("Thank you, that was quick and helpful!") > 0.5
True
>>> sentiment("My order never arrived and nobody answers my emails") < -0.5
True
>>> round(sentiment("The parcel is not good"), 3)
-0.357
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from .lexicon import (
    BOOSTERS,
    DAMPENERS,
    LONGEST_PHRASE,
    NEGATIONS,
    PHRASES,
    PREFIXES,
    WORDS,
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|!", re.IGNORECASE)
_BOOST = 0.293
_CAPS = 0.733
_NEGATE = -0.74
_EXCLAIM = 0.292
_NORMALISE = 15.0


@lru_cache(maxsize=65_536)
def word_valence(word: str) -> float | None:
    """The lexicon's valence of a lower-case word (exact entry, else longest prefix entry)."""
    value = WORDS.get(word)
    if value is not None:
        return value
    for prefix, prefix_value in PREFIXES:
        if word.startswith(prefix):
            return prefix_value
    return None


def sentiment(text: str) -> float:
    """The sentiment of ``text`` in [-1, 1] (negative to positive; 0 = none found)."""
    if not isinstance(text, str):
        raise ValueError(f"text: must be a string, got {type(text).__name__}")
    raw = _TOKEN.findall(text.replace("\u2019", "'"))
    exclaims = sum(1 for t in raw if t == "!")
    raw = [t for t in raw if t != "!"]
    words = [t.lower() for t in raw]
    alphabetic = [t for t in raw if t.isalpha() and len(t) > 1]
    shouting = any(t.isupper() for t in alphabetic) and not all(t.isupper() for t in alphabetic)
    scores: list[float] = []
    but_at: int | None = None
    i = 0
    while i < len(words):
        word = words[i]
        if word == "but":
            but_at = len(scores)
            i += 1
            continue
        span, value = _phrase_at(words, i)
        if span:
            scores.append(value)
            i += span
            continue
        found = word_valence(word)
        i += 1
        if not found:
            continue
        value = found
        sign = 1.0 if value > 0 else -1.0
        if shouting and raw[i - 1].isupper() and len(raw[i - 1]) > 1:
            value += sign * _CAPS
        for back, scale in ((2, 1.0), (3, 0.95), (4, 0.9)):
            j = i - back
            if j < 0:
                break
            if words[j] in BOOSTERS:
                value += sign * _BOOST * scale
            elif words[j] in DAMPENERS:
                value -= sign * _BOOST * scale
        if any(words[j] in NEGATIONS for j in range(max(0, i - 4), i - 1)):
            value *= _NEGATE
        scores.append(value)
    if but_at is not None:
        scores = [v * 0.5 for v in scores[:but_at]] + [v * 1.5 for v in scores[but_at:]]
    total = sum(scores)
    if total:
        total += math.copysign(min(exclaims, 4) * _EXCLAIM, total)
    return total / math.sqrt(total * total + _NORMALISE)


def _phrase_at(words: list[str], i: int) -> tuple[int, float]:
    for length in range(min(LONGEST_PHRASE, len(words) - i), 1, -1):
        value = PHRASES.get(tuple(words[i : i + length]))
        if value is not None:
            return length, value
    return 0, 0.0
