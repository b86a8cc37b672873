"""The auto-QA sentiment scorer on the labelled text that exists: a seed set and a proxy.

    python -m bench.eval_sentiment          (from the repository root; needs shared/data)

No customer-service data set with sentiment labels is in shared/data, so this prints two
honest stand-ins, with ``sentiment(text)`` cut into three classes by the +-0.3 band that the
empathy check uses (negative < -0.3 < neutral < 0.3 < positive):

1. the insights engine's hand-written seed set (40 sentences labelled negative / neutral /
   positive by another helper): a confusion table.  Caveat: the lexicon was written after
   reading these sentences, so this is a sanity check, not an out-of-sample measurement.
2. Bitext's customer-support instructions (4,514 synthetic customer messages with intents,
   shared/data/bitext_customer_support): per intent, the share scored negative / neutral /
   positive — a proxy: "complaint" and "payment_issue" messages should read negative more often
   than "track_order" or "delivery_period" ones.  Measured once, the lexicon not adjusted to it.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from pathlib import Path

from bench._peers import print_table, run_header
from frontline.engine.autoqa import sentiment
from frontline.engine.insights.seed import SEED

CLASSES = ("negative", "neutral", "positive")
SHARED = Path(
    os.environ.get("FRONTLINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def label(score: float) -> str:
    return "negative" if score < -0.3 else "positive" if score > 0.3 else "neutral"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the seed set and 300 Bitext rows")
    args = parser.parse_args(argv)
    print(run_header("eval_sentiment"), flush=True)
    pairs = Counter((truth, label(sentiment(text))) for text, _, truth in SEED)
    correct = sum(pairs[(c, c)] for c in CLASSES)
    print_table(
        f"Seed set (frontline/engine/insights/seed.py, {len(SEED)} sentences): rows = label, "
        f"columns = scored; accuracy {correct}/{len(SEED)}",
        ["label", *CLASSES],
        [[truth, *(pairs[(truth, scored)] for scored in CLASSES)] for truth in CLASSES],
    )
    path = SHARED / "bitext_customer_support" / "bitext_cs_4514.csv"
    if not path.exists():
        print(f"\nBitext data not found at {path}: its table is not run.")
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.quick:
        rows = rows[::15]
    by_intent: dict[str, Counter[str]] = {}
    for row in rows:
        by_intent.setdefault(row["intent"], Counter())[label(sentiment(row["instruction"]))] += 1
    table = []
    for intent, counts in sorted(
        by_intent.items(), key=lambda kv: -kv[1]["negative"] / sum(kv[1].values())
    ):
        n = sum(counts.values())
        table.append([intent, n, *(f"{100 * counts[c] / n:.0f}%" for c in CLASSES)])
    print_table(
        f"Bitext customer-support instructions ({len(rows):,} messages) by intent: share scored",
        ["intent", "messages", *CLASSES],
        table,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
