"""A migrated SQLite database to copy, so that each benchmark's quick run need not migrate its own.

Migrating a fresh SQLite database takes 20-30 s of a core; the quick runs the test suite makes
(chat, mail, routing, auto-QA, API, metrics) each used to do it. :func:`migrated_sqlite` copies a
template kept in ``bench/.data`` (``FRONTLINE_BENCH_DATA``, or ``FRONTLINE_BENCH_TEMPLATES`` for the
template alone: the suite's quick runs that keep their data in a temporary folder share the
template with the others so), keyed by the contents of every migration file,
and builds it once with ``manage.py migrate`` in a subprocess when it is missing. The benchmark
still runs ``migrate`` on the copy, which finds nothing to do, or whatever a new migration adds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("FRONTLINE_BENCH_DATA", REPO_ROOT / "bench" / ".data"))
TEMPLATES = Path(os.environ.get("FRONTLINE_BENCH_TEMPLATES", DATA))


def _migrations_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(REPO_ROOT.glob("frontline/*/migrations/*.py")):
        digest.update(str(path.relative_to(REPO_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def migrated_sqlite(target: Path) -> None:
    """Put a fully migrated SQLite database at ``target`` (a copy of the template, built first if missing)."""
    template = TEMPLATES / f"migrated-{_migrations_key()}.sqlite3"
    if not template.exists():
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        building = template.with_name(f"{template.stem}.{os.getpid()}.building")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{building}", "DJANGO_SETTINGS_MODULE": "frontline.settings"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0", "--noinput"], cwd=REPO_ROOT, env=env, check=True)
        with sqlite3.connect(building) as conn:  # WAL mode: fold the log into the file before it is copied
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
        os.replace(building, template)  # atomic: a benchmark beside this one copies a whole file or builds its own
    shutil.copyfile(template, target)
