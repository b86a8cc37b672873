"""Tests for ``frontline sla`` (frontline/commands/sla.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from frontline.commands.sla import main

FRONTLINE = Path(sys.executable).parent / "frontline"  # the installed entry point, e.g. .venv/bin
CALENDAR = {
    "tz": "Europe/Berlin",
    "hours": {
        "0": [["09:00", "12:00"], ["13:00", "17:00"]],
        **{str(d): [["09:00", "17:00"]] for d in range(1, 5)},
    },
    "holidays": ["2026-12-24"],
    "country": "DE",
}


@pytest.fixture
def calendar_file(tmp_path: Path) -> Path:
    path = tmp_path / "cal.json"
    path.write_text(json.dumps(CALENDAR))
    return path


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_due_prints_json_in_utc(capsys: pytest.CaptureFixture[str], calendar_file: Path) -> None:
    # Wed 23 Dec 16:00 CET: 60 min that day; 24 Dec (custom), 25 and 26 Dec (German holidays)
    # and the weekend closed; Mon 28 Dec 09:00-10:00 CET -> 09:00 UTC.
    argv = ["due", "--calendar", str(calendar_file), "--start", "2026-12-23T16:00:00+01:00"]
    assert run(capsys, [*argv, "--minutes", "120", "--json"]) == (
        0,
        '{"due": "2026-12-28T09:00:00Z"}\n',
        "",
    )


def test_due_as_text_shows_utc_and_the_calendars_local_time(
    capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    code, out, _ = run(
        capsys,
        [
            "due",
            "--calendar",
            str(calendar_file),
            "--start",
            "2026-12-28T08:00Z",
            "--minutes",
            "150",
        ],
    )
    # Mon 28 Dec 09:00 CET: 09:00-11:30 -> 11:30 CET = 10:30 UTC.
    assert (code, out.splitlines()) == (
        0,
        [
            "due (UTC)            2026-12-28T10:30:00Z",
            "due (Europe/Berlin)  Monday 2026-12-28 11:30:00 CET (UTC+0100)",
        ],
    )


def test_pauses_stop_the_clock(capsys: pytest.CaptureFixture[str], calendar_file: Path) -> None:
    # Mon 28 Dec 09:00 CET + 120 with 10:00-11:00 and 10:30-11:30 paused -> 09:00-10:00 and
    # 11:30-12:00 (90), lunch, 13:00-13:30 -> 13:30 CET = 12:30 UTC.
    code, out, _ = run(
        capsys,
        [
            "due", "--calendar", str(calendar_file), "--start", "2026-12-28T09:00+01:00",
            "--minutes", "120", "--json",
            "--pause", "2026-12-28T10:00+01:00/2026-12-28T11:00+01:00",
            "--pause", "2026-12-28T09:30Z/2026-12-28T10:30Z",
        ],
    )  # fmt: skip
    assert (code, json.loads(out)) == (0, {"due": "2026-12-28T12:30:00Z"})


def test_between_prints_business_minutes(
    capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    argv = ["between", "--calendar", str(calendar_file), "--start", "2026-12-23T16:00+01:00"]
    assert run(capsys, [*argv, "--end", "2026-12-28T09:00Z", "--json"])[:2] == (
        0,
        '{"minutes": 120.0}\n',
    )
    assert run(capsys, [*argv, "--end", "2026-12-28T09:00:30Z"])[:2] == (
        0,
        "business time  120.5 min (2 h 0.5 min)\n",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--start", "2026-12-28T09:00", "--minutes", "5"], "has no UTC offset: give one"),
        (["--start", "2026-12-28", "--minutes", "5"], "has no UTC offset"),
        (["--start", "yesterday", "--minutes", "5"], "not an ISO-8601 instant"),
        (["--start", "2026-12-28T09:00Z", "--minutes", "soon"], "not a number: 'soon'"),
        (
            ["--start", "2026-12-28T09:00Z", "--minutes", "5", "--pause", "2026-12-28T09:00Z"],
            "a pause is FROM/TO",
        ),
        (
            [
                "--start",
                "2026-12-28T09:00Z",
                "--minutes",
                "5",
                "--pause",
                "2026-12-28T10:00Z/2026-12-28T09:00Z",
            ],
            "must be after its start",
        ),
        (["--start", "2026-12-28T09:00Z"], "the following arguments are required: --minutes"),
    ],
)
def test_bad_arguments_exit_2_with_usage(
    capsys: pytest.CaptureFixture[str], calendar_file: Path, argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["due", "--calendar", str(calendar_file), *argv])
    assert (exit_info.value.code, message in capsys.readouterr().err) == (2, True)


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("0", "minutes must be > 0 (a target of zero or less has no due time)"),
        ("-30", "minutes must be > 0 (a target of zero or less has no due time)"),
        ("nan", "minutes must be finite"),
        ("20000000", "minutes must be at most 10,000,000"),
    ],
)
def test_bad_targets_exit_2(
    capsys: pytest.CaptureFixture[str], calendar_file: Path, minutes: str, message: str
) -> None:
    code, out, err = run(
        capsys,
        [
            "due",
            "--calendar",
            str(calendar_file),
            "--start",
            "2026-12-28T09:00Z",
            "--minutes",
            minutes,
        ],
    )
    assert (code, out, err) == (2, "", f"frontline sla: error: {message}, got {float(minutes)!r}\n")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"tz": "Europe/Berlin", "hours": {}}', "no working time"),
        (
            '{"tz": "Europe/Berlin", "hours": {"0": [["09:00", "12:00"], ["11:00", "13:00"]]}}',
            "overlaps",
        ),
        ('{"tz": "Europe/Berlin", "hours": {"0": [["17:00", "17:00"]]}}', "start equals end"),
        ('{"tz": "Berlin", "hours": "24x7"}', "unknown time zone 'Berlin'"),
    ],
)
def test_bad_calendars_exit_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(document)
    code, _, err = run(
        capsys, ["due", "--calendar", str(path), "--start", "2026-12-28T09:00Z", "--minutes", "5"]
    )
    assert (code, err.startswith(f"frontline sla: error: calendar {path}: "), message in err) == (
        2,
        True,
        True,
    )


def test_between_refuses_an_end_before_the_start(
    capsys: pytest.CaptureFixture[str], calendar_file: Path
) -> None:
    code, _, err = run(
        capsys,
        [
            "between",
            "--calendar",
            str(calendar_file),
            "--start",
            "2026-12-28T09:00Z",
            "--end",
            "2026-12-27T09:00Z",
        ],
    )
    assert (code, "must not be before start" in err) == (2, True)


def test_the_installed_entry_point_runs_and_fails_cleanly(
    calendar_file: Path, tmp_path: Path
) -> None:
    ok = subprocess.run(
        [str(FRONTLINE), "sla", "due", "--calendar", str(calendar_file),
         "--start", "2026-12-23T16:00+01:00", "--minutes", "120", "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    missing = subprocess.run(
        [str(FRONTLINE), "sla", "due", "--calendar", str(tmp_path / "none.json"),
         "--start", "2026-12-23T16:00+01:00", "--minutes", "120"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (ok.returncode, json.loads(ok.stdout), ok.stderr) == (
        0,
        {"due": "2026-12-28T09:00:00Z"},
        "",
    )
    assert (missing.returncode, missing.stdout, "Traceback" in missing.stderr) == (2, "", False)
    assert (
        "cannot read calendar" in missing.stderr and "No such file or directory" in missing.stderr
    )
