"""API latency and throughput at scale: Frontline against django-helpdesk, on SQLite and PostgreSQL.

    python -m bench.bench_api [--tickets 100000] [--db sqlite|postgres|both] [--duration 20]
                              [--clients 8] [--workers 2] [--systems frontline,helpdesk]
                              [--ops list,read,create] [--request-timeout 120] [--load-only] [--quick]

For each system and database: build (or reuse) a database holding ``--tickets`` tickets with
their history, serve it with gunicorn (``--workers`` sync workers on 127.0.0.1), and drive three
operations with ``--clients`` concurrent keep-alive HTTP clients for ``--duration`` seconds each:

- list:   the first page (50) of tickets with an open status, newest first where the API sorts
- read:   one ticket by id (random ids over the whole range)
- create: a new ticket with a first message

Databases are built once per (system, database, ticket count) under bench/.data/ (SQLite files,
or PostgreSQL databases ``frontline_bench_<n>`` / ``helpdesk_bench_<n>`` on 127.0.0.1:5432) and
reused (rebuilt when the loader or the schema, i.e. the set of migrations, changed); tickets
created by an earlier run are deleted before measuring. Columns the generator does not write
get the model's default (or NULL); a new required column without a default stops the load,
named. Both systems run in one invocation and are warmed the same way. django-helpdesk runs in
its own virtualenv (``make bench-peers``); without it, its rows say how to create it.
``--quick``: 300 tickets, SQLite, 2 clients, 1 worker, 1 s per operation, one server for all three (tests/bench).
``FRONTLINE_BENCH_DATA`` moves bench/.data. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

from bench._peers import BENCH_DIR, PEERS, peer_missing, peer_python, print_table, run_header

ROOT = BENCH_DIR.parent
# Cached databases, logs and raw results (a test points this at a temporary folder).
DATA = Path(os.environ.get("FRONTLINE_BENCH_DATA", BENCH_DIR / ".data"))
LOADER_VERSION = 1  # bump when the generated rows change, to rebuild cached databases
PG_DSN = "host=127.0.0.1 port=5432 user=postgres"
LIST_TARGET_P99_MS = 100.0
OPERATIONS = ("list", "read", "create")
# Both systems get the same mix of states; "open" is 25% of tickets on both sides, so the list
# filter selects the same share of rows.
FRONTLINE_CATEGORIES = [("new", 10), ("open", 25), ("pending", 10), ("on_hold", 5), ("solved", 25), ("closed", 25)]
HELPDESK_STATUSES = [(1, 25), (2, 5), (3, 35), (4, 30), (5, 5)]  # Open, Reopened, Resolved, Closed, Duplicate
SUBJECTS = ["Cannot sign in", "Invoice {n} is wrong", "Refund for order {n}", "App crashes on start",
            "Password reset mail never arrives", "Change of address", "Order {n} arrived damaged",
            "How do I export my data?", "Charged twice for {n}", "Feature request: dark mode"]
BODY = ("Hello,\n\nI am writing about {subject}. I tried again this morning (reference {n}) and it "
        "still does not work. Could you have a look?\n\nThanks,\n{name}")


# --- small helpers --------------------------------------------------------------------------------


def _log(msg: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {msg}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ts(dt: datetime, db: str) -> str:
    """A timestamp as the database stores it: naive UTC text on SQLite, timestamptz text on PostgreSQL."""
    text = dt.replace(tzinfo=None).isoformat(" ", "microseconds")
    return text + "+00" if db == "postgres" else text


def _run(cmd: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> str:
    done = subprocess.run(list(cmd), env=env, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


# --- bulk loading ---------------------------------------------------------------------------------


class Loader:
    """Bulk rows into one database: COPY on PostgreSQL, executemany with the journal off on SQLite.

    Secondary indexes and (on PostgreSQL) foreign-key triggers are off while loading and the
    indexes are rebuilt afterwards, which is several times faster than maintaining them row by row.
    """

    def __init__(self, db: str, target: str) -> None:
        self.db = db
        if db == "postgres":
            import psycopg

            self.conn = psycopg.connect(f"{PG_DSN} dbname={target}")
            self.conn.execute("SET session_replication_role = replica")  # no FK triggers while loading
        else:
            self.conn = sqlite3.connect(target, isolation_level=None)
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF", "cache_size=-400000"):
                self.conn.execute(f"PRAGMA {pragma}")
        self._indexes: list[tuple[str, str]] = []

    def columns(self, table: str) -> list[str]:
        if self.db == "postgres":
            rows = self.conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", (table,)
            ).fetchall()
        else:
            rows = [(r[1],) for r in self.conn.execute(f'PRAGMA table_info("{table}")')]
        return [r[0] for r in rows]

    def drop_indexes(self, tables: Iterable[str]) -> None:
        for table in tables:
            if self.db == "postgres":
                rows = self.conn.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                    (table,),
                ).fetchall()
            else:
                rows = self.conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
                ).fetchall()
            for name, definition in rows:
                self.conn.execute(f'DROP INDEX "{name}"')
                self._indexes.append((name, definition))
        if self.db == "postgres":
            self.conn.commit()

    def restore_indexes(self) -> None:
        if self.db == "postgres":
            self.conn.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in self._indexes:
            self.conn.execute(definition)
        self._indexes = []
        if self.db == "postgres":
            self.conn.commit()

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
        count = 0
        cols = ", ".join(f'"{c}"' for c in columns)
        if self.db == "postgres":
            with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            self.conn.commit()
            return count
        sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(columns))})'
        batch: list[Sequence[object]] = []
        self.conn.execute("BEGIN")
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                self.conn.executemany(sql, batch)
                count += len(batch)
                batch = []
        self.conn.executemany(sql, batch)
        self.conn.execute("COMMIT")
        return count + len(batch)

    def execute(self, sql: str, params: Sequence[object] = ()) -> None:
        if self.db == "sqlite":
            sql = sql.replace("%s", "?")
        self.conn.execute(sql, params)
        if self.db == "postgres":
            self.conn.commit()

    def finish(self, sequences: Sequence[tuple[str, str]] = ()) -> None:
        """Reset id sequences past the loaded ids, refresh planner statistics, close."""
        if self.db == "postgres":
            for table, column in sequences:
                self.conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), (SELECT max({column}) FROM {table}))"
                )
            self.conn.commit()
            self.conn.autocommit = True
            self.conn.execute("VACUUM ANALYZE")
        else:
            self.conn.execute("ANALYZE")
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


def _columns_to_load(loader: Loader, table: str, written: Sequence[str], defaults: dict[str, object]) -> tuple[list[str], tuple[object, ...]]:
    """The columns to load: those the generator writes, then every other column of the table that
    has a value to fill in (``defaults``: the model's default, or NULL for a nullable field).

    A new column therefore needs no change here unless it is required and has no default; then
    this fails naming it, before anything is loaded."""
    actual = loader.columns(table)
    unknown = sorted(set(written) - set(actual))
    missing = [c for c in actual if c not in written and c not in defaults]
    if unknown or missing:
        raise RuntimeError(
            f"{table}: the benchmark's loader cannot fill column(s) {missing} (required, no default in the model)"
            f"{f' and writes column(s) {unknown} the table does not have' if unknown else ''}; "
            f"update bench/bench_api.py ({table} rows)"
        )
    extra = [c for c in actual if c not in written]
    return [*written, *extra], tuple(defaults[c] for c in extra)


def _with_defaults(rows: Iterable[Sequence[object]], tail: tuple[object, ...]) -> Iterator[Sequence[object]]:
    if not tail:
        yield from rows
        return
    for row in rows:
        yield (*row, *tail)


def _fingerprint(parts: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


# --- systems --------------------------------------------------------------------------------------


@dataclass
class System:
    """One system on one database: how to build it, serve it and call it."""

    name: str
    db: str
    tickets: int
    meta: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.name}_{self.db}_{self.tickets}"

    @property
    def pg_name(self) -> str:
        return f"{self.name}_bench_{self.tickets}"

    @property
    def sqlite_path(self) -> Path:
        return DATA / self.key / f"{self.name}.sqlite3"

    @property
    def marker(self) -> Path:
        return DATA / f"{self.key}.json"

    def prepare(self) -> None:
        """Reuse the cached database when its marker matches, else build it; then drop earlier runs' tickets."""
        if self.marker.exists():
            meta = json.loads(self.marker.read_text())
            if (meta.get("loader_version"), meta.get("schema")) == (LOADER_VERSION, self.schema()) and self._database_exists():
                self.meta = meta
                _log(f"{self.key}: reusing the cached database")
                self._delete_created()
                return
        started = time.perf_counter()
        self._fresh_database()
        self.meta = self._build()
        self.meta["loader_version"] = LOADER_VERSION
        self.meta["schema"] = self.schema()
        self.meta["load_seconds"] = round(time.perf_counter() - started, 1)
        self.marker.write_text(json.dumps(self.meta))
        _log(f"{self.key}: built in {self.meta['load_seconds']} s")

    def _database_exists(self) -> bool:
        if self.db == "sqlite":
            return self.sqlite_path.exists()
        import psycopg

        with psycopg.connect(f"{PG_DSN} dbname=postgres") as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.pg_name,)).fetchone() is not None

    def _fresh_database(self) -> None:
        self.marker.unlink(missing_ok=True)
        if self.db == "sqlite":
            shutil.rmtree(self.sqlite_path.parent, ignore_errors=True)
            self.sqlite_path.parent.mkdir(parents=True)
            return
        import psycopg

        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.pg_name}"')

    def _loader(self) -> Loader:
        return Loader(self.db, self.pg_name if self.db == "postgres" else str(self.sqlite_path))

    # Implemented per system.
    def schema(self) -> str:
        """Changes when the system's tables change (a cached database is then rebuilt)."""
        ...
    def _build(self) -> dict: ...
    def _delete_created(self) -> None: ...
    def env(self) -> dict[str, str]: ...
    def server_cmd(self, port: int, workers: int) -> list[str]: ...
    def auth_header(self) -> dict[str, str]: ...
    def request(self, op: str, rng: random.Random) -> tuple[str, str, bytes | None]: ...


