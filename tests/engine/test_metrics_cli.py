"""Tests for ``frontline metrics compute`` (frontline/commands/metrics.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from frontline.commands.metrics import main

FRONTLINE = Path(sys.executable).parent / "frontline"  # the installed entry point
HEADER = "ticket,at,kind,actor,role,value\n"
# Rows deliberately out of order.  By hand:
#   1: created Fri 27 Mar 2026 16:00 CET, agent reply Mon 30 Mar 10:00 CEST (DST began Sun 29):
#      3900 calendar minutes (65 h), 120 business minutes (Fri 16-17, Mon 9-10); solved Mon
#      11:00 CEST: resolution 3960 min; csat 5.
#   2: created Mon 30 Mar 09:00 CEST, customer reply only, a note: no first reply; csat 2, nps 9.
#   3: created Mon 30 Mar 09:00 CEST, reply 09:30 (30 min, 30 business), solved 10:00,
#      reopened 10:30, reply 11:00, solved 12:00 (resolution 180 min); ann -> bob: reassigned.
EVENTS = """\
1,2026-03-30T10:00:00+02:00,public_reply,ann,agent,
3,2026-03-30T11:00:00+02:00,public_reply,bob,agent,
1,2026-03-27T16:00:00+01:00,created,c1,customer,email
2,2026-03-30T07:00:00Z,created,c2,customer,chat
2,2026-03-30T09:10:00+02:00,public_reply,c2,customer,
2,2026-03-30T09:20:00+02:00,note,ann,agent,
2,2026-03-30T12:00:00+02:00,survey,c2,customer,csat:2
2,2026-03-30T12:01:00+02:00,survey,c2,customer,nps:9
3,2026-03-30T09:00:00+02:00,created,c3,customer,web
3,2026-03-30T09:01:00+02:00,assign,lead,agent,ann
3,2026-03-30T09:30:00+02:00,public_reply,ann,agent,
3,2026-03-30T10:00:00+02:00,status,ann,agent,solved
3,2026-03-30T10:30:00+02:00,status,c3,customer,open
3,2026-03-30T10:45:00+02:00,assign,lead,agent,bob
3,2026-03-30T12:00:00+02:00,status,bob,agent,solved
1,2026-03-30T11:00:00+02:00,status,ann,agent,solved
1,2026-03-30T11:05:00+02:00,survey,c1,customer,csat:5
"""
CALENDAR = {"tz": "Europe/Berlin", **{"hours": {str(d): [["09:00", "17:00"]] for d in range(5)}}}
EXPECTED = {
    "tickets": 3,
    "solved": 2,
    "backlog": 1,
    # first replies 30, 3900: median 1965, p90 at h = 0.9: 30 + 0.9 * 3870 = 3513
    "first_reply_minutes": {"median": 1965.0, "p90": 3513.0, "n": 2, "missing": 1},
    # resolutions 180, 3960: median 2070, p90 180 + 0.9 * 3780 = 3582
    "resolution_minutes": {"median": 2070.0, "p90": 3582.0, "n": 2},
    "one_touch_rate": 0.5,  # ticket 1 (3 has two replies and a reopen)
    "reopen_rate": 0.5,  # 3 of (1, 3)
    "reassignment_rate": 1 / 3,  # 3
    "replies_per_solved": 1.5,  # (1 + 2) / 2
    "csat": 0.5,  # 5 and 2
    "ces": None,
    "nps": 100.0,  # one promoter
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    events = tmp_path / "events.csv"
    events.write_text(HEADER + EVENTS)
    calendar = tmp_path / "cal.json"
    calendar.write_text(json.dumps(CALENDAR))
    return events, calendar


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_exactly_the_keys_and_no_business_key_without_a_calendar(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    code, out, err = run(capsys, ["compute", "--events", str(files[0]), "--json"])
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert list(json.loads(out)) == list(EXPECTED)


def test_json_with_a_calendar_adds_first_reply_business_minutes(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    argv = ["compute", "--events", str(files[0]), "--calendar", str(files[1]), "--json"]
    code, out, _ = run(capsys, argv)
    data = json.loads(out)
    # business first replies 30, 120: median 75, p90 30 + 0.9 * 90 = 111
    assert data.pop("first_reply_business_minutes") == {
        "median": 75.0,
        "p90": pytest.approx(111.0),
        "n": 2,
        "missing": 1,
    }
    assert (code, list(data)) == (0, list(EXPECTED))


def test_text_is_a_readable_table(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    argv = ["compute", "--events", str(files[0]), "--calendar", str(files[1])]
    code, out, _ = run(capsys, argv)
    assert code == 0
    assert "first reply time           median 1,965.0 min, p90 3,513.0 min, n 2" in out
    assert "first reply, business      median 75.0 min, p90 111.0 min, n 2" in out
    assert "reopen rate                50.0 % of 2 ever solved" in out
    assert "CES (mean, 1-7)            -, 0 responses" in out


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("ticket,at,kind,actor,role\n", "events.csv row 1: missing column(s) value"),
        (
            HEADER + "1,2026-03-30T10:00:00,created,c,customer,email\n",
            "row 2: at: '2026-03-30T10:00:00' has no UTC offset",
        ),
        (HEADER + "1,yesterday,created,c,customer,email\n", "row 2: at: not an ISO-8601 instant"),
        (
            HEADER
            + "1,2026-03-30T10:00Z,created,c,customer,\n1,2026-03-30T10:00Z,reply,c,agent,\n",
            "row 3: kind: must be one of",
        ),
        (HEADER + "1,2026-03-30T10:00Z,created,c,robot,\n", "row 2: role: must be one of"),
        (
            HEADER
            + "1,2026-03-30T10:00Z,created,c,customer,\n1,2026-03-30T11:00Z,status,a,agent,done\n",
            "row 3: value: a status is one of",
        ),
        (
            HEADER
            + "1,2026-03-30T10:00Z,created,c,customer,\n1,2026-03-30T11:00Z,survey,c,customer,csat:9\n",
            "row 3: value: the csat score must be 1-5",
        ),
        (
            HEADER + "1,2026-03-30T10:00Z,created,c,customer,\n2,2026-03-30T11:00Z,note,a,agent,\n",
            "row 3: ticket '2' has no 'created' event",
        ),
        (
            HEADER
            + "1,2026-03-30T10:00Z,created,c,customer,\n1,2026-03-30T09:00Z,public_reply,a,agent,\n",
            "row 3: ticket '1': public_reply at",
        ),
        (HEADER + "1,2026-03-30T10:00Z,created\n", "row 2: 3 field(s), the header has 6"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, csv_text: str, message: str
) -> None:
    path = tmp_path / "events.csv"
    path.write_text(csv_text)
    code, out, err = run(capsys, ["compute", "--events", str(path), "--json"])
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert message in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, ["compute", "--events", str(tmp_path / "none.csv")])
    assert (code, err.startswith("frontline metrics: error: cannot read events")) == (2, True)


def test_the_installed_command_runs(files: tuple[Path, Path]) -> None:
    argv = [str(FRONTLINE), "metrics", "compute", "--events", str(files[0]), "--json"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["first_reply_minutes"]["missing"] == 1


def test_the_installed_command_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("ticket,at\n")
    done = subprocess.run(
        [str(FRONTLINE), "metrics", "compute", "--events", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, "Traceback" in done.stderr) == (2, False)
