"""``bench/eval_sentiment.py --quick``: both tables print (the seed set always, Bitext with shared data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import eval_sentiment


def test_quick_run_prints_the_seed_confusion_and_the_bitext_proxy(
    capsys: pytest.CaptureFixture[str], shared_data: Path
) -> None:
    assert eval_sentiment.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "Seed set (frontline/engine/insights/seed.py, 40 sentences)" in out
    assert "Bitext customer-support instructions (301 messages) by intent" in out
    assert [eval_sentiment.label(s) for s in (-0.31, -0.3, 0.3, 0.31)] == [
        "negative", "neutral", "neutral", "positive"
    ]