class Frontline(System):

    def schema(self) -> str:
        return _fingerprint(sorted(str(p.relative_to(ROOT)) for p in (ROOT / "frontline").glob("*/migrations/0*.py")))

    def env(self) -> dict[str, str]:
        env = {**os.environ, "FRONTLINE_LOG_LEVEL": "WARNING", "FRONTLINE_DEBUG": "0"}
        env.pop("DATABASE_URL", None)
        if self.db == "postgres":
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{self.pg_name}"
        else:
            env["FRONTLINE_VAR_DIR"] = str(self.sqlite_path.parent)
        return env

    def _build(self) -> dict:
        python = sys.executable
        if self.db == "sqlite":  # a copy of the migrated template: migrate then finds nothing (or only what is new) to do
            from bench._template import migrated_sqlite

            migrated_sqlite(self.sqlite_path)
        _log(f"{self.key}: migrate")
        _run([python, "manage.py", "migrate", "-v0"], self.env())
        seed = json.loads(_run([python, "-m", "bench.bench_api", "--seed-frontline", str(self.tickets)], self.env()))
        _log(f"{self.key}: loading {self.tickets:,} tickets")
        loader = self._loader()
        tables = ["desk_ticket", "desk_message", "desk_ticketevent"]
        loader.drop_indexes(tables)
        rows = _frontline_rows(self.tickets, seed, self.db)
        for table, written in (("desk_ticket", FL_TICKET), ("desk_message", FL_MESSAGE), ("desk_ticketevent", FL_EVENT)):
            columns, tail = _columns_to_load(loader, table, written, seed["defaults"][table])
            count = loader.insert(table, columns, _with_defaults(rows[table](), tail))
            _log(f"{self.key}: {table}: {count:,} rows")
        loader.restore_indexes()
        loader.finish([(t, "id") for t in tables])
        return seed

    def _delete_created(self) -> None:
        loader = self._loader()
        n = self.tickets
        loader.execute("DELETE FROM desk_ticketevent WHERE ticket_id > %s", (n,))
        loader.execute("DELETE FROM desk_message WHERE ticket_id > %s", (n,))
        loader.execute("DELETE FROM desk_ticket WHERE id > %s", (n,))
        loader.conn.close()

    def server_cmd(self, port: int, workers: int) -> list[str]:
        return [str(Path(sys.executable).parent / "gunicorn"), "frontline.wsgi:application", "--chdir", str(ROOT)]

    def auth_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.meta['token']}"}

    def request(self, op: str, rng: random.Random) -> tuple[str, str, bytes | None]:
        if op == "list":
            return "GET", "/api/v1/tickets?status=open&limit=50", None
        if op == "read":
            return "GET", f"/api/v1/tickets/{rng.randint(1, self.tickets)}", None
        n = rng.randint(1, 99999)
        body = {
            "requester_id": rng.choice(self.meta["customer_ids"]),
            "subject": rng.choice(SUBJECTS).format(n=n),
            "body": BODY.format(subject="my order", n=n, name="A. Customer"),
        }
        return "POST", "/api/v1/tickets", json.dumps(body).encode()


