"""Which language a short text is in: stop-word profiles, offline, no model.

Each language has a list of its commonest function words; a text's score for a language is the
number of its words in that list. The best language wins when it has at least ``min_hits``
matches and beats the runner-up by ``margin`` (default: 2 matches, ahead by 1); otherwise the
answer is ``"und"`` (undetermined, ISO 639-2). ISO 639-1 codes. Covers en, de, fr, es, it, nl,
pt; anything else (and one- or two-word texts) is usually "und".

>>> language(["Where is my parcel, I ordered it a week ago", "Wo ist mein Paket? Ich habe es bestellt",
...           "Je n'ai pas reçu ma commande", "ok"])
['en', 'de', 'fr', 'und']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

PROFILES: dict[str, frozenset[str]] = {
    "en": frozenset(["the", "and", "is", "are", "was", "were", "it", "to", "of", "in", "my", "i", "you", "your", "for", "on", "with", "this", "that", "have", "has", "not", "be", "at", "a", "an", "me", "we", "our", "please", "can", "would"]),
    "de": frozenset(["der", "die", "das", "und", "ist", "nicht", "ich", "ein", "eine", "mein", "meine", "mit", "den", "dem", "zu", "es", "sie", "wir", "auf", "für", "von", "bitte", "habe", "hat", "noch", "kein", "keine", "wurde", "sind", "wie", "wo"]),
    "fr": frozenset(["le", "la", "les", "et", "est", "pas", "je", "un", "une", "mon", "ma", "mes", "avec", "pour", "de", "du", "des", "que", "qui", "ne", "nous", "vous", "il", "elle", "sur", "au", "aux", "ai", "été", "merci"]),
    "es": frozenset(["el", "la", "los", "las", "y", "es", "no", "yo", "un", "una", "mi", "mis", "con", "para", "de", "del", "que", "por", "se", "su", "sus", "pero", "muy", "está", "como", "gracias", "hay"]),
    "it": frozenset(["il", "lo", "la", "gli", "le", "e", "è", "non", "io", "un", "una", "mio", "mia", "con", "per", "di", "del", "che", "della", "sono", "ho", "ma", "molto", "grazie", "come"]),
    "nl": frozenset(["de", "het", "een", "en", "is", "niet", "ik", "mijn", "met", "voor", "van", "dat", "die", "op", "te", "zijn", "heb", "wij", "jullie", "maar", "graag", "bedankt", "nog", "geen"]),
    "pt": frozenset(["o", "a", "os", "as", "e", "é", "não", "eu", "um", "uma", "meu", "minha", "com", "para", "de", "do", "da", "que", "por", "se", "mas", "muito", "obrigado", "está", "como", "foi"]),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# word -> the languages whose profile holds it: one dictionary look-up per word, not one per language
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _code, _profile in PROFILES.items():
    for _word in _profile:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _code)


def language(texts: Sequence[str], *, min_hits: int = 2, margin: int = 1) -> list[str]:
    """One ISO 639-1 code per text, or "und" when unsure (see the module docstring)."""
    if isinstance(texts, str):
        raise ValueError("texts must be a sequence of strings, not one string")
    if min_hits < 1 or margin < 0:
        raise ValueError("min_hits must be at least 1 and margin at least 0")
    out = []
    for text in texts:
        hits = dict.fromkeys(PROFILES, 0)
        for word in _WORD.findall(text.lower()):
            for code in _LANGUAGES_OF.get(word, ()):
                hits[code] += 1
        scores = sorted(((count, code) for code, count in hits.items()), reverse=True)
        (best, code), (second, _) = scores[0], scores[1]
        out.append(code if best >= min_hits and best - second >= margin else "und")
    return out
