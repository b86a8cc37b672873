"""In-memory indexes over the candidates so that one decision costs O(log n), not a scan.

:class:`AgentIndex` keeps heaps with lazy deletion: one by load (``load / capacity`` …), one by
turn (round-robin), and one by load per skill (``name=value``). An agent's change (a routed
ticket adds one to its load) pushes a new entry with a new version; stale entries are dropped
when they reach the top. Agents at capacity are not in the heaps. There is a heap per skill and
level (``name=value`` at level L holds the agents with that skill at L or above), so a skills
query walks the heap of the rarest asked skill at its asked level and checks only the other asked
skills: its cost grows with the agents who have that skill but lack the others, not with all agents.

Decisions are the same as :func:`.decide.scan_decide` (tests compare them on random data).

>>> from .model import Candidate, Work
>>> index = AgentIndex([Candidate(1, "Ana", 2, 5), Candidate(2, "Ben", 1, 5)])
>>> index.decide(Work(7), mode="least-loaded").agent_name
'Ben'
>>> index.assign(2, at=1.0)
>>> index.decide(Work(8), mode="least-loaded").agent_name
'Ana'
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .decide import _check, asked_tiers, chosen, load_key, meets, nobody, turn_key
from .model import (
    LEAST_LOADED,
    ROUND_ROBIN,
    STAGE_EXACT,
    Candidate,
    Decision,
    Fallback,
    Requirement,
    Work,
)

_Entry = tuple[Any, int, int]  # (key, version, agent_id)
_SkillKey = tuple[str, str, int]  # (name, value, level): agents with the skill at this level or above


def _skill_keys(c: Candidate) -> set[_SkillKey]:
    return {(s.name, s.value, level) for s in c.skills for level in range(1, s.level + 1)}


class AgentIndex:
    """The candidates of one queue and channel, indexed. Not thread-safe; build one per batch."""

    def __init__(self, candidates: Iterable[Candidate], *, unit: str = "open") -> None:
        self.unit = unit
        self._agents: dict[int, Candidate] = {}
        self._version: dict[int, int] = {}
        self._by_load: list[_Entry] = []
        self._by_turn: list[_Entry] = []
        self._by_skill: dict[_SkillKey, list[_Entry]] = {}
        self._skill_size: dict[_SkillKey, int] = {}
        for c in candidates:
            if c.agent_id in self._agents:
                raise ValueError(f"candidates: agent {c.agent_id} appears twice")
            self._agents[c.agent_id] = c
            self._version[c.agent_id] = 0
            for key in _skill_keys(c):
                self._skill_size[key] = self._skill_size.get(key, 0) + 1
        # Build by heapify: O(n).
        self._by_load = [(load_key(c), 0, c.agent_id) for c in self._agents.values() if c.free]
        self._by_turn = [(turn_key(c), 0, c.agent_id) for c in self._agents.values() if c.free]
        heapq.heapify(self._by_load)
        heapq.heapify(self._by_turn)
        for c in self._agents.values():
            if c.free:
                for key in _skill_keys(c):
                    self._by_skill.setdefault(key, []).append((load_key(c), 0, c.agent_id))
        for heap in self._by_skill.values():
            heapq.heapify(heap)

    def __len__(self) -> int:
        return len(self._agents)

    def get(self, agent_id: int) -> Candidate:
        return self._agents[agent_id]

    def candidates(self) -> list[Candidate]:
        """The agents as they stand now (loads include the work assigned through the index)."""
        return list(self._agents.values())

    # --- changes -------------------------------------------------------------------------

    def update(self, candidate: Candidate) -> None:
        """Replace an agent's entry (load, capacity, last routed; its skills must be unchanged)."""
        old = self._agents.get(candidate.agent_id)
        if old is None:
            raise KeyError(f"agent_id: {candidate.agent_id} is not in the index")
        if _skill_keys(old) != _skill_keys(candidate):
            raise ValueError("candidate: skills changed; build a new index")
        version = self._version[candidate.agent_id] + 1
        self._version[candidate.agent_id] = version
        self._agents[candidate.agent_id] = candidate
        if candidate.free:
            heapq.heappush(self._by_load, (load_key(candidate), version, candidate.agent_id))
            heapq.heappush(self._by_turn, (turn_key(candidate), version, candidate.agent_id))
            for key in _skill_keys(candidate):
                heapq.heappush(self._by_skill.setdefault(key, []), (load_key(candidate), version, candidate.agent_id))

    def assign(self, agent_id: int, *, at: float) -> None:
        """The agent was given one more piece of work at ``at`` (load + 1, last routed ``at``)."""
        c = self._agents[agent_id]
        self.update(replace(c, load=c.load + 1, last_routed=at))

    def remove(self, agent_id: int) -> None:
        """The agent takes no more work (went offline): their entries become stale."""
        c = self._agents[agent_id]
        self.update(replace(c, capacity=0, load=c.load))

    # --- queries -------------------------------------------------------------------------

    def _valid(self, entry: _Entry) -> bool:
        _, version, agent_id = entry
        return self._version[agent_id] == version

    def _top(self, heap: list[_Entry]) -> Candidate | None:
        while heap:
            if self._valid(heap[0]):
                return self._agents[heap[0][2]]
            heapq.heappop(heap)
        return None

    def _best_meeting(self, tier: tuple[Requirement, ...]) -> Candidate | None:
        if not tier:
            return self._top(self._by_load)
        keys = [(r.name, r.value, r.min_level) for r in tier]
        if any(k not in self._by_skill for k in keys):
            return None
        heap = self._by_skill[min(keys, key=lambda k: self._skill_size[k])]
        skipped: list[_Entry] = []
        found: Candidate | None = None
        while heap:
            entry = heapq.heappop(heap)
            if not self._valid(entry):
                continue
            skipped.append(entry)
            candidate = self._agents[entry[2]]
            if meets(candidate, tier):
                found = candidate
                break
        for entry in skipped:
            heapq.heappush(heap, entry)
        return found

    def decide(self, work: Work, *, mode: str, fallback: Fallback | None = None) -> Decision:
        """Choose for ``work`` (the same rules as :func:`.decide.scan_decide`)."""
        _check(mode)
        if mode in (ROUND_ROBIN, LEAST_LOADED):
            top = self._top(self._by_turn if mode == ROUND_ROBIN else self._by_load)
            return chosen(top, mode=mode, unit=self.unit) if top else nobody(work, mode=mode, stage=STAGE_EXACT)
        stage = (fallback or Fallback()).stage(work.waited_s)
        for tier in asked_tiers(work, stage):
            best = self._best_meeting(tier)
            if best is not None:
                return chosen(best, mode=mode, unit=self.unit, tier=tier, stage=stage, waited_s=work.waited_s)
        return nobody(work, mode=mode, stage=stage)