class Helpdesk(System):

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "helpdesk_peer.settings", "PYTHONPATH": str(BENCH_DIR)}
        for var in ("DATABASE_URL", "HELPDESK_DB", "HELPDESK_SQLITE"):
            env.pop(var, None)
        if self.db == "postgres":
            env["HELPDESK_DB"] = self.pg_name
        else:
            env["HELPDESK_SQLITE"] = str(self.sqlite_path)
        env["HELPDESK_MEDIA_ROOT"] = str(DATA / self.key / "media")
        return env

    def schema(self) -> str:
        return _fingerprint(PEERS["helpdesk"])

    @property
    def python(self) -> Path:
        python = peer_python("helpdesk")
        if python is None:
            raise RuntimeError(peer_missing("helpdesk"))
        return python

    def _build(self) -> dict:
        manage = str(BENCH_DIR / "helpdesk_peer" / "manage.py")
        _log(f"{self.key}: migrate")
        _run([str(self.python), manage, "migrate", "-v0"], self.env())
        seed = json.loads(_run([str(self.python), str(BENCH_DIR / "helpdesk_peer" / "seed.py")], self.env()))
        _log(f"{self.key}: loading {self.tickets:,} tickets")
        loader = self._loader()
        tables = ["helpdesk_ticket", "helpdesk_followup"]
        loader.drop_indexes(tables)
        rows = _helpdesk_rows(self.tickets, seed, self.db)
        for table, written in (("helpdesk_ticket", HD_TICKET), ("helpdesk_followup", HD_FOLLOWUP)):
            columns, tail = _columns_to_load(loader, table, written, {})
            count = loader.insert(table, columns, _with_defaults(rows[table](), tail))
            _log(f"{self.key}: {table}: {count:,} rows")
        loader.restore_indexes()
        loader.finish([(t, "id") for t in tables])
        seed["submitters"] = [f"customer{i}@example.invalid" for i in range(200)]
        return seed

    def _delete_created(self) -> None:
        loader = self._loader()
        n = self.tickets
        for table in ("helpdesk_ticketchange", "helpdesk_followupattachment"):
            loader.execute(f"DELETE FROM {table} WHERE followup_id IN (SELECT id FROM helpdesk_followup WHERE ticket_id > %s)", (n,))
        for table in ("helpdesk_followup", "helpdesk_ticketcc", "helpdesk_ticketcustomfieldvalue", "helpdesk_ticketdependency"):
            loader.execute(f"DELETE FROM {table} WHERE ticket_id > %s", (n,))
        loader.execute("DELETE FROM helpdesk_ticket WHERE id > %s", (n,))
        loader.conn.close()

    def server_cmd(self, port: int, workers: int) -> list[str]:
        return [str(self.python.parent / "gunicorn"), "helpdesk_peer.wsgi:application", "--chdir", str(BENCH_DIR)]

    def auth_header(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.meta['token']}"}

    def request(self, op: str, rng: random.Random) -> tuple[str, str, bytes | None]:
        if op == "list":
            return "GET", "/api/tickets/?status=1&page_size=50", None
        if op == "read":
            return "GET", f"/api/tickets/{rng.randint(1, self.tickets)}/", None
        n = rng.randint(1, 99999)
        body = {
            "queue": rng.choice(self.meta["queue_ids"]),
            "title": rng.choice(SUBJECTS).format(n=n),
            "description": BODY.format(subject="my order", n=n, name="A. Customer"),
            "submitter_email": rng.choice(self.meta["submitters"]),
            "priority": 3,
        }
        return "POST", "/api/tickets/", json.dumps(body).encode()


