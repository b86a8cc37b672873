"""The routing rules, written once as a full scan of the candidates (the reference the index is
tested against, and the "scan" side of ``bench/bench_routing.py``).

Rules (docs/routing.md):

* only candidates with free capacity (``load < capacity``) are chosen;
* **least-loaded**: the lowest ``load / capacity``, then the lower load, then the longest since
  last routed, then the lower id;
* **round-robin**: the longest since last routed (never first), then the lower id;
* **skills-based**: candidates who have every *asked* requirement at its level, ranked as
  least-loaded. What is asked depends on the stage (:class:`~.model.Fallback`): at first the
  required and the preferred skills; after ``drop_preferred_after_s`` the required ones only
  (an agent who still has all preferred ones is chosen first); after ``widen_after_s`` anyone
  in the team (an agent with the required ones first, then one with the preferred ones).

>>> from .model import Candidate, Work
>>> ana = Candidate(1, "Ana", load=2, capacity=5)
>>> ben = Candidate(2, "Ben", load=4, capacity=5)
>>> scan_decide([ana, ben], Work(10), mode="least-loaded").summary
'Routed to Ana by least-loaded: 2 open of 5'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .model import (
    LEAST_LOADED,
    MODES,
    ROUND_ROBIN,
    SKILLS,
    STAGE_EXACT,
    STAGE_REQUIRED_ONLY,
    STAGE_TEAM,
    STAGE_WORDS,
    Candidate,
    Decision,
    Fallback,
    Requirement,
    Work,
)


def load_key(c: Candidate) -> tuple[float, int, float, int]:
    return (c.load / c.capacity, c.load, c.last_routed, c.agent_id)


def turn_key(c: Candidate) -> tuple[float, int]:
    return (c.last_routed, c.agent_id)


def meets(c: Candidate, requirements: Iterable[Requirement]) -> bool:
    return all(c.level_of(r.name, r.value) >= r.min_level for r in requirements)


def asked_tiers(work: Work, stage: int) -> list[tuple[Requirement, ...]]:
    """The requirement sets tried in order at ``stage`` (the first that someone meets wins)."""
    required = tuple(r for r in work.requirements if r.required)
    preferred = tuple(r for r in work.requirements if not r.required)
    if stage == STAGE_EXACT:
        return [required + preferred]
    tiers = [required + preferred, required] if preferred else [required]
    if stage == STAGE_TEAM:
        tiers += [preferred, ()] if preferred else [()]
    return _unique(tiers)


def _unique(tiers: list[tuple[Requirement, ...]]) -> list[tuple[Requirement, ...]]:
    seen: list[tuple[Requirement, ...]] = []
    for tier in tiers:
        if tier not in seen:
            seen.append(tier)
    return seen


def _check(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode: one of {', '.join(MODES)}, got {mode!r}")


def load_words(c: Candidate, unit: str) -> str:
    return f"{c.load} {unit} of {c.capacity}"


def chosen(c: Candidate, *, mode: str, unit: str, tier: tuple[Requirement, ...] = (), stage: int = STAGE_EXACT,
           waited_s: float = 0.0) -> Decision:
    if mode == ROUND_ROBIN:
        reason = f"next in turn, {load_words(c, unit)}"
    elif mode == LEAST_LOADED:
        reason = load_words(c, unit)
    else:
        skills = ", ".join(r.words for r in tier) or "no skill asked"
        reason = f"{skills}; {load_words(c, unit)}"
        if stage != STAGE_EXACT:
            reason += f" (after {waited_s:.0f} s waiting: {STAGE_WORDS[stage]})"
    return Decision(c.agent_id, c.name, mode, reason, stage, tuple(r.words for r in tier))


def nobody(work: Work, *, mode: str, stage: int) -> Decision:
    if mode != SKILLS or not work.requirements:
        return Decision(None, "", mode, "nobody available with free capacity", stage)
    asked = asked_tiers(work, stage)[-1]
    skills = ", ".join(r.words for r in asked)
    return Decision(None, "", mode, f"nobody available with free capacity and {skills}", stage)


def scan_decide(candidates: Sequence[Candidate], work: Work, *, mode: str, fallback: Fallback | None = None,
                unit: str = "open") -> Decision:
    """Choose by looking at every candidate: O(n) per decision."""
    _check(mode)
    free = [c for c in candidates if c.free]
    if mode == ROUND_ROBIN:
        return chosen(min(free, key=turn_key), mode=mode, unit=unit) if free else nobody(work, mode=mode, stage=STAGE_EXACT)
    if mode == LEAST_LOADED:
        return chosen(min(free, key=load_key), mode=mode, unit=unit) if free else nobody(work, mode=mode, stage=STAGE_EXACT)
    stage = (fallback or Fallback()).stage(work.waited_s)
    for tier in asked_tiers(work, stage):
        fits = [c for c in free if meets(c, tier)]
        if fits:
            return chosen(min(fits, key=load_key), mode=mode, unit=unit, tier=tier, stage=stage, waited_s=work.waited_s)
    return nobody(work, mode=mode, stage=stage)


def work_order_key(work: Work) -> tuple[bool, bool, float, float, int]:
    """VIP first, then the soonest SLA due time (work with none after), then the longest waiting."""
    return (not work.vip, work.due_at is None, work.due_at or 0.0, work.waiting_since, work.work_id)


def order_work(works: Iterable[Work]) -> list[Work]:
    return sorted(works, key=work_order_key)


__all__ = ["LEAST_LOADED", "ROUND_ROBIN", "SKILLS", "STAGE_REQUIRED_ONLY", "asked_tiers", "load_key", "meets",
           "order_work", "scan_decide", "turn_key", "work_order_key"]
