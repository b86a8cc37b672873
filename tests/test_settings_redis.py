"""frontline/settings.py: REDIS_URL puts the cache and session reads on Redis.

These use the real Redis on 127.0.0.1:6379 (``.ci/run`` starts it), database 15.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.test import override_settings

from tests import factories as f

REPO_ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("FRONTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

PROBE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
cache.set(sys.argv[1], "from Frontline", 60)
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "sessions": settings.SESSION_ENGINE}))
"""


def test_with_redis_url_the_cache_is_redis_and_holds_what_frontline_stores(tmp_path: Path) -> None:
    key = f"probe-{uuid.uuid4().hex}"
    base = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run([sys.executable, "-c", PROBE, key], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                          env={**base, "DJANGO_SETTINGS_MODULE": "frontline.settings",
                               "FRONTLINE_VAR_DIR": str(tmp_path), "REDIS_URL": REDIS_URL})

    assert json.loads(done.stdout) == {"backend": "django.core.cache.backends.redis.RedisCache",
                                       "sessions": "django.contrib.sessions.backends.cached_db"}
    stored = redis.Redis.from_url(REDIS_URL).get(f":1:{key}")
    assert stored is not None and b"from Frontline" in stored


def test_without_redis_url_the_cache_is_the_database_table(tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    done = subprocess.run([sys.executable, "-c", PROBE.replace("cache.set(", "(lambda *a: None)("), "unused"],
                          cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                          env={**base, "DJANGO_SETTINGS_MODULE": "frontline.settings", "FRONTLINE_VAR_DIR": str(tmp_path)})

    assert json.loads(done.stdout) == {"backend": "django.core.cache.backends.db.DatabaseCache",
                                       "sessions": "django.contrib.sessions.backends.db"}


@pytest.mark.django_db
def test_a_signed_in_session_is_read_from_redis(login) -> None:  # type: ignore[no-untyped-def]
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=caches, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        client = login(f.agent())
        session_key = client.cookies["sessionid"].value

        assert client.get("/tickets/").status_code == 200
        assert redis.Redis.from_url(REDIS_URL).exists(f":1:django.contrib.sessions.cached_db{session_key}") == 1
