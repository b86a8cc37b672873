"""bench.bench_insights and bench.eval_insights run in their quick modes (TF-IDF: no torch needed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run(module: str, shared_data: Path, *extra: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", "--quick", "--backend", "tfidf", *extra], cwd=REPO_ROOT,
        env={**os.environ, "FRONTLINE_SHARED_DATA": str(shared_data)}, capture_output=True, text=True,
        timeout=600, check=False,
    )
    assert done.returncode == 0, f"bench.{module} --quick failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def test_end_to_end_benchmark_times_every_step_beside_the_baseline(shared_data: Path) -> None:
    out = run("bench_insights", shared_data)

    assert "Feedback analysis end to end: 1,000 texts, tfidf" in out
    steps = re.findall(r"^frontline\s+(.+?)\s{2,}\d", out, flags=re.MULTILINE)
    assert steps == ["embed", "classify", "cluster + label", "assign 100 new", "end to end"]
    assert re.search(r"^baseline\s+MiniLM alone at 300/s\s+3\.3", out, flags=re.MULTILINE)
    assert out.rstrip().splitlines()[-1].startswith("Targets: end to end")


def test_eval_scores_topics_next_to_the_k_given_references_and_the_classifier(shared_data: Path) -> None:
    out = run("eval_insights", shared_data)

    assert "Topics on banking77 test (320 queries, 8 intents), tfidf embeddings" in out
    for method in ("frontline discover_topics", "BERTopic 0.17", "agglomerative k=8", "KMeans k=8"):
        assert re.search(rf"^{re.escape(method)}\s", out, flags=re.MULTILINE), method
    assert re.search(r"^C=30 \(default\)\s+train -> test\s+0\.\d{4}", out, flags=re.MULTILINE)


def test_profile_shows_where_each_step_spends_its_time(shared_data: Path) -> None:
    out = run("bench_insights", shared_data, "--profile")

    heads = re.findall(r"^--- profile of (.+?) \(CPU seconds, cumulative\) ---$", out, flags=re.MULTILINE)
    assert heads == ["embed", "classify", "cluster + label", "assign 100 new"]
    assert "topics.py" in out.split("--- profile of cluster + label")[1]
