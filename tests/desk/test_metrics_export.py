"""``frontline metrics export`` (frontline/desk/selectors.py ``metrics_event_rows`` and
frontline/commands/metrics.py): a factory-made history, exported and computed, agrees with
values worked out by hand."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from frontline.commands.metrics import main
from frontline.desk import services
from frontline.desk.models import StatusCategory
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday 09:00 UTC


def at(minutes: int) -> datetime:
    return DAY + timedelta(minutes=minutes)


@pytest.fixture
def history() -> dict[str, int]:
    ann, bob = f.agent(), f.agent()
    solved = f.status(StatusCategory.SOLVED)
    # T1: reply after 10 min, solved at 60, the customer writes back at 90 (which reopens it),
    # ann replies at 120, solved again at 180: resolution 180, reopened, two replies.
    t1 = f.ticket(channel="email", at=at(0), notify=False)
    services.ticket_reply(ticket=t1, author=ann, body="On its way.", at=at(10), notify=False)
    services.ticket_status_change(ticket=t1, status=solved, actor=ann, at=at(60))
    services.ticket_reply(ticket=t1, author=None, body="Still not here.", at=at(90), notify=False)
    services.ticket_reply(ticket=t1, author=ann, body="Resent.", at=at(120), notify=False)
    services.ticket_status_change(ticket=t1, status=solved, actor=ann, at=at(180))
    # T2: ann, bob, unassigned (two distinct assignees: reassigned), a note, no reply: backlog.
    t2 = f.ticket(channel="chat", at=at(0), notify=False)
    services.ticket_assign(ticket=t2, assignee=ann, actor=ann, at=at(1))
    services.ticket_assign(ticket=t2, assignee=bob, actor=ann, at=at(2))
    services.ticket_assign(ticket=t2, assignee=None, actor=bob, at=at(3))
    services.ticket_reply(ticket=t2, author=bob, body="Looking.", public=False, at=at(5))
    # T3: bob replies after 30 min, solved at 40: one touch.
    t3 = f.ticket(channel="web", at=at(0), notify=False)
    services.ticket_reply(ticket=t3, author=bob, body="Done.", at=at(30), notify=False)
    services.ticket_status_change(ticket=t3, status=solved, actor=bob, at=at(40))
    return {"t1": t1.pk, "t2": t2.pk, "t3": t3.pk, "ann": ann.pk, "bob": bob.pk}


def test_export_then_compute_agrees_with_hand_computed_values(
    history: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["compute", "--events", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "tickets": 3,
        "solved": 2,  # T1, T3
        "backlog": 1,
        # first replies 10, 30: median 20, p90 10 + 0.9 * 20 = 28; T2 has none
        "first_reply_minutes": {"median": 20.0, "p90": pytest.approx(28.0), "n": 2, "missing": 1},
        # resolutions 180, 40: median 110, p90 40 + 0.9 * 140 = 166
        "resolution_minutes": {"median": 110.0, "p90": pytest.approx(166.0), "n": 2},
        "one_touch_rate": 0.5,  # T3 of T1, T3
        "reopen_rate": 0.5,  # T1 of T1, T3
        "reassignment_rate": pytest.approx(1 / 3),  # T2
        "replies_per_solved": 1.5,  # (2 + 1) / 2
        "csat": None,
        "ces": None,
        "nps": None,
    }


def test_export_rows_map_the_desk_event_kinds(
    history: dict[str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "events.csv"
    assert main(["export", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith("wrote ")
    with out.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["ticket", "at", "kind", "actor", "role", "value"]
    ann, bob = str(history["ann"]), str(history["bob"])
    t2 = [row[2:] for row in rows[1:] if row[0] == str(history["t2"])]
    assert t2 == [
        ["created", "", "customer", "chat"],
        ["assign", ann, "agent", ann],
        ["assign", ann, "agent", bob],
        ["assign", bob, "agent", ""],
        ["note", bob, "agent", ""],
    ]
    t3 = [row[1:] for row in rows[1:] if row[0] == str(history["t3"])]
    assert [row[1] for row in t3] == ["created", "public_reply", "status", "status"]
    assert t3[1] == ["2026-03-02T09:30:00+00:00", "public_reply", bob, "agent", ""]
    assert [row[4] for row in t3[2:]] == ["open", "solved"]  # the first agent reply opens it


def test_export_to_a_missing_folder_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--out", str(tmp_path / "no" / "events.csv")]) == 2
    assert capsys.readouterr().err.startswith("frontline metrics: error: cannot write")
