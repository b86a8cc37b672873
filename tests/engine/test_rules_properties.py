"""Properties of the condition interpreter on hypothesis-generated conditions and facts:

* ``validate`` never raises, whatever JSON it is given;
* on every condition ``validate`` accepts, ``evaluate`` never raises and returns a bool, for facts
  of the right types, of the wrong types, or missing altogether;
* the compiled closures agree with an independent, direct tree-walking reference written here
  from the documented semantics (docs/automations.md);
* ``not`` negates, ``all`` of one is that one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.engine.rules import (
    NO_VALUE_OPS,
    STANDARD_FIELDS,
    Facts,
    FieldSpec,
    compile_conditions,
    validate,
)

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
SPECS = list(STANDARD_FIELDS.values())
WORDS = st.sampled_from(["high", "Refund", "invoice", "vip", "billing", "ana", "ÄÖ", "gold", "x"])
json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), WORDS)
any_json = st.recursive(json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["all", "any", "not", "field", "op", "value", "x"]), inner, max_size=3)),
    max_leaves=12)


def scalar_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "number":
        return st.one_of(st.integers(-3, 10), st.floats(-5, 100, allow_nan=False))
    if spec.kind == "bool":
        return st.booleans()
    if spec.choices is not None:
        return st.sampled_from(spec.choices)
    return WORDS


@st.composite
def leaves(draw: st.DrawFn) -> dict[str, Any]:
    spec = draw(st.sampled_from(SPECS))
    op = draw(st.sampled_from(spec.ops))
    node: dict[str, Any] = {"field": spec.name, "op": op}
    if op in NO_VALUE_OPS:
        return node
    if op in ("in", "not_in"):
        node["value"] = draw(st.lists(scalar_for(spec), min_size=1, max_size=3))
    elif op in ("gt", "gte", "lt", "lte"):
        node["value"] = draw(scalar_for(spec))
    elif op == "hours_since":
        node["value"] = draw(st.floats(0, 200, allow_nan=False))
    elif op in ("contains", "not_contains"):
        node["value"] = draw(st.one_of(scalar_for(spec), st.lists(scalar_for(spec), min_size=1, max_size=3)))
    else:
        node["value"] = draw(scalar_for(spec))
    return node


conditions = st.recursive(leaves(), lambda inner: st.one_of(
    st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
    st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda x: {"not": x}, inner)), max_leaves=8)


def value_for(spec: FieldSpec) -> st.SearchStrategy[Any]:
    right = {
        "number": st.one_of(st.integers(-3, 10), st.floats(allow_nan=True)),
        "bool": st.booleans(),
        "set": st.frozensets(WORDS, max_size=3),
        "time": st.builds(lambda h: NOW - timedelta(hours=h), st.floats(-50, 300, allow_nan=False)),
    }.get(spec.kind, st.sampled_from(spec.choices) if spec.choices else WORDS)
    wrong = st.one_of(st.none(), st.integers(), WORDS, st.lists(WORDS, max_size=2), st.frozensets(st.integers(), max_size=2),
                      st.just(datetime(2026, 1, 1)), st.booleans(), st.floats())
    return st.one_of(right, right, wrong)


@st.composite
def facts(draw: st.DrawFn) -> Facts:
    names = draw(st.lists(st.sampled_from(SPECS), max_size=len(SPECS), unique=True))
    values = {s.name: draw(value_for(s)) for s in names}
    previous = {s.name: draw(value_for(s)) for s in draw(st.lists(st.sampled_from(SPECS), max_size=4, unique=True))}
    now = draw(st.one_of(st.just(NOW), st.none(), st.just(datetime(2026, 12, 6, 12))))
    return Facts(values=values, previous=previous, now=now)


# --- the reference: a direct walk of the tree, per the documented semantics -------------------

def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _same(spec: FieldSpec, got: Any, want: Any) -> bool:
    if spec.kind == "number":
        return _num(got) and float(got) == float(want)
    if spec.kind == "text":
        return isinstance(got, str) and got.lower().casefold() == want.casefold()
    return type(got) is type(want) and got == want


def reference(node: dict[str, Any], f: Facts) -> bool:
    if "all" in node:
        return all(reference(c, f) for c in node["all"])
    if "any" in node:
        return any(reference(c, f) for c in node["any"])
    if "not" in node:
        return not reference(node["not"], f)
    spec = STANDARD_FIELDS[node["field"]]
    op, want = node["op"], node.get("value")
    got = f.values.get(spec.name)
    empty = got is None or got == "" or (isinstance(got, (frozenset, set, list, tuple)) and len(got) == 0)
    changed = spec.name in f.previous and f.previous[spec.name] != got
    if op == "is_set":
        return not empty
    if op == "is_not_set":
        return empty
    if op == "changed":
        return changed
    if op == "changed_to":
        return changed and _same(spec, got, want)
    if op == "hours_since":
        if not isinstance(got, datetime) or f.now is None or f.now.tzinfo is None or got.tzinfo is None:
            return False
        return (f.now - got) >= timedelta(hours=want)
    if op in ("gt", "gte", "lt", "lte"):
        if not _num(got):
            return False
        return {"gt": got > want, "gte": got >= want, "lt": got < want, "lte": got <= want}[op]
    wanted = [want] if not isinstance(want, list) else want
    if spec.kind == "set":
        hit = isinstance(got, (frozenset, set, list, tuple)) and any(w in got for w in wanted)
        return hit if op == "contains" else not hit
    if op in ("contains", "not_contains"):
        hit = isinstance(got, str) and any(w.casefold() in got.casefold() for w in wanted)
        return hit if op == "contains" else not hit
    hit = any(_same(spec, got, w) for w in wanted)
    return hit if op in ("eq", "in") else not hit


@settings(max_examples=100, deadline=None)
@given(any_json)
def test_validate_never_raises(tree: Any) -> None:
    assert isinstance(validate(tree), list)


@settings(max_examples=150, deadline=None)
@given(conditions, facts())
def test_evaluate_never_raises_and_agrees_with_the_reference(cond: dict[str, Any], fact: Facts) -> None:
    assert validate(cond) == []
    result = compile_conditions(cond)(fact)
    assert result is True or result is False
    assert result == reference(cond, fact)


@settings(max_examples=60, deadline=None)
@given(conditions, facts())
def test_not_negates_and_a_single_all_is_itself(cond: dict[str, Any], fact: Facts) -> None:
    plain = compile_conditions(cond)(fact)
    assert compile_conditions({"not": cond})(fact) is (not plain)
    assert compile_conditions({"all": [cond]})(fact) is plain
