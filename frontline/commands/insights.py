"""``frontline insights``: topic discovery and classification on a labelled CSV, no database.

    frontline insights topics --csv FILE [--text-column text] [--label-column label] [--json]
    frontline insights classify --train FILE --test FILE [--text-column text] [--label-column label] [--json]

``topics`` embeds the texts (MiniLM when the ``ml`` extra is installed, else TF-IDF; the
backend is printed on stderr), discovers topics without being told how many and, when the label
column is present, scores them against it: ``--json`` prints
``{"topics": N, "nmi": ..., "ari": ..., "seconds": ...}`` (nmi and ari null without labels;
seconds end to end, embedding included). ``classify`` trains the classifier on ``--train`` and
scores it on ``--test``: ``{"accuracy": ..., "macro_f1": ...}``. Bad input prints one line on
stderr and exits 2. ``FRONTLINE_INSIGHTS_BACKEND`` (``auto``, ``minilm`` or ``tfidf``; default
``auto``) chooses the embeddings. The maths lives in :mod:`frontline.engine.insights`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

from frontline.commands.sla import InputError
from frontline.engine.insights import (
    Classifier,
    Embedder,
    cluster_scores,
    discover_topics,
    embedder,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline insights", description="Feedback topics and classification on a CSV."
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="{topics,classify}")
    topics = sub.add_parser("topics", help="discover topics (k not given); score them with labels")
    topics.add_argument("--csv", required=True, help="CSV file with a header row")
    classify = sub.add_parser("classify", help="train on --train, score on --test")
    classify.add_argument("--train", required=True, help="CSV file with a header row")
    classify.add_argument("--test", required=True, help="CSV file with a header row")
    for command in (topics, classify):
        command.add_argument("--text-column", default="text", help="column of the texts (text)")
        command.add_argument("--label-column", default="label", help="column of the labels (label)")
        command.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.action == "topics":
            return topics(args)
        return classify(args)
    except (InputError, ValueError) as error:
        print(f"frontline insights: error: {error}", file=sys.stderr)
        return 2


def topics(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    texts, labels = read_rows(args.csv, args.text_column, args.label_column, need_labels=False)
    model_embedder = _embedder()
    vectors = model_embedder.fit_transform(texts) if model_embedder.backend == "tfidf" else model_embedder.transform(texts)
    model = discover_topics(vectors, texts, backend=model_embedder.backend)
    scores = cluster_scores(model.labels.tolist(), labels) if labels is not None else None
    seconds = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps({
            "topics": len(model.topics),
            "nmi": scores["nmi"] if scores else None,
            "ari": scores["ari"] if scores else None,
            "seconds": seconds,
        }))
        return 0
    print(f"{len(model.topics)} topics in {len(texts)} texts ({seconds} s, {model_embedder.backend})")
    for topic in model.topics:
        print(f"{topic.id:>4}  {topic.size:>6}  {topic.label}")
    if scores:
        print(f"against {args.label_column}: NMI {scores['nmi']:.3f}, ARI {scores['ari']:.3f}")
    return 0


def classify(args: argparse.Namespace) -> int:
    train_texts, train_labels = read_rows(args.train, args.text_column, args.label_column, need_labels=True)
    test_texts, test_labels = read_rows(args.test, args.text_column, args.label_column, need_labels=True)
    assert train_labels is not None and test_labels is not None
    if len(set(train_labels)) < 2:
        raise InputError(f"{args.train}: column {args.label_column} needs at least two different labels")
    model_embedder = _embedder()
    classifier = Classifier(model_embedder).fit(train_texts, train_labels)
    scores = classifier.score(test_texts, test_labels)
    result = {"accuracy": round(scores["accuracy"], 4), "macro_f1": round(scores["macro_f1"], 4)}
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"trained on {len(train_texts)}, tested on {len(test_texts)} ({model_embedder.backend}): "
            f"accuracy {result['accuracy']:.3f}, macro F1 {result['macro_f1']:.3f}"
        )
    return 0


def read_rows(path: str, text_column: str, label_column: str, *, need_labels: bool) -> tuple[list[str], list[str] | None]:
    """Texts (and labels when the column exists) of a CSV; InputError naming the problem."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path} is empty: the first row must be a header")
            names = [name.strip() for name in header]
            if text_column not in names:
                raise InputError(f"{path} row 1: no column {text_column!r} (columns: {', '.join(names)})")
            has_labels = label_column in names
            if need_labels and not has_labels:
                raise InputError(f"{path} row 1: no column {label_column!r} (columns: {', '.join(names)})")
            t, lab = names.index(text_column), names.index(label_column) if has_labels else -1
            texts, labels = [], []
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(t, lab):
                    raise InputError(f"{path} row {number}: {len(row)} field(s), the header has {len(names)}")
                texts.append(row[t])
                if has_labels:
                    labels.append(row[lab].strip())
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(f"cannot read {path}: not UTF-8 ({error.reason})") from None
    except csv.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({error})") from None
    if not texts:
        raise InputError(f"{path} has no rows after the header")
    return texts, labels if has_labels else None


def _embedder() -> Embedder:
    """The embedder ``FRONTLINE_INSIGHTS_BACKEND`` asks for; says on stderr which one it is."""
    chosen = embedder(os.environ.get("FRONTLINE_INSIGHTS_BACKEND", "auto") or "auto")
    note = f" ({chosen.missing})" if chosen.missing else ""
    print(f"embeddings: {chosen.backend}{note}", file=sys.stderr)
    return chosen
