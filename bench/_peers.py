"""Shared plumbing for benchmarks: peer virtualenvs and table printing.

Peers (pyworkforce, django-helpdesk) are installed into their own virtualenvs under
``bench/.venvs/<name>`` so that their pins never touch Frontline's environment::

    python -m bench._peers [pyworkforce] [helpdesk]     # create them (all when none is named)
"""

from __future__ import annotations

import fcntl
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
VENVS = BENCH_DIR / ".venvs"
# Each peer's pins. `make bench-peers` (python -m bench._peers) installs them; benchmarks never do.
PEERS: dict[str, list[str]] = {
    "pyworkforce": ["pyworkforce==0.5.1"],
    "helpdesk": [
        "django-helpdesk==2.6.1",
        "Django==5.2.19",
        "djangorestframework==3.18.3",
        "gunicorn==27.0.1",
        "psycopg[binary]==3.3.9",
    ],
}


def peer_python(name: str) -> Path | None:
    """The interpreter of peer ``name``'s virtualenv, or None when it is absent or has other pins."""
    venv = VENVS / name
    marker = venv / ".installed"
    if marker.exists() and marker.read_text() == "\n".join(PEERS[name]):
        return venv / "bin" / "python"
    return None


def peer_missing(name: str) -> str:
    """The line a benchmark prints when it skips a peer."""
    return (f"{name}: not run (its virtualenv bench/.venvs/{name} is missing or out of date; "
            f"create it with `make bench-peers` or `python -m bench._peers {name}`)")


def create_peer(name: str, python: str = sys.executable) -> Path:
    """Create (once, under a file lock so concurrent runs do not race) peer ``name``'s virtualenv."""
    VENVS.mkdir(parents=True, exist_ok=True)
    venv = VENVS / name
    with open(VENVS / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if peer_python(name) is None:
            subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
            subprocess.run([*pip, "--upgrade", "pip"], check=True)
            subprocess.run([*pip, *PEERS[name]], check=True)
            (venv / ".installed").write_text("\n".join(PEERS[name]))
    python_path = peer_python(name)
    assert python_path is not None
    return python_path


def run_header(name: str) -> str:
    """One line dating a run: when, the command, and the machine (a table is one run's numbers)."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown CPU")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join([f"python -m bench.{name}", *sys.argv[1:]])
    return (f"{when} | {command} | {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at start")


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print a plain-text table with right-aligned numeric columns."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print()
    print(title)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True)))
    sys.stdout.flush()


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").replace("%", "").replace("x", "").strip().isdigit()


def main(argv: Sequence[str]) -> None:
    for name in argv or list(PEERS):
        print(f"{name}: {create_peer(name)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
