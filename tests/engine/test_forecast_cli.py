"""Tests for ``frontline forecast backtest`` (frontline/commands/forecast.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from frontline.commands.forecast import main

REPO_ROOT = Path(__file__).resolve().parents[2]
CHEAP = "seasonal_naive,weekday_mean_4,level_blend"


def write_csv(
    path: Path, *, weeks: int = 6, queues: tuple[str, ...] = ("all",), extra: bool = True
) -> Path:
    """Weekdays 09:00-11:00 in 30-minute rows with Poisson counts, one block per queue."""
    rng = np.random.default_rng(7)
    lines = ["timestamp,count,interval_min,queue" if extra else "timestamp,count"]
    for queue in queues:
        for d in range(weeks * 7):
            day = date(2024, 1, 1) + timedelta(days=d)
            if day.weekday() >= 5:
                continue
            for s, mean in enumerate((20, 40, 35, 25)):
                ts = datetime(day.year, day.month, day.day, 9) + timedelta(minutes=30 * s)
                count = rng.poisson(mean)
                lines.append(
                    f"{ts:%Y-%m-%d %H:%M:%S},{count},30,{queue}"
                    if extra
                    else f"{ts:%Y-%m-%d %H:%M:%S},{count}"
                )
    path.write_text("\n".join(lines) + "\n")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["backtest", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_table_lists_every_model_and_the_choice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--csv",
        str(write_csv(tmp_path / "c.csv")),
        "--interval",
        "30",
        "--windows",
        "5",
        "--models",
        CHEAP,
    )
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[2:5]] == [
        "seasonal_naive",
        "weekday_mean_4",
        "level_blend",
    ]
    assert out.splitlines()[-1].startswith("chosen: ")


def test_json_single_series_has_exactly_chosen_and_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys,
        "--csv",
        str(write_csv(tmp_path / "c.csv", extra=False)),
        "--interval",
        "30",
        "--windows",
        "5",
        "--models",
        CHEAP,
        "--json",
    )
    payload = json.loads(out)
    assert code == 0 and set(payload) == {"chosen", "models"}
    assert list(payload["models"]) == ["seasonal_naive", "weekday_mean_4", "level_blend"]
    assert all(
        set(v) == {"mase", "wape"} and isinstance(v["mase"], float)
        for v in payload["models"].values()
    )
    assert payload["chosen"] == min(payload["models"], key=lambda m: payload["models"][m]["mase"])


def test_json_with_several_queues_is_keyed_by_queue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = write_csv(tmp_path / "q.csv", queues=("billing", "sales"))
    code, out, _ = run(
        capsys, "--csv", str(csv), "--interval", "30", "--windows", "5", "--models", CHEAP, "--json"
    )
    payload = json.loads(out)
    assert (code, list(payload), list(payload["queues"])) == (0, ["queues"], ["billing", "sales"])
    assert set(payload["queues"]["sales"]) == {"chosen", "models"}


def test_horizon_days_and_excluded_dates_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = write_csv(tmp_path / "c.csv")
    code, out, _ = run(
        capsys,
        "--csv",
        str(csv),
        "--interval",
        "30",
        "--windows",
        "4",
        "--horizon-days",
        "3",
        "--models",
        CHEAP,
        "--exclude-dates",
        "2024-02-07",
        "--hours",
        "09:00-11:00",
        "--json",
    )
    assert code == 0 and json.loads(out)["chosen"] in CHEAP.split(",")


def _bad_timestamps(path: Path) -> Path:
    write_csv(path)
    path.write_text(path.read_text().replace("2024-01-03 09:30:00", "not a time"))
    return path


def _text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("make", "interval", "windows", "message"),
    [
        (lambda p: p / "absent.csv", "30", "5", "no such file"),
        (
            lambda p: _text(p / "x.csv", "time,calls\n2024-01-01 09:00,3\n"),
            "30",
            "5",
            "missing column",
        ),
        (lambda p: _bad_timestamps(p / "x.csv"), "30", "5", "unparsable timestamp"),
        (
            lambda p: _text(p / "x.csv", "timestamp,count\n2024-01-01 09:00:00,twelve\n"),
            "30",
            "5",
            "count must be a number",
        ),
        (lambda p: write_csv(p / "x.csv"), "30", "40", "windows"),
        (lambda p: write_csv(p / "x.csv"), "60", "5", "interval"),
        (lambda p: _text(p / "x.csv", ""), "30", "5", "cannot read"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make,
    interval: str,
    windows: str,
    message: str,
) -> None:  # type: ignore[no-untyped-def]
    argv = [
        "--csv",
        str(make(tmp_path)),
        "--interval",
        interval,
        "--windows",
        windows,
        "--models",
        CHEAP,
    ]
    code, out, err = run(capsys, *argv)
    assert (code, out, message in err, "Traceback" in err) == (2, "", True, False)


def test_unknown_model_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "backtest",
                "--csv",
                str(write_csv(tmp_path / "c.csv")),
                "--interval",
                "30",
                "--models",
                "prophet",
            ]
        )
    assert exit_info.value.code == 2 and "prophet" in capsys.readouterr().err


def test_runs_as_a_real_subprocess(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "c.csv")
    cmd = [
        sys.executable,
        "-m",
        "frontline.cli",
        "forecast",
        "backtest",
        "--csv",
        str(csv),
        "--interval",
        "30",
        "--windows",
        "5",
        "--models",
        CHEAP,
        "--json",
    ]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert (done.returncode, set(json.loads(done.stdout))) == (0, {"chosen", "models"})


def test_real_subprocess_bad_file_exits_2_without_traceback(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "frontline.cli",
        "forecast",
        "backtest",
        "--csv",
        str(tmp_path / "none.csv"),
        "--interval",
        "30",
    ]
    done = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert (done.returncode, "Traceback" in done.stderr, "no such file" in done.stderr) == (
        2,
        False,
        True,
    )
