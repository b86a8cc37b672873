"""``frontline scheduler``: enqueue the periodic background tasks when they are due.

The tasks themselves run in the task worker (``db_worker``); this process only enqueues them, so
it is cheap and one per installation is enough (``frontline serve`` starts it). A periodic task
must be safe to run twice at once (the mail fetch claims each mailbox with a lease).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from frontline.core import background


class Command(BaseCommand):
    help = "Enqueue periodic background tasks (the mail fetch, ...) when they are due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue every periodic task once, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        due: dict[str, float] = {}
        while True:
            now = time.monotonic()
            for name, seconds in background.periodic().items():
                if now >= due.get(name, 0.0):
                    background.registered(name).enqueue()
                    due[name] = now + seconds
                    if options["verbosity"] > 1:
                        self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(1)
