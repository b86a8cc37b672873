"""Live chat under load: concurrent chat sessions through the real server, message delivery latency.

    python -m bench.bench_chat [--sessions 200] [--duration 120] [--workers 3] [--db postgres|sqlite]
                               [--pace human|fast] [--poll-wait 25] [--quick]

Starts ``frontline serve`` (gunicorn with uvicorn workers; ``--no-worker``: no background tasks
are needed) on a free loopback port against a fresh database, with one widget and
``ceil(sessions / 3)`` Online agents (3 chats each, the default chat limit). Then, for
``--duration`` seconds, every session is a customer and an agent talking through the same
endpoints the widget and the agent workspace use: the customer starts the chat
(``POST /chat/w/<key>/chats``), the agent accepts it (``POST /chat/<id>/accept/``), and then they
take turns: the customer says something (``…/say``), the agent's long poll
(``GET /chat/agent/poll/?chat=<id>``) delivers it, the agent answers (``POST /chat/<id>/say/``)
after a pause, the customer's long poll (``GET …/poll``) delivers that, the customer pauses and
says the next thing. Each message carries its session and number.

``--pace`` sets the pauses (uniform between the bounds, drawn per message):

- ``human`` (the default): the customer writes the next message 5-15 s after the agent's answer
  arrives, the agent answers 3-10 s after the customer's message arrives. Reasoning: a chat line
  is a sentence or two, which takes a person typing at a common 40 words a minute roughly 5-20 s
  to write; an agent reads, looks something up or picks a saved reply, 5-30 s; and support chats
  commonly have 10-20 messages over about 10 minutes. The bounds are on the short side of that,
  so the load is, if anything, heavier than people make: about one message every 8 s per session
  on average, ~24 messages a second for 200 sessions.
- ``fast``: the pace this benchmark first had, a stress test: the agent answers after 0.2-1 s, the
  customer after 0.5-2 s, a message every second or so per session, ~160-200 messages a second
  for 200 sessions.

Delivery latency: from just before the sender's POST to the moment the other side's poll returns
it (one clock: the benchmark's process). A message is **lost** if it is acknowledged (201) but
never delivered by the end (plus a grace of up to 10 s: it ends early once both sides of every
session have stopped sending and every acknowledged message was delivered; then each poll asks
once more with ``wait=0``, and during the grace the polls wait at most 1 s), **duplicated** if
delivered twice; the stored
transcript (the chat's entries) is checked against what was sent. Each chat's first message is
left out of the latency (it waits for the agent to accept). Target: p99 < 1 s, 0 lost, 0 duplicated.

The client is asyncio with plain HTTP/1.1 keep-alive connections (4 per session). The database is
DATABASE_URL when it names PostgreSQL (flushed), else a temporary database on 127.0.0.1:5432;
The long polls ask with ``wait=--poll-wait`` seconds (default 25, what the widget and the agent
workspace send; the benchmark used 5 until 2026-12-06, which made every idle client ask again five
times as often). ``--quick`` (4 sessions, 6 s, SQLite, 2 workers, ``fast`` pace and 5 s polls unless
``--pace`` / ``--poll-wait`` say otherwise: at a human pace 6 s is barely one answer) is what the
test suite runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench._peers import print_table, run_header
from bench._template import migrated_sqlite
from bench.bench_routing import _drop, _pct

PG_DSN = "host=127.0.0.1 port=5432 user=postgres"
REPO_ROOT = Path(__file__).resolve().parents[1]
CSRF = "benchcsrfsecretbenchcsrfsecret12"  # 32 characters: an unmasked CSRF secret
# --pace: (the customer's pause before the next message, the agent's pause before answering), seconds
PACES = {"human": ((5.0, 15.0), (3.0, 10.0)), "fast": ((0.5, 2.0), (0.2, 1.0))}


# A connection idle longer than this is not reused. The server's 2 s keep-alive runs from its last
# write, earlier than the client's read of it by the time a loaded machine takes to deliver it: a
# request sent at 1.9 s by the client's clock met a connection the server had just closed.
IDLE_REUSE_S = 1.0


class Http:
    """One keep-alive HTTP/1.1 connection (enough HTTP for JSON answers with a Content-Length)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.used = 0.0

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                      body: bytes = b"") -> tuple[int, bytes]:
        """(status, body); a connection the server dropped (a worker restarted, say) is status 0."""
        try:
            return await self._request(method, path, headers=headers, body=body)
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as exc:
            self.close()
            return 0, f"{exc.__class__.__name__}: {exc}".encode()

    async def _request(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                       body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is not None and (time.monotonic() - self.used > IDLE_REUSE_S or self.reader is None
                                        or self.reader.at_eof()):
            self.close()  # the server closes an idle keep-alive connection (gunicorn: 2 s): never send on one
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
            head += [f"{k}: {v}" for k, v in (headers or {}).items()]
            try:
                self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
                await self.writer.drain()
                assert self.reader is not None
                status_line = await self.reader.readline()
                if not status_line:
                    raise ConnectionError("closed")
                status = int(status_line.split()[1])
                length, close, chunked = 0, False, False
                while True:
                    line = await self.reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value.strip())
                    elif name.lower() == "connection" and value.strip().lower() == "close":
                        close = True
                    elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                        chunked = True
                if chunked:
                    parts = []
                    while True:
                        size = int((await self.reader.readline()).split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while (await self.reader.readline()) not in (b"\r\n", b""):
                                pass
                            break
                        parts.append(await self.reader.readexactly(size))
                        await self.reader.readline()
                    data = b"".join(parts)
                else:
                    data = await self.reader.readexactly(length) if length else b""
                self.used = time.monotonic()
                if close:
                    self.close()
                return status, data
            except (ConnectionError, asyncio.IncompleteReadError, IndexError, ValueError):
                self.close()
                if attempt == 2 or method != "GET":
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    sent: dict[str, float] = field(default_factory=dict)  # message id -> time just before its POST
    acked: set[str] = field(default_factory=set)
    delivered: dict[str, int] = field(default_factory=dict)  # message id -> times delivered
    errors: list[str] = field(default_factory=list)
    server_cpu_at_start: float = 0.0
    senders_left: int = 0  # customer and agent tasks still able to send

    def settled(self) -> bool:
        """Nothing more can be sent and everything acknowledged was delivered: the grace can end."""
        return self.senders_left == 0 and all(m in self.delivered for m in self.acked)

    def deliver(self, mid: str, now: float, first: bool) -> None:
        self.delivered[mid] = self.delivered.get(mid, 0) + 1
        if self.delivered[mid] == 1 and not first and mid in self.sent:
            self.latencies.append(now - self.sent[mid])


class Session:
    def __init__(self, n: int, port: int, key: str, cookie: str, stats: Stats, until: float, rng: random.Random,
                 pace: str, poll_wait: int) -> None:
        self.n, self.port, self.key, self.stats, self.until, self.rng = n, port, key, stats, until, rng
        self.customer_pause, self.agent_pause = PACES[pace]
        self.poll_wait = poll_wait
        self.agent_headers = {"Cookie": f"sessionid={cookie}; csrftoken={CSRF}", "X-CSRFToken": CSRF}
        self.chat_id = 0
        self.token = ""
        self.replied = asyncio.Event()
        self.agent_done = asyncio.Event()  # the agent stopped (only after ``until``): no answer will come
        self.to_answer: asyncio.Queue[str] = asyncio.Queue()
        self.seen_customer: set[int] = set()
        self.seen_agent: set[int] = set()
        self.sent_count = 0

    def _mid(self, side: str, k: int) -> str:
        return f"{side}|{self.n}|{k}"

    async def start(self) -> None:
        http = Http(self.port)
        mid = self._mid("c", 0)
        self.stats.sent[mid] = time.monotonic()
        status, data = await http.request("POST", f"/chat/w/{self.key}/chats", headers={"Content-Type": "application/json"},
                                          body=json.dumps({"name": f"Customer {self.n}", "email": f"c{self.n}@bench.example",
                                                           "text": mid}).encode())
        if status != 201:
            raise RuntimeError(f"start {self.n}: {status} {data[:200]!r}")
        self.stats.acked.add(mid)
        answer = json.loads(data)
        self.chat_id, self.token = answer["chat_id"], answer["token"]
        status, data = await http.request("POST", f"/chat/{self.chat_id}/accept/", headers={
            **self.agent_headers, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        if status not in (302, 200):
            raise RuntimeError(f"accept {self.n}: {status} {data[:200]!r}")
        http.close()

    async def customer(self) -> None:
        try:
            await self._customer()
        finally:
            self.stats.senders_left -= 1

    async def _customer(self) -> None:
        http = Http(self.port)
        k = 0
        while True:
            # the agent's answer; none comes once the agent stopped (after ``until``: this side sends nothing then)
            answer, done = asyncio.create_task(self.replied.wait()), asyncio.create_task(self.agent_done.wait())
            await asyncio.wait({answer, done}, timeout=max(0.1, self.until + 5 - time.monotonic()),
                               return_when=asyncio.FIRST_COMPLETED)
            answer.cancel()
            done.cancel()
            if not self.replied.is_set():
                break
            self.replied.clear()
            await asyncio.sleep(self.rng.uniform(*self.customer_pause))
            if time.monotonic() >= self.until:
                break
            k += 1
            mid = self._mid("c", k)
            self.stats.sent[mid] = time.monotonic()
            status, data = await http.request("POST", f"/chat/w/{self.key}/chats/{self.chat_id}/say", headers={
                "Content-Type": "application/json", "X-Chat-Token": self.token}, body=json.dumps({"text": mid}).encode())
            if status == 201:
                self.stats.acked.add(mid)
            else:
                self.stats.errors.append(f"customer say {status} {data[:120]!r}")
        http.close()

    def _wait(self) -> tuple[bool, float]:
        """(last poll?, its wait): once settled one more poll that answers at once; in the grace at most 1 s."""
        if self.stats.settled():
            return True, 0
        return False, self.poll_wait if time.monotonic() < self.until else min(self.poll_wait, 1)

    async def customer_poll(self, stop: float) -> None:
        http = Http(self.port)
        after, pulse, last = 0, -1, False
        while time.monotonic() < stop and not last:
            last, wait = self._wait()
            query = urlencode({"after": after, "pulse": pulse, "wait": wait})
            status, data = await http.request("GET", f"/chat/w/{self.key}/chats/{self.chat_id}/poll?{query}",
                                              headers={"X-Chat-Token": self.token})
            now = time.monotonic()
            if status != 200:
                self.stats.errors.append(f"customer poll {status} {data[:120]!r}")
                await asyncio.sleep(0.5)
                continue
            view = json.loads(data)
            for entry in view["entries"]:
                if entry["seq"] in self.seen_customer:
                    self.stats.delivered["dup-c"] = self.stats.delivered.get("dup-c", 0) + 1
                self.seen_customer.add(entry["seq"])
                if entry["kind"] == "message" and entry["author"] == "agent":
                    self.stats.deliver(entry["text"], now, first=False)
                    self.replied.set()
            after, pulse = max(after, view["seq"]), view["pulse"]
        http.close()

    async def agent_poll(self, stop: float) -> None:
        http = Http(self.port)
        after, sig, last = 0, "", False
        while time.monotonic() < stop and not last:
            last, wait = self._wait()
            query = urlencode({"chat": self.chat_id, "after": after, "sig": sig, "wait": wait})
            status, data = await http.request("GET", f"/chat/agent/poll/?{query}", headers=self.agent_headers)
            now = time.monotonic()
            if status != 200:
                self.stats.errors.append(f"agent poll {status} {data[:120]!r}")
                await asyncio.sleep(0.5)
                continue
            view = json.loads(data)
            sig = view["sig"]
            for entry in view.get("chat", {}).get("entries", []):
                if entry["seq"] in self.seen_agent:
                    self.stats.delivered["dup-a"] = self.stats.delivered.get("dup-a", 0) + 1
                self.seen_agent.add(entry["seq"])
                after = max(after, entry["seq"])
                if entry["kind"] == "message" and entry["author"] == "customer":
                    self.stats.deliver(entry["text"], now, first=entry["text"].endswith("|0"))
                    self.to_answer.put_nowait(entry["text"])
        http.close()

    async def agent(self) -> None:
        try:
            await self._agent()
        finally:
            self.agent_done.set()
            self.stats.senders_left -= 1

    async def _agent(self) -> None:
        http = Http(self.port)
        while True:
            try:
                asked = await asyncio.wait_for(self.to_answer.get(), timeout=max(0.1, self.until - time.monotonic()))
            except TimeoutError:
                break
            await asyncio.sleep(self.rng.uniform(*self.agent_pause))
            mid = "a" + asked[1:]
            self.stats.sent[mid] = time.monotonic()
            status, data = await http.request("POST", f"/chat/{self.chat_id}/say/", headers={
                **self.agent_headers, "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
                body=urlencode({"text": mid}).encode())
            if status == 201:
                self.stats.acked.add(mid)
            else:
                self.stats.errors.append(f"agent say {status} {data[:120]!r}")
            if time.monotonic() >= self.until:
                break
        http.close()


class ConnectionSampler:
    """The most PostgreSQL connections to the benchmark's database seen at once (sampled every 0.5 s)."""

    def __init__(self, url: str) -> None:
        self.url, self.peak, self._stop = url, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").fetchone()
                self.peak = max(self.peak, int(row[0]) - 1 if row else 0)  # less this sampler's own

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def _group_cpu_s(pgid: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of process group ``pgid`` (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # after the name: state, ppid, pgrp, ... utime (12th), stime (13th)
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(db: str, workdir: Path, sessions: int) -> tuple[str | None, str, list[str]]:
    """A fresh database with the widget and the agents; returns (temp db, widget key, agents' session keys)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    os.environ["FRONTLINE_VAR_DIR"] = str(workdir)
    temp = None
    if db == "sqlite":
        migrated_sqlite(workdir / "bench_chat.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench_chat.sqlite3'}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        temp = f"frontline_bench_chat_{os.getpid()}"
        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{temp}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{temp}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if db == "postgres" and temp is None:
        call_command("flush", verbosity=0, interactive=False)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from frontline.chat.models import ChatWidget
    from frontline.desk.models import Queue
    from frontline.people.models import AgentProfile, Availability, Role, Team, User

    team = Team.objects.create(name="Chat bench")
    queue = Queue.objects.create(name="Chat bench", slug="chat-bench", team=team)
    widget = ChatWidget.objects.create(name="Bench", key="bench", queue=queue)
    agents = User.objects.bulk_create([User(username=f"chatagent{i}", first_name=f"Agent{i}", role=Role.AGENT, password="!")
                                       for i in range(math.ceil(sessions / 3))])
    team.members.add(*agents)
    AgentProfile.objects.bulk_create([AgentProfile(user=u, availability=Availability.ONLINE,
                                                   availability_changed_at=timezone.now()) for u in agents])
    keys = []
    for user in agents:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    from django.db import connections

    connections.close_all()
    return temp, widget.key, keys


def _serve(port: int, workers: int, workdir: Path) -> subprocess.Popen[bytes]:
    log = open(workdir / "serve.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen([sys.executable, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers), "--no-worker"], cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ}, start_new_session=True)


async def _wait_up(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = await Http(port).request("GET", "/chat/w/bench/config")
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    raise SystemExit("the server did not start; see serve.log")


async def _run(port: int, key: str, cookies: list[str], sessions: int, duration: float, seed: int,
               server_pid: int, pace: str, poll_wait: int) -> tuple[Stats, list[int], float]:
    t0 = time.monotonic()
    await _wait_up(port, timeout=180)
    print(f"Server up in {time.monotonic() - t0:.0f} s; {sessions} sessions start", flush=True)
    stats = Stats(server_cpu_at_start=_group_cpu_s(server_pid))
    rng = random.Random(seed)
    started = time.monotonic()
    until = started + duration
    people = [Session(n, port, key, cookies[n // 3], stats, until, random.Random(rng.random()), pace, poll_wait)
              for n in range(sessions)]
    for batch in range(0, sessions, 20):  # start the chats in small waves, as customers arrive
        await asyncio.gather(*(s.start() for s in people[batch:batch + 20]))
    stop = until + 10  # a grace for messages in flight at the end (it ends early once settled)
    stats.senders_left = 2 * len(people)
    tasks = [asyncio.create_task(c) for s in people for c in (s.customer(), s.customer_poll(stop), s.agent_poll(stop), s.agent())]
    await asyncio.gather(*tasks)
    return stats, [s.chat_id for s in people], time.monotonic() - started


def _stored(chat_ids: list[int]) -> dict[str, int]:
    """The texts of the chats' message entries as stored (each should be there once)."""
    from frontline.chat.models import ChatEntry

    counts: dict[str, int] = {}
    for text in ChatEntry.objects.filter(chat_id__in=chat_ids, kind="message").values_list("message__body_text", flat=True):
        counts[text] = counts.get(text, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pace", choices=sorted(PACES), default=None,
                        help="human (default): customer 5-15 s, agent 3-10 s between messages; fast: 0.5-2 s, 0.2-1 s")
    parser.add_argument("--poll-wait", type=int, default=None, help="the long polls' wait=, seconds (default 25, as the clients)")
    parser.add_argument("--quick", action="store_true", help="4 sessions for 6 s on SQLite, 2 workers, fast pace, 5 s polls")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.quick:
        args.sessions, args.duration, args.workers, args.db = 4, 6.0, 2, "sqlite"
        args.pace = args.pace or "fast"
        args.poll_wait = 5 if args.poll_wait is None else args.poll_wait
    args.pace = args.pace or "human"
    args.poll_wait = 25 if args.poll_wait is None else args.poll_wait
    print(run_header("bench_chat"))
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as tmp:
        workdir = Path(tmp)
        t0 = time.monotonic()
        temp, key, cookies = _setup(args.db, workdir, args.sessions)
        print(f"Database ready ({args.db}) in {time.monotonic() - t0:.0f} s; starting the server", flush=True)
        port = _free_port()
        server = _serve(port, args.workers, workdir)
        sampler = ConnectionSampler(os.environ["DATABASE_URL"]) if args.db == "postgres" else None
        try:
            with sampler or nullcontext():
                stats, chat_ids, took = asyncio.run(_run(port, key, cookies, args.sessions, args.duration, args.seed,
                                                            server.pid, args.pace, args.poll_wait))
            server_cpu = _group_cpu_s(server.pid)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        stored = _stored(chat_ids)
        if stats.errors or server.returncode not in (0, -signal.SIGTERM, None):
            log = (workdir / "serve.log").read_text(errors="replace")
            failures = [line for line in log.splitlines() if "Error" in line or "Exception" in line]
            print(f"The server logged {len(failures)} error lines; the most common:")
            for line, count in sorted(((x, failures.count(x)) for x in set(failures)), key=lambda p: -p[1])[:5]:
                print(f"  {count} x {line[:300]}")
        _drop(temp)
    lost = sorted(m for m in stats.acked if m not in stats.delivered)
    duplicated = sum(n - 1 for m, n in stats.delivered.items() if not m.startswith("dup") and n > 1)
    duplicated += stats.delivered.get("dup-c", 0) + stats.delivered.get("dup-a", 0)
    missing_stored = sorted(m for m in stats.acked if stored.get(m, 0) == 0)
    twice_stored = sum(n - 1 for n in stored.values() if n > 1)
    n = len(stats.latencies)
    rows = [["frontline", f"{args.sessions} sessions, {args.workers} uvicorn workers", args.pace, args.db, n,
             _pct(stats.latencies, .5) * 1000 if n else float("nan"), _pct(stats.latencies, .99) * 1000 if n else float("nan"),
             max(stats.latencies) * 1000 if n else float("nan"), len(stats.acked), len(lost), duplicated,
             len(missing_stored), twice_stored, len(stats.errors)]]
    (c_lo, c_hi), (a_lo, a_hi) = PACES[args.pace]
    print_table(f"Live chat delivery through the real server, {args.duration:.0f} s of conversation at the {args.pace} pace "
                f"(customer {c_lo:g}-{c_hi:g} s, agent {a_lo:g}-{a_hi:g} s; polls wait {args.poll_wait} s; "
                f"{took:.0f} s in all)",
                ["system", "load", "pace", "db", "delivered", "p50 ms", "p99 ms", "max ms", "sent", "lost", "duplicated",
                 "not stored", "stored twice", "errors"], rows)
    cpu = server_cpu - stats.server_cpu_at_start
    print(f"Server CPU while the sessions ran: {cpu:.0f} s in {took:.0f} s ({cpu / took:.2f} cores on average), "
          f"{cpu * 1000 / max(1, len(stats.acked)):.0f} ms per message sent (its POST, the poll answers it wakes and the "
          "polls that follow)")
    if sampler is not None:
        pool = os.environ.get("FRONTLINE_DB_POOL_SIZE", "10 (frontline serve's default)")
        print(f"PostgreSQL connections to the benchmark's database, most at once: {sampler.peak} "
              f"({args.workers} web processes, pool size per process {pool})")
    for error in stats.errors[:5]:
        print("error:", error)
    if lost:
        print("lost (first 5):", lost[:5])
    p99 = _pct(stats.latencies, .99) if n else float("inf")
    met = p99 < 1 and not lost and not duplicated and not missing_stored and not twice_stored
    print(f"\nTarget: p99 < 1 s, 0 lost, 0 duplicated: p99 {p99 * 1000:.0f} ms, {len(lost)} lost, {duplicated} duplicated "
          f"({'met' if met else 'NOT met'}).")
    return 0 if not stats.errors else 1


if __name__ == "__main__":
    sys.exit(main())
