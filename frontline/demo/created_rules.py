"""What the demo's "ticket created" rules do to a new ticket, for the simulation (no database).

The rules themselves are written by ``automations.py`` (``RULES``, from these constants) after the
history; the simulation applies their effects at each ticket's creation, as the rules engine would
have, and ``automations.py`` then records the firings from the engine's own reading of each
ticket's creation (``tests/demo/test_automations_demo.py`` checks that both agree).
"""

from __future__ import annotations

BILLING_SUBJECT_WORDS = ("invoice", "refund", "charged", "payment")
BILLING_TEXT_WORDS = ("invoice", "refund", "charged twice", "payment")
BILLING_TAG = "billing"
VIP_TIERS = ("gold", "platinum")
VIP_FROM = ("low", "normal")
VIP_PRIORITY = "high"
VIP_TAG = "vip"


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    folded = text.casefold()
    return any(word in folded for word in words)


def created_effects(*, subject: str, text: str, tier: str, priority: str,
                    tags: list[str]) -> tuple[list[str], str]:
    """The tags and priority a new ticket has once the rules ran (in their order: billing, then VIP)."""
    tags = list(tags)
    if (_has_any(subject, BILLING_SUBJECT_WORDS) or _has_any(text, BILLING_TEXT_WORDS)) and BILLING_TAG not in tags:
        tags.append(BILLING_TAG)
    if tier in VIP_TIERS and priority in VIP_FROM:
        priority = VIP_PRIORITY
        if VIP_TAG not in tags:
            tags.append(VIP_TAG)
    return tags, priority
