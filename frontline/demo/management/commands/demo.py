"""``manage.py demo`` (or ``frontline demo``): fill the database with the demo department."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontline.demo import names
from frontline.demo.generator import (
    LOGINS,
    URL,
    DemoConflict,
    demo_counts,
    demo_exists,
    demo_generate,
    demo_reset,
)
from frontline.demo.workforce import demo_workforce, workforce_reset


def _anchor(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"--anchor: not an ISO date-time: {value!r}") from None
    if parsed.tzinfo is None:
        raise CommandError("--anchor: give a time zone, e.g. 2026-11-23T00:00Z")
    return parsed.astimezone(UTC)


class Command(BaseCommand):
    help = "Create demo data: a support department, customers and months of tickets (deterministic with --seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=7, help="Random seed; the same seed gives the same data (default 7).")
        parser.add_argument("--days", type=int, default=90, help="Days of ticket history (default 90).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Ticket and customer volume; 1.0 is about 280 tickets a day and 400 customers.")
        parser.add_argument("--anchor", type=_anchor, default=None,
                            help="When the history ends (ISO, with zone); default: now, rounded down to the hour.")
        parser.add_argument("--engine", choices=("bulk", "services"), default="bulk",
                            help="bulk (fast, mirrors the services) or services (every step through desk.services).")
        parser.add_argument("--reset", action="store_true", help="Delete existing demo data first.")
        parser.add_argument("--no-workforce", action="store_true",
                            help="Skip the capacity plan (forecasts, staffing plans, schedules, adherence log, budget).")
        parser.add_argument("--desk-only", action="store_true",
                            help="Only the desk's history with its SLAs, escalations and mail: skip surveys, "
                                 "automations, routing, phone, messaging, quality, insights, metrics and coaching.")
        parser.add_argument("--quiet", action="store_true", help="Print nothing but errors.")

    def handle(self, *args: object, **options: object) -> None:
        quiet = bool(options["quiet"])
        say = (lambda _m: None) if quiet else (lambda m: self.stdout.write(m))
        started = time.perf_counter()  # the whole run: tickets, then the capacity plan
        try:
            if options["reset"]:
                workforce_reset()
                demo_reset()
                say("Removed the previous demo data.")
            elif demo_exists():
                say("Demo data is already there (use --reset to rebuild it).")
                if not quiet:
                    self._logins(demo_counts())
                return
            summary = demo_generate(seed=int(options["seed"]), days=int(options["days"]),  # type: ignore[call-overload]
                                    scale=float(options["scale"]), anchor=options["anchor"],  # type: ignore[arg-type]
                                    engine=str(options["engine"]), progress=say,
                                    desk_only=bool(options["desk_only"]))
            if not options["no_workforce"]:
                summary.counts.update(demo_workforce(anchor=summary.anchor, progress=say))
        except (DemoConflict, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if not quiet:
            say(f"Done in {time.perf_counter() - started:.1f} s; history ends {summary.anchor:%Y-%m-%d %H:%M} UTC.")
            self._logins(summary.counts)

    def _logins(self, counts: dict[str, int]) -> None:
        self.stdout.write(", ".join(f"{n:,} {what}" for what, n in counts.items()))
        url = os.environ.get("FRONTLINE_URL", URL)
        self.stdout.write(f"\nOpen {url} and sign in (password for all: {names.PASSWORD}):\n")
        for username, what in LOGINS:
            self.stdout.write(f"  {username:<10} {names.PASSWORD:<16} {what}")
        self.stdout.write("")
