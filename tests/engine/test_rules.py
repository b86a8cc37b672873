"""The condition language (frontline/engine/rules): validation with paths, each operator by hand,
unset and wrong-typed facts, the words of ``describe``."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime, timedelta

import pytest

from frontline.engine import rules
from frontline.engine.rules import (
    Facts,
    FieldSpec,
    compile_conditions,
    describe,
    evaluate,
    facts_of,
    validate,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def leaf(field: str, op: str, value: object = None) -> dict[str, object]:
    node: dict[str, object] = {"field": field, "op": op}
    if value is not None:
        node["value"] = value
    return node


def paths(conditions: object, **kw: object) -> list[str]:
    return [e.path for e in validate(conditions, **kw)]  # type: ignore[arg-type]


def test_the_docstring_example_runs() -> None:
    from frontline.engine.rules import conditions

    assert doctest.testmod(conditions).failed == 0


@pytest.mark.parametrize(("conditions", "where"), [
    ({"all": [leaf("ticket.colour", "eq", "red")]}, "conditions.all.0.field"),
    ({"all": [leaf("ticket.priority", "between", "high")]}, "conditions.all.0.op"),
    ({"all": [leaf("ticket.priority", "eq", "extreme")]}, "conditions.all.0.value"),
    ({"any": [leaf("ticket.priority", "eq", "high"), leaf("ticket.reopen_count", "gt", "two")]}, "conditions.any.1.value"),
    ({"not": leaf("ticket.priority", "in", [])}, "conditions.not.value"),
    ({"all": [leaf("ticket.priority", "in", ["high", 3])]}, "conditions.all.0.value.1"),
    ({"all": [leaf("ticket.tags", "is_set", "x")]}, "conditions.all.0.value"),
    ({"all": [leaf("ticket.subject", "eq")]}, "conditions.all.0.value"),
    ({"all": [leaf("ticket.created_at", "gt", 3)]}, "conditions.all.0.op"),
    ({"all": [leaf("ticket.created_at", "hours_since", -1)]}, "conditions.all.0.value"),
    ({"all": [leaf("ticket.reopen_count", "gt", True)]}, "conditions.all.0.value"),
    ({"all": [leaf("ticket.reopen_count", "gt", float("nan"))]}, "conditions.all.0.value"),
    ({"all": [{"field": "ticket.priority", "op": "eq", "value": "high", "extra": 1}]}, "conditions.all.0.extra"),
    ({"all": "ticket.priority == 'high'"}, "conditions.all"),
    ({"any": []}, "conditions.any"),
    ({"all": [], "any": []}, "conditions"),
    ("__import__('os').system('true')", "conditions"),
    ({"all": [leaf("ticket.fields.order_no", "eq", "1")]}, "conditions.all.0.field"),
    ({"all": [leaf("ticket.subject", "eq", "x" * 501)]}, "conditions.all.0.value"),
    ({"all": [leaf("ticket.subject", "contains", "  ")]}, "conditions.all.0.value"),
])
def test_validate_names_the_failing_path(conditions: object, where: str) -> None:
    assert paths(conditions) == [where]


def test_every_error_is_reported_not_just_the_first() -> None:
    assert paths({"all": [leaf("nope", "eq", 1), leaf("ticket.priority", "eq", "x")]}) == [
        "conditions.all.0.field", "conditions.all.1.value"]


def test_depth_and_size_are_bounded() -> None:
    deep: object = leaf("ticket.priority", "eq", "high")
    for _ in range(rules.MAX_DEPTH + 1):
        deep = {"not": deep}
    assert validate(deep)[0].message.startswith("Nested too deeply")
    wide = {"any": [leaf("ticket.priority", "eq", "high")] * (rules.MAX_NODES + 5)}
    assert [e.message for e in validate(wide)] == [f"Too many conditions: keep under {rules.MAX_NODES}."]


def test_a_valid_tree_and_custom_fields_through_the_registry() -> None:
    registry = rules.registry_with([FieldSpec("ticket.fields.order_no", "text", "Order number"),
                                    FieldSpec("ticket.queue", "text", "Queue", ("billing", "tech"))])
    good = {"all": [leaf("ticket.fields.order_no", "contains", "ORD"),
                    {"not": leaf("ticket.queue", "in", ["billing"])}]}
    assert validate(good, registry) == []
    assert paths({"all": [leaf("ticket.queue", "eq", "sales")]}, fields=registry) == ["conditions.all.0.value"]
    assert evaluate(good, facts_of({"ticket.fields.order_no": "ord-1", "ticket.queue": "tech"}), registry)


def test_compile_refuses_what_validate_refuses() -> None:
    with pytest.raises(ValueError, match=r"conditions\.all\.0\.field"):
        compile_conditions({"all": [leaf("nope", "eq", 1)]})


def f(**values: object) -> Facts:
    return facts_of({k.replace("__", "."): v for k, v in values.items()}, now=NOW)


@pytest.mark.parametrize(("condition", "facts", "expected"), [
    (leaf("ticket.priority", "eq", "high"), f(ticket__priority="high"), True),
    (leaf("ticket.priority", "eq", "high"), f(ticket__priority="HIGH"), False),  # choices are exact
    (leaf("ticket.subject", "eq", "refund"), f(ticket__subject="REFUND"), True),  # text is not
    (leaf("ticket.priority", "ne", "high"), f(), True),
    (leaf("ticket.priority", "in", ["high", "urgent"]), f(ticket__priority="urgent"), True),
    (leaf("ticket.priority", "not_in", ["high", "urgent"]), f(ticket__priority="low"), True),
    (leaf("ticket.subject", "contains", ["invoice", "refund"]), f(ticket__subject="Refund please"), True),
    (leaf("ticket.subject", "contains", "invoice"), f(ticket__subject="Refund please"), False),
    (leaf("ticket.subject", "not_contains", "invoice"), f(ticket__subject=None), True),
    (leaf("ticket.tags", "contains", "vip"), f(ticket__tags=frozenset({"vip", "billing"})), True),
    (leaf("ticket.tags", "contains", ["a", "b"]), f(ticket__tags=frozenset({"b"})), True),
    (leaf("ticket.tags", "not_contains", "vip"), f(ticket__tags=frozenset()), True),
    (leaf("ticket.tags", "is_set"), f(ticket__tags=frozenset()), False),
    (leaf("ticket.assignee", "is_not_set"), f(ticket__assignee=None), True),
    (leaf("ticket.assignee", "is_set"), f(ticket__assignee="ana"), True),
    (leaf("ticket.reopen_count", "gt", 1), f(ticket__reopen_count=2), True),
    (leaf("ticket.reopen_count", "gte", 2), f(ticket__reopen_count=2), True),
    (leaf("ticket.reopen_count", "lt", 2), f(ticket__reopen_count=2), False),
    (leaf("ticket.reopen_count", "lte", 2), f(ticket__reopen_count=2.0), True),
    (leaf("ticket.reopen_count", "gt", 1), f(ticket__reopen_count="3"), False),  # wrong type: no match
    (leaf("ticket.reopen_count", "eq", 2), f(ticket__reopen_count=True), False),
    (leaf("ticket.created_at", "hours_since", 72), f(ticket__created_at=NOW - timedelta(hours=72)), True),
    (leaf("ticket.created_at", "hours_since", 72), f(ticket__created_at=NOW - timedelta(hours=71.9)), False),
    (leaf("ticket.created_at", "hours_since", 1), f(ticket__created_at=datetime(2026, 1, 1)), False),  # naive
    (leaf("ticket.pending_since", "hours_since", 1), f(), False),
    (leaf("requester.tier", "in", ["gold", "platinum"]), f(requester__tier="gold"), True),
    (leaf("event.kind", "contains", "customer_replied"), f(event__kind=frozenset({"customer_replied"})), True),
    ({"not": leaf("ticket.priority", "eq", "high")}, f(ticket__priority="high"), False),
    ({"all": []}, f(), True),
    ({"any": [leaf("ticket.priority", "eq", "high"), leaf("ticket.type", "eq", "incident")]},
     f(ticket__priority="low", ticket__type="incident"), True),
])
def test_each_operator(condition: object, facts: Facts, expected: bool) -> None:
    assert evaluate(condition, facts) is expected


def test_changed_and_changed_to_read_the_previous_values() -> None:
    changed = facts_of({"ticket.priority": "urgent"}, previous={"ticket.priority": "normal"})
    same = facts_of({"ticket.priority": "urgent"}, previous={"ticket.priority": "urgent"})
    untouched = facts_of({"ticket.priority": "urgent"})
    assert evaluate(leaf("ticket.priority", "changed"), changed)
    assert not evaluate(leaf("ticket.priority", "changed"), same)
    assert not evaluate(leaf("ticket.priority", "changed"), untouched)
    assert evaluate(leaf("ticket.priority", "changed_to", "urgent"), changed)
    assert not evaluate(leaf("ticket.priority", "changed_to", "high"), changed)
    assert not evaluate(leaf("ticket.priority", "changed_to", "urgent"), untouched)


def test_fields_used_and_describe() -> None:
    cond = {"all": [leaf("ticket.priority", "in", ["high", "urgent"]),
                    {"any": [leaf("ticket.tags", "contains", "vip"), {"not": leaf("sla.state", "eq", "breached")}]}]}
    assert rules.fields_used(cond) == {"ticket.priority", "ticket.tags", "sla.state"}
    assert describe(cond) == "Priority is one of high, urgent and (Tags contains vip or not (SLA state is breached))"
    assert describe({"all": []}) == "always"
