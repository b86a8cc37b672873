"""Routing decision latency: 500 available agents, 10,000 open tickets, on PostgreSQL.

    python -m bench.bench_routing [--agents 500] [--tickets 10000] [--route 1000] [--db postgres|sqlite] [--quick]

Loads a team of ``--agents`` agents, all Online, with skills (language, product; levels 1-5) and
a capacity of 30 open web tickets each, and ``--tickets`` open tickets: all but ``--route`` of
them already assigned (each agent's load drawn at random, 0-25), ``--route`` waiting in one queue.
Then, in one run, side by side:

* **frontline index**: ``frontline.engine.routing.AgentIndex`` built once from the database
  (its build time is reported), then each decision is ``decide`` + ``assign`` on the heaps;
* **full scan per ticket**: for each ticket the agents and their loads, skills and turns are read
  from the database (``routing.selectors.candidates_for``, a fixed number of queries over all
  agents) and every agent is looked at (``scan_decide``): assignment by a full scan;
* **engine scan**: the same scan on candidates already in memory (the algorithm alone);
* **frontline route**: ``routing.services.route_ticket`` with the shared index, as the periodic
  pass runs it: the decision plus the writes (assignment, ``routed`` event, turn), per ticket.

Least-loaded and skills-based (language required, product preferred). Decisions of the index
and of the scan are checked equal. p50/p99 in milliseconds. Target: the decision's p99 < 5 ms.

The database is DATABASE_URL when it names PostgreSQL (it is flushed), otherwise a temporary
database created on 127.0.0.1:5432 (user postgres) and dropped afterwards; ``--db sqlite`` (and
``--quick``: 50 agents, 600 tickets) uses a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._peers import print_table, run_header
from bench._template import migrated_sqlite

PG_DSN = "host=127.0.0.1 port=5432 user=postgres"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _setup_db(db: str, workdir: Path) -> str | None:
    """Point Django at the database; returns a temporary PostgreSQL database's name to drop."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    os.environ["FRONTLINE_VAR_DIR"] = str(workdir)
    temp = None
    if db == "sqlite":
        migrated_sqlite(workdir / "bench_routing.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench_routing.sqlite3'}"
    elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        import psycopg

        temp = f"frontline_bench_routing_{os.getpid()}"
        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{temp}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{temp}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    if db == "postgres" and temp is None:
        call_command("flush", verbosity=0, interactive=False)
    return temp


def _drop(temp: str | None) -> None:
    if temp is None:
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{temp}" WITH (FORCE)')


def seed(*, agents: int, tickets: int, route: int, rng: random.Random) -> dict[str, object]:
    from django.utils import timezone

    from frontline.customers.models import Customer
    from frontline.desk.models import Channel, Queue, StatusCategory, Ticket
    from frontline.desk.services import status_default
    from frontline.people.models import AgentProfile, Availability, Role, Team, User
    from frontline.routing.models import AgentCapacity, AgentSkill, Mode, QueueRouting

    now = timezone.now()
    team = Team.objects.create(name="Bench team")
    users = User.objects.bulk_create([User(username=f"agent{i}", first_name=f"Agent{i}", role=Role.AGENT,
                                           password="!") for i in range(agents)])
    team.members.add(*users)
    AgentProfile.objects.bulk_create([AgentProfile(user=u, availability=Availability.ONLINE,
                                                   availability_changed_at=now) for u in users])
    AgentCapacity.objects.bulk_create([AgentCapacity(agent=u, channel=Channel.WEB, max_open=30) for u in users])
    languages, products = ["en", "de", "fr", "es", "it"], ["billing", "shipping", "technical", "returns"]
    skills = []
    for u in users:
        for lang in rng.sample(languages, rng.randint(1, 2)):
            skills.append(AgentSkill(agent=u, name="language", value=lang, level=rng.randint(1, 5)))
        for product in rng.sample(products, rng.randint(1, 2)):
            skills.append(AgentSkill(agent=u, name="product", value=product, level=rng.randint(1, 5)))
    AgentSkill.objects.bulk_create(skills)
    customers = Customer.objects.bulk_create([
        Customer(name=f"Customer {i}", email=f"c{i}@example.com", language=rng.choice(languages)) for i in range(500)])
    least = Queue.objects.create(name="Least-loaded", slug="least", team=team)
    skilled = Queue.objects.create(name="Skills", slug="skills", team=team)
    QueueRouting.objects.create(queue=least, mode=Mode.LEAST_LOADED)
    QueueRouting.objects.create(queue=skilled, mode=Mode.SKILLS, requirements=[
        {"name": "language", "value": "{customer.language}", "min_level": 2, "required": True},
        {"name": "product", "value": "{field.product}", "min_level": 3, "required": False}])
    open_status, new_status = status_default(StatusCategory.OPEN), status_default(StatusCategory.NEW)
    rows = []
    loads = [rng.randint(0, 25) for _ in users]
    assigned = tickets - route
    owners = [u for u, n in zip(users, loads, strict=True) for _ in range(n)]
    rng.shuffle(owners)
    for i in range(assigned):
        owner = owners[i % len(owners)] if owners else None
        rows.append(Ticket(subject=f"Assigned {i}", channel=Channel.WEB, status=open_status, status_category=StatusCategory.OPEN,
                           requester=rng.choice(customers), assignee=owner, team=team, queue=least, created_at=now,
                           updated_at=now, public_updated_at=now))
    for i in range(route):
        rows.append(Ticket(subject=f"Waiting {i}", channel=Channel.WEB, status=new_status, status_category=StatusCategory.NEW,
                           requester=rng.choice(customers), team=team, queue=least if i % 2 == 0 else skilled,
                           custom_fields={"product": rng.choice(products)}, created_at=now, updated_at=now,
                           public_updated_at=now))
    Ticket.objects.bulk_create(rows, batch_size=2000)
    return {"least": least, "skilled": skilled}


def measure(*, queues: dict[str, object], quick: bool) -> list[list[object]]:
    from django.utils import timezone

    from frontline.desk.models import Ticket
    from frontline.engine.routing import AgentIndex, scan_decide
    from frontline.routing import selectors, services
    from frontline.routing.models import ENGINE_MODE

    table: list[list[object]] = []
    for label, queue in queues.items():
        config = selectors.config_for(queue_id=queue.pk)  # type: ignore[attr-defined]
        mode = ENGINE_MODE[config.mode]
        fallback = services._fallback(config)
        now = timezone.now()
        waiting = list(selectors.waiting_tickets(queue=queue, limit=100_000))  # type: ignore[arg-type]
        works = [services._work(t, config, now, now, None) for t in waiting]

        started = time.perf_counter()
        candidates = selectors.candidates_for(queue=queue, chat=False, channel="web", now=now)  # type: ignore[arg-type]
        index = AgentIndex(candidates)
        build_ms = (time.perf_counter() - started) * 1000

        index_times, scan_times, db_scan_times = [], [], []
        current = {c.agent_id: c for c in candidates}
        disagreements = 0
        for n, work in enumerate(works):
            t0 = time.perf_counter()
            decision = index.decide(work, mode=mode, fallback=fallback)
            if decision.agent_id is not None:
                index.assign(decision.agent_id, at=1e9 + n)
            index_times.append((time.perf_counter() - t0) * 1000)

            t0 = time.perf_counter()
            expected = scan_decide(list(current.values()), work, mode=mode, fallback=fallback)
            scan_times.append((time.perf_counter() - t0) * 1000)
            if expected.agent_id is not None:
                c = current[expected.agent_id]
                current[c.agent_id] = type(c)(c.agent_id, c.name, c.load + 1, c.capacity, c.skills, 1e9 + n)
            disagreements += expected != decision

        sample = works[: min(len(works), 50 if quick else 200)]
        for work in sample:  # read-only: the database state does not change between these
            t0 = time.perf_counter()
            fresh = selectors.candidates_for(queue=queue, chat=False, channel="web", now=now)  # type: ignore[arg-type]
            scan_decide(fresh, work, mode=mode, fallback=fallback)
            db_scan_times.append((time.perf_counter() - t0) * 1000)

        # The real pass: decisions and writes, one transaction per ticket, one index for the pass.
        pass_index = AgentIndex(selectors.candidates_for(queue=queue, chat=False, channel="web", now=now))  # type: ignore[arg-type]
        route_times, routed = [], 0
        for ticket in waiting:
            t0 = time.perf_counter()
            decision = services.route_ticket(ticket_id=ticket.pk, now=now, index_for=lambda chat, channel, index=pass_index: index)
            route_times.append((time.perf_counter() - t0) * 1000)
            routed += bool(decision and decision.agent_id)
        assert Ticket.objects.filter(pk__in=[t.pk for t in waiting], assignee__isnull=False).count() == routed

        n_agents = len(candidates)
        table += [
            ["frontline index", label, f"{n_agents} agents", len(index_times), _pct(index_times, .5), _pct(index_times, .99),
             f"build {build_ms:.1f} ms once; {disagreements} decisions differ from the scan"],
            ["full scan per ticket", label, "DB read + scan", len(db_scan_times), _pct(db_scan_times, .5),
             _pct(db_scan_times, .99), "agents, loads, skills read per ticket"],
            ["engine scan", label, "in memory", len(scan_times), _pct(scan_times, .5), _pct(scan_times, .99),
             "every agent looked at"],
            ["frontline route", label, "decision + writes", len(route_times), _pct(route_times, .5), _pct(route_times, .99),
             f"{routed} routed, mean {statistics.fmean(route_times):.2f} ms"],
        ]
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--route", type=int, default=1_000, help="of the tickets, how many wait to be routed")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--quick", action="store_true", help="50 agents, 600 tickets (100 waiting), SQLite")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.quick:
        args.agents, args.tickets, args.route, args.db = 50, 600, 100, "sqlite"
    print(run_header("bench_routing"))
    with tempfile.TemporaryDirectory(prefix="bench-routing-") as workdir:
        temp = _setup_db(args.db, Path(workdir))
        try:
            from django.db import connection

            started = time.perf_counter()
            queues = seed(agents=args.agents, tickets=args.tickets, route=args.route, rng=random.Random(args.seed))
            print(f"Loaded {args.agents} Online agents and {args.tickets:,} open tickets ({args.route:,} waiting) on "
                  f"{connection.vendor} in {time.perf_counter() - started:.1f} s")
            table = measure(queues=queues, quick=args.quick)
        finally:
            _drop(temp)
    print_table(f"Routing decision latency, {args.agents} available agents, {args.tickets:,} open tickets "
                f"({'PostgreSQL' if args.db == 'postgres' else 'SQLite'}), ms",
                ["system", "queue", "what", "decisions", "p50 ms", "p99 ms", "note"], table)
    index_p99 = max(r[5] for r in table if r[0] == "frontline index")
    print(f"\nTarget: decision p99 < 5 ms: frontline index {index_p99:.3f} ms "
          f"({'met' if index_p99 < 5 else 'NOT met'}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