# --- generated rows -------------------------------------------------------------------------------

FL_TICKET = ["id", "subject", "channel", "status_id", "status_category", "priority", "ticket_type", "requester_id",
             "company_id", "assignee_id", "team_id", "queue_id", "custom_fields", "merged_into_id", "reopen_count",
             "message_count", "created_at", "updated_at", "first_response_at", "solved_at", "closed_at", "search_text",
             "public_search_text", "public_message_count", "public_updated_at"]
FL_MESSAGE = ["id", "ticket_id", "author_kind", "author_user_id", "author_customer_id", "is_public", "body_text",
              "body_html", "created_at", "handle_seconds"]
FL_EVENT = ["id", "ticket_id", "kind", "actor_id", "created_at", "payload"]
HD_TICKET = ["id", "title", "created", "submitter_email", "status", "on_hold", "description", "resolution", "priority",
             "due_date", "last_escalation", "assigned_to_id", "queue_id", "secret_key", "kbitem_id", "modified",
             "merged_to_id"]
HD_FOLLOWUP = ["id", "date", "title", "comment", "public", "new_status", "ticket_id", "user_id", "message_id",
               "time_spent", "email_recipients"]
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_S = 730 * 86400
CHANNELS = ["email", "web", "chat", "phone", "api"]
PRIORITIES = ["low", "normal", "normal", "high", "urgent", "normal", "high"]
TYPES = ["question", "incident", "problem", "task", "question"]


