"""Two teams with their leads and agents, and a week of tickets in each, computed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from frontline.desk import services
from frontline.desk.models import StatusCategory
from frontline.metrics.services import metrics_refresh_dirty
from tests import factories as f

DAY = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday 09:00 UTC
WEEK_QUERY = {"period": "week", "date": "2026-03-02"}


@pytest.fixture
def department(db) -> dict:  # type: ignore[no-untyped-def]
    """Billing (lead lena; agents ann, bob) and Tech (lead tom; agent tia). Billing: 3 tickets, one
    solved by ann in one touch, one reopened and solved by bob, one open; Tech: 2 tickets, one solved.
    One unteamed ticket. A week earlier: one Billing ticket (the previous period)."""
    billing, tech = f.team(name="Billing"), f.team(name="Tech")
    ann, bob = f.agent(teams=[billing], username="ann"), f.agent(teams=[billing], username="bob")
    tia = f.agent(teams=[tech], username="tia")
    lena, tom = f.lead(leads=[billing], username="lena"), f.lead(leads=[tech], username="tom")
    boss = f.manager(username="boss")
    solved = f.status(StatusCategory.SOLVED)

    def at(minutes: float, day: datetime = DAY) -> datetime:
        return day + timedelta(minutes=minutes)

    b1 = f.ticket(team=billing, assignee=ann, channel="email", at=at(0), notify=False, tags=["refund"])
    services.ticket_reply(ticket=b1, author=ann, body="Refunded.", at=at(20), notify=False, handle_seconds=200)
    services.ticket_status_change(ticket=b1, status=solved, actor=ann, at=at(25))
    b2 = f.ticket(team=billing, assignee=bob, channel="chat", at=at(60), notify=False)
    services.ticket_reply(ticket=b2, author=bob, body="Done.", at=at(100), notify=False, handle_seconds=600)
    services.ticket_status_change(ticket=b2, status=solved, actor=bob, at=at(110))
    services.ticket_reply(ticket=b2, author=None, body="Not done.", at=at(200), notify=False)
    services.ticket_reply(ticket=b2, author=bob, body="Now done.", at=at(230), notify=False, handle_seconds=300)
    services.ticket_status_change(ticket=b2, status=solved, actor=bob, at=at(240))
    b3 = f.ticket(team=billing, assignee=ann, channel="email", at=at(24 * 60), notify=False)
    t1 = f.ticket(team=tech, assignee=tia, channel="phone", at=at(30), notify=False)
    services.ticket_reply(ticket=t1, author=tia, body="Fixed.", at=at(90), notify=False, handle_seconds=900)
    services.ticket_status_change(ticket=t1, status=solved, actor=tia, at=at(95))
    t2 = f.ticket(team=tech, assignee=tia, channel="web", at=at(48 * 60), notify=False)
    u1 = f.ticket(channel="web", at=at(10), notify=False)
    before = f.ticket(team=billing, assignee=ann, channel="email", at=at(0, DAY - timedelta(days=7)), notify=False)
    services.ticket_reply(ticket=before, author=ann, body="Hi.", at=at(50, DAY - timedelta(days=7)), notify=False)
    metrics_refresh_dirty()
    return {"billing": billing, "tech": tech, "ann": ann, "bob": bob, "tia": tia, "lena": lena, "tom": tom,
            "boss": boss, "b1": b1, "b2": b2, "b3": b3, "t1": t1, "t2": t2, "u1": u1, "before": before}
