"""The manager dashboard at scale: every KPI of a 90-day range, by team and by day, warm.

    python -m bench.bench_metrics [--tickets 1000000] [--days 730] [--range-days 90] [--runs 15]
    python -m bench.bench_metrics --quick

What is timed is what the page computes: ``frontline.metrics.dashboard.dashboard_data`` for a
manager over the whole department (the cards with their previous-period and last-year
comparisons, SLA attainment, the per-team table, tickets per day with the backlog, the weekday x
hour heatmap), on PostgreSQL and on SQLite, each in its own process with its own Django settings.
Side by side, in the same run, DuckDB computes the same aggregates (counts, rates, medians and
p90s per period and per team, per-day created/solved/backlog, the heatmap) over the same rows
exported to Parquet: the practical floor on this machine. The table reports p50/p95 and our p95
divided by DuckDB's.

The data: ``--tickets`` tickets created over ``--days`` days up to the end of the range, with a
diurnal arrival pattern, five teams of twelve agents, and facts drawn like the demo's (log-normal
reply and resolution times, reopens, reassignments, surveys on a fifth of the tickets). The
dashboard reads only the metrics app's derived tables (``TicketFact`` and ``HourlyRollup``), so
those are what is loaded: facts by COPY / executemany, rollups by the app's own
``_rollups_insert`` from them. Rebuilding facts from events is the metrics app's business and is
tested for exactness (tests/metrics); it is not what a manager waits for. Databases are cached in
``bench/.data/`` keyed by the row count and the migrations.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from bench._peers import print_table, run_header
from bench._template import migrated_sqlite
from bench.bench_api import DATA, PG_DSN, Loader, _fingerprint, _ts

LOADER_VERSION = 1
END = datetime(2026, 6, 29, tzinfo=UTC)  # a Monday: the range ends the day before
TEAMS, AGENTS_PER_TEAM = 5, 12
INTEGER_COLUMNS = {"ticket_id", "team_id", "agent_id", "queue_id", "reopens", "agent_replies",
                   "assignee_count", "csat", "ces", "nps", "handle_seconds"}
CHANNELS = np.array(["email", "web", "chat", "phone", "api"])
PRIORITIES = np.array(["low", "normal", "high", "urgent"])
TIERS = np.array(["standard", "premium", "vip"])
# Share of tickets created in each UTC hour (busy working hours, quiet nights).
DIURNAL = np.array([1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 2, 1], dtype=float)


def facts_frame(n: int, days: int, team_ids: list[int], agent_ids: list[list[int]], seed: int = 20260629):  # type: ignore[no-untyped-def]
    """``n`` tickets' fact rows (a pandas DataFrame in TicketFact's columns), drawn reproducibly."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    day = rng.integers(0, days, n)
    hour = rng.choice(24, n, p=DIURNAL / DIURNAL.sum())
    second = rng.integers(0, 3600, n)
    start = END - timedelta(days=days)
    created = pd.to_datetime(start) + pd.to_timedelta(day * 86400 + hour * 3600 + second, unit="s")
    age_days = (END - created).total_seconds().to_numpy() / 86400
    team_pos = rng.integers(0, len(team_ids), n)
    team = np.array(team_ids)[team_pos]
    agent_pick = rng.integers(0, AGENTS_PER_TEAM, n)
    agent = np.array([agent_ids[t][a] for t, a in zip(team_pos, agent_pick, strict=True)], dtype=float)
    unassigned = rng.random(n) < 0.06
    agent[unassigned] = np.nan
    # Open work is recent: a ticket older than two weeks is almost surely solved.
    p_solved = np.where(age_days > 14, 0.985, np.clip(age_days / 14, 0.2, 0.95))
    solved = rng.random(n) < p_solved
    replied = solved | (rng.random(n) < 0.6)
    replied &= ~unassigned | solved
    first_reply = np.where(replied, rng.lognormal(np.log(90), 1.0, n), np.nan)
    resolution = np.where(solved, np.maximum(first_reply, rng.lognormal(np.log(1500), 1.1, n)), np.nan)
    reopens = np.where(solved, rng.poisson(0.06, n), 0)
    agent_replies = np.where(replied, 1 + rng.poisson(0.8, n), 0)
    assignees = np.where(unassigned, 0, 1 + (rng.random(n) < 0.12) + (rng.random(n) < 0.03))
    answered = solved & (rng.random(n) < 0.22)
    csat = np.where(answered, rng.choice([1, 2, 3, 4, 5], n, p=[0.06, 0.05, 0.09, 0.25, 0.55]), np.nan)
    nps = np.where(solved & (rng.random(n) < 0.05), rng.integers(0, 11, n), np.nan)
    ces = np.where(solved & (rng.random(n) < 0.05), rng.integers(1, 8, n), np.nan)
    calendar = rng.random(n) < 0.7
    frame = pd.DataFrame({
        "ticket_id": np.arange(1, n + 1),
        "created_at": created,
        "hour": created.floor("h"),
        "team_id": team,
        "agent_id": agent,
        "channel": CHANNELS[rng.integers(0, len(CHANNELS), n)],
        "queue_id": np.full(n, np.nan),  # no queues: the dashboard of the department does not slice by them
        "priority": PRIORITIES[rng.choice(len(PRIORITIES), n, p=[0.2, 0.55, 0.2, 0.05])],
        "tier": TIERS[rng.choice(len(TIERS), n, p=[0.8, 0.15, 0.05])],
        "category": np.where(solved, np.where(age_days > 4, "closed", "solved"),
                             np.where(replied, "pending", "new")),
        "first_reply_at": created + pd.to_timedelta(np.nan_to_num(first_reply), unit="m"),
        "solved_at": created + pd.to_timedelta(np.nan_to_num(resolution), unit="m"),
        "ever_solved": solved,
        "reopens": reopens,
        "agent_replies": agent_replies,
        "assignee_count": assignees,
        "csat": csat, "ces": ces, "nps": nps,
        "solved": solved,
        "one_touch": solved & (agent_replies == 1) & (reopens == 0),
        "reassigned": assignees >= 2,
        "first_reply_minutes": first_reply,
        "resolution_minutes": resolution,
        "first_reply_business_minutes": np.where(calendar, first_reply * 0.72, np.nan),
        "resolution_business_minutes": np.where(calendar, resolution * 0.4, np.nan),
        "handle_seconds": np.where(replied, rng.gamma(2.0, 220, n).round(), 0).astype(int),
        "escalated": rng.random(n) < 0.03,
    })
    frame.loc[~replied, "first_reply_at"] = pd.NaT
    frame.loc[~solved, "solved_at"] = pd.NaT
    return frame


