"""Fixtures for the mail tests: the corpus and a helper that ingests one of its files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED: dict[str, dict] = json.loads((CORPUS / "expected.json").read_text())


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.fixture
def ingest():  # type: ignore[no-untyped-def]
    """``ingest(name_or_bytes, **kw)`` runs email_ingest on a corpus file or on raw bytes."""
    from frontline.mail.services import email_ingest

    def run(source, **kw):  # type: ignore[no-untyped-def]
        raw = corpus_bytes(source) if isinstance(source, str) else source
        return email_ingest(raw=raw, **kw)

    return run
