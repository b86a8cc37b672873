"""Auto-QA checks on one interaction (docs/autoqa.md): ``run_checks(interaction, policy)``.

Each check returns a :class:`CheckResult` with ``outcome`` "pass", "fail" or "n/a" (the check
does not apply), a ``score`` in [0, 1] (None when n/a), a one-line ``evidence`` a reviewer can
verify, and the ``turn_index`` of the turn it points at (an index into ``interaction.turns``).
Only *public agent* turns count as what the customer was told; internal notes are the
``public=False`` agent turns; "system" turns are ignored.

* ``reply_time``: the first public agent turn is at or before ``first_reply_due_at``; n/a with
  no due time or no agent reply.
* ``greeting``: the first public agent turn opens (its first words) with a greeting; n/a when
  the policy does not require one or there is no agent reply.
* ``closing``: the last public agent turn closes (its last 200 characters) with a closing; same
  n/a rule.
* ``empathy``: when the first customer turn is negative (sentiment < -0.3), some later public
  agent turn apologises or shows empathy; else n/a.
* ``required_phrases`` / ``forbidden_phrases``: case-insensitive whole-word matches in public
  agent turns; every required phrase present (score = the share present) / none forbidden;
  n/a when the policy lists none.
* ``sentiment_change``: the last customer turn's sentiment minus the first's, mapped to a score
  ``(change + 2) / 4``; pass unless it dropped by more than 0.3; n/a with fewer than two
  customer turns.
* ``escalation_note``: when the interaction was escalated, an internal agent note exists; n/a
  when not escalated.

Phrase lists and the sentiment lexicon are English; for another ``language`` the greeting,
closing, empathy and sentiment checks are n/a (saying so), the others run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Literal

from .lexicon import CLOSINGS, EMPATHY, GREETINGS
from .scoring import sentiment

CHECKS: tuple[str, ...] = (
    "reply_time",
    "greeting",
    "closing",
    "empathy",
    "required_phrases",
    "forbidden_phrases",
    "sentiment_change",
    "escalation_note",
)
ROLES = ("customer", "agent", "system")
LANGUAGES = ("en",)
NEGATIVE_BELOW = -0.3  # a first customer message below this asks for empathy
DROP_TOLERANCE = 0.3  # sentiment_change fails when the customer ends this much more negative
CLOSING_TAIL = 200  # characters at the end of the last agent turn searched for a closing
GREETING_HEAD = 60  # characters at the start of the first agent turn searched for a greeting

Outcome = Literal["pass", "fail", "n/a"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One message of the conversation: when, who ("customer" | "agent" | "system"), whether
    the customer could see it (False = internal note), and its plain text."""

    at: datetime
    role: str
    public: bool
    text: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role: must be one of {', '.join(ROLES)}, got {self.role!r}")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError(f"at: must be an aware datetime, got {self.at!r}")
        if not isinstance(self.text, str):
            raise ValueError(f"text: must be a string, got {type(self.text).__name__}")


@dataclass(frozen=True, slots=True)
class Interaction:
    """A conversation in time order, its first-reply target and whether it was escalated."""

    turns: Sequence[Turn]
    first_reply_due_at: datetime | None = None
    escalated: bool = False
    language: str = "en"

    def __post_init__(self) -> None:
        due = self.first_reply_due_at
        if due is not None and (not isinstance(due, datetime) or due.utcoffset() is None):
            raise ValueError(f"first_reply_due_at: must be an aware datetime, got {due!r}")


@dataclass(frozen=True, slots=True)
class Policy:
    """What a queue's policy asks of agents' public replies."""

    required_phrases: Sequence[str] = ()
    forbidden_phrases: Sequence[str] = ()
    greeting_required: bool = True
    closing_required: bool = True

    def __post_init__(self) -> None:
        for name in ("required_phrases", "forbidden_phrases"):
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(p, str) for p in value):
                raise ValueError(f"{name}: must be a sequence of strings, got {value!r}")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's outcome on one interaction."""

    check: str
    outcome: Outcome
    score: float | None
    evidence: str
    turn_index: int | None