# --- the child: one database ------------------------------------------------------------------------------------


def _database_url(db: str, key: str) -> str:
    if db == "postgres":
        return f"postgres://postgres@127.0.0.1:5432/frontline_bench_metrics_{key}"
    return f"sqlite:///{DATA / f'metrics-{key}.sqlite3'}"


def _rows(frame, db: str):  # type: ignore[no-untyped-def]
    """The frame's rows as the database takes them: plain Python values, None for missing,
    timestamps as the database stores them."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        if str(column.dtype).startswith("datetime64"):
            values = [None if v is None or v != v else _ts(v.to_pydatetime(), db) for v in column.astype(object)]
        elif name in INTEGER_COLUMNS:
            values = [None if v != v else int(v) for v in column.tolist()]
        else:
            values = column.astype(object).where(column.notna(), None).tolist()
        columns.append(values)
    yield from zip(*columns, strict=True)


def child(args: argparse.Namespace) -> None:
    """(Runs with DATABASE_URL set.) Build the database once, then time the dashboard; print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from frontline.metrics import services as metric_services
    from frontline.metrics.dashboard import dashboard_data
    from frontline.metrics.models import HourlyRollup, TicketFact
    from frontline.metrics.periods import period_of
    from frontline.metrics.selectors import Scope
    from frontline.people.models import Role, Team, User

    built = TicketFact.objects.count() == args.tickets if _has_tables(connection) else False
    call_command("migrate", verbosity=0, interactive=False)
    if not built:
        t0 = time.perf_counter()
        TicketFact.objects.all().delete()
        HourlyRollup.objects.all().delete()
        User.objects.filter(username__startswith="bench-").delete()
        Team.objects.filter(name__startswith="Bench team").delete()
        teams = [Team.objects.create(name=f"Bench team {i + 1}") for i in range(TEAMS)]
        agents = [[User.objects.create(username=f"bench-{t}-{a}", role=Role.AGENT, first_name=f"Agent {t}.{a}").pk
                   for a in range(AGENTS_PER_TEAM)] for t in range(TEAMS)]
        User.objects.create(username="bench-manager", role=Role.MANAGER, first_name="Manager")
        frame = facts_frame(args.tickets, args.days, [t.pk for t in teams], agents)
        if not args.parquet.exists():  # naive UTC timestamps, as DuckDB's queries below compare them
            frame.assign(**{c: frame[c].dt.tz_localize(None) for c in ("created_at", "hour", "first_reply_at", "solved_at")}
                         ).to_parquet(args.parquet)
        db = "postgres" if connection.vendor == "postgresql" else "sqlite"
        connection.close()  # the loader's own connection takes the database alone
        loader = Loader(db, connection.settings_dict["NAME"])
        loader.drop_indexes(["metrics_ticketfact"])
        loader.insert("metrics_ticketfact", list(frame.columns), _rows(frame, db))
        loader.restore_indexes()
        loader.finish()
        metric_services._rollups_insert(TicketFact.objects.all())
        print(json.dumps({"built_s": time.perf_counter() - t0}), file=sys.stderr)
    if connection.vendor == "postgresql":
        # Statistics for the planner, as autovacuum keeps them on a live database (the rollups are written after
        # the loader's ANALYZE; without them PostgreSQL sorts the per-team read on disk instead of hashing it).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE metrics_teamhoursample")
    manager = User.objects.get(username="bench-manager")
    last = (END - timedelta(days=1)).date()
    period = period_of("custom", last - timedelta(days=args.range_days - 1), UTC, last=last)
    now = END + timedelta(days=1)
    times = []
    for i in range(args.runs + 2):
        t0 = time.perf_counter()
        data = dashboard_data(viewer=manager, scope=Scope(team_ids=None), period=period, now=now)
        if i >= 2:  # two warm-up runs
            times.append(time.perf_counter() - t0)
    print(json.dumps({"times": times, "tickets_in_range": data["kpis"].report.tickets,
                      "first_reply_median": data["kpis"].report.first_reply_minutes.median,
                      "teams": len(data["table"]), "days": len(data["daily"])}))


