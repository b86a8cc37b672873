"""``manage.py metrics_rebuild``: compute every ticket's facts and the rollups again from the events."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from frontline.metrics.services import metrics_rebuild


class Command(BaseCommand):
    help = "Rebuild the metrics facts and hourly rollups from the ticket event log (safe to run any time)."

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        count = metrics_rebuild()
        self.stdout.write(f"Rebuilt the metrics of {count:,} tickets in {time.perf_counter() - started:.1f} s.")
