"""Conditions as data: validated once, compiled to closures, evaluated against facts.

A condition is JSON::

    {"all": [c, ...]}     every one holds (an empty list holds)
    {"any": [c, ...]}     at least one holds (needs at least one)
    {"not": c}            c does not hold
    {"field": "ticket.priority", "op": "in", "value": ["high", "urgent"]}

Operators by field kind (``fields.OPS_BY_KIND``):

* ``eq`` / ``ne``: equal / not equal (text compares case-insensitively);
* ``in`` / ``not_in``: one of / none of a list;
* ``contains`` / ``not_contains``: text contains any of the words (a string or a list, case-
  insensitively) / none of them; a set (tags) holds any of the values / none of them;
* ``gt`` ``gte`` ``lt`` ``lte``: numbers;
* ``is_set`` / ``is_not_set``: has a value (a non-empty set, a non-empty text) / has none;
* ``changed``: the field changed in the change being looked at; ``changed_to``: changed, and
  now equals the value;
* ``hours_since``: a time field is at least ``value`` hours before the facts' ``now``.

An unset field (missing or None) matches only ``is_not_set`` and the negative operators
(``ne``, ``not_in``, ``not_contains``): "priority is not urgent" holds for a ticket without one.
A value of the wrong type in the facts matches nothing but the same negatives; evaluation never
raises on a condition that :func:`validate` accepted (property-tested).

Example::

    >>> from datetime import datetime, timezone
    >>> cond = {"all": [{"field": "ticket.priority", "op": "in", "value": ["high", "urgent"]},
    ...                 {"not": {"field": "ticket.tags", "op": "contains", "value": "vip"}}]}
    >>> validate(cond)
    []
    >>> evaluate(cond, Facts(values={"ticket.priority": "high", "ticket.tags": frozenset({"billing"})}))
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, TypeGuard

from .fields import CUSTOM_PREFIX, NO_VALUE_OPS, STANDARD_FIELDS, FieldSpec

MAX_DEPTH = 12
MAX_NODES = 400
MAX_LIST = 200
MAX_TEXT = 500

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Facts:
    """What is known about one ticket at one moment.

    ``values``: field name → value (str, int/float, bool, a frozenset of str, an aware datetime, or
    None); ``previous``: for the fields that changed in the change being looked at, their value
    before it; ``now``: the moment ``hours_since`` counts to.
    """

    values: Mapping[str, Any]
    previous: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    now: datetime | None = None


@dataclass(frozen=True)
class ConditionError:
    """A reason a condition is refused, at ``path`` (e.g. ``conditions.all.1.value``)."""

    path: str
    message: str


Predicate = Callable[[Facts], bool]


# --- validation ------------------------------------------------------------------------------

def _spec_for(name: object, fields: Mapping[str, FieldSpec]) -> FieldSpec | None:
    if not isinstance(name, str):
        return None
    return fields.get(name)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _scalar_error(spec: FieldSpec, value: object) -> str | None:
    """Why ``value`` cannot be compared with ``spec``'s values (None: it can)."""
    if spec.kind in ("text", "choice", "set"):
        if not isinstance(value, str):
            return "Give text."
        if len(value) > MAX_TEXT:
            return f"Keep values under {MAX_TEXT} characters."
        if spec.choices is not None and value not in spec.choices:
            shown = ", ".join(spec.choices[:20]) or "(none exist yet)"
            return f"{value!r} is not a value of {spec.name}; one of: {shown}."
        if spec.kind == "text" and not value.strip():
            return "Give some text."
        return None
    if spec.kind == "number":
        return None if _is_number(value) else "Give a number."
    if spec.kind == "bool":
        return None if isinstance(value, bool) else "Give true or false."
    return "This field takes no value with this operator."


def _value_errors(spec: FieldSpec, op: str, value: object, path: str) -> list[ConditionError]:
    here = f"{path}.value"
    if op in NO_VALUE_OPS:
        return [] if value is None else [ConditionError(here, f"{op} takes no value.")]
    if value is None:
        return [ConditionError(here, f"{op} needs a value.")]
    if op in ("in", "not_in") or (op in ("contains", "not_contains") and isinstance(value, list)):
        if not isinstance(value, list) or not value:
            return [ConditionError(here, "Give a non-empty list.")]
        if len(value) > MAX_LIST:
            return [ConditionError(here, f"Give at most {MAX_LIST} values.")]
        errors = []
        for i, item in enumerate(value):
            problem = _scalar_error(spec, item)
            if problem:
                errors.append(ConditionError(f"{here}.{i}", problem))
        return errors
    if op in ("gt", "gte", "lt", "lte"):
        return [] if _is_number(value) else [ConditionError(here, "Give a number.")]
    if op == "hours_since":
        if not _is_number(value) or value < 0:  # type: ignore[operator]
            return [ConditionError(here, "Give a number of hours, 0 or more.")]
        return []
    problem = _scalar_error(spec, value)
    return [ConditionError(here, problem)] if problem else []


