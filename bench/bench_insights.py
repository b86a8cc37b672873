"""Feedback analysis end to end on 100,000 texts: embed, classify, cluster, label, assign.

    python -m bench.bench_insights           (from the repository root; --quick for a smoke run)
    python -m bench.bench_insights --backend tfidf --count 10000 --profile   (where each step's time goes)

Texts: 100,000 feedback-like queries synthesised from banking77 train + test (13,083 real
customer queries, ``../shared/data/banking77``) with light, seeded variation — a greeting or a
closing added, letter case changed, one pair of adjacent letters swapped, punctuation dropped —
so that most texts are not verbatim repeats. 1,000 more texts made the same way (from other
seeds) are the "new items" of the incremental step.

Steps, each timed on the wall clock and in CPU seconds of the process (all threads; on a
machine shared with other work the wall clock stretches, the CPU time much less), with the
process's peak resident memory after it (``ru_maxrss``: torch's memory included, which
tracemalloc would miss):

1. **embed** all texts (MiniLM when the ``ml`` extra is installed, else TF-IDF fitted on them;
   ``--backend`` forces one; the device is sentence-transformers' choice: a GPU when visible);
2. **classify**: kind, sentiment and language by the start rules, and the intent by a
   :class:`Classifier` trained on 2,000 labelled texts and applied to all;
3. **cluster + label**: :func:`discover_topics` (k not given; the tree on a 4,000 sample, the
   rest assigned; c-TF-IDF keywords: every text counted once, summed per topic);
4. **assign 1,000 new items**: embed them and :func:`assign` them to the existing topics
   (target: under 10 s).

The baseline beside it: the embedding model alone at the ~300 sentences/s measured on this
machine (issue #10), i.e. 333 s for 100,000; the end-to-end target is under 10 minutes. The
machine is 2 cores shared with other work: the first line gives the load average at start.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import os
import pstats
import resource
import sys
import time
from pathlib import Path

import numpy as np

from bench._peers import print_table, run_header
from frontline.engine.insights import (
    Classifier,
    assign,
    discover_topics,
    embedder,
    kind_rules,
    language,
    sentiment,
)

DATA = Path(
    os.environ.get("FRONTLINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
SEED = 20261206
OPENERS = ("", "", "", "Hi, ", "Hello! ", "Hey team, ", "Good morning. ", "Quick question: ")
CLOSERS = ("", "", "", " Thanks", " Thank you!", " Please help.", " Cheers", " Any idea?")
REFERENCE_RATE = 300.0  # sentences per second, the embedding model alone (issue #10)


def base_texts() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for split in ("train", "test"):
        with (DATA / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["text"])
                labels.append(row["label"])
    return texts, labels


def synthesise(texts: list[str], labels: list[str], count: int, seed: int) -> tuple[list[str], list[str]]:
    """``count`` lightly varied copies (module docstring), with their source's intent."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(texts), count)
    out_texts, out_labels = [], []
    for index in picks.tolist():
        text = texts[index]
        roll = rng.random(4)
        if roll[0] < 0.3:
            text = text.lower()
        if roll[1] < 0.3 and len(text) > 4:
            at = int(rng.integers(1, len(text) - 2))
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        if roll[2] < 0.3:
            text = text.rstrip("?.!")
        text = OPENERS[int(rng.integers(len(OPENERS)))] + text + CLOSERS[int(rng.integers(len(CLOSERS)))]
        out_texts.append(text)
        out_labels.append(labels[index])
    return out_texts, out_labels