def _text_html(text: str) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def _frontline_rows(n: int, seed: dict, db: str) -> dict[str, Callable[[], Iterator[Sequence[object]]]]:
    """Rows shaped like ``desk.services``: each ticket has its customer's first message and a
    ``created`` event; tickets past ``new`` were also assigned and moved (``assigned`` and
    ``status_changed`` events), as ``ticket_assign`` and ``ticket_status_change`` write them."""
    statuses = seed["statuses"]  # category -> [id, name]
    customers = seed["customers"]  # [id, name, email, company_id]
    agents = seed["agent_ids"]
    queues = seed["queues"]  # [id, team_id]
    new_name = json.dumps(statuses["new"][1])
    base = []  # one pass of the random stream; the three tables read the same tickets
    rng = random.Random(20240101)
    categories = [c for c, _ in FRONTLINE_CATEGORIES]
    weights = [w for _, w in FRONTLINE_CATEGORIES]
    for i, category in enumerate(rng.choices(categories, weights=weights, k=n), start=1):
        created = EPOCH + timedelta(seconds=SPAN_S * i / n)
        updated = created if category == "new" else created + timedelta(minutes=rng.randint(5, 4000))
        queue_id, team_id = queues[rng.randrange(len(queues))]
        agent = None if category == "new" else agents[rng.randrange(len(agents))]
        base.append((category, customers[rng.randrange(len(customers))], queue_id, team_id, _ts(created, db),
                     _ts(updated, db), SUBJECTS[rng.randrange(len(SUBJECTS))].format(n=i), agent))

    def tickets() -> Iterator[Sequence[object]]:
        for i, (category, customer, queue_id, team_id, created, updated, subject, agent) in enumerate(base, start=1):
            body = BODY.format(subject=subject.lower(), n=i, name=customer[1])
            yield (i, subject, CHANNELS[i % len(CHANNELS)], statuses[category][0], category, PRIORITIES[i % len(PRIORITIES)],
                   TYPES[i % len(TYPES)], customer[0], customer[3], agent, team_id, queue_id, "{}", None, 0, 1, created,
                   updated, None, updated if category in ("solved", "closed") else None,
                   updated if category == "closed" else None, f"{subject}\n{customer[1]} {customer[2]}\n{body}".lower(),
                   # the customer sees the move from new only where it changes their state (not to open / on hold)
                   f"{subject}\n{body}".lower(), 1, created if category in ("new", "open", "on_hold") else updated)

    def messages() -> Iterator[Sequence[object]]:
        for i, (_, customer, _, _, created, _, subject, _) in enumerate(base, start=1):
            body = BODY.format(subject=subject.lower(), n=i, name=customer[1])
            yield (i, i, "customer", None, customer[0], True, body, _text_html(body), created, None)

    def events() -> Iterator[Sequence[object]]:
        event_id = 0
        for i, (category, customer, queue_id, team_id, created, updated, _, agent) in enumerate(base, start=1):
            event_id += 1
            payload = (f'{{"channel": "{CHANNELS[i % len(CHANNELS)]}", "status": {new_name}, "status_category": "new", '
                       f'"priority": "{PRIORITIES[i % len(PRIORITIES)]}", "ticket_type": "{TYPES[i % len(TYPES)]}", '
                       f'"requester_id": {customer[0]}, "assignee_id": null, "team_id": {team_id}, "queue_id": {queue_id}, '
                       f'"tags": [], "message_id": {i}}}')
            yield (event_id, i, "created", None, created, payload)
            if category == "new":
                continue
            event_id += 1
            yield (event_id, i, "assigned", agent, updated, f'{{"from": null, "to": {agent}}}')
            event_id += 1
            payload = json.dumps({"from": statuses["new"][1], "to": statuses[category][1], "from_category": "new",
                                  "to_category": category})
            yield (event_id, i, "status_changed", agent, updated, payload)

    return {"desk_ticket": tickets, "desk_message": messages, "desk_ticketevent": events}


