"""Feedback text as stored: plain text, control and invisible characters removed, trimmed."""

from __future__ import annotations

import hashlib
import re
import unicodedata

TEXT_MAX = 5000
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def text_clean(text: str) -> str:
    """Plain text: NULs, control and invisible characters (bidi controls, zero-width) removed,
    line ends normalised, blank ends trimmed, cut at TEXT_MAX characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return _INVISIBLE.sub("", text).strip()[:TEXT_MAX]


def content_hash(text: str) -> str:
    """The dedupe hash of a text: case and runs of white space do not matter."""
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()
