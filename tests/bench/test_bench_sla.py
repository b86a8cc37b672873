"""``bench/bench_sla.py --quick``: the benchmark runs and its three implementations agree."""

from __future__ import annotations

import pytest

from bench import bench_sla


def test_quick_run_prints_the_table_and_identical_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = bench_sla.main(["--quick"])
    out = capsys.readouterr().out
    assert (code, "naive minute stepping" in out, "Identical due times" in out) == (0, True, True)


def test_the_clocks_are_whole_minutes_with_the_documented_targets() -> None:
    starts, minutes = bench_sla.clocks(1000)
    assert (
        str(starts.dtype),
        sorted(set(minutes.tolist())),
        str(starts.min())[:4],
        str(starts.max())[:4],
    ) == ("datetime64[m]", [30.0, 60.0, 240.0, 480.0, 960.0], "2026", "2026")
