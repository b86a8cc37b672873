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
