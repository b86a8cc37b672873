"""Auto-QA over the demo's whole history: interactions per second.

    python -m bench.bench_autoqa            (from the repository root; --quick for a smoke run)

Builds the demo (``demo_generate``: 90 days at scale 1, about 25,000 tickets; ``--quick``: 7 days at
scale 0.1) in a temporary SQLite database, then times three stages over every solved ticket:

- **engine**: ``frontline.engine.autoqa.run_checks`` alone on the prepared ``Interaction`` objects;
- **build**: ``quality.autoqa.interactions`` (messages, SLA first-reply due times, escalations
  read in batches of 500 and turned into ``Interaction`` objects);
- **full run**: ``quality.autoqa.autoqa_run`` from nothing stored (build, check, write the 8 results
  per ticket), then again with nothing to do (the incremental pass a periodic run usually is).

The baseline next to our full run is the engine alone: the difference is what reading and writing
the database costs. One run; times are wall clock on this machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench._template import migrated_sqlite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="7 days at scale 0.1 instead of 90 days at scale 1")
    parser.add_argument("--days", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args(argv)
    days = args.days or (7 if args.quick else 90)
    scale = args.scale or (0.1 if args.quick else 1.0)
    with tempfile.TemporaryDirectory(prefix="bench-autoqa-") as folder:
        migrated_sqlite(Path(folder) / "demo.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'demo.sqlite3'}"
        os.environ["FRONTLINE_VAR_DIR"] = folder
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
        import django

        django.setup()
        return run(days=days, scale=scale)


def run(*, days: int, scale: float) -> int:
    from django.core.management import call_command

    from bench._peers import print_table, run_header
    from frontline.demo.generator import demo_generate
    from frontline.desk.models import StatusCategory, Ticket
    from frontline.engine.autoqa import run_checks
    from frontline.quality.autoqa import autoqa_run, interactions, policies
    from frontline.quality.models import AutoCheck

    print(run_header("bench_autoqa"))
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    demo_generate(seed=7, days=days, scale=scale)
    print(f"demo built in {time.perf_counter() - started:.1f} s ({days} days, scale {scale})")
    AutoCheck.objects.all().delete()  # the demo checks its recent weeks; start from nothing
    ids = list(Ticket.objects.filter(status_category__in=[StatusCategory.SOLVED, StatusCategory.CLOSED])
               .order_by("id").values_list("id", flat=True))
    default, _ = policies()

    start = time.perf_counter()
    built = [i for _, _, i in interactions(ids)]
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    results = sum(len(run_checks(i, default)) for i in built)
    engine_s = time.perf_counter() - start
    start = time.perf_counter()
    checked = autoqa_run()
    full_s = time.perf_counter() - start
    start = time.perf_counter()
    again = autoqa_run()
    again_s = time.perf_counter() - start
    n = len(ids)

    def rate(count: int, seconds: float) -> str:
        return f"{count / seconds:,.0f}" if seconds > 0 else "-"

    print_table(
        f"Auto-QA over the demo's solved tickets ({n:,} interactions, {results:,} check results)",
        ["stage", "interactions", "seconds", "interactions/s"],
        [["engine only (run_checks)", n, f"{engine_s:.2f}", rate(n, engine_s)],
         ["build Interactions from the DB", n, f"{build_s:.2f}", rate(n, build_s)],
         ["frontline full run (autoqa_run)", checked, f"{full_s:.2f}", rate(checked, full_s)],
         ["incremental run, nothing new", again, f"{again_s:.2f}", "-"]])
    if checked != n or again != 0:
        print(f"unexpected: checked {checked} of {n}, then {again}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
