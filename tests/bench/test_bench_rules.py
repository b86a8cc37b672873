"""``bench/bench_rules.py --quick``: the engine and both eval baselines run and agree everywhere."""

from __future__ import annotations

import re

import pytest

from bench import bench_rules
from frontline.engine import rules


def test_quick_run_prints_all_three_with_the_same_answers(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_rules.main(["--quick"]) == 0
    out = capsys.readouterr().out
    names = re.findall(r"^(frontline engine\.rules|Python eval of \w+).*\byes\s*$", out, flags=re.MULTILINE)
    assert names == ["frontline engine.rules", "Python eval of the", "Python eval of compile"]


def test_the_generated_rules_are_valid_and_translate_for_every_shape() -> None:
    conditions = bench_rules.rule_set(40, seed=1)
    assert all(rules.validate(c) == [] for c in conditions)
    assert all(bench_rules.as_python(c) for c in conditions)
