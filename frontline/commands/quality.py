"""``frontline quality alpha``: Krippendorff's alpha of a ratings CSV, without a database.

    frontline quality alpha --csv FILE --level nominal|ordinal|interval|ratio [--json]

FILE is in long format with the header ``item,rater,value`` (any order, other columns ignored,
names case-insensitive): one row per rating; a missing rating is an absent row (a row with an
empty value counts as absent too).  At the ordinal, interval and ratio levels values must be
numbers (ordinal ranks follow numeric order: code ordered labels as numbers first); at the
nominal level they are labels — compared as numbers when every value is a number (so ``3`` and
``3.0`` are the same label), else as text.  ``--json`` prints exactly
``{"alpha": …, "items": …, "raters": …, "pairable_values": …}`` (``alpha`` is null when
undefined); without it, a readable table with each rater's deviation from the others.  Bad input
prints one line on stderr naming the row (the header is row 1, as in a spreadsheet) and exits 2.
The maths lives in :mod:`frontline.engine.agreement` (docs/quality-agreement.md).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any

from frontline.commands.sla import InputError
from frontline.engine.agreement import (
    AlphaInterval,
    AlphaResult,
    Level,
    RaterDeviation,
    alpha,
    alpha_interval,
    rater_deviation,
)

COLUMNS = ("item", "rater", "value")
Rating = tuple[str, str, float | str]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline quality", description="Inter-rater reliability of a ratings CSV."
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{alpha}")
    command = sub.add_parser("alpha", help="Krippendorff's alpha of FILE (item,rater,value)")
    command.add_argument("--csv", required=True, help="CSV with the header item,rater,value")
    command.add_argument(
        "--level",
        required=True,
        choices=[level.value for level in Level],
        help="level of measurement of the values",
    )
    command.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    level = Level(args.level)
    try:
        ratings = read_ratings(args.csv, level)
        result = alpha(ratings, level)
        if args.json:
            print(json.dumps(result_json(result)))
            return 0
        interval = alpha_interval(ratings, level)
        deviations = rater_deviation(ratings, level)
    except (InputError, ValueError) as error:
        print(f"frontline quality: error: {error}", file=sys.stderr)
        return 2
    print(result_text(result, level, deviations, interval))
    return 0


def read_ratings(path: str, level: Level) -> list[Rating]:
    """The ``(item, rater, value)`` rows of the CSV at ``path``; InputError naming the row."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            return _parse(path, csv.reader(handle), level)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read {path}: not UTF-8 ({error.reason})") from None
    except csv.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({error})") from None


def _parse(path: str, reader: Any, level: Level) -> list[Rating]:
    header = next(reader, None)
    if header is None:
        raise InputError(f"{path} is empty: the first row must be {','.join(COLUMNS)}")
    names = [name.strip().lower() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise InputError(
            f"{path} row 1: missing column(s) {', '.join(missing)}; "
            f"the header is {','.join(COLUMNS)}"
        )
    where = {name: names.index(name) for name in COLUMNS}
    rows: list[tuple[int, str, str, str]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) < len(names):
            raise InputError(
                f"{path} row {number}: {len(row)} field(s), the header has {len(names)}"
            )
        item, rater, value = (row[where[name]].strip() for name in COLUMNS)
        if not item or not rater:
            raise InputError(f"{path} row {number}: {'item' if not item else 'rater'} is empty")
        if not value:
            continue  # an empty value is a missing rating
        if (item, rater) in seen:
            raise InputError(
                f"{path} row {number}: rater {rater!r} already rated item {item!r} "
                f"in row {seen[(item, rater)]}"
            )
        seen[(item, rater)] = number
        rows.append((number, item, rater, value))
    if not rows:
        raise InputError(f"{path} has no ratings: add rows of {','.join(COLUMNS)}")
    numbers = {number: _number(value) for number, _, _, value in rows}
    if level is Level.NOMINAL and any(v is None for v in numbers.values()):
        return [(item, rater, value) for _, item, rater, value in rows]
    ratings: list[Rating] = []
    for number, item, rater, value in rows:
        parsed = numbers[number]
        if parsed is None:
            raise InputError(
                f"{path} row {number}: value {value!r} is not a number "
                f"(a {level.value} value must be; text labels only at --level nominal)"
            )
        if level is Level.RATIO and parsed < 0:
            raise InputError(f"{path} row {number}: a ratio value must be >= 0, got {value!r}")
        ratings.append((item, rater, parsed))
    return ratings


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def result_json(result: AlphaResult) -> dict[str, Any]:
    """The ``--json`` object: exactly alpha, items, raters, pairable_values."""
    return {
        "alpha": result.alpha,
        "items": result.items,
        "raters": result.raters,
        "pairable_values": result.pairable_values,
    }


def reading(value: float | None) -> str:
    """Krippendorff's (2004) guidance on what a value supports."""
    if value is None:
        return "undefined: fewer than 2 rated items or no variation in the values"
    if value >= 0.800:
        return "reliable (>= 0.800)"
    if value >= 0.667:
        return "tentative conclusions only (0.667 to 0.800)"
    return "unreliable (< 0.667): rewrite or retrain the criterion"


def result_text(
    result: AlphaResult,
    level: Level,
    deviations: list[RaterDeviation],
    interval: AlphaInterval | None = None,
) -> str:
    """A readable table: alpha, how sure it is, what it rests on, each rater's deviation."""
    value = "-" if result.alpha is None else f"{result.alpha:.3f}"
    rows = [
        (f"Krippendorff's alpha ({level.value})", value),
        ("reading", reading(result.alpha)),
        ("items (rated by 2 or more)", str(result.items)),
        ("raters", str(result.raters)),
        ("pairable values", str(result.pairable_values)),
    ]
    if interval is not None and interval.low is not None and interval.high is not None:
        share = interval.below_threshold or 0.0
        rows[2:2] = [
            (
                f"{interval.confidence:.0%} interval",
                f"{interval.low:.3f} to {interval.high:.3f} (bootstrap over items, "
                f"{interval.resamples:,} resamples)",
            ),
            (f"chance alpha < {interval.threshold:.3f}", f"{share:.0%} of resamples"),
        ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name.ljust(width)}  {text}" for name, text in rows]
    if deviations:
        measure = "disagreement rate" if level is Level.NOMINAL else "mean |deviation|"
        lines += ["", f"rater deviation from the others' consensus ({measure}, bias, items)"]
        name_width = max(len(str(d.rater)) for d in deviations)
        for d in deviations:
            dev = "-" if d.deviation_from_group is None else f"{d.deviation_from_group:.3f}"
            bias = "-" if d.bias_from_group is None else f"{d.bias_from_group:+.3f}"
            lines.append(
                f"  {str(d.rater).ljust(name_width)}  {dev:>7}  {bias:>7}  {d.items_with_group}"
            )
    return "\n".join(lines)
