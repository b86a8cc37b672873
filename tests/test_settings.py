"""frontline/settings.py read in a fresh interpreter with a given environment (issue #13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz"


def _import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FRONTLINE_") and k != "DATABASE_URL"}
    clean.update({"FRONTLINE_VAR_DIR": str(tmp_path), **env})
    code = "import frontline.settings as s; print('SECRET', s.SECRET_KEY == s.DEMO_SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", code], env=clean, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)


def test_the_demo_runs_on_this_machine_with_no_setup(tmp_path: Path) -> None:
    done = _import_settings(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "SECRET True" in done.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"FRONTLINE_ALLOWED_HOSTS": "support.example.com"},
        {"FRONTLINE_ALLOWED_HOSTS": "*"},
        {"FRONTLINE_ALLOWED_HOSTS": "localhost,support.example.com", "FRONTLINE_SECRET_KEY": "   "},
        {"FRONTLINE_SECURE_COOKIES": "true"},
        {"FRONTLINE_ALLOWED_HOSTS": "support.example.com",
         "FRONTLINE_SECRET_KEY": "frontline-demo-insecure-key-change-me-in-production"},
        {"FRONTLINE_ALLOWED_HOSTS": "support.example.com", "FRONTLINE_SECRET_KEY": "short-key"},
    ],
)
def test_production_without_a_real_key_refuses_to_start_and_says_what_to_do(tmp_path: Path, env: dict[str, str]) -> None:
    done = _import_settings(tmp_path, **env)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "FRONTLINE_SECRET_KEY" in done.stderr
    assert "secrets.token_urlsafe" in done.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"FRONTLINE_ALLOWED_HOSTS": "support.example.com", "FRONTLINE_SECRET_KEY": GOOD_KEY},
        {"FRONTLINE_SECURE_COOKIES": "true", "FRONTLINE_SECRET_KEY": GOOD_KEY},
        {"FRONTLINE_ALLOWED_HOSTS": "support.example.com", "FRONTLINE_DEBUG": "true"},
        {"FRONTLINE_ALLOWED_HOSTS": "127.0.0.1,localhost,[::1],testserver"},
    ],
)
def test_a_real_key_debug_or_a_local_only_site_starts(tmp_path: Path, env: dict[str, str]) -> None:
    done = _import_settings(tmp_path, **env)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("count", ["0", "-1", "two"])
def test_a_bad_trusted_proxy_count_refuses_to_start(tmp_path: Path, count: str) -> None:
    done = _import_settings(tmp_path, FRONTLINE_TRUSTED_PROXY_COUNT=count)
    assert done.returncode != 0
    assert "FRONTLINE_TRUSTED_PROXY_COUNT" in done.stderr


@pytest.mark.parametrize("value", ["desk.example.com", "/tickets", "ftp://desk.example.com", "https://"])
def test_a_base_url_that_is_not_absolute_refuses_to_start(tmp_path: Path, value: str) -> None:
    done = _import_settings(tmp_path, FRONTLINE_BASE_URL=value)
    assert (done.returncode != 0, "FRONTLINE_BASE_URL must be an absolute address" in done.stderr) == (True, True)


def test_the_base_url_loses_its_trailing_slash(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FRONTLINE_") and k != "DATABASE_URL"}
    clean.update({"FRONTLINE_VAR_DIR": str(tmp_path), "FRONTLINE_BASE_URL": " https://desk.example.com/ "})
    done = subprocess.run([sys.executable, "-c", "import frontline.settings as s; print(s.FRONTLINE_BASE_URL)"],
                          env=clean, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "https://desk.example.com", done.stderr