def validate(conditions: object, fields: Mapping[str, FieldSpec] = STANDARD_FIELDS,
             root: str = "conditions") -> list[ConditionError]:
    """Every reason ``conditions`` cannot be saved (empty: it is valid). Never raises."""
    errors: list[ConditionError] = []
    count = [0]

    def walk(node: object, path: str, depth: int) -> None:
        count[0] += 1
        if count[0] > MAX_NODES:
            if count[0] == MAX_NODES + 1:
                errors.append(ConditionError(path, f"Too many conditions: keep under {MAX_NODES}."))
            return
        if depth > MAX_DEPTH:
            errors.append(ConditionError(path, f"Nested too deeply: keep under {MAX_DEPTH} levels."))
            return
        if not isinstance(node, dict):
            errors.append(ConditionError(path, 'Give an object: {"all": [...]}, {"any": [...]}, {"not": ...} '
                                               'or {"field", "op", "value"}.'))
            return
        groups = [k for k in ("all", "any", "not") if k in node]
        if groups:
            if len(node) != 1:
                errors.append(ConditionError(path, f"{groups[0]!r} stands alone in its object."))
                return
            key = groups[0]
            inner = node[key]
            if key == "not":
                walk(inner, f"{path}.not", depth + 1)
                return
            if not isinstance(inner, list):
                errors.append(ConditionError(f"{path}.{key}", "Give a list of conditions."))
                return
            if key == "any" and not inner:
                errors.append(ConditionError(f"{path}.any", "Give at least one condition."))
            for i, child in enumerate(inner):
                walk(child, f"{path}.{key}.{i}", depth + 1)
            return
        unknown = sorted(str(k) for k in node if k not in ("field", "op", "value"))
        if unknown:
            errors.append(ConditionError(f"{path}.{unknown[0]}", "Unknown key: use field, op and value."))
            return
        name = node.get("field")
        spec = _spec_for(name, fields)
        if spec is None:
            if isinstance(name, str) and name.startswith(CUSTOM_PREFIX):
                message = f"No custom ticket field {name.removeprefix(CUSTOM_PREFIX)!r}."
            else:
                message = f"Unknown field {name!r}." if name is not None else "Name a field."
            errors.append(ConditionError(f"{path}.field", message))
            return
        op = node.get("op")
        if not isinstance(op, str) or op not in spec.ops:
            errors.append(ConditionError(f"{path}.op", f"{spec.name} takes one of: {', '.join(spec.ops)}."))
            return
        errors.extend(_value_errors(spec, op, node.get("value"), path))

    walk(conditions, root, 0)
    return errors


# --- compilation -----------------------------------------------------------------------------
# Leaves are specialised closures over the field's values mapping; the hot paths avoid helper
# calls (property-tested against a direct tree walk in tests/engine/test_rules_properties.py).

_NUMBER_TYPES = (int, float)
_COLLECTIONS = (frozenset, set, list, tuple)


def _is_num(x: object) -> TypeGuard[float]:
    return type(x) in _NUMBER_TYPES or (isinstance(x, _NUMBER_TYPES) and not isinstance(x, bool))


def _unset(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, _COLLECTIONS) and not value)


def _has_any(got: object, wanted: frozenset[str]) -> bool:
    """A collection holding any of ``wanted`` (members compared by equality; other values: no)."""
    if isinstance(got, (frozenset, set)):
        return not wanted.isdisjoint(got)
    if isinstance(got, (list, tuple)):
        return any(w in got for w in wanted)
    return False


def _leaf(spec: FieldSpec, op: str, value: Any) -> Predicate:
    name = spec.name
    if op == "is_set":
        return lambda f: not _unset(f.values.get(name))
    if op == "is_not_set":
        return lambda f: _unset(f.values.get(name))
    if op == "changed":
        return lambda f: name in f.previous and f.previous.get(name) != f.values.get(name)
    if op == "hours_since":
        seconds = float(value) * 3600.0

        def since(f: Facts) -> bool:
            at, now = f.values.get(name), f.now
            if not isinstance(at, datetime) or not isinstance(now, datetime):
                return False
            if (at.tzinfo is None) != (now.tzinfo is None):
                return False
            return (now - at).total_seconds() >= seconds
        return since
    if op in ("gt", "gte", "lt", "lte"):
        bound = float(value)
        if op == "gt":
            return lambda f: _is_num(x := f.values.get(name)) and x > bound
        if op == "gte":
            return lambda f: _is_num(x := f.values.get(name)) and x >= bound
        if op == "lt":
            return lambda f: _is_num(x := f.values.get(name)) and x < bound
        return lambda f: _is_num(x := f.values.get(name)) and x <= bound
    if spec.kind == "set":
        wanted = frozenset([value] if isinstance(value, str) else value)
        if op == "contains":
            return lambda f: _has_any(f.values.get(name), wanted)
        return lambda f: not _has_any(f.values.get(name), wanted)
    if op in ("contains", "not_contains"):
        words = tuple(w.casefold() for w in ([value] if isinstance(value, str) else value))
        if len(words) == 1:
            word = words[0]

            def contains(f: Facts) -> bool:
                got = f.values.get(name)
                return isinstance(got, str) and word in got.casefold()
        else:
            def contains(f: Facts) -> bool:
                got = f.values.get(name)
                if not isinstance(got, str):
                    return False
                folded = got.casefold()
                return any(w in folded for w in words)
        return contains if op == "contains" else (lambda f: not contains(f))
    match = _matcher(spec, [value] if op in ("eq", "ne", "changed_to") else list(value))
    if op in ("eq", "in"):
        return lambda f: match(f.values.get(name))
    if op in ("ne", "not_in"):
        return lambda f: not match(f.values.get(name))
    if op == "changed_to":
        return lambda f: (name in f.previous and f.previous.get(name) != f.values.get(name)
                          and match(f.values.get(name)))
    raise ValueError(f"op: {op!r} is not an operator")  # unreachable after validate


