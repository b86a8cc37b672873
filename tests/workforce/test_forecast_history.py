"""A forecast's history (frontline/workforce/forecast_history.py): contacts per interval in the run's
zone, and the agent messages written on them before the history end, by interval and day written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from frontline.desk.models import AuthorKind, Message
from frontline.workforce.forecast_history import forecast_history
from frontline.workforce.forecasts import forecast_prepare
from tests import factories as f
from tests.workforce.forecast_data import tickets_at

pytestmark = pytest.mark.django_db

# Friday 23 Feb 2024, 12:00 in New York: the history ends at that day's start there.
NOW = datetime(2024, 2, 23, 17, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_history_counts_per_interval_in_the_runs_zone():
    team, other = f.team(), f.team()
    run = forecast_prepare(actor=None, name="NY", team=team, time_zone="America/New_York", history_days=21, now=NOW)
    assert (run.history_start, run.first_date, run.last_date) == (date(2024, 2, 2), date(2024, 2, 23), date(2024, 3, 7))
    tickets_at([
        utc(2024, 2, 10, 14, 10),  # 09:10 in New York -> 09:00
        utc(2024, 2, 10, 14, 29),  # 09:29 -> 09:00
        utc(2024, 2, 10, 14, 35),  # 09:35 -> 09:30
        utc(2024, 2, 11, 4, 50),   # 23:50 on 10 Feb in New York, not 11 Feb
        utc(2024, 2, 2, 5, 0),     # 00:00 on 2 Feb: the first minute of the history
        utc(2024, 2, 2, 4, 59),    # 23:59 on 1 Feb: before the history
        utc(2024, 2, 23, 6, 0),    # 01:00 today: not a whole day yet
    ], team=team)
    tickets_at([utc(2024, 2, 10, 14, 10)], team=other)
    history = forecast_history(run=run)
    assert history.counts == {
        datetime(2024, 2, 10, 9, 0): 2,
        datetime(2024, 2, 10, 9, 30): 1,
        datetime(2024, 2, 10, 23, 30): 1,
        datetime(2024, 2, 2, 0, 0): 1,
    }
    assert history.work is None
    assert history.open_days == 2


def test_sixty_minute_intervals_and_channel_scope():
    run = forecast_prepare(actor=None, name="Chat", channel="chat", interval_minutes=60, time_zone="Europe/Berlin",
                           history_days=21, now=NOW)
    tickets_at([utc(2024, 2, 12, 8, 59), utc(2024, 2, 12, 8, 1)], channel="chat")  # 09:59 and 09:01 in Berlin
    tickets_at([utc(2024, 2, 12, 8, 30)], channel="email")
    assert forecast_history(run=run).counts == {datetime(2024, 2, 12, 9, 0): 2}


def test_workload_is_the_agent_messages_of_the_tickets_created_in_the_interval_written_before_today():
    run = forecast_prepare(actor=None, name="W", time_zone="America/New_York", history_days=21, now=NOW)
    first, second = tickets_at([utc(2024, 2, 12, 15, 0), utc(2024, 2, 12, 15, 20)], handle_seconds=[100, 30])
    tickets_at([utc(2024, 2, 12, 16, 0)], handle_seconds=[None])
    later = utc(2024, 2, 14, 10, 0)  # written two days later: still the workload of the ticket's creation interval
    today = utc(2024, 2, 23, 14, 0)  # written today, after the history end: not used
    Message.objects.bulk_create([
        Message(ticket=first, author_kind=AuthorKind.AGENT, body_text="x", body_html="x", handle_seconds=50, created_at=later),
        Message(ticket=first, author_kind=AuthorKind.AGENT, body_text="x", body_html="x", handle_seconds=900, created_at=today),
        Message(ticket=first, author_kind=AuthorKind.CUSTOMER, body_text="x", body_html="x", handle_seconds=999, created_at=later),
        Message(ticket=second, author_kind=AuthorKind.SYSTEM, body_text="x", body_html="x", handle_seconds=999, created_at=later),
    ])
    history = forecast_history(run=run)
    assert history.counts == {datetime(2024, 2, 12, 10, 0): 2, datetime(2024, 2, 12, 11, 0): 1}
    work = history.work
    assert work is not None
    rows = sorted(zip(work.intervals, work.written, work.seconds, work.measured, work.messages, strict=True))
    assert rows == [
        (datetime(2024, 2, 12, 10, 0), date(2024, 2, 12), 130.0, 2.0, 2.0),
        (datetime(2024, 2, 12, 10, 0), date(2024, 2, 14), 50.0, 1.0, 1.0),
        (datetime(2024, 2, 12, 11, 0), date(2024, 2, 12), 0.0, 0.0, 1.0),  # unmeasured: counted, not as 0 s
    ]
    assert work.measured_share == pytest.approx(3 / 4)
