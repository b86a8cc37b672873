"""``frontline sla``: business-time arithmetic on a calendar file, without a database.

    frontline sla due --calendar CAL.json --start ISO --minutes N [--pause FROM/TO]... [--json]
    frontline sla between --calendar CAL.json --start ISO --end ISO [--pause FROM/TO]... [--json]

``due`` prints when a target of N business minutes that starts at ``--start`` is due (``--json``:
``{"due": "<ISO-8601 in UTC>"}``); ``between`` prints the business minutes between two instants
(``--json``: ``{"minutes": x}``).  Instants are ISO-8601 with an offset (``Z`` or ``+01:00``);
each ``--pause FROM/TO`` is a pair of instants during which the clock does not run.  CAL.json
is described in :mod:`frontline.engine.businesstime.config` and docs/sla.md.  Bad input prints
one line on stderr and exits 2.  The maths lives in :mod:`frontline.engine.businesstime`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from frontline.engine.businesstime import (
    BusinessCalendar,
    Pause,
    business_due,
    business_minutes_between,
    calendar_from_json,
)


class InputError(Exception):
    """Input that cannot be computed on; the message is shown to the user."""


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not an ISO-8601 instant: {text!r} (e.g. 2026-12-24T16:00:00+01:00)"
        ) from None
    if value.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset: give one, e.g. {text}+01:00 or {text}Z"
        )
    return value


def _pause(text: str) -> Pause:
    parts = text.split("/")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"a pause is FROM/TO (two ISO instants), got {text!r}")
    start, end = (_instant(part.strip()) for part in parts)
    try:
        return Pause(start=start, end=end)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline sla", description="Business-time arithmetic on a calendar (CAL.json)."
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--calendar", required=True, help="calendar JSON file (docs/sla.md)")
    common.add_argument(
        "--start", required=True, type=_instant, help="ISO-8601 instant with offset"
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{due,between}")
    due = sub.add_parser(
        "due", parents=[common], help="when a target of business minutes from a start is due"
    )
    due.add_argument(
        "--minutes", required=True, type=_number, help="target, business minutes (> 0)"
    )
    between = sub.add_parser(
        "between", parents=[common], help="business minutes between two instants"
    )
    between.add_argument("--end", required=True, type=_instant, help="ISO-8601 instant with offset")
    for command in (due, between):
        command.add_argument(
            "--pause",
            action="append",
            default=[],
            type=_pause,
            metavar="FROM/TO",
            help="an ISO-8601 instant pair during which the clock does not run (repeatable)",
        )
        command.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        calendar = load_calendar(args.calendar)
        if args.action == "due":
            due = business_due(
                start=args.start, minutes=args.minutes, calendar=calendar, pauses=args.pause
            )
            print(json.dumps({"due": _utc(due)}) if args.json else _due_text(due, calendar))
        else:
            minutes = business_minutes_between(
                start=args.start, end=args.end, calendar=calendar, pauses=args.pause
            )
            print(json.dumps({"minutes": minutes}) if args.json else _minutes_text(minutes))
    except (InputError, ValueError) as error:
        print(f"frontline sla: error: {error}", file=sys.stderr)
        return 2
    return 0


def load_calendar(path: str) -> BusinessCalendar:
    """The calendar in the JSON file at ``path`` (also used by ``frontline metrics``)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise InputError(f"cannot read calendar {path}: {reason}") from None
    try:
        return calendar_from_json(text)
    except ValueError as error:
        raise InputError(f"calendar {path}: {error}") from None


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _due_text(due: datetime, calendar: BusinessCalendar) -> str:
    local = due.astimezone(calendar.zone)
    rows = [
        ("due (UTC)", _utc(due)),
        (f"due ({calendar.tz})", local.strftime("%A %Y-%m-%d %H:%M:%S %Z (UTC%z)")),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def _minutes_text(minutes: float) -> str:
    hours, rest = divmod(minutes, 60)
    return f"business time  {minutes:g} min ({int(hours)} h {rest:g} min)"