def run_checks(interaction: Interaction, policy: Policy | None = None) -> list[CheckResult]:
    """Every check of :data:`CHECKS`, in that order."""
    policy = policy or Policy()
    turns = list(interaction.turns)
    replies = [i for i, t in enumerate(turns) if t.role == "agent" and t.public]
    customer = [i for i, t in enumerate(turns) if t.role == "customer"]
    english = interaction.language.lower().split("-")[0] in LANGUAGES
    moods = (
        {i: sentiment(turns[i].text) for i in {customer[0], customer[-1]}}
        if english and customer
        else {}
    )
    return [
        _reply_time(turns, replies, interaction.first_reply_due_at),
        _greeting(turns, replies, policy.greeting_required, english, interaction.language),
        _closing(turns, replies, policy.closing_required, english, interaction.language),
        _empathy(turns, replies, customer, moods, interaction.language),
        _required(turns, replies, _phrases(tuple(policy.required_phrases))),
        _forbidden(turns, replies, _phrases(tuple(policy.forbidden_phrases))),
        _sentiment_change(customer, moods, interaction.language),
        _escalation_note(turns, interaction.escalated),
    ]


def _na(check: str, evidence: str) -> CheckResult:
    return CheckResult(check=check, outcome="n/a", score=None, evidence=evidence, turn_index=None)


def _result(check: str, passed: bool, evidence: str, turn: int | None) -> CheckResult:
    return CheckResult(
        check=check,
        outcome="pass" if passed else "fail",
        score=1.0 if passed else 0.0,
        evidence=evidence,
        turn_index=turn,
    )


