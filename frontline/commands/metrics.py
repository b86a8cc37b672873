"""``frontline metrics compute``: the KPI catalogue over an event CSV, without a database.

    frontline metrics compute --events FILE.csv [--calendar CAL.json] [--json]
    frontline metrics export --out FILE.csv

FILE.csv has the header ``ticket,at,kind,actor,role,value`` (docs/metrics.md); rows in any
order.  CAL.json is ``frontline sla due``'s calendar format; with it, first reply time is also
given in business minutes.  ``--json`` prints one object (the keys in docs/metrics.md; the key
``first_reply_business_minutes`` only with ``--calendar``).  Bad input prints one line on
stderr naming the row (the header is row 1, as in a spreadsheet) and exits 2.  The maths lives
in :mod:`frontline.engine.kpis`.

``export`` is the one action that needs the database: it sets Django up when run and writes
Frontline's own event log in that CSV form (:func:`frontline.desk.selectors.metrics_event_rows`).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from frontline.commands.sla import InputError, load_calendar
from frontline.engine.kpis import Distribution, Event, EventError, KpiReport, compute_kpis

COLUMNS = ("ticket", "at", "kind", "actor", "role", "value")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline metrics", description="Help-desk KPIs over an event CSV."
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{compute,export}")
    compute = sub.add_parser("compute", help="the KPI catalogue over FILE.csv")
    compute.add_argument(
        "--events", required=True, help="CSV: ticket,at,kind,actor,role,value (docs/metrics.md)"
    )
    compute.add_argument("--calendar", help="calendar JSON file (docs/sla.md): business minutes")
    compute.add_argument("--json", action="store_true", help="print one JSON object")
    export = sub.add_parser("export", help="write Frontline's event log as such a CSV")
    export.add_argument("--out", required=True, help="the CSV file to write")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.action == "export":
        return export(args.out)
    try:
        calendar = load_calendar(args.calendar) if args.calendar else None
        events = read_events(args.events)
        try:
            report = compute_kpis(events=events, calendar=calendar)
        except EventError as error:
            raise InputError(f"{args.events} row {error.index + 2}: {error}") from None
    except (InputError, ValueError) as error:
        print(f"frontline metrics: error: {error}", file=sys.stderr)
        return 2
    payload = report_json(report, with_calendar=calendar is not None)
    print(json.dumps(payload) if args.json else report_text(report))
    return 0


def export(out: str) -> int:
    """Write Frontline's event log to ``out`` (via a temporary file beside it); prints the count."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    import django

    django.setup()
    from frontline.desk.selectors import METRICS_EVENT_COLUMNS, metrics_event_rows

    target = Path(out)
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(METRICS_EVENT_COLUMNS)
            count = 0
            for row in metrics_event_rows():
                writer.writerow(row)
                count += 1
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        print(
            f"frontline metrics: error: cannot write {out}: {error.strerror or error}",
            file=sys.stderr,
        )
        return 2
    print(f"wrote {count} events to {out}")
    return 0


def read_events(path: str) -> list[Event]:
    """The events of an event CSV; InputError naming the row on bad input."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            return _parse(path, csv.reader(handle))
    except OSError as error:
        raise InputError(f"cannot read events {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read events {path}: not UTF-8 ({error.reason})") from None
    except csv.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({error})") from None


def _parse(path: str, reader: Any) -> list[Event]:
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
    events = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            raise InputError(f"{path} row {number}: empty row")
        if len(row) < len(names):
            raise InputError(
                f"{path} row {number}: {len(row)} field(s), the header has {len(names)}"
            )
        cells = {name: row[where[name]].strip() for name in COLUMNS}
        try:
            events.append(
                Event(
                    ticket=cells["ticket"],
                    at=_instant(cells["at"]),
                    kind=cells["kind"],
                    role=cells["role"],
                    actor=cells["actor"],
                    value=cells["value"],
                )
            )
        except ValueError as error:
            raise InputError(f"{path} row {number}: {error}") from None
    return events


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"at: not an ISO-8601 instant: {text!r} (e.g. 2026-12-24T16:00:00+01:00)"
        ) from None
    if value.utcoffset() is None:
        raise ValueError(f"at: {text!r} has no UTC offset: give one, e.g. {text}+01:00 or {text}Z")
    return value


def _dist(value: Distribution, missing: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"median": value.median, "p90": value.p90, "n": value.n}
    if missing is not None:
        out["missing"] = missing
    return out


def report_json(report: KpiReport, *, with_calendar: bool) -> dict[str, Any]:
    """The ``--json`` object: exactly the keys of docs/metrics.md."""
    out: dict[str, Any] = {
        "tickets": report.tickets,
        "solved": report.solved,
        "backlog": report.backlog,
        "first_reply_minutes": _dist(report.first_reply_minutes, report.first_reply_missing),
        "resolution_minutes": _dist(report.resolution_minutes),
    }
    if with_calendar and report.first_reply_business_minutes is not None:
        out["first_reply_business_minutes"] = _dist(
            report.first_reply_business_minutes, report.first_reply_missing
        )
    out.update(
        one_touch_rate=report.one_touch_rate,
        reopen_rate=report.reopen_rate,
        reassignment_rate=report.reassignment_rate,
        replies_per_solved=report.replies_per_solved,
        csat=report.csat,
        ces=report.ces,
        nps=report.nps,
    )
    return out


def _num(value: float | None, unit: str = "", digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}{unit}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def _minutes_row(name: str, value: Distribution | None, extra: str = "") -> tuple[str, str]:
    if value is None:
        return name, "- (needs --calendar)"
    return name, (
        f"median {_num(value.median, ' min')}, p90 {_num(value.p90, ' min')}, n {value.n}{extra}"
    )


def report_text(report: KpiReport) -> str:
    """A readable table of the catalogue ("-" = nothing to measure)."""
    missing = f", no agent reply {report.first_reply_missing}"
    rows = [
        ("tickets", str(report.tickets)),
        ("solved (solved or closed)", str(report.solved)),
        ("backlog (not solved)", str(report.backlog)),
        _minutes_row("first reply time", report.first_reply_minutes, missing),
        _minutes_row("first reply, business", report.first_reply_business_minutes, missing),
        _minutes_row("full resolution time", report.resolution_minutes),
        _minutes_row("full resolution, business", report.resolution_business_minutes),
        ("one-touch rate", f"{_pct(report.one_touch_rate)} of {report.solved} solved"),
        ("reopen rate", f"{_pct(report.reopen_rate)} of {report.ever_solved} ever solved"),
        ("reassignment rate", f"{_pct(report.reassignment_rate)} of {report.tickets} tickets"),
        ("agent replies per solved", _num(report.replies_per_solved, digits=2)),
        ("CSAT (4-5 of 1-5)", f"{_pct(report.csat)}, {report.csat_responses} responses"),
        ("CES (mean, 1-7)", f"{_num(report.ces, digits=2)}, {report.ces_responses} responses"),
        ("NPS (-100..100)", f"{_num(report.nps)}, {report.nps_responses} responses"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
