"""Hand-computed KPI values, bad input and properties (frontline/engine/kpis/).

Every expected value is worked out by hand in the comment next to it; percentiles are also
checked against numpy.percentile (an independent implementation of the same 'linear' rule).
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.engine.businesstime import BusinessCalendar, WorkingInterval
from frontline.engine.kpis import (
    Distribution,
    Event,
    EventError,
    compute_kpis,
    parse_survey,
    percentile,
    ticket_facts,
)

DAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
BERLIN_9_TO_5 = BusinessCalendar(
    tz="Europe/Berlin",
    intervals=tuple(WorkingInterval(weekday=d, start=9 * 60, end=17 * 60) for d in range(5)),
)


def at(hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return DAY + timedelta(hours=int(hours), minutes=int(minutes))


def ev(ticket: str, hhmm: str, kind: str, role: str = "agent", value: str = "") -> Event:
    return Event(ticket=ticket, at=at(hhmm), kind=kind, role=role, actor="x", value=value)


# Seven tickets, all on Monday 2 March 2026 (UTC); the comments give each ticket's facts.
SAMPLE = (
    # T1: reply after 10 min, solved after 60: one touch.
    ev("T1", "09:00", "created", "customer", "email"),
    ev("T1", "09:10", "public_reply"),
    ev("T1", "10:00", "status", value="solved"),
    ev("T1", "10:30", "survey", "customer", "csat:5"),
    ev("T1", "10:31", "survey", "customer", "nps:10"),
    ev("T1", "10:32", "survey", "customer", "ces:2"),
    # T2: reply 20 min, solved 09:30, the customer writes back (doesn't count), reopened,
    # second agent reply, solved again 11:00 (resolution 120 min), closed 12:00 (not a new solve).
    ev("T2", "09:00", "created", "customer", "web"),
    ev("T2", "09:20", "public_reply"),
    ev("T2", "09:30", "status", value="solved"),
    ev("T2", "09:40", "public_reply", "customer"),
    ev("T2", "09:45", "status", "system", "open"),
    ev("T2", "10:00", "public_reply"),
    ev("T2", "11:00", "status", value="solved"),
    ev("T2", "12:00", "status", "system", "closed"),
    ev("T2", "12:30", "survey", "customer", "csat:2"),
    ev("T2", "13:00", "survey", "customer", "csat:4"),  # changed their mind: 4 counts
    ev("T2", "13:01", "survey", "customer", "nps:7"),
    ev("T2", "13:02", "survey", "customer", "ces:5"),
    # T3: notes only, a pending pause: no first reply, backlog.
    ev("T3", "09:00", "created", "customer", "email"),
    ev("T3", "09:05", "note"),
    ev("T3", "09:06", "status", value="pending"),
    ev("T3", "10:00", "status", "customer", "open"),
    # T4: customer and system public replies only: no first reply, backlog.
    ev("T4", "09:00", "created", "customer", "chat"),
    ev("T4", "09:30", "public_reply", "customer"),
    ev("T4", "09:31", "public_reply", "system"),
    # T5: ann -> bob -> ann (two distinct: reassigned), reply 30, solved 40: one touch.
    ev("T5", "09:00", "created", "customer", "email"),
    ev("T5", "09:01", "assign", value="ann"),
    ev("T5", "09:02", "assign", value="bob"),
    ev("T5", "09:03", "assign", value="ann"),
    ev("T5", "09:30", "public_reply"),
    ev("T5", "09:40", "status", value="solved"),
    ev("T5", "09:50", "survey", "customer", "csat:3"),
    ev("T5", "09:51", "survey", "customer", "nps:0"),
    # T6: ann -> unassigned -> ann (one distinct), replies at 60 and 90, a pending pause,
    # solved at 120: two replies, not one touch.
    ev("T6", "09:00", "created", "customer", "email"),
    ev("T6", "09:01", "assign", value="ann"),
    ev("T6", "09:02", "assign", value=""),
    ev("T6", "09:03", "assign", value="ann"),
    ev("T6", "10:00", "public_reply"),
    ev("T6", "10:30", "public_reply"),
    ev("T6", "10:31", "status", value="pending"),
    ev("T6", "11:00", "status", value="solved"),
    ev("T6", "11:30", "survey", "customer", "nps:9"),
    # T7: reply 5, solved, reopened and still open: ever solved, reopened, backlog.
    ev("T7", "09:00", "created", "customer", "email"),
    ev("T7", "09:05", "public_reply"),
    ev("T7", "09:10", "status", value="solved"),
    ev("T7", "09:20", "status", "customer", "open"),
)


def test_the_sample_catalogue_by_hand() -> None:
    report = compute_kpis(events=SAMPLE)
    assert (report.tickets, report.solved, report.backlog) == (7, 4, 3)  # T1 T2 T5 T6 solved
    # first replies 5 10 20 30 60: median 20; p90 at h = 4 * 0.9 = 3.6: 30 + 0.6 * 30 = 48
    assert report.first_reply_minutes == Distribution(median=20.0, p90=48.0, n=5)
    assert report.first_reply_missing == 2  # T3, T4
    # resolutions 40 60 120 120: median at h = 1.5: 60 + 0.5 * 60 = 90; p90 at h = 2.7: 120
    assert report.resolution_minutes == Distribution(median=90.0, p90=120.0, n=4)
    assert report.one_touch_rate == 0.5  # T1, T5 of 4 solved
    assert report.ever_solved == 5  # T1 T2 T5 T6 T7
    assert report.reopen_rate == 0.4  # T2, T7 of 5
    assert report.reassignment_rate == 1 / 7  # T5
    assert report.replies_per_solved == 1.5  # (1 + 2 + 1 + 2) / 4
    assert (report.csat, report.csat_responses) == (2 / 3, 3)  # 5, 4 (latest), 3
    assert (report.ces, report.ces_responses) == (3.5, 2)  # (2 + 5) / 2
    assert (report.nps, report.nps_responses) == (25.0, 4)  # (2 promoters - 1 detractor) / 4
    assert report.first_reply_business_minutes is None  # no calendar
    assert report.resolution_business_minutes is None


def test_ticket_facts_of_the_reopened_ticket() -> None:
    facts = {f.ticket: f for f in ticket_facts(events=SAMPLE)}
    t2 = facts["T2"]
    assert (t2.category, t2.solved_at, t2.reopens, t2.agent_replies) == (
        "closed",
        at("11:00"),
        1,
        2,
    )
    assert (t2.channel, t2.csat, t2.nps, t2.ces) == ("web", 4, 7, 5)
    assert facts["T7"].solved_at is None  # reopened and open: no resolution time
    assert facts["T6"].assignees == frozenset({"ann"})


def test_straight_to_closed_is_a_solve_and_closed_after_solved_is_not() -> None:
    events = [
        ev("A", "09:00", "created", "customer", "email"),
        ev("A", "09:30", "status", value="closed"),  # new -> closed: solved at 09:30
        ev("B", "09:00", "created", "customer", "email"),
        ev("B", "09:10", "status", value="solved"),
        ev("B", "11:00", "status", "system", "closed"),  # still resolved at 09:10
    ]
    report = compute_kpis(events=events)
    assert report.resolution_minutes == Distribution(median=20.0, p90=28.0, n=2)  # 10, 30


def test_events_after_closed_count_and_reopening_a_closed_ticket_is_a_reopen() -> None:
    events = [
        ev("A", "09:00", "created", "customer", "email"),
        ev("A", "09:30", "status", value="closed"),
        ev("A", "10:00", "survey", "customer", "csat:1"),
        ev("A", "10:30", "status", value="open"),
    ]
    report = compute_kpis(events=events)
    assert (report.solved, report.reopen_rate, report.csat) == (0, 1.0, 0.0)


def test_ties_keep_input_order_with_created_first() -> None:
    # all at 09:00: created is replayed first whatever its position; solved then open
    events = [
        ev("A", "09:00", "status", value="solved"),
        ev("A", "09:00", "status", value="open"),
        ev("A", "09:00", "created", "customer", "email"),
    ]
    (facts,) = ticket_facts(events=events)
    assert (facts.category, facts.reopens, facts.ever_solved) == ("open", 1, True)


def test_business_minutes_across_the_berlin_spring_forward() -> None:
    # Fri 27 Mar 2026 16:00 CET (15:00Z) -> Mon 30 Mar 10:00 CEST (08:00Z); DST began Sun 29.
    # Business: Fri 16-17 (60) + Mon 9-10 (60) = 120.  Calendar: 15:00Z Fri -> 08:00Z Mon =
    # 65 h = 3900 min (the local clocks differ by 66 h; the lost hour is not counted).
    created = datetime(2026, 3, 27, 15, tzinfo=UTC)
    events = [
        Event(ticket="D", at=created, kind="created", role="customer", value="email"),
        Event(
            ticket="D", at=datetime(2026, 3, 30, 8, tzinfo=UTC), kind="public_reply", role="agent"
        ),
        # solved Mon 30 Mar 16:30 CEST (14:30Z): business 60 + 7 h 30 = 510
        Event(
            ticket="D",
            at=datetime(2026, 3, 30, 14, 30, tzinfo=UTC),
            kind="status",
            role="agent",
            value="solved",
        ),
    ]
    report = compute_kpis(events=events, calendar=BERLIN_9_TO_5)
    assert report.first_reply_minutes == Distribution(median=3900.0, p90=3900.0, n=1)
    assert report.first_reply_business_minutes == Distribution(median=120.0, p90=120.0, n=1)
    assert report.resolution_business_minutes == Distribution(median=510.0, p90=510.0, n=1)


def test_instants_in_different_offsets_are_compared_as_instants() -> None:
    # created 23:30 in New York (04:30Z next day), reply 06:00 in Berlin (05:00Z): 30 min
    new_york = timedelta(hours=-5)
    berlin = timedelta(hours=1)
    events = [
        Event(
            ticket="Z",
            at=datetime(2026, 3, 2, 23, 30, tzinfo=timezone(new_york)),
            kind="created",
            role="customer",
        ),
        Event(
            ticket="Z",
            at=datetime(2026, 3, 3, 6, 0, tzinfo=timezone(berlin)),
            kind="public_reply",
            role="agent",
        ),
    ]
    assert compute_kpis(events=events).first_reply_minutes.median == 30.0


def test_nothing_to_measure_is_none() -> None:
    report = compute_kpis(events=[])
    assert (report.tickets, report.first_reply_minutes) == (0, Distribution(None, None, 0))
    assert [
        report.one_touch_rate,
        report.reopen_rate,
        report.reassignment_rate,
        report.replies_per_solved,
        report.csat,
        report.ces,
        report.nps,
    ] == [None] * 7


@pytest.mark.parametrize(
    ("events", "message", "index"),
    [
        ([ev("A", "09:00", "note")], "ticket 'A' has no 'created' event", 0),
        (
            [ev("A", "09:00", "created", "customer"), ev("A", "09:01", "created", "customer")],
            "second 'created'",
            1,
        ),
        (
            [ev("A", "09:00", "created", "customer"), ev("A", "08:59", "public_reply")],
            "public_reply at 2026-03-02T08:59:00+00:00 is before the ticket was created",
            1,
        ),
    ],
)
def test_ticket_errors_name_the_ticket_and_the_event(
    events: list[Event], message: str, index: int
) -> None:
    with pytest.raises(EventError, match=re.escape(message)) as caught:
        compute_kpis(events=events)
    assert (caught.value.index, caught.value.ticket) == (index, "A")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "reply"}, "^kind: must be one of"),
        ({"role": "bot"}, "^role: must be one of"),
        ({"at": datetime(2026, 3, 2, 9)}, "^at: must be a timezone-aware"),
        ({"kind": "status", "value": "resolved"}, "^value: a status is one of"),
        ({"kind": "survey", "value": "csat:6"}, r"^value: the csat score must be 1-5"),
        ({"kind": "survey", "value": "nps:11"}, r"^value: the nps score must be 0-10"),
        ({"kind": "survey", "value": "ces:0"}, r"^value: the ces score must be 1-7"),
        ({"kind": "survey", "value": "csat:4.5"}, "^value: the csat score must be a whole"),
        ({"kind": "survey", "value": "stars:4"}, "^value: a survey value is"),
        ({"ticket": " "}, "^ticket: must be a non-empty"),
    ],
)
def test_bad_events_raise_naming_the_parameter(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"ticket": "A", "at": DAY, "kind": "note", "role": "agent"}
    with pytest.raises(ValueError, match=message):
        Event(**{**base, **fields})  # type: ignore[arg-type]


def test_parse_survey() -> None:
    assert [parse_survey(v) for v in ("csat:1", "CES: 7", "nps:0")] == [
        ("csat", 1),
        ("ces", 7),
        ("nps", 0),
    ]


def test_percentile_rejects_a_q_outside_0_to_100() -> None:
    with pytest.raises(ValueError, match=r"^q: "):
        percentile(values=[1.0], q=101)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=30),
    q=st.floats(min_value=0, max_value=100),
)
def test_percentile_agrees_with_numpy_linear(values: list[float], q: float) -> None:
    assert percentile(values=values, q=q) == pytest.approx(
        float(np.percentile(values, q, method="linear")), rel=1e-9, abs=1e-6
    )


KIND_ROLE_VALUE = st.one_of(
    st.tuples(
        st.just("public_reply"), st.sampled_from(["agent", "customer", "system"]), st.just("")
    ),
    st.tuples(st.just("note"), st.just("agent"), st.just("")),
    st.tuples(
        st.just("status"),
        st.just("agent"),
        st.sampled_from(["new", "open", "pending", "on_hold", "solved", "closed"]),
    ),
    st.tuples(st.just("assign"), st.just("agent"), st.sampled_from(["", "ann", "bob", "cy"])),
    st.tuples(
        st.just("survey"),
        st.just("customer"),
        st.one_of(
            st.integers(1, 5).map(lambda n: f"csat:{n}"),
            st.integers(1, 7).map(lambda n: f"ces:{n}"),
            st.integers(0, 10).map(lambda n: f"nps:{n}"),
        ),
    ),
)


@st.composite
def histories(draw: st.DrawFn) -> list[Event]:
    events = []
    for number in range(draw(st.integers(0, 6))):
        ticket = f"T{number}"
        start = DAY + timedelta(minutes=draw(st.integers(0, 10_000)))
        events.append(Event(ticket=ticket, at=start, kind="created", role="customer"))
        # distinct offsets within a ticket, so that the replay order is fixed by time alone
        offsets = draw(st.lists(st.integers(1, 5_000), unique=True, max_size=8))
        for offset in offsets:
            kind, role, value = draw(KIND_ROLE_VALUE)
            events.append(
                Event(
                    ticket=ticket,
                    at=start + timedelta(minutes=offset),
                    kind=kind,
                    role=role,
                    value=value,
                )
            )
    return events


@settings(max_examples=150, deadline=None)
@given(events=histories(), data=st.data())
def test_properties_rates_in_0_1_p90_above_median_and_order_does_not_matter(
    events: list[Event], data: st.DataObject
) -> None:
    report = compute_kpis(events=events)
    rates = [report.one_touch_rate, report.reopen_rate, report.reassignment_rate, report.csat]
    assert all(0 <= r <= 1 for r in rates if r is not None)
    for dist in (report.first_reply_minutes, report.resolution_minutes):
        assert dist.n == 0 or dist.p90 >= dist.median  # type: ignore[operator]
    assert report.nps is None or -100 <= report.nps <= 100
    assert report.solved + report.backlog == report.tickets
    shuffled = data.draw(st.permutations(events))
    assert compute_kpis(events=shuffled) == report


def test_the_engine_does_not_import_django() -> None:
    code = (
        "import sys, frontline.engine.kpis; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
