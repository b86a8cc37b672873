"""``bench/bench_alpha.py --quick``: both implementations run and give the same alphas."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bench import bench_alpha


def test_quick_run_prints_both_implementations_and_identical_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = bench_alpha.main(["--quick"])
    out = capsys.readouterr().out
    ours = re.findall(r"^frontline alpha_matrix\s+(\w+)", out, flags=re.MULTILINE)
    theirs = re.findall(r"^krippendorff 0\.9\.0\s+(\w+)", out, flags=re.MULTILINE)
    levels = ["nominal", "ordinal", "interval", "ratio"]
    assert (code, ours, theirs) == (0, levels * 2, ours)  # the 1-5 table and the totals table
    assert "(identical to 1e-9)" in out


def test_the_ratings_are_a_one_to_five_scale_with_a_fifth_missing() -> None:
    matrix = bench_alpha.ratings(50, 2000)
    present = matrix[~np.isnan(matrix)]
    assert (matrix.shape, sorted(set(present.tolist()))) == ((50, 2000), [1.0, 2.0, 3.0, 4.0, 5.0])
    assert np.isnan(matrix).mean() == pytest.approx(0.2, abs=0.01)


def test_without_the_package_the_table_says_not_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench_alpha, "peer", None)
    code = bench_alpha.main(["--quick"])
    out = capsys.readouterr().out
    assert code == 0 and "The krippendorff package is not installed" in out
    assert len(re.findall(r"^krippendorff\s+\w+\s+not run", out, flags=re.MULTILINE)) == 8
