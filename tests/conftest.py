"""Suite-wide fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("FRONTLINE_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public data sets in ../shared/data; tests that need them skip without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set FRONTLINE_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _media_in_tmp(request, tmp_path):  # type: ignore[no-untyped-def]
    """Attachments and mail written by tests go to a throwaway folder.

    Engine tests run without Django too (``-p no:django``): then there is nothing to set.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    # Argon2 is the product's hasher (tested in tests/people); tests creating users use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login():  # type: ignore[no-untyped-def]
    """``login(user)`` returns a django.test.Client signed in as ``user``."""
    from django.test import Client

    from tests.factories import PASSWORD

    def make(user, **client_kwargs):  # type: ignore[no-untyped-def]
        client = Client(**client_kwargs)
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Files with slow tests first, so that pytest-xdist hands them out early and the many quick
    files even out the two workers' ends (``make test`` runs ``--dist loadfile
    --no-loadscope-reorder``: each file on one worker, in this order).

    Runs after pytest-django's own ordering (database tests, then transactional ones, then those
    without a database) and keeps it, with one exception: a slow file without database access goes
    first. A file counts as slow when any of its tests is marked ``slow``; the order of a file's
    tests is unchanged.
    """
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)
    position = {id(item): i for i, item in enumerate(items)}

    def key(item: pytest.Item) -> tuple[int, int, int]:
        mine = files[item.nodeid.split("::", 1)[0]]
        slow = any(i.get_closest_marker("slow") for i in mine)
        group = max(_django_group(i) for i in mine)
        if slow and group == 2:
            group = 0
        return group, 0 if slow else 1, position[id(mine[0])]

    items.sort(key=key)


def _django_group(item: pytest.Item) -> int:
    """pytest-django's order: 0 database in a rolled-back transaction, 1 transactional, 2 none."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    transaction = marker is not None and bool(
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0]))
    if transaction or "transactional_db" in fixtures or "live_server" in fixtures:
        return 1
    return 0 if marker or "db" in fixtures else 2