def _has_tables(connection) -> bool:  # type: ignore[no-untyped-def]
    return "metrics_ticketfact" in connection.introspection.table_names()


# --- DuckDB: the same aggregates over Parquet --------------------------------------------------------------------

_KPIS = """
    count(*) AS tickets, count(*) FILTER (solved) AS solved,
    quantile_cont(first_reply_minutes, 0.5) AS first_reply_median,
    quantile_cont(first_reply_minutes, 0.9) AS first_reply_p90,
    quantile_cont(resolution_minutes, 0.5) FILTER (solved) AS resolution_median,
    quantile_cont(resolution_minutes, 0.9) FILTER (solved) AS resolution_p90,
    quantile_cont(first_reply_business_minutes, 0.5) AS first_reply_business_median,
    quantile_cont(resolution_business_minutes, 0.5) FILTER (solved) AS resolution_business_median,
    avg(one_touch::INT) FILTER (solved) AS one_touch_rate,
    avg((reopens > 0)::INT) FILTER (ever_solved) AS reopen_rate,
    avg(reassigned::INT) AS reassignment_rate, avg(escalated::INT) AS escalation_rate,
    avg(handle_seconds) FILTER (handle_seconds > 0) AS handle_time_mean,
    avg(agent_replies) FILTER (solved) AS replies_per_solved,
    avg((csat >= 4)::INT) AS csat, count(csat) AS csat_responses,
    100 * (avg((nps >= 9)::INT) - avg((nps <= 6)::INT)) AS nps, avg(ces) AS ces
"""


