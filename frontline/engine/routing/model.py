"""What a routing decision takes and returns: agents, requirements, work, decisions.

Plain frozen dataclasses; :mod:`.decide` holds the rules and :mod:`.index` the in-memory
indexes that make a decision O(log n) in the number of agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROUND_ROBIN = "round-robin"
LEAST_LOADED = "least-loaded"
SKILLS = "skills-based"
MODES = (ROUND_ROBIN, LEAST_LOADED, SKILLS)

# Skills-based stages: everything asked; preferred skills dropped (they only rank); the whole
# team (no skill asked; skills only rank).
STAGE_EXACT = 0
STAGE_REQUIRED_ONLY = 1
STAGE_TEAM = 2
STAGE_WORDS = {STAGE_EXACT: "required and preferred skills", STAGE_REQUIRED_ONLY: "required skills only",
               STAGE_TEAM: "anyone in the team"}

LEVEL_MIN, LEVEL_MAX = 1, 5


@dataclass(frozen=True, slots=True)
class Skill:
    """An agent's skill: ``name`` (language, product, tier…), ``value`` (de, billing, gold…), level 1-5."""

    name: str
    value: str
    level: int = 1

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("name: a skill needs a name")
        if not LEVEL_MIN <= self.level <= LEVEL_MAX:
            raise ValueError(f"level: must be between {LEVEL_MIN} and {LEVEL_MAX}, got {self.level}")


@dataclass(frozen=True, slots=True)
class Requirement:
    """A skill a piece of work asks for: ``name=value`` at ``min_level`` or above; required or preferred."""

    name: str
    value: str
    min_level: int = 1
    required: bool = True

    def __post_init__(self) -> None:
        if not self.name or not self.value:
            raise ValueError("name: a requirement needs a skill name and a value")
        if not LEVEL_MIN <= self.min_level <= LEVEL_MAX:
            raise ValueError(f"min_level: must be between {LEVEL_MIN} and {LEVEL_MAX}, got {self.min_level}")

    @property
    def words(self) -> str:
        level = f" (level {self.min_level}+)" if self.min_level > 1 else ""
        return f"{self.name}={self.value}{level}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """An agent who may be offered work now (available, on shift, in the team): their load and
    capacity for the work's channel, their skills, and when they were last routed work (any
    increasing number; 0 = never) for round-robin."""

    agent_id: int
    name: str
    load: int
    capacity: int
    skills: tuple[Skill, ...] = ()
    last_routed: float = 0.0

    def __post_init__(self) -> None:
        if self.load < 0:
            raise ValueError(f"load: must be >= 0, got {self.load}")
        if self.capacity < 0:
            raise ValueError(f"capacity: must be >= 0, got {self.capacity}")

    @property
    def free(self) -> bool:
        return self.load < self.capacity

    def level_of(self, name: str, value: str) -> int:
        """The agent's level in ``name=value`` (0: none)."""
        return max((s.level for s in self.skills if s.name == name and s.value == value), default=0)


@dataclass(frozen=True, slots=True)
class Work:
    """A ticket or chat waiting for an agent. ``vip`` and ``due_at`` (seconds, any epoch; None: no
    SLA due time) order the waiting work; ``waited_s`` picks the skills stage."""

    work_id: int
    requirements: tuple[Requirement, ...] = ()
    vip: bool = False
    due_at: float | None = None
    waiting_since: float = 0.0
    waited_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Fallback:
    """Skills-based fallbacks: drop the preferred skills after ``drop_preferred_after_s`` seconds
    of waiting, widen to anyone in the team after ``widen_after_s`` (None: never)."""

    drop_preferred_after_s: float | None = None
    widen_after_s: float | None = None

    def __post_init__(self) -> None:
        for name in ("drop_preferred_after_s", "widen_after_s"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name}: must be >= 0 seconds, got {value}")

    def stage(self, waited_s: float) -> int:
        if self.widen_after_s is not None and waited_s >= self.widen_after_s:
            return STAGE_TEAM
        if self.drop_preferred_after_s is not None and waited_s >= self.drop_preferred_after_s:
            return STAGE_REQUIRED_ONLY
        return STAGE_EXACT


@dataclass(frozen=True, slots=True)
class Decision:
    """The choice: ``agent_id`` (None: nobody fits now; the work waits), the ``rule`` that chose,
    the ``reason`` in words ("Ana by least-loaded: 2 open of 5"), and the skills ``stage``."""

    agent_id: int | None
    agent_name: str
    rule: str
    reason: str
    stage: int = STAGE_EXACT
    matched: tuple[str, ...] = field(default=())

    @property
    def routed(self) -> bool:
        return self.agent_id is not None

    @property
    def summary(self) -> str:
        """The sentence for the ticket history."""
        if self.agent_id is None:
            return f"Not routed yet by {self.rule}: {self.reason}"
        return f"Routed to {self.agent_name} by {self.rule}: {self.reason}"