def _quote(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return f'"{flat}"' if len(flat) <= limit else f'"{flat[: limit - 1]}…"'


def _minutes(seconds: float) -> str:
    """A gap as the pages write durations: "45 s", "12 min", "3 h 30 min"."""
    minutes = round(abs(seconds) / 60)
    if abs(seconds) < 60:
        return f"{abs(seconds):.0f} s"
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _reply_time(turns: list[Turn], replies: list[int], due: datetime | None) -> CheckResult:
    if due is None:
        return _na("reply_time", "no first-reply target")
    if not replies:
        return _na("reply_time", "no public agent reply yet")
    first = replies[0]
    at = turns[first].at
    gap = (at - due).total_seconds()
    when = f"first reply {at.isoformat()}, due {due.isoformat()}"
    if gap <= 0:
        return _result("reply_time", True, f"{when} ({_minutes(gap)} before)", first)
    return _result("reply_time", False, f"{when} ({_minutes(gap)} late)", first)


def _pattern(options: tuple[str, ...], anchored: bool) -> re.Pattern[str]:
    body = "|".join(f"(?:{option})" for option in options)
    prefix = r"^\W*(?:" if anchored else r"\b(?:"
    return re.compile(prefix + body + r")\b", re.IGNORECASE)


_GREETING = _pattern(GREETINGS, anchored=True)
_CLOSING = _pattern(CLOSINGS, anchored=False)
_EMPATHY = _pattern(EMPATHY, anchored=False)


def _greeting(
    turns: list[Turn], replies: list[int], required: bool, english: bool, language: str
) -> CheckResult:
    if not required:
        return _na("greeting", "the policy does not require a greeting")
    if not replies:
        return _na("greeting", "no public agent reply")
    if not english:
        return _na("greeting", f"no greeting list for language {language!r}")
    first = replies[0]
    text = turns[first].text
    found = _GREETING.search(text[:GREETING_HEAD])
    if found:
        return _result("greeting", True, f"opens with {_quote(found.group(0).strip())}", first)
    return _result("greeting", False, f"opens without a greeting: {_quote(text, 60)}", first)


def _closing(
    turns: list[Turn], replies: list[int], required: bool, english: bool, language: str
) -> CheckResult:
    if not required:
        return _na("closing", "the policy does not require a closing")
    if not replies:
        return _na("closing", "no public agent reply")
    if not english:
        return _na("closing", f"no closing list for language {language!r}")
    last = replies[-1]
    tail = turns[last].text[-CLOSING_TAIL:]
    matches = list(_CLOSING.finditer(tail))
    found = matches[-1] if matches else None
    if found:
        return _result("closing", True, f"closes with {_quote(found.group(0))}", last)
    return _result("closing", False, f"ends without a closing: {_quote(tail[-60:], 60)}", last)


def _empathy(
    turns: list[Turn],
    replies: list[int],
    customer: list[int],
    moods: dict[int, float],
    language: str,
) -> CheckResult:
    if not customer:
        return _na("empathy", "no customer message")
    if not moods:
        return _na("empathy", f"no sentiment lexicon for language {language!r}")
    first = customer[0]
    mood = moods[first]
    if mood >= NEGATIVE_BELOW:
        return _na("empathy", f"the customer's first message is not negative ({mood:+.2f})")
    later = [i for i in replies if i > first]
    for i in later:
        found = _EMPATHY.search(turns[i].text)
        if found:
            return _result(
                "empathy",
                True,
                f"customer negative ({mood:+.2f}); agent: {_quote(found.group(0))}",
                i,
            )
    return _result(
        "empathy",
        False,
        f"customer negative ({mood:+.2f}): {_quote(turns[first].text, 60)}; no apology or "
        f"empathy in {len(later)} agent repl{'y' if len(later) == 1 else 'ies'}",
        first,
    )


@lru_cache(maxsize=256)
def _phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each non-blank phrase with its case-insensitive whole-word pattern (compiled once)."""
    out = []
    for phrase in phrases:
        words = phrase.split()
        if not words:
            continue
        body = r"\s+".join(re.escape(w) for w in words)
        start = r"\b" if words[0][0].isalnum() or words[0][0] == "_" else r"(?<!\S)"
        end = r"\b" if words[-1][-1].isalnum() or words[-1][-1] == "_" else r"(?!\S)"
        out.append((phrase, re.compile(start + body + end, re.IGNORECASE)))
    return tuple(out)


def _required(
    turns: list[Turn], replies: list[int], phrases: tuple[tuple[str, re.Pattern[str]], ...]
) -> CheckResult:
    if not phrases:
        return _na("required_phrases", "the policy requires no phrase")
    where: dict[str, int] = {}
    for phrase, pattern in phrases:
        for i in replies:
            if pattern.search(turns[i].text):
                where[phrase] = i
                break
    missing = [phrase for phrase, _ in phrases if phrase not in where]
    score = (len(phrases) - len(missing)) / len(phrases)
    if missing:
        evidence = "missing: " + ", ".join(_quote(p) for p in missing)
        turn = None
    else:
        evidence = "; ".join(f"{_quote(p)} in turn {where[p]}" for p, _ in phrases)
        turn = min(where.values())
    return CheckResult(
        check="required_phrases",
        outcome="fail" if missing else "pass",
        score=score,
        evidence=evidence,
        turn_index=turn,
    )


def _forbidden(
    turns: list[Turn], replies: list[int], phrases: tuple[tuple[str, re.Pattern[str]], ...]
) -> CheckResult:
    if not phrases:
        return _na("forbidden_phrases", "the policy forbids no phrase")
    for i in replies:
        text = turns[i].text
        for phrase, pattern in phrases:
            found = pattern.search(text)
            if found:
                start = max(0, found.start() - 30)
                return _result(
                    "forbidden_phrases",
                    False,
                    f"{_quote(phrase)} in turn {i}: {_quote(text[start : found.end() + 30], 70)}",
                    i,
                )
    return _result(
        "forbidden_phrases", True, f"none of {len(phrases)} forbidden phrases used", None
    )


def _sentiment_change(customer: list[int], moods: dict[int, float], language: str) -> CheckResult:
    if len(customer) < 2:
        return _na("sentiment_change", f"{len(customer)} customer message(s); needs 2")
    if not moods:
        return _na("sentiment_change", f"no sentiment lexicon for language {language!r}")
    first, last = customer[0], customer[-1]
    start, end = moods[first], moods[last]
    change = end - start
    return CheckResult(
        check="sentiment_change",
        outcome="pass" if change >= -DROP_TOLERANCE else "fail",
        score=(change + 2.0) / 4.0,
        evidence=f"customer sentiment {start:+.2f} (turn {first}) to {end:+.2f} (turn {last}): "
        f"{change:+.2f}",
        turn_index=last,
    )


def _escalation_note(turns: list[Turn], escalated: bool) -> CheckResult:
    if not escalated:
        return _na("escalation_note", "not escalated")
    for i, turn in enumerate(turns):
        if turn.role == "agent" and not turn.public and turn.text.strip():
            return _result("escalation_note", True, f"internal note: {_quote(turn.text)}", i)
    return _result("escalation_note", False, "escalated without an internal note", None)
