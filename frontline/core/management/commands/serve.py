"""Serve Frontline: a production-style web server plus a background task worker beside it.

``frontline serve`` runs gunicorn with uvicorn workers (several stateless ASGI processes: the chat's
long polls wait without holding a thread, see frontline/chat/live.py), Django's database task
worker and the scheduler of periodic tasks (``frontline scheduler``) as child processes, prints
where to go, and stops them on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

WEB_POOL_SIZE = 10  # database connections per web process at most, unless FRONTLINE_DB_POOL_SIZE says otherwise


class Command(BaseCommand):
    help = "Serve the web app (gunicorn, uvicorn workers) with a background task worker beside it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("FRONTLINE_WEB_WORKERS", "3")))
        parser.add_argument("--no-worker", action="store_true", help="Do not start the task worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "frontline.settings")}
        children: list[subprocess.Popen[bytes]] = []
        # Under ASGI each request's synchronous work runs in a thread of its own: no persistent
        # database connections there (they would be left behind by finished threads), and on
        # PostgreSQL a pool per process (the chat's waiting long polls take a connection only while
        # they read: docs/operators.md).
        web_env = {**env, "FRONTLINE_DB_CONN_MAX_AGE": env.get("FRONTLINE_DB_CONN_MAX_AGE", "0"),
                   "FRONTLINE_DB_POOL_SIZE": env.get("FRONTLINE_DB_POOL_SIZE", str(WEB_POOL_SIZE))}
        web = [python, "-m", "gunicorn", "frontline.asgi:application", "--worker-class", "uvicorn.workers.UvicornWorker",
               "--bind", f"{options['host']}:{options['port']}", "--workers", str(options["workers"]),
               "--access-logfile", "-", "--graceful-timeout", "5"]
        children.append(subprocess.Popen(web, env=web_env))
        if not options["no_worker"]:
            children.append(subprocess.Popen([python, "manage.py", "db_worker", "--interval", "1", "--no-reload"], env=env))
            children.append(subprocess.Popen([python, "manage.py", "scheduler"], env=env))
        url = f"http://{options['host']}:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"\nFrontline is running at {url}  (Ctrl-C stops the web server and the task worker)\n"))
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            raise SystemExit(1)
