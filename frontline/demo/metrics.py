"""The demo's metrics: facts and rollups built from the replayed history, and targets for the
department, each team and a few agents (one changed a month ago, so the history shows)."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontline.metrics.models import Target
from frontline.metrics.services import metrics_rebuild, metrics_reset, target_set
from frontline.people.models import Team, User

from . import names

# (kpi, period, value): rates in percent, times in minutes, handle time in seconds
DEPARTMENT = [("first_reply_median", "month", 240), ("one_touch_rate", "month", 45), ("csat", "quarter", 85),
              ("reopen_rate", "month", 10)]
TEAM = {
    "Orders & Billing": [("first_reply_median", "week", 180), ("reopen_rate", "month", 8)],
    "Technical": [("first_reply_median", "week", 300), ("resolution_median", "month", 2880)],
    "Accounts": [("first_reply_median", "week", 240), ("one_touch_rate", "month", 50)],
}
AGENTS = {
    "agent": [("handle_time_mean", "week", 600), ("one_touch_rate", "month", 50), ("solved", "week", 40)],
    "aisha.khan": [("handle_time_mean", "week", 540)],
    "mia.hoffmann": [("first_reply_median", "week", 240), ("solved", "week", 30)],
}


def demo_metrics(*, anchor: datetime) -> tuple[int, int]:
    """Build the metrics of every ticket and set the demo's targets; returns (tickets, targets)."""
    tickets = metrics_rebuild()
    manager = User.objects.get(username="manager")
    teams = {t.name: t.pk for t in Team.objects.filter(name__in=[t.name for t in names.TEAMS])}
    leads = {t.name: t.lead for t in Team.objects.filter(name__in=teams).select_related("lead")}
    earlier = anchor - timedelta(days=30)
    for kpi, period, value in DEPARTMENT:
        target_set(actor=manager, kpi=kpi, period=period, value=value, at=earlier)
    for team, goals in TEAM.items():
        lead = leads.get(team) or manager
        for kpi, period, value in goals:
            # a first target a month ago, tightened since: the history keeps both
            target_set(actor=lead, kpi=kpi, period=period, value=value * 1.25, team=teams[team], at=earlier)
            target_set(actor=lead, kpi=kpi, period=period, value=value, team=teams[team], at=anchor - timedelta(days=3))
    for username, goals in AGENTS.items():
        agent = User.objects.filter(username=username).first()
        if agent is None:
            continue
        for kpi, period, value in goals:
            target_set(actor=manager, kpi=kpi, period=period, value=value, agent=agent.pk, at=earlier)
    return tickets, Target.objects.filter(superseded_at__isnull=True).count()


def metrics_demo_reset() -> None:
    """Delete the demo's metrics and targets (before its tickets and people go)."""
    metrics_reset()
    Target.objects.all().delete()
