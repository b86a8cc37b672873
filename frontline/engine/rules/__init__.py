"""Automation rule conditions: a small language of JSON data and its interpreter (never ``eval``).

Pure: conditions (JSON-like dicts and lists) and :class:`Facts` in, booleans and
:class:`ConditionError` lists out; no Django.

* ``fields.py``: :class:`FieldSpec`, the kinds and their operators, :data:`STANDARD_FIELDS`,
  :func:`registry_with` (the application adds queues, teams and custom ticket fields).
* ``conditions.py``: :func:`validate` (every error with its path), :func:`compile_conditions`
  (closures, compiled once), :func:`evaluate`, :func:`fields_used`, :func:`describe`.

The language is documented in docs/automations.md.
"""

from .conditions import (
    MAX_DEPTH,
    MAX_NODES,
    ConditionError,
    Facts,
    Predicate,
    compile_conditions,
    describe,
    evaluate,
    facts_of,
    fields_used,
    validate,
)
from .fields import (
    ACTOR_ROLES,
    ALL_OPS,
    CUSTOM_PREFIX,
    NO_VALUE_OPS,
    OPS_BY_KIND,
    STANDARD_FIELDS,
    FieldSpec,
    registry_with,
)

__all__ = [
    "ACTOR_ROLES", "ALL_OPS", "CUSTOM_PREFIX", "MAX_DEPTH", "MAX_NODES", "NO_VALUE_OPS", "OPS_BY_KIND",
    "STANDARD_FIELDS", "ConditionError", "Facts", "FieldSpec", "Predicate", "compile_conditions", "describe",
    "evaluate", "facts_of", "fields_used", "registry_with", "validate",
]
