"""Email ingest through a real IMAP server on loopback, threading included: messages per second.

    python -m bench.bench_mail            (from the repository root; --quick for a smoke run)

A private dovecot (Debian's dovecot-imapd, started as the tests start it: tests/mail/dovecot.py)
holds N generated messages in one folder: 40% open a conversation (plain text, a third with an
HTML alternative, a fifth with a PDF attachment), 50% answer an earlier one (In-Reply-To and
References, quoted history and a signature to strip), 10% are out-of-office notes answering an
earlier one (Auto-Submitted). Frontline fetches the folder with the periodic task's own function
(``mailbox_fetch``: UID search, BODY.PEEK in batches, ``email_ingest`` per message, last UID saved
per message) into a fresh database, and the time from login to the last message stored is
measured, with the CPU time of Frontline's process per message (the database's and dovecot's CPU
are not in it; on a busy machine it shows what the wall-clock rate would be with a core to
itself). Loading the folder (IMAP APPEND) is not timed. The outcomes must match the mix
exactly (every reply threaded on its conversation's ticket), or the run fails.

The database is a new SQLite file (``--db sqlite``, default) or the PostgreSQL database in
DATABASE_URL (``--db postgres``; it is flushed). Target: >= 50 messages per second on the
project's 2-core machine. ``--quick`` runs 60 messages.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from bench._peers import print_table, run_header
from bench._template import migrated_sqlite

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET_PER_S = 50
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def messages(count: int) -> tuple[list[bytes], dict[str, int]]:
    """The generated folder, in delivery order, and the outcomes it must produce."""
    out: list[bytes] = []
    opened: list[tuple[str, str, str]] = []  # (message id, sender, subject)
    expected = {"created": 0, "threaded": 0, "auto_reply": 0}
    for n in range(count):
        kind = "new" if n % 10 < 4 or not opened else ("auto" if n % 10 == 9 else "reply")
        msg = EmailMessage()
        msg["To"] = "support@bench.example"
        msg["Message-ID"] = f"<bench-{n}@customers.example>"
        if kind == "new":
            sender, subject = f"customer{n}@customers.example", f"Order {n} has not arrived"
            msg["From"], msg["Subject"] = f"Customer {n} <{sender}>", subject
            msg.set_content(f"Hello,\n\nmy order {n} has not arrived yet. Can you check?\n\nThanks,\nCustomer {n}\n")
            if n % 3 == 0:
                msg.add_alternative(f"<p>Hello,</p><p>my order <b>{n}</b> has not arrived yet.</p>", subtype="html")
            if n % 5 == 0:
                msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=f"receipt-{n}.pdf")
            opened.append((f"bench-{n}@customers.example", sender, subject))
            expected["created"] += 1
        else:
            parent_id, sender, subject = opened[(n * 7) % len(opened)]
            msg["From"], msg["Subject"] = sender, f"Re: {subject}"
            msg["In-Reply-To"] = f"<{parent_id}>"
            msg["References"] = f"<{parent_id}>"
            if kind == "auto":
                msg["Auto-Submitted"] = "auto-replied"
                msg.set_content("I am out of the office until Monday.\n")
                expected["auto_reply"] += 1
            else:
                msg.set_content(f"Any news on this? It is message {n}.\n\nOn Mon, 7 Dec 2026, Support wrote:\n"
                                "> We are looking into it.\n> Sam\n\n-- \nSent from my phone\n")
                expected["threaded"] += 1
        out.append(msg.as_bytes())
    return out, expected


def _django(db: str, workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    os.environ["FRONTLINE_VAR_DIR"] = str(workdir)
    os.environ["FRONTLINE_MEDIA_ROOT"] = str(workdir / "media")
    if db == "sqlite":
        migrated_sqlite(workdir / "bench_mail.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench_mail.sqlite3'}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("--db postgres needs DATABASE_URL=postgres://... (its database is flushed)")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if db == "postgres":
        call_command("flush", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="60 messages: a smoke run")
    args = parser.parse_args(argv)
    count = 60 if args.quick else args.messages
    print(run_header("bench_mail"), flush=True)
    sys.path.insert(0, str(REPO_ROOT))
    from tests.mail.dovecot import DOVECOT, SKIP_REASON, Dovecot

    if DOVECOT is None:
        print(f"not run: {SKIP_REASON}")
        return 2
    with tempfile.TemporaryDirectory(prefix="frontline-bench-mail-") as tmp:
        _django(args.db, Path(tmp))
        from frontline.mail.fetch import mailbox_fetch
        from frontline.mail.models import Mailbox

        folder, expected = messages(count)
        with Dovecot() as server:
            server.add_user("support@bench.example", "bench")
            client = server.client("support@bench.example", "bench")
            for raw in folder:
                client.append("INBOX", raw)
            client.logout()
            os.environ["BENCH_IMAP_PASSWORD"] = "bench"
            mailbox = Mailbox.objects.create(address="support@bench.example", imap_host=server.host,
                                             imap_port=server.port, imap_tls=False, imap_user="support@bench.example",
                                             password_env="BENCH_IMAP_PASSWORD")
            started, cpu_started = time.perf_counter(), time.process_time()
            result = mailbox_fetch(mailbox=mailbox)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = result.fetched / seconds if seconds else 0.0
    print_table(
        f"Email ingest through IMAP (dovecot on loopback), {count} messages, {args.db}",
        ["path", "messages", "created", "threaded", "auto_reply", "seconds", "messages/s", "target/s", "CPU ms/message"],
        [["IMAP fetch + ingest", result.fetched, result.outcomes.get("created", 0), result.outcomes.get("threaded", 0),
          result.outcomes.get("auto_reply", 0), round(seconds, 2), round(rate, 1), TARGET_PER_S,
          round(1000 * cpu / max(result.fetched, 1), 1)]],
    )
    if result.error or result.outcomes != {k: v for k, v in expected.items() if v}:
        print(f"\nOutcomes differ from the generated mix: expected {expected}, got {result.outcomes} {result.error}")
        return 1
    print(f"\nOutcomes as generated: {expected}. Rate {rate:.1f}/s against a target of {TARGET_PER_S}/s: "
          f"{'met' if rate >= TARGET_PER_S else 'NOT met'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
