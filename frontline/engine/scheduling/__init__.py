"""Shift scheduling: choose shift counts (:mod:`.shifts`) and assign them to agents (:mod:`.roster`).

Pure engine code: numbers, arrays and frozen dataclasses in and out; OR-Tools CP-SAT inside.
See ``docs/engine/scheduling.md``.
"""

from ._common import (
    Break,
    ShiftPattern,
    ShiftTemplate,
    Shortfall,
    SolveReport,
    StageReport,
    WeekGrid,
    expand_patterns,
)
from ._service import ServiceLevelSummary, service_level_of
from .roster import (
    Agent,
    AgentSummary,
    Roster,
    RosterShift,
    RosterWeights,
    SkillRequirement,
    roster_assign,
)
from .shifts import (
    ShiftCount,
    ShiftPlan,
    shift_plan_cover,
    shift_plan_service_level,
)

__all__ = [
    "Agent",
    "AgentSummary",
    "Break",
    "Roster",
    "RosterShift",
    "RosterWeights",
    "ServiceLevelSummary",
    "ShiftCount",
    "ShiftPattern",
    "ShiftPlan",
    "ShiftTemplate",
    "Shortfall",
    "SkillRequirement",
    "SolveReport",
    "StageReport",
    "WeekGrid",
    "expand_patterns",
    "roster_assign",
    "service_level_of",
    "shift_plan_cover",
    "shift_plan_service_level",
]
