"""Does a customer's message ask for a manager? Conservative phrases only — pure, no Django.

It matches a request to speak to, or be put through to, *a / your / the* manager or supervisor,
or to escalate *this / my case*; it does not match "my manager", "account manager", or a
mention of a manager in passing.

>>> asks_for_manager("I want to speak to a manager now.")
True
>>> asks_for_manager("My manager asked me to chase this invoice.")
False
"""

from __future__ import annotations

import re

_BOSS = r"(?:manager|supervisor|team\s+lead(?:er)?|superior)"
_PHRASES = re.compile(
    r"\b(?:speak|talk)\s+(?:to|with)\s+(?:a|your|the|a\s+more\s+senior)\s+" + _BOSS + r"\b"
    r"|\b(?:put|transfer|connect|escalate)\s+me\s+(?:through\s+)?(?:to|with)\s+(?:a|your|the)\s+" + _BOSS + r"\b"
    r"|\b(?:get|give|fetch)\s+me\s+(?:a|your|the)\s+" + _BOSS + r"\b"
    r"|\b(?:escalate|escalating)\s+(?:this|my\s+(?:case|ticket|complaint|issue|request))\b"
    r"|\b(?:i\s+(?:want|demand|need)|i'd\s+like|i\s+would\s+like)\s+(?:a|your|the)\s+" + _BOSS + r"\b",
    re.IGNORECASE,
)


def asks_for_manager(text: str) -> bool:
    """True when ``text`` asks for a manager or supervisor in one of the conservative phrases."""
    return bool(_PHRASES.search(" ".join(text.split())))
