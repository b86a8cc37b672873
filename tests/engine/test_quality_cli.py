"""Tests for ``frontline quality alpha`` (frontline/commands/quality.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from frontline.commands.quality import main

FRONTLINE = Path(sys.executable).parent / "frontline"  # the installed entry point, e.g. .venv/bin

# Krippendorff (2011) example C: 4 observers, 12 units, missing data (alpha published per level).
EXAMPLE_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def long_csv(rows: list[list[int | None]], header: str = "item,rater,value") -> str:
    lines = [header]
    for rater, row in enumerate(rows):
        lines += [f"u{unit},obs{rater + 1},{v}" for unit, v in enumerate(row) if v is not None]
    return "\n".join(lines) + "\n"


@pytest.fixture
def example_c(tmp_path: Path) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text(long_csv(EXAMPLE_C))
    return path


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_json_has_exactly_the_four_keys(
    capsys: pytest.CaptureFixture[str], example_c: Path, level: str, published: float
) -> None:
    code, out, err = run(capsys, ["alpha", "--csv", str(example_c), "--level", level, "--json"])
    payload = json.loads(out)
    assert (code, err, list(payload)) == (0, "", ["alpha", "items", "raters", "pairable_values"])
    assert payload["alpha"] == pytest.approx(published, abs=5e-4)
    assert (payload["items"], payload["raters"], payload["pairable_values"]) == (11, 4, 40)


def test_text_is_a_readable_table_with_each_raters_deviation(
    capsys: pytest.CaptureFixture[str], example_c: Path
) -> None:
    code, out, _ = run(capsys, ["alpha", "--csv", str(example_c), "--level", "interval"])
    lines = out.splitlines()
    assert code == 0
    assert lines[:2] + lines[4:7] == [
        "Krippendorff's alpha (interval)  0.849",
        "reading                          reliable (>= 0.800)",
        "items (rated by 2 or more)       11",
        "raters                           4",
        "pairable values                  40",
    ]
    # 11 items: a wide interval (seeded, so the same every run).
    assert lines[2] == (
        "95% interval                     0.403 to 1.000 (bootstrap over items, 2,000 resamples)"
    )
    assert re.fullmatch(r"chance alpha < 0\.667 +\d+% of resamples", lines[3])
    assert lines[8] == "rater deviation from the others' consensus (mean |deviation|, bias, items)"
    assert [line.split()[0] for line in lines[9:]] == ["obs1", "obs2", "obs3", "obs4"]


def test_nominal_takes_text_labels_and_numbers_as_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = tmp_path / "text.csv"
    text.write_text(
        "rater,item,value,comment\nann,t1,yes,x\nbob,t1,yes,\nann,t2,no,\nbob,t2,yes,\n"
        "ann,t3,no,\nbob,t3,no,\n"
    )
    numbers = tmp_path / "numbers.csv"
    numbers.write_text(
        "item,rater,value\nt1,ann,1\nt1,bob,1.0\nt2,ann,0\nt2,bob,1\nt3,ann,0\nt3,bob,0\n"
    )
    for path in (text, numbers):
        code, out, _ = run(capsys, ["alpha", "--csv", str(path), "--level", "nominal", "--json"])
        # 1 - 5 * 2 / (2 * 3 * 3) = 4/9: "1" and "1.0" are one label.
        assert (code, json.loads(out)["alpha"]) == (0, pytest.approx(4 / 9, abs=1e-12))


def test_undefined_alpha_is_null_and_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "same.csv"
    path.write_text("item,rater,value\na,x,3\na,y,3\nb,x,3\n")
    code, out, _ = run(capsys, ["alpha", "--csv", str(path), "--level", "ordinal", "--json"])
    assert (code, out) == (0, '{"alpha": null, "items": 1, "raters": 2, "pairable_values": 2}\n')
    code, out, _ = run(capsys, ["alpha", "--csv", str(path), "--level", "ordinal"])
    assert "undefined: fewer than 2 rated items or no variation" in out


def test_blank_lines_and_empty_values_are_missing_ratings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("item,rater,value\na,x,1\n\na,y,2\nb,x,\nb,y,4\nc,x,3\nc,y,3\n")
    code, out, _ = run(capsys, ["alpha", "--csv", str(path), "--level", "interval", "--json"])
    assert (code, json.loads(out)["items"], json.loads(out)["pairable_values"]) == (0, 2, 4)


@pytest.mark.parametrize(
    ("content", "level", "message"),
    [
        ("", "interval", "is empty: the first row must be item,rater,value"),
        ("item,value\na,1\n", "interval", "row 1: missing column(s) rater"),
        ("item,rater,value\n", "interval", "has no ratings"),
        ("item,rater,value\na,x,1\na,y,high\n", "interval", "row 3: value 'high' is not a number"),
        ("item,rater,value\na,x,1\na,y,nan\n", "ordinal", "row 3: value 'nan' is not a number"),
        ("item,rater,value\na,x,1\na,y,-2\n", "ratio", "row 3: a ratio value must be >= 0"),
        (
            "item,rater,value\na,x,1\na,x,2\n",
            "nominal",
            "row 3: rater 'x' already rated item 'a' in row 2",
        ),
        ("item,rater,value\na,,1\n", "nominal", "row 2: rater is empty"),
        ("item,rater,value\na,x\n", "nominal", "row 2: 2 field(s), the header has 3"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, level: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = run(capsys, ["alpha", "--csv", str(path), "--level", level])
    assert (code, out) == (2, "")
    assert err.startswith("frontline quality: error: ") and message in err
    assert err.count("\n") == 1


def test_a_missing_or_binary_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, ["alpha", "--csv", str(tmp_path / "nope.csv"), "--level", "ratio"])
    assert (code, "cannot read" in err) == (2, True)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00item")
    code, _, err = run(capsys, ["alpha", "--csv", str(binary), "--level", "ratio"])
    assert (code, "not UTF-8" in err) == (2, True)


def test_an_unknown_level_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], example_c: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["alpha", "--csv", str(example_c), "--level", "cardinal"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'cardinal'" in capsys.readouterr().err


def test_the_installed_command_runs(example_c: Path) -> None:
    argv = [
        str(FRONTLINE),
        "quality",
        "alpha",
        "--csv",
        str(example_c),
        "--level",
        "ordinal",
        "--json",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["alpha"] == pytest.approx(0.815, abs=5e-4)


def test_the_installed_command_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("item,rater,value\na,x,1\na,y,loud\n")
    done = subprocess.run(
        [str(FRONTLINE), "quality", "alpha", "--csv", str(path), "--level", "interval"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert "Traceback" not in done.stderr and "row 3" in done.stderr