def _matcher(spec: FieldSpec, options: list[Any]) -> Callable[[object], bool]:
    """Whether a fact equals one of ``options`` under the field's kind (numbers by value, text
    ignoring case, choices and booleans exactly and only of the same type)."""
    if spec.kind == "number":
        numbers = frozenset(float(o) for o in options)
        return lambda got: _is_num(got) and float(got) in numbers
    if spec.kind == "text":
        folded = frozenset(o.casefold() for o in options)
        return lambda got: type(got) is str and got.casefold() in folded
    if spec.kind == "bool":
        flags = tuple(options)
        return lambda got: type(got) is bool and got in flags
    exact = frozenset(options)
    return lambda got: type(got) is str and got in exact


def _every(parts: tuple[Predicate, ...]) -> Predicate:
    if not parts:
        return lambda f: True
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) and b(f)

    def every(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a loop, not a generator: this is the hot path
            if not p(f):
                return False
        return True
    return every


def _some(parts: tuple[Predicate, ...]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda f: a(f) or b(f)

    def some(f: Facts) -> bool:
        for p in parts:  # noqa: SIM110 - a loop, not a generator: this is the hot path
            if p(f):
                return True
        return False
    return some


def compile_conditions(conditions: object, fields: Mapping[str, FieldSpec] = STANDARD_FIELDS) -> Predicate:
    """A predicate over :class:`Facts` for ``conditions``; ValueError naming the first problem
    when :func:`validate` refuses them. Compile once, call many times."""
    errors = validate(conditions, fields)
    if errors:
        raise ValueError(f"conditions: {errors[0].path}: {errors[0].message}")

    def build(node: dict[str, Any]) -> Predicate:
        if "all" in node:
            return _every(tuple(build(c) for c in node["all"]))
        if "any" in node:
            return _some(tuple(build(c) for c in node["any"]))
        if "not" in node:
            inner = build(node["not"])
            return lambda f: not inner(f)
        return _leaf(fields[node["field"]], node["op"], node.get("value"))

    return build(conditions)  # type: ignore[arg-type]


def evaluate(conditions: object, facts: Facts, fields: Mapping[str, FieldSpec] = STANDARD_FIELDS) -> bool:
    """Whether ``facts`` satisfy ``conditions`` (validated first: ValueError when refused)."""
    return compile_conditions(conditions, fields)(facts)


def fields_used(conditions: object) -> frozenset[str]:
    """The field names ``conditions`` mention (so a caller computes only the facts it needs)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("field"), str):
                found.add(node["field"])
            for key in ("all", "any"):
                if isinstance(node.get(key), list):
                    for child in node[key]:
                        walk(child)
            if "not" in node:
                walk(node["not"])

    walk(conditions)
    return frozenset(found)


_OP_WORDS = {"eq": "is", "ne": "is not", "in": "is one of", "not_in": "is none of", "contains": "contains",
             "not_contains": "does not contain", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤",
             "is_set": "is set", "is_not_set": "is not set", "changed": "changed", "changed_to": "changed to",
             "hours_since": "was at least this many hours ago:"}


def describe(conditions: object, fields: Mapping[str, FieldSpec] = STANDARD_FIELDS) -> str:
    """The conditions in words, for lists and the history (``"Priority is one of high, urgent"``)."""

    def value_text(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    def words(node: object) -> str:
        if not isinstance(node, dict):
            return "?"
        if "all" in node and isinstance(node["all"], list):
            return "always" if not node["all"] else " and ".join(_wrap(words(c)) for c in node["all"])
        if "any" in node and isinstance(node["any"], list):
            return " or ".join(_wrap(words(c)) for c in node["any"])
        if "not" in node:
            return f"not ({words(node['not'])})"
        name = node.get("field")
        spec = fields.get(name) if isinstance(name, str) else None
        label = spec.label if spec else str(name)
        op = str(node.get("op"))
        text = f"{label} {_OP_WORDS.get(op, op)}"
        return text if op in NO_VALUE_OPS else f"{text} {value_text(node.get('value'))}"

    return words(conditions)


def _wrap(text: str) -> str:
    return f"({text})" if " and " in text or " or " in text else text


def facts_of(values: Mapping[str, Any], *, previous: Mapping[str, Any] | None = None,
             now: datetime | None = None) -> Facts:
    """Build :class:`Facts` (frozen views of the mappings)."""
    return Facts(values=MappingProxyType(dict(values)), previous=MappingProxyType(dict(previous or {})), now=now)
