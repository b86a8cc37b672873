"""Two teams, their leads and agents, a manager; ``facts`` writes metrics facts for an agent's tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.metrics.models import TicketFact
from tests import factories as f

NOW = datetime(2026, 3, 30, 12, tzinfo=UTC)


@pytest.fixture
def dept(db) -> dict:  # type: ignore[no-untyped-def]
    """Billing (lead lena; agents ann, bob), Tech (lead tom; agent tia), manager boss, admin root."""
    billing, tech = f.team(name="Billing"), f.team(name="Tech")
    ann, bob = f.agent(teams=[billing], username="ann"), f.agent(teams=[billing], username="bob")
    tia = f.agent(teams=[tech], username="tia")
    lena, tom = f.lead(leads=[billing], username="lena"), f.lead(leads=[tech], username="tom")
    boss = f.manager(username="boss")
    return {"billing": billing, "tech": tech, "ann": ann, "bob": bob, "tia": tia, "lena": lena, "tom": tom,
            "boss": boss}


def facts(*, agent, team, first: datetime, n: int, every: timedelta = timedelta(hours=6), **fields) -> list[int]:  # type: ignore[no-untyped-def]
    """``n`` tickets of ``agent`` created from ``first`` every ``every``, their facts set to ``fields``
    (a callable value is called with the ticket's index)."""
    ids = []
    for i in range(n):
        at = first + i * every
        ticket = f.ticket(team=team, assignee=agent, at=at, notify=False)
        values = {k: (v(i) if callable(v) else v) for k, v in fields.items()}
        values.setdefault("solved", True)
        values.setdefault("ever_solved", values["solved"])
        TicketFact.objects.update_or_create(ticket=ticket, defaults={
            "created_at": at, "hour": at.replace(minute=0, second=0, microsecond=0), "team": team, "agent": agent,
            "channel": "email", "priority": "normal", "tier": "", "category": "solved" if values["solved"] else "open",
            **values})
        ids.append(ticket.pk)
    return ids