def duckdb_queries(parquet: Path, start: datetime, end: datetime, range_days: int) -> list[str]:
    src = f"read_parquet('{parquet}')"
    span = timedelta(days=range_days)
    periods = [(start, end), (start - span, end - span), (start - timedelta(days=364), end - timedelta(days=364))]
    out = [f"SELECT {_KPIS} FROM {src} WHERE created_at >= '{a:%Y-%m-%d %H:%M:%S}' AND created_at < '{b:%Y-%m-%d %H:%M:%S}'"
           for a, b in periods]
    window = f"created_at >= '{start:%Y-%m-%d}' AND created_at < '{end:%Y-%m-%d}'"
    out.append(f"SELECT team_id, {_KPIS} FROM {src} WHERE {window} GROUP BY team_id")
    out.append(f"""
        WITH days AS (SELECT range::DATE AS day FROM range(DATE '{start:%Y-%m-%d}', DATE '{end:%Y-%m-%d}', INTERVAL 1 DAY)),
             c AS (SELECT created_at::DATE AS day, count(*) AS n FROM {src} WHERE {window} GROUP BY 1),
             s AS (SELECT solved_at::DATE AS day, count(*) AS n FROM {src}
                   WHERE solved_at >= '{start:%Y-%m-%d}' AND solved_at < '{end:%Y-%m-%d}' GROUP BY 1),
             o AS (SELECT count(*) AS n FROM {src} WHERE created_at < '{start:%Y-%m-%d}'
                   AND NOT coalesce(solved_at < '{start:%Y-%m-%d}', FALSE))
        SELECT days.day, coalesce(c.n, 0) AS created, coalesce(s.n, 0) AS solved,
               (SELECT n FROM o) + sum(coalesce(c.n, 0) - coalesce(s.n, 0)) OVER (ORDER BY days.day) AS backlog
        FROM days LEFT JOIN c USING (day) LEFT JOIN s USING (day) ORDER BY days.day""")
    out.append(f"SELECT dayofweek(created_at) AS wd, hour(created_at) AS h, count(*) FROM {src} WHERE {window} GROUP BY 1, 2")
    return out


def run_duckdb(parquet: Path, args: argparse.Namespace) -> dict:
    import duckdb

    last = (END - timedelta(days=1)).date()
    first = last - timedelta(days=args.range_days - 1)
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    con = duckdb.connect()
    con.execute("SET threads = 2")
    queries = duckdb_queries(parquet, start, end, args.range_days)
    times = []
    for i in range(args.runs + 2):
        t0 = time.perf_counter()
        results = [con.execute(q).fetchall() for q in queries]
        if i >= 2:
            times.append(time.perf_counter() - t0)
    return {"times": times, "tickets_in_range": results[0][0][0], "first_reply_median": results[0][0][2],
            "teams": len(results[3]), "days": len(results[4])}


# --- the parent ---------------------------------------------------------------------------------------------------


def _key(args: argparse.Namespace) -> str:
    root = Path(__file__).resolve().parent.parent
    # The tables the dashboard reads (other apps' new migrations are applied to a cached database
    # by the child's migrate, which is quick on their empty tables; they need no rebuild).
    migrations = sorted(str(p.relative_to(root)) for app in ("metrics", "people", "desk", "sla")
                        for p in root.glob(f"frontline/{app}/migrations/0*.py"))
    return _fingerprint([str(LOADER_VERSION), str(args.tickets), str(args.days), *migrations])


