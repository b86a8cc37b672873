"""Seed the django-helpdesk peer's small tables and print what the loader needs, as JSON.

Run with the peer's interpreter (bench/.venvs/helpdesk/bin/python) after ``migrate``; the
database comes from the same environment variables as ``settings.py``. Creates a superuser
with a DRF token (the API client), ``--agents`` staff users (ticket owners) and ``--queues``
queues. The ticket and follow-up rows are bulk-loaded afterwards by bench/bench_api.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_peer.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=40)
    parser.add_argument("--queues", type=int, default=6)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sites.models import Site
    from helpdesk.models import Queue
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1", "name": "helpdesk-peer"})
    admin = user_model.objects.create_superuser("bench-admin", "bench-admin@example.invalid", None)
    agents = [
        user_model.objects.create_user(f"agent{i}", f"agent{i}@example.invalid", None, is_staff=True)
        for i in range(args.agents)
    ]
    queues = [
        Queue.objects.create(title=f"Queue {i}", slug=f"queue-{i}", email_address=f"queue{i}@example.invalid")
        for i in range(args.queues)
    ]
    token = Token.objects.create(user=admin)
    json.dump(
        {"token": token.key, "admin_id": admin.pk, "agent_ids": [a.pk for a in agents], "queue_ids": [q.pk for q in queues]},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
