"""Shared plumbing for benchmarks: peer virtualenvs and table printing.

Peers (pyworkforce, django-helpdesk) are installed into their own virtualenvs under
``bench/.venvs/<name>`` so that their pins never touch Frontline's environment.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
VENVS = BENCH_DIR / ".venvs"


def peer_python(name: str, requirements: Sequence[str], python: str = sys.executable) -> Path:
    """Return the interpreter of virtualenv ``name`` with ``requirements`` installed.

    Created once (guarded by a file lock so concurrent benchmarks do not race) and
    reused afterwards; a marker file records the requirements that were installed.
    """
    VENVS.mkdir(parents=True, exist_ok=True)
    venv = VENVS / name
    marker = venv / ".installed"
    wanted = "\n".join(requirements)
    with open(VENVS / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (marker.exists() and marker.read_text() == wanted):
            subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
            pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
            subprocess.run([*pip, "--upgrade", "pip"], check=True)
            subprocess.run([*pip, *requirements], check=True)
            marker.write_text(wanted)
    return venv / "bin" / "python"


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