def _ensure_pg_database(name: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_DSN} dbname=postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as error:
        return f"PostgreSQL unavailable: {error}"
    return None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return float(np.percentile(ordered, q, method="linear")) if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=730, help="days of history the tickets are spread over")
    parser.add_argument("--range-days", type=int, default=90, help="the dashboard's range")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per system after two warm-ups")
    parser.add_argument("--db", help="which databases, comma-separated (default postgres,sqlite; --quick: sqlite)")
    parser.add_argument("--quick", action="store_true", help="2,000 tickets, 3 runs, SQLite only: a smoke run")
    parser.add_argument("--child", choices=["postgres", "sqlite"], help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.tickets, args.runs, args.days = min(args.tickets, 2_000), 3, 400
        args.db = args.db or "sqlite"
    args.db = args.db or "postgres,sqlite"
    if args.child:
        child(args)
        return 0
    print(run_header("bench_metrics"))
    DATA.mkdir(parents=True, exist_ok=True)
    key = _key(args)
    results: dict[str, dict] = {}
    notes: list[str] = []
    parquet = DATA / f"metrics-{key}.parquet"
    for db in [d.strip() for d in args.db.split(",") if d.strip()]:
        if db == "postgres":
            problem = _ensure_pg_database(f"frontline_bench_metrics_{key}")
            if problem:
                notes.append(problem)
                continue
        elif not (DATA / f"metrics-{key}.sqlite3").exists():  # the child's migrate then finds nothing (or only what is new) to do
            migrated_sqlite(DATA / f"metrics-{key}.sqlite3")
        env = {**os.environ, "DATABASE_URL": _database_url(db, key), "DJANGO_SETTINGS_MODULE": "frontline.settings"}
        cmd = [sys.executable, "-m", "bench.bench_metrics", "--child", db, "--parquet", str(parquet),
               "--tickets", str(args.tickets), "--days", str(args.days), "--range-days", str(args.range_days),
               "--runs", str(args.runs)]
        done = subprocess.run(cmd, env=env, cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-4000:])
            raise SystemExit(f"bench_metrics: the {db} run failed")
        for line in done.stderr.splitlines():
            if line.startswith("{"):
                notes.append(f"{db}: built in {json.loads(line)['built_s']:.0f} s")
        results[db] = json.loads(done.stdout.strip().splitlines()[-1])
    results["duckdb"] = run_duckdb(parquet, args)
    floor = _percentile(results["duckdb"]["times"], 95)
    rows = []
    for name, label in (("postgres", "Frontline on PostgreSQL"), ("sqlite", "Frontline on SQLite"),
                        ("duckdb", "DuckDB over Parquet (floor)")):
        if name not in results:
            continue
        r = results[name]
        p95 = _percentile(r["times"], 95)
        rows.append([label, f"{1000 * statistics.median(r['times']):.0f}", f"{1000 * p95:.0f}",
                     f"{p95 / floor:.1f}x", r["tickets_in_range"], f"{r['first_reply_median']:.1f}", r["teams"],
                     r["days"]])
    print(f"{args.tickets:,} tickets over {args.days} days; the manager dashboard of the last {args.range_days} days "
          f"(with the previous {args.range_days} days and the same days last year), warm, {args.runs} runs each")
    print_table("The manager dashboard", ["system", "p50 ms", "p95 ms", "p95 / DuckDB", "tickets in range", "first reply median (min)",
                 "teams", "days"], rows)
    for note in notes:
        print(f"note: {note}")
    counts = {r["tickets_in_range"] for r in results.values()}
    if len(counts) != 1:
        print(f"MISMATCH: tickets in range differ between systems: {counts}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

