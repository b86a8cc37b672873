"""Tests for ``frontline staffing`` (frontline/commands/staffing.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from frontline.commands.staffing import main

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ["--calls", "100", "--interval", "1800", "--aht", "180", "--threshold", "20"]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, float]:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_sizes_the_callcentrehelper_example(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, [*EXAMPLE, "--target-sl", "0.8"])
    assert set(out) == {"agents", "p_wait", "service_level", "asa_s", "occupancy"}
    assert out["agents"] == 14
    assert (
        round(out["service_level"], 4),
        round(out["p_wait"], 4),
        round(out["occupancy"], 4),
    ) == (0.8884, 0.1741, 0.7143)
    assert out["asa_s"] == pytest.approx(7.8359370118, rel=1e-9)


def test_evaluates_given_agents_with_erlang_a(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, [*EXAMPLE, "--agents", "13", "--patience", "300"])
    assert set(out) == {"agents", "p_wait", "service_level", "asa_s", "occupancy", "p_abandon"}
    assert (
        out["agents"],
        out["p_wait"],
        out["p_abandon"],
        out["service_level"],
        out["asa_s"],
    ) == pytest.approx((13, 0.225797084, 0.0249633036, 0.8581777, 7.4889910901), rel=1e-8)


def test_shrinkage_adds_scheduled_agents(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(
        capsys, [*EXAMPLE, "--target-sl", "0.8", "--max-occupancy", "0.85", "--shrinkage", "0.3"]
    )
    assert (out["agents"], out["scheduled_agents"]) == (14, 20)


def test_combined_targets_take_the_strictest(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(
        capsys,
        [
            *EXAMPLE,
            "--target-sl",
            "0.8",
            "--target-asa",
            "3",
            "--patience",
            "300",
            "--max-abandon",
            "0.01",
        ],
    )
    assert out["agents"] >= 14
    assert out["asa_s"] <= 3 and out["p_abandon"] <= 0.01 and out["service_level"] >= 0.8


def test_unstable_agents_report_null_asa(capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, [*EXAMPLE, "--agents", "9"])
    assert (out["p_wait"], out["service_level"], out["asa_s"], out["occupancy"]) == (
        1.0,
        0.0,
        None,
        1.0,
    )


def test_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*EXAMPLE, "--target-sl", "0.8", "--patience", "300", "--shrinkage", "0.3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[0] for line in lines] == [
        "model",
        "offered load",
        "agents",
        "P(wait)",
        "service level",
        "ASA",
        "occupancy",
        "P(abandon)",
        "scheduled agents",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([*EXAMPLE, "--target-sl", "1.5"], "--target-sl"),
        ([*EXAMPLE, "--target-sl", "abc"], "not a number"),
        ([*EXAMPLE], "at least one target"),
        ([*EXAMPLE, "--max-abandon", "0.05"], "--max-abandon needs --patience"),
        ([*EXAMPLE, "--agents", "-2"], "--agents"),
        ([*EXAMPLE, "--agents", "2.5"], "whole number"),
        ([*EXAMPLE, "--target-sl", "0.8", "--shrinkage", "1"], "--shrinkage"),
        (["--interval", "1800", "--aht", "180", "--threshold", "20", "--agents", "3"], "--calls"),
        ([*EXAMPLE[:4], "--aht", "0", "--threshold", "20", "--agents", "3"], "--aht"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert message in err and "Traceback" not in err


def test_runs_as_a_real_frontline_subcommand() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "frontline.cli",
            "staffing",
            *EXAMPLE,
            "--target-sl",
            "0.8",
            "--json",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    out = json.loads(completed.stdout)
    assert completed.returncode == 0, completed.stderr
    assert (out["agents"], round(out["service_level"], 4), round(out["p_wait"], 4)) == (
        14,
        0.8884,
        0.1741,
    )
