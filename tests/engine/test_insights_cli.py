"""``frontline insights topics`` and ``classify`` on small CSVs (TF-IDF, no database)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from frontline.cli import main

GROUPS = {
    "card": ["my card has not arrived", "where is my new card", "card still not here", "card delivery is late", "when does my card come"],
    "refund": ["I want a refund", "refund my money please", "how do I get a refund", "refund not received", "money back refund"],
    "login": ["cannot log in", "login fails with an error", "password reset for login", "app login broken", "log in does not work"],
}


@pytest.fixture(autouse=True)
def _tfidf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTLINE_INSIGHTS_BACKEND", "tfidf")


def write(path: Path, rows: list[tuple[str, str]], header: tuple[str, str] = ("text", "label")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rows() -> list[tuple[str, str]]:
    return [(text, label) for label, texts in GROUPS.items() for text in texts]


def test_topics_json_has_exactly_the_documented_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "f.csv", rows())

    assert main(["insights", "topics", "--csv", str(path), "--json"]) == 0

    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"topics", "nmi", "ari", "seconds"}
    assert out["topics"] >= 1
    assert 0 <= out["nmi"] <= 1 and -1 <= out["ari"] <= 1


def test_topics_without_labels_gives_null_scores_and_other_columns_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "f.csv", [(t, "x") for t, _ in rows()], header=("comment", "other"))

    assert main(["insights", "topics", "--csv", str(path), "--text-column", "comment", "--json"]) == 0

    out = json.loads(capsys.readouterr().out)
    assert (out["nmi"], out["ari"]) == (None, None)


def test_topics_text_output_lists_the_topics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "f.csv", rows())

    assert main(["insights", "topics", "--csv", str(path)]) == 0

    captured = capsys.readouterr()
    assert "topics in 15 texts" in captured.out
    assert "against label: NMI" in captured.out
    assert "embeddings: tfidf" in captured.err


def test_classify_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = rows()
    train = write(tmp_path / "train.csv", [r for i, r in enumerate(data) if i % 5 != 0])
    test = write(tmp_path / "test.csv", [r for i, r in enumerate(data) if i % 5 == 0])

    assert main(["insights", "classify", "--train", str(train), "--test", str(test), "--json"]) == 0

    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"accuracy", "macro_f1"}
    assert out["accuracy"] >= 2 / 3


@pytest.mark.parametrize(
    ("argv", "content", "message"),
    [
        (["topics", "--csv", "{missing}"], None, "cannot read"),
        (["topics", "--csv", "{f}"], "", "is empty"),
        (["topics", "--csv", "{f}"], "body,label\nhello,a\n", "no column 'text'"),
        (["topics", "--csv", "{f}"], "text,label\n", "no rows after the header"),
        (["topics", "--csv", "{f}"], "text,label\nhello\n", "row 2: 1 field"),
        (["topics", "--csv", "{f}"], b"text\n\xff\xfe\n", "not UTF-8"),
        (["classify", "--train", "{f}", "--test", "{f}"], "text\nhello\n", "no column 'label'"),
        (["classify", "--train", "{f}", "--test", "{f}"], "text,label\nhi,a\nho,a\n", "two different labels"),
    ],
)
def test_bad_input_says_why_on_stderr_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], content: str | bytes | None, message: str
) -> None:
    path = tmp_path / "f.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    args = [a.format(f=path, missing=tmp_path / "nope.csv") for a in argv]

    assert main(["insights", *args]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert captured.err.startswith("frontline insights: error:")
