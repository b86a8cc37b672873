"""``frontline mail ingest [--mailbox ADDRESS] FILE.eml... [--json]`` ("-" reads stdin).

Exit status: 0 when every input was read and processed, whatever its outcome (a message that
failed is stored with its error for retry, and counts as processed); 75 (EX_TEMPFAIL) when a
message could not be stored at all (the database is unavailable): an MTA piping to this command
keeps the message queued and tries again later, rather than bouncing it; 1 when an input file
could not be read; 2 for a usage error (no files, unknown mailbox).
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontline.mail import selectors
from frontline.mail.services import IngestResult, email_ingest

EX_TEMPFAIL = 75  # sysexits.h: "try again later"; what MTAs expect from a delivery pipe
KEYS = ("file", "outcome", "ticket", "reference", "message", "subject", "from_name", "from_email", "text",
        "attachments", "acknowledged", "kept", "error")


class Command(BaseCommand):
    help = "Email intake: 'ingest' reads .eml files (or '-' for stdin) into tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser("ingest", help="Ingest messages: new tickets, replies, duplicates, bounces.")
        ingest.add_argument("files", nargs="+", metavar="FILE.eml", help="Message files; '-' reads one from stdin.")
        ingest.add_argument("--mailbox", metavar="ADDRESS", help="The mailbox it arrived at (its queue); default: none.")
        ingest.add_argument("--json", action="store_true", help='Print one {"messages": [...]} object.')

    def handle(self, *args: Any, **options: Any) -> None:
        mailbox = None
        if options.get("mailbox"):
            mailbox = selectors.mailbox_by_address(address=options["mailbox"])
            if mailbox is None:
                raise CommandError(f"No mailbox {options['mailbox']!r}: add it in the admin, or leave --mailbox out.",
                                   returncode=2)
        entries = []
        unreadable = not_stored = False
        for name in options["files"]:
            try:
                raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            except OSError as exc:
                unreadable = True
                entries.append(_entry(name, IngestResult(outcome="failed", error=f"cannot read {name}: {exc.strerror}")))
                continue
            source = "cli:stdin" if name == "-" else f"cli:{Path(name).name}"
            try:
                result = email_ingest(raw=raw, mailbox=mailbox, source=source)
            except Exception as exc:  # e.g. the database is down: say so, keep going
                not_stored = True
                result = IngestResult(outcome="failed", error=f"not stored: {exc}")
            entries.append(_entry(name, result))
        if options["json"]:
            self.stdout.write(json.dumps({"messages": entries}, ensure_ascii=False))
        else:
            for entry in entries:
                self.stdout.write(_line(entry))
        if not_stored:
            sys.exit(EX_TEMPFAIL)
        if unreadable:
            sys.exit(1)


def _entry(name: str, result: IngestResult) -> dict[str, Any]:
    data = asdict(result)
    data["file"] = name
    return {key: data[key] for key in KEYS}


def _line(entry: dict[str, Any]) -> str:
    where = f" ticket {entry['ticket']} {entry['reference']}" if entry["ticket"] else ""
    extra = f" message {entry['message']}" if entry["message"] else ""
    ack = " (acknowledged)" if entry["acknowledged"] else ""
    error = f": {entry['error']}" if entry["error"] else ""
    return f"{entry['file']}: {entry['outcome']}{where}{extra}{ack}{error}"
