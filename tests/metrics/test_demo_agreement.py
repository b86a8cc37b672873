"""Two independent paths agree on a generated demo: the app's stored facts and rollups (built by
the demo through metrics_rebuild, then kept by the hook) vs the engine's compute_kpis over the
exported event log (desk.selectors.metrics_event_rows); and the dashboard's fast path equals the
engine's on it (the check of tests/metrics/test_samples.py, on the demo).

The demo is built once for the module and committed (it took a quarter of a minute per build, and
this file runs on SQLite and on PostgreSQL); each test runs in a transaction that is rolled back, so
the rebuild in the second one is not seen by the first. The module ends by resetting the demo.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum

from frontline.desk.models import Ticket
from frontline.desk.selectors import metrics_event_rows
from frontline.engine.kpis import Event, compute_kpis
from frontline.metrics.models import HourlyRollup, TicketFact
from frontline.metrics.periods import Period, period_of
from frontline.metrics.selectors import Scope, fact_rows, kpis_of_rows
from frontline.metrics.services import metrics_rebuild
from frontline.people.models import Team, User
from tests.demo.builds import reset_after_build
from tests.metrics.test_samples import BERLIN, assert_dashboard_is_the_engines

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # a demo build: started first (tests/conftest.py)

ANCHOR = datetime(2026, 11, 23, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    """The demo, built once for this module (outside the tests' rolled-back transactions)."""
    with django_db_blocker.unblock():
        call_command("demo", days=14, scale=0.2, anchor=ANCHOR, no_workforce=True, quiet=True)
        yield
        reset_after_build()


def engine_report(ticket_ids: set[int]):  # type: ignore[no-untyped-def]
    events = [Event(ticket=t, at=datetime.fromisoformat(a), kind=k, role=r, actor=ac, value=v)
              for t, a, k, ac, r, v in metrics_event_rows() if int(t) in ticket_ids]
    return compute_kpis(events=events)


def test_the_apps_numbers_equal_the_engine_over_the_export_on_the_demo(demo):
    everything = Period("custom", (ANCHOR - timedelta(days=30)).date(), ANCHOR.date(), UTC)
    all_ids = set(Ticket.objects.values_list("pk", flat=True))
    assert len(all_ids) > 300
    app = kpis_of_rows(fact_rows(scope=Scope(team_ids=None), period=everything)).report
    assert app == engine_report(all_ids)
    for team in Team.objects.all():
        ids = set(Ticket.objects.filter(team=team).values_list("pk", flat=True))
        scoped = kpis_of_rows(fact_rows(scope=Scope(team_ids=frozenset({team.pk})), period=everything)).report
        assert scoped == engine_report(ids)


def test_the_rollups_sum_to_the_facts_and_survive_a_rebuild(demo):
    totals = HourlyRollup.objects.aggregate(t=Sum("tickets"), s=Sum("solved"), r=Sum("reopened"))
    assert totals == {"t": TicketFact.objects.count(), "s": TicketFact.objects.filter(solved=True).count(),
                      "r": TicketFact.objects.filter(ever_solved=True, reopens__gt=0).count()}
    before = sorted(HourlyRollup.objects.values_list("hour", "team_id", "agent_id", "channel", "tickets",
                                                     "first_reply_minutes_sum"), key=repr)
    metrics_rebuild()
    assert sorted(HourlyRollup.objects.values_list("hour", "team_id", "agent_id", "channel", "tickets",
                                                   "first_reply_minutes_sum"), key=repr) == before


def test_the_dashboard_on_a_generated_demo_is_the_engines(demo):
    boss = User.objects.filter(role="manager").first()
    for zone in (UTC, BERLIN):
        week = period_of("week", date(2026, 11, 16), zone)
        assert_dashboard_is_the_engines(boss, Scope(team_ids=None), week, now=ANCHOR + timedelta(hours=3))