def _helpdesk_rows(n: int, seed: dict, db: str) -> dict[str, Callable[[], Iterator[Sequence[object]]]]:
    """Rows shaped like helpdesk's TicketForm.save and update_ticket: an "Opened" follow-up per
    ticket, and a second one recording the status change for tickets no longer open."""
    agents = seed["agent_ids"]
    queues = seed["queue_ids"]
    titles = {2: "Reopened", 3: "Resolved", 4: "Closed", 5: "Closed (duplicate)"}
    base = []
    rng = random.Random(20240101)
    codes = [c for c, _ in HELPDESK_STATUSES]
    weights = [w for _, w in HELPDESK_STATUSES]
    for i, status in enumerate(rng.choices(codes, weights=weights, k=n), start=1):
        created = EPOCH + timedelta(seconds=SPAN_S * i / n)
        modified = created if status == 1 else created + timedelta(minutes=rng.randint(5, 4000))
        owner = None if status == 1 and rng.random() < 0.4 else agents[rng.randrange(len(agents))]
        base.append((status, _ts(created, db), _ts(modified, db), SUBJECTS[rng.randrange(len(SUBJECTS))].format(n=i),
                     owner, queues[rng.randrange(len(queues))], str(uuid.UUID(int=rng.getrandbits(128), version=4))))

    def tickets() -> Iterator[Sequence[object]]:
        for i, (status, created, modified, title, owner, queue, secret) in enumerate(base, start=1):
            body = BODY.format(subject=title.lower(), n=i, name=f"Customer {i % 5000}")
            yield (i, title, created, f"customer{i % 5000}@example.invalid", status, i % 20 == 0, body,
                   "Fixed." if status in (3, 4) else None, 1 + i % 5, None, None, owner, queue, secret, None, modified, None)

    def followups() -> Iterator[Sequence[object]]:
        followup_id = 0
        for i, (status, created, modified, title, owner, _, _) in enumerate(base, start=1):
            body = BODY.format(subject=title.lower(), n=i, name=f"Customer {i % 5000}")
            followup_id += 1
            yield (followup_id, created, "Ticket Opened", body, True, None, i, None, None, None,
                   f'["customer{i % 5000}@example.invalid"]')
            if status == 1:
                continue
            followup_id += 1
            yield (followup_id, modified, titles[status], "Fixed.", True, status, i, owner or agents[0], None, None, "[]")

    return {"helpdesk_ticket": tickets, "helpdesk_followup": followups}


def _model_defaults(model: type) -> dict[str, object]:
    """(Frontline's process.) Per column of ``model``: the value the loader writes when its
    generator does not, as the database stores it: the field's default, else NULL if nullable.
    Columns with neither are left out, so that the loader names them."""
    from django.db import connection, models

    defaults: dict[str, object] = {}
    for f in model._meta.concrete_fields:
        if f.has_default():
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            else:
                value = f.get_db_prep_save(value, connection)
            json.dumps(value)  # plain values only: anything else fails here, naming nothing silently
            defaults[f.column] = value
        elif f.null:
            defaults[f.column] = None
    return defaults


