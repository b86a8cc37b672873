"""Server CPU for one live chat exchange, end to end, without a server: the four requests of a turn.

    python -m bench.profile_chat [--turns 100] [--db sqlite|postgres] [--profile 25]

One widget, one agent, one accepted chat; then ``--turns`` times, through Django's test client
(the same views, middleware, sessions and database work as under ``frontline serve``, less the
HTTP server): the customer says something (``POST /chat/w/<key>/chats/<id>/say``), the agent's
poll returns it (``GET /chat/agent/poll/?chat=<id>&wait=0``), the agent answers
(``POST /chat/<id>/say/``), the customer's poll returns that (``GET …/poll?wait=0``). Prints the
process CPU time per turn and per message (a turn is two messages) and of each request, then of a
poll that finds nothing new (what a waiting client costs each time it asks again), and with
``--profile N`` the N costliest functions (cProfile, cumulative) over all turns. The database is a
temporary SQLite file, or a temporary PostgreSQL database on 127.0.0.1:5432.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_chat import PG_DSN


def _setup(db: str, workdir: Path) -> str | None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    os.environ["FRONTLINE_VAR_DIR"] = str(workdir)
    os.environ["FRONTLINE_CHAT_WAKE"] = "poll"  # wait=0 reads once; no watcher thread
    temp = None
    if db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'profile_chat.sqlite3'}"
    else:
        import psycopg

        temp = f"frontline_profile_chat_{os.getpid()}"
        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{temp}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{temp}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return temp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions (cumulative)")
    parser.add_argument("--sort", choices=["cumulative", "tottime"], default="cumulative", help="--profile's order")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one turn, request by request")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="profile-chat-") as tmp:
        temp = _setup(args.db, Path(tmp))
        try:
            _measure(args.turns, args.profile, args.queries, args.sort)
        finally:
            from django.db import connections

            connections.close_all()
            if temp:
                from bench.bench_routing import _drop

                _drop(temp)
    return 0


def _measure(turns: int, profile: int, queries: bool, sort: str = "cumulative") -> None:
    from django.test import Client
    from django.utils import timezone

    from frontline.chat.models import ChatWidget
    from frontline.desk.models import Queue
    from frontline.people.models import AgentProfile, Availability, Role, Team, User

    team = Team.objects.create(name="Chat profile")
    queue = Queue.objects.create(name="Chat profile", slug="chat-profile", team=team)
    ChatWidget.objects.create(name="Profile", key="profile", queue=queue)
    agent = User.objects.create(username="chatagent", first_name="Agent", role=Role.AGENT)
    team.members.add(agent)
    AgentProfile.objects.create(user=agent, availability=Availability.ONLINE, availability_changed_at=timezone.now())
    customer, staff = Client(), Client()
    staff.force_login(agent)
    started = customer.post("/chat/w/profile/chats", json.dumps({"name": "Ana", "email": "ana@example.com", "text": "hello"}),
                            content_type="application/json")
    assert started.status_code == 201, started.content
    chat_id, token = started.json()["chat_id"], started.json()["token"]
    assert staff.post(f"/chat/{chat_id}/accept/", HTTP_ACCEPT="application/json").status_code in (200, 302)
    base = f"/chat/w/profile/chats/{chat_id}"
    state = {"c_after": 0, "a_after": 0, "pulse": -1}

    def customer_says(k: int) -> None:
        r = customer.post(f"{base}/say", json.dumps({"text": f"customer line {k}: where is my order?"}),
                          content_type="application/json", HTTP_X_CHAT_TOKEN=token)
        assert r.status_code == 201, r.content

    def agent_polls(k: int) -> None:
        r = staff.get("/chat/agent/poll/", {"chat": chat_id, "after": state["a_after"], "wait": 0})
        entries = r.json()["chat"]["entries"]
        assert entries, r.content
        state["a_after"] = entries[-1]["seq"]

    def agent_says(k: int) -> None:
        r = staff.post(f"/chat/{chat_id}/say/", {"text": f"agent line {k}: let me look that up for you."},
                       HTTP_ACCEPT="application/json")
        assert r.status_code == 201, r.content

    def customer_polls(k: int) -> None:
        r = customer.get(f"{base}/poll", {"after": state["c_after"], "pulse": state["pulse"], "wait": 0},
                         HTTP_X_CHAT_TOKEN=token)
        view = r.json()
        assert view["entries"], r.content
        state["c_after"], state["pulse"] = view["seq"], view["pulse"]

    steps = [customer_says, agent_polls, agent_says, customer_polls]
    for k in range(3):  # warm up (imports, template and URL caches)
        for step in steps:
            step(k)
    if queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for step in steps:
            with CaptureQueriesContext(connection) as seen:
                step(2)
            print(f"{step.__name__}: {len(seen.captured_queries)} queries")
            for q in seen.captured_queries:
                print("   ", q["sql"][:400])
    spent = dict.fromkeys((s.__name__ for s in steps), 0.0)
    profiler = cProfile.Profile() if profile else None
    t0, w0 = time.process_time(), time.perf_counter()
    for k in range(3, 3 + turns):
        for step in steps:
            s0 = time.process_time()
            if profiler:
                profiler.enable()
            step(k)
            if profiler:
                profiler.disable()
            spent[step.__name__] += time.process_time() - s0
    cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    print(f"{turns} turns (2 messages each), database {os.environ['DATABASE_URL'].split(':')[0]}"
          f"{' (under cProfile: slower)' if profiler else ''}")
    print(f"CPU {cpu * 1000 / turns:.1f} ms per turn, {cpu * 500 / turns:.1f} ms per message "
          f"(wall {wall * 1000 / turns:.1f} ms per turn)")
    for name, s in spent.items():
        print(f"  {name:15} {s * 1000 / turns:6.1f} ms CPU")
    # A poll that finds nothing new (what each waiting client costs every time it asks again).
    idle = {"agent poll, nothing new": lambda: staff.get("/chat/agent/poll/", {"chat": chat_id, "after": state["a_after"] + 1,
                                                                               "sig": "", "wait": 0}),
            "customer poll, nothing new": lambda: customer.get(f"{base}/poll", {"after": state["c_after"],
                                                                                "pulse": state["pulse"], "wait": 0},
                                                               HTTP_X_CHAT_TOKEN=token)}
    for name, ask in idle.items():
        s0 = time.process_time()
        for _ in range(turns):
            assert ask().status_code == 200
        print(f"  {name:27} {(time.process_time() - s0) * 1000 / turns:6.1f} ms CPU")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(profile)
        print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