def cpu_seconds() -> float:
    """User + system CPU time of this process, all its threads (BLAS, torch) included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 texts, 100 new, TF-IDF")
    parser.add_argument("--backend", choices=("auto", "minilm", "tfidf"), default=None)
    parser.add_argument("--count", type=int, default=None, help="texts (default 100,000)")
    parser.add_argument("--profile", action="store_true",
                        help="after the table, the 12 costliest functions of each step (cProfile, CPU time)")
    args = parser.parse_args(argv)
    print(run_header("bench_insights"))
    if not (DATA / "banking77" / "train.csv").exists():
        print(f"skipped: banking77 not found under {DATA} (set FRONTLINE_SHARED_DATA)")
        return 0
    count = args.count or (1_000 if args.quick else 100_000)
    fresh_count = 100 if args.quick else 1_000
    model_embedder = embedder(args.backend or ("tfidf" if args.quick else "auto"))
    backend = model_embedder.backend
    device = ""
    print(f"embeddings: {backend}" + (f" ({model_embedder.missing})" if model_embedder.missing else ""))

    source_texts, source_labels = base_texts()
    texts, labels = synthesise(source_texts, source_labels, count, SEED)
    fresh, _ = synthesise(source_texts, source_labels, fresh_count, SEED + 1)
    print(f"{count:,} texts synthesised from {len(source_texts):,} banking77 queries "
          f"({len(set(texts)):,} distinct); {fresh_count:,} new items")
    rows = []
    total = 0.0
    profiles: list[tuple[str, str]] = []
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if profiler is not None:
        profiler.enable()
    cpu_start = cpu_before = cpu_seconds()

    def step(name: str, seconds: float, note: str) -> None:
        nonlocal total, cpu_before, profiler
        total += seconds
        cpu_now = cpu_seconds()
        rows.append(["frontline", name, f"{seconds:.1f}", f"{cpu_now - cpu_before:.1f}", f"{peak_mib():.0f}", note])
        if profiler is not None:
            profiler.disable()
            profiles.append((name, top_functions(profiler)))
            profiler = cProfile.Profile(time.process_time)
        cpu_before = cpu_seconds()
        if profiler is not None:
            profiler.enable()

    t = time.perf_counter()
    vectors = model_embedder.fit_transform(texts) if backend == "tfidf" else model_embedder.transform(texts)
    seconds = time.perf_counter() - t
    if backend == "minilm" and model_embedder._model is not None:
        device = str(model_embedder._model.device)
    step("embed", seconds, f"{count / seconds:.0f} texts/s" + (f" on {device}" if device else ""))

    t = time.perf_counter()
    kinds, moods, languages = kind_rules(texts), sentiment(texts), language(texts)
    train = np.random.default_rng(SEED).choice(count, min(2_000, count // 4), replace=False)
    classifier = Classifier().fit(vectors[train], [labels[i] for i in train])
    intents = classifier.predict(vectors)
    seconds = time.perf_counter() - t
    agree = np.mean([a == b for a, b in zip(intents, labels, strict=True)])
    step("classify", seconds, f"rules x3 + LR on {train.size:,} ({len(set(kinds))} kinds, "
         f"{len(set(moods))} sentiments, {len(set(languages))} languages); intent agreement {agree:.2f}")

    t = time.perf_counter()
    model = discover_topics(vectors, texts, backend=backend, seed=0)
    seconds = time.perf_counter() - t
    step("cluster + label", seconds, f"{len(model.topics)} topics (k not given), tree on {model.sampled:,}")

    t = time.perf_counter()
    fresh_vectors = model_embedder.transform(fresh)
    assigned, _ = assign(model, fresh_vectors, min_similarity=model.assign_threshold)
    assign_s = time.perf_counter() - t
    step(f"assign {fresh_count:,} new", assign_s,
         f"{int((assigned >= 0).sum())} into existing topics, {int((assigned < 0).sum())} new; target < 10 s")

    reference = count / REFERENCE_RATE
    rows.append(["frontline", "end to end", f"{total:.1f}", f"{cpu_seconds() - cpu_start:.1f}", f"{peak_mib():.0f}",
                 "target < 600 s"])
    rows.append(["baseline", "MiniLM alone at 300/s", f"{reference:.1f}", "", "", "issue #10's measurement here"])
    print_table(
        f"Feedback analysis end to end: {count:,} texts, {backend}",
        ["system", "step", "seconds", "CPU s", "peak MiB", "note"],
        rows,
    )
    print(f"Targets: end to end {total:.0f} s < 600 s: {'met' if total < 600 else 'NOT met'}; "
          f"assign {fresh_count:,} new {assign_s:.1f} s < 10 s: {'met' if assign_s < 10 else 'NOT met'}")
    if profiler is not None:
        profiler.disable()
    for name, text in profiles:
        print(f"\n--- profile of {name} (CPU seconds, cumulative) ---\n{text}")
    return 0


def top_functions(profiler: cProfile.Profile, count: int = 12) -> str:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(count)
    text = out.getvalue()
    return text[text.find("   ncalls"):].rstrip()


if __name__ == "__main__":
    sys.exit(main())
