"""The clock rules on plain facts (frontline/sla/clocks.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from frontline.sla.clocks import Fact, spans_from

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _summary(facts: list[Fact]) -> list[tuple[str, int, datetime, datetime | None, list]]:
    return [(s.kind, s.sequence, s.started, s.stopped, s.pauses) for s in spans_from(facts)]


def test_first_reply_stops_at_the_first_public_agent_reply_and_resolution_runs_on():
    facts = [Fact("created", at(0), to_category="new"), Fact("replied", at(30), by_agent=True)]
    assert _summary(facts) == [("first_reply", 0, at(0), at(30), []), ("resolution", 0, at(0), None, [])]


def test_a_ticket_an_agent_opens_has_no_first_reply_clock():
    facts = [Fact("created", at(0), by_agent=True, to_category="open")]
    assert [s.kind for s in spans_from(facts)] == ["resolution"]


def test_each_customer_message_after_an_agent_reply_opens_one_next_reply_clock():
    facts = [
        Fact("created", at(0), to_category="new"),
        Fact("customer_replied", at(5)),  # before any agent reply: no next-reply clock
        Fact("replied", at(10), by_agent=True),
        Fact("customer_replied", at(20)),
        Fact("customer_replied", at(25)),  # one is already open
        Fact("replied", at(40), by_agent=True),
        Fact("customer_replied", at(50)),
    ]
    nexts = [(s.sequence, s.started, s.stopped) for s in spans_from(facts) if s.kind == "next_reply"]
    assert nexts == [(1, at(20), at(40)), (2, at(50), None)]


def test_pending_pauses_every_running_clock_until_it_is_left():
    facts = [
        Fact("created", at(0), to_category="new"),
        Fact("status_changed", at(10), to_category="pending"),
        Fact("status_changed", at(70), to_category="open"),
    ]
    assert [s.pauses for s in spans_from(facts)] == [[(at(10), at(70))], [(at(10), at(70))]]


def test_a_clock_paused_now_has_an_open_pause():
    facts = [Fact("created", at(0), to_category="new"), Fact("status_changed", at(10), to_category="on_hold")]
    assert [s.paused_now for s in spans_from(facts)] == [True, True]


def test_solving_stops_every_clock_and_a_reopen_resumes_resolution_without_the_solved_time():
    facts = [
        Fact("created", at(0), to_category="new"),
        Fact("status_changed", at(30), to_category="solved"),
        Fact("status_changed", at(90), to_category="open"),
    ]
    assert _summary(facts) == [
        ("first_reply", 0, at(0), at(30), []),
        ("resolution", 0, at(0), None, [(at(30), at(90))]),
    ]


def test_history_without_a_created_event_starts_nothing():
    assert spans_from([Fact("replied", at(0), by_agent=True)]) == []