def seed_frontline(tickets: int) -> None:
    """(Runs in a child process with Frontline's settings.) The cache table; staff, teams, queues,
    customers, a token."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from frontline.customers.models import Company, Customer
    from frontline.desk.models import Message, Queue, Status, Ticket, TicketEvent
    from frontline.people.models import Role, Team, User
    from frontline.people.services import api_token_create

    call_command("createcachetable", verbosity=0)  # the routing migration may have made it already
    admin = User.objects.create(username="bench-admin", role=Role.ADMIN, email="bench-admin@example.invalid")
    agents = User.objects.bulk_create([User(username=f"agent{i}", role=Role.AGENT, first_name=f"Agent {i}") for i in range(40)])
    teams = [Team.objects.create(name=f"Team {i}") for i in range(4)]
    for i, agent in enumerate(agents):
        agent.teams.add(teams[i % len(teams)])
    queues = [Queue.objects.create(name=f"Queue {i}", slug=f"queue-{i}", team=teams[i % len(teams)]) for i in range(6)]
    companies = Company.objects.bulk_create([Company(name=f"Company {i}", domain=f"c{i}.example") for i in range(500)])
    n_customers = max(1000, min(50_000, tickets // 20))
    customers = Customer.objects.bulk_create(
        [Customer(name=f"Customer {i}", email=f"customer{i}@example.invalid",
                  company=companies[i % len(companies)] if i % 10 else None) for i in range(n_customers)],
        batch_size=5000,
    )
    statuses = {s.category: [s.pk, s.name] for s in Status.objects.filter(is_default=True)}
    issued = api_token_create(user=admin, name="benchmark")
    json.dump({
        "defaults": {m._meta.db_table: _model_defaults(m) for m in (Ticket, Message, TicketEvent)},
        "token": issued.secret,
        "statuses": statuses,
        "agent_ids": [a.pk for a in agents],
        "queues": [[q.pk, q.team_id] for q in queues],
        "customers": [[c.pk, c.name, c.email, c.company_id] for c in customers],
        "customer_ids": [c.pk for c in customers[:2000]],
    }, sys.stdout)


# --- serving and load -----------------------------------------------------------------------------


class Server:
    """gunicorn with sync workers on a free 127.0.0.1 port, in its own process group."""

    def __init__(self, system: System, workers: int) -> None:
        self.system = system
        self.port = _free_port()
        cmd = [*system.server_cmd(self.port, workers), "--workers", str(workers), "--worker-class", "sync",
               "--bind", f"127.0.0.1:{self.port}", "--timeout", "600", "--graceful-timeout", "2", "--log-level", "warning"]
        log_dir = DATA / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log = open(log_dir / f"{system.key}.log", "a")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, env=system.env(), cwd=ROOT, stdout=self.log, stderr=self.log, start_new_session=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.system.key}: gunicorn exited; see {self.log.name}")
            try:
                conn = HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/", headers=self.system.auth_header())
                conn.getresponse().read()
                conn.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.system.key}: gunicorn did not answer within {timeout} s")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@dataclass
class Result:
    system: str
    db: str
    op: str
    tickets: int
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    error_kinds: Counter = field(default_factory=Counter)
    # The host's 1-minute load average when the window closed: other work on the machine shows up here.
    load_average: float = 0.0

    def pct(self, q: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {"system": self.system, "db": self.db, "op": self.op, "tickets": self.tickets, "ok": self.ok,
                "errors": self.errors, "seconds": round(self.seconds, 2), "p50_ms": self.pct(0.5), "p99_ms": self.pct(0.99),
                "mean_ms": statistics.fmean(self.latencies_ms) if self.latencies_ms else None, "rps": self.rps,
                "error_kinds": dict(self.error_kinds), "load_average": round(self.load_average, 2)}


def drive(server: Server, op: str, *, clients: int, warmup: float, duration: float, timeout: float) -> Result:
    """``clients`` threads, one keep-alive connection each, issue ``op`` back to back.

    A request counts when it ends after the warm-up. Clients start no request after the window
    closes but let the ones in flight finish (up to ``timeout``, then an error); throughput is
    the successful requests over the time from the window's start to the last one's end, so a
    server slower than the window still gets a number, and a timeout shows up as errors.
    """
    system, port = server.system, server.port
    result = Result(system.name, system.db, op, system.tickets)
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + duration
    last_done = [measure_from]
    headers = {**system.auth_header(), "Content-Type": "application/json", "Accept": "application/json"}

    def client(index: int) -> None:
        rng = random.Random(f"{system.key}-{op}-{index}")
        conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
        while (began := time.monotonic()) < stop_at:
            method, path, body = system.request(op, rng)
            kind = None
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 300:
                    kind = f"HTTP {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, TimeoutError) as exc:  # socket.timeout is an OSError
                kind = type(exc).__name__
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
                if server.proc.poll() is not None:
                    with lock:
                        result.error_kinds["server exited"] += 1
                    break
            done = time.monotonic()
            if done < measure_from:
                continue
            with lock:
                last_done[0] = max(last_done[0], done)
                if kind is None:
                    result.ok += 1
                    result.latencies_ms.append((done - began) * 1000)
                else:
                    result.errors += 1
                    result.error_kinds[kind] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = max(last_done[0] - measure_from, duration if result.ok == 0 else 0.0)
    return result


def warm(system: System, port: int, op: str, *, requests: int, timeout: float) -> None:
    """``requests`` concurrent requests of the operation about to be measured, the same for every
    system, so that no worker's first request (imports, connection, schema building) lands in
    the measured window. Their outcome is not counted."""

    def client(index: int) -> None:
        rng = random.Random(f"warm-{system.key}-{op}-{index}")
        method, path, body = system.request(op, rng)
        conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers={**system.auth_header(), "Content-Type": "application/json"})
            conn.getresponse().read()
        except OSError as exc:
            _log(f"{system.key}: {op}: a warm-up request failed ({type(exc).__name__})")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def run_system(system: System, args: argparse.Namespace) -> list[Result]:
    results = []
    ops = args.ops.split(",")
    # A fresh server per operation: a slow operation's stragglers must not hold workers in the
    # next. A quick (smoke) run measures nothing worth that and shares one server.
    for group in ([ops] if args.quick else [[op] for op in ops]):
        server = Server(system, args.workers)
        try:
            server.wait_ready()
            for op in group:
                warm(system, server.port, op, requests=2 * args.workers, timeout=args.request_timeout)
                _log(f"{system.key}: {op}: {args.clients} clients, {args.warmup:g} s warm-up + {args.duration:g} s")
                result = drive(server, op, clients=args.clients, warmup=args.warmup, duration=args.duration,
                               timeout=args.request_timeout)
                result.load_average = os.getloadavg()[0]
                _log(f"{system.key}: {op}: {result.ok} ok, {result.errors} errors, p50 {_ms(result.pct(0.5))} ms, "
                     f"p99 {_ms(result.pct(0.99))} ms, {result.rps:.1f}/s, load average {result.load_average:.1f} "
                     f"{dict(result.error_kinds) or ''}")
                results.append(result)
        finally:
            server.stop()
    return results


# --- report ---------------------------------------------------------------------------------------


def _ms(value: float | None) -> object:
    return "-" if value is None else round(value, 1)


def report(results: Sequence[Result], args: argparse.Namespace, skipped: Sequence[tuple[str, str]] = ()) -> None:
    theirs = {(r.db, r.op): r for r in results if r.system == "helpdesk"}
    rows = []
    for r in results:
        other = theirs.get((r.db, r.op))
        speedup: object = "-"
        if r.system == "frontline" and other is not None:
            speedup = f"{r.rps / other.rps:.1f}x" if other.rps else "inf (helpdesk: 0 ok)"
        rows.append([r.system, r.db, r.op, f"{r.tickets:,}", _ms(r.pct(0.5)), _ms(r.pct(0.99)), round(r.rps, 1),
                     r.errors, speedup, round(r.load_average, 1)])
    for name, db in skipped:
        rows += [[name, db, op, f"{args.tickets:,}", "-", "-", "-", "-", "not run: make bench-peers", "-"]
                 for op in args.ops.split(",")]
    print_table(
        f"API under load: {args.clients} clients, gunicorn {args.workers} sync workers, {args.duration:g} s per operation",
        ["system", "db", "op", "tickets", "p50 ms", "p99 ms", "req/s", "errors", "speed-up vs helpdesk", "load avg"],
        rows,
    )
    targets = []
    for r in results:
        if r.system == "frontline" and r.op == "list":
            p99 = r.pct(0.99)
            other = theirs.get((r.db, "list"))
            ratio = (r.rps / other.rps) if other and other.rps else None
            targets.append([r.db, f"{r.tickets:,}", _ms(p99), "yes" if p99 is not None and p99 < LIST_TARGET_P99_MS else "no",
                            "-" if other is None else (f"{ratio:.1f}x" if ratio else "inf"),
                            "-" if other is None else ("yes" if ratio is None or ratio >= 3 else "no")])
    if targets:
        print_table("Targets: Frontline list p99 < 100 ms, and >= 3x django-helpdesk's list throughput",
                    ["db", "tickets", "list p99 ms", "p99 < 100 ms", "list speed-up", ">= 3x"], targets)


def main() -> None:
    if sys.argv[1:2] == ["--seed-frontline"]:
        seed_frontline(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per operation")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each operation")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="client timeout per request, seconds")
    parser.add_argument("--systems", default="frontline,helpdesk", help="comma-separated: frontline, helpdesk")
    parser.add_argument("--ops", default=",".join(OPERATIONS), help="comma-separated: list, read, create")
    parser.add_argument("--load-only", action="store_true", help="build the databases and stop")
    parser.add_argument("--json", type=Path, default=DATA / "bench_api_results.json", help="where to write raw results")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 300 tickets, SQLite, 2 clients, 1 worker, 1 s per operation, one server")
    args = parser.parse_args()
    if args.quick:
        args.tickets, args.duration, args.warmup, args.clients, args.workers = 300, 1.0, 0.5, 2, 1
        args.db = "sqlite" if args.db == "both" else args.db

    DATA.mkdir(parents=True, exist_ok=True)
    print(run_header("bench_api"), flush=True)
    # SIGTERM unwinds like Ctrl-C, so the ``finally`` that stops a gunicorn server runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    kinds = {"frontline": Frontline, "helpdesk": Helpdesk}
    names = args.systems.split(",")
    skipped = [(name, db) for db in dbs for name in names if name == "helpdesk" and peer_python("helpdesk") is None]
    if skipped:
        print(peer_missing("helpdesk"), flush=True)
    systems = [kinds[name](name, db, args.tickets) for db in dbs for name in names if (name, db) not in skipped]
    for system in systems:
        system.prepare()
    if args.load_only:
        return
    results = [r for system in systems for r in run_system(system, args)]
    args.json.write_text(json.dumps({
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "args": {k: str(v) for k, v in vars(args).items()},
        "load_seconds": {s.key: s.meta.get("load_seconds") for s in systems},
        # The code under test may change between runs; the newest source file dates the snapshot.
        "frontline_newest_source": datetime.fromtimestamp(
            max(p.stat().st_mtime for p in (ROOT / "frontline").rglob("*.py")), UTC
        ).isoformat(timespec="seconds"),
        "results": [r.as_dict() for r in results],
    }, indent=1))
    report(results, args, skipped)


if __name__ == "__main__":
    main()
