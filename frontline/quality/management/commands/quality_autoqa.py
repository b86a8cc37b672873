"""``manage.py quality_autoqa``: run auto-QA over every solved ticket that needs it (the whole
history on the first run; afterwards only tickets with new messages)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser

from frontline.quality.autoqa import autoqa_run


class Command(BaseCommand):
    help = "Run the auto-QA checks on solved tickets not yet checked since their last message."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="At most this many tickets.")

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        count = autoqa_run(limit=options["limit"])  # type: ignore[arg-type]
        self.stdout.write(f"Auto-QA checked {count:,} tickets in {time.perf_counter() - started:.1f} s.")
