"""``frontline sla_backfill [--now ISO] [--ticket ID ...]``: SLA clocks for tickets that predate the policies.

Applies the active SLA policies to every ticket that has no applied policy yet (tickets written
before the first policy was configured, or imported in bulk), derives their clocks from their
history as at ``--now`` (default: now), and writes the at-risk / breached events the periodic
check would have written. Tickets that already have an applied policy are left alone, so the
command can be run again safely. (``frontline sla`` is the database-free engine calculator.)

Exit status: 0 on success (also when there is nothing to do); 2 for a usage error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from frontline.sla.backfill import sla_backfill
from frontline.sla.selectors import sla_active_policy_count


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--now {text!r} is not an ISO 8601 date and time, e.g. 2026-12-06T09:30+00:00.",
                           returncode=2) from None
    if timezone.is_naive(moment):
        raise CommandError(f"--now {text!r} has no UTC offset; add one, e.g. {text}+00:00.", returncode=2)
    return moment


class Command(BaseCommand):
    help = "Apply the SLA policies to tickets that have none yet and derive their clocks from their history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", metavar="ISO", help="Derive clocks as at this moment (with a UTC offset); default: now.")
        parser.add_argument("--ticket", metavar="ID", type=int, action="append", dest="tickets",
                            help="Only this ticket (repeat for several); default: every ticket without a policy.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = _moment(options["now"]) if options.get("now") else timezone.now()
        if now > timezone.now():
            raise CommandError("--now is in the future; clocks can only be derived up to the present.", returncode=2)
        if not sla_active_policy_count():
            self.stdout.write("No active SLA policy, so nothing to apply: add one in the admin (SLA → SLA policies), "
                              "then run this again.")
            return
        applied = sla_backfill(now=now, ticket_ids=options.get("tickets"))
        self.stdout.write(f"{applied} ticket{'' if applied == 1 else 's'} got an SLA policy and clocks "
                          f"(as at {now.isoformat(timespec='minutes')}); tickets that already had one were left alone.")
