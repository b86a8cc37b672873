"""Routing decisions: which available agent gets a piece of work, and why (docs/routing.md).

``scan_decide`` (the rules, one scan per decision) and ``AgentIndex`` (the same decisions from
heaps, O(log n) each); ``order_work`` puts waiting work in turn (VIP, then SLA due, then wait).
"""

from .decide import order_work, scan_decide, work_order_key
from .index import AgentIndex
from .model import (
    LEAST_LOADED,
    LEVEL_MAX,
    LEVEL_MIN,
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
    Skill,
    Work,
)

__all__ = [
    "LEAST_LOADED", "LEVEL_MAX", "LEVEL_MIN", "MODES", "ROUND_ROBIN", "SKILLS", "STAGE_EXACT", "STAGE_REQUIRED_ONLY",
    "STAGE_TEAM", "STAGE_WORDS", "AgentIndex", "Candidate", "Decision", "Fallback", "Requirement", "Skill", "Work",
    "order_work", "scan_decide", "work_order_key",
]
