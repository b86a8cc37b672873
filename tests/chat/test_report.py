"""The chat report: per-day outcomes, waits and handle times by the definitions in frontline/chat/report.py,
computed by hand here; only the viewer's chats count (counts and links leak nothing); bad input."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from frontline.chat import report, services
from frontline.chat.models import Chat, ChatWidget, EndedBy
from frontline.desk.models import TicketEvent
from tests import factories as f

from .conftest import online

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _chat(widget, at, *, email, wait=None, handle=None, by=EndedBy.AGENT, agent=None):  # type: ignore[no-untyped-def]
    """A chat started at ``at``; accepted after ``wait`` s (None: never) and ended ``handle`` s later (None: live)."""
    chat = services.chat_start(widget=widget, name="Kim", email=email, text="Hello?", at=at).chat
    if wait is not None:
        services.accept_chat(chat=chat, agent=agent, at=at + timedelta(seconds=wait))
        if handle is not None:
            services.chat_end(chat=Chat.objects.get(pk=chat.pk), by=by, actor=agent,
                              at=at + timedelta(seconds=wait + handle))
    elif handle is not None:  # nobody came: the customer gives up (or leaves a message) after ``handle`` s
        services.chat_end(chat=chat, by=by, at=at + timedelta(seconds=handle))
    return Chat.objects.get(pk=chat.pk)


@pytest.fixture
def day():  # type: ignore[no-untyped-def]
    return (timezone.now().astimezone(LONDON) - timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)


def test_outcomes_waits_and_handle_times_per_day_by_their_definitions(widget, ana, day) -> None:  # type: ignore[no-untyped-def]
    done = [_chat(widget, day + timedelta(minutes=i), email=f"a{i}@example.com", wait=w, handle=h, agent=ana)
            for i, (w, h) in enumerate([(10, 300), (30, 600), (50, 900)])]
    gave_up = _chat(widget, day + timedelta(minutes=5), email="g@example.com", handle=200, by=EndedBy.CUSTOMER)
    left = _chat(widget, day + timedelta(minutes=6), email="l@example.com", handle=100, by=EndedBy.LEFT_MESSAGE)
    live = _chat(widget, day + timedelta(minutes=7), email="v@example.com", wait=70, agent=online(f.agent(teams=list(ana.teams.all()))))
    waiting = _chat(widget, day + timedelta(minutes=8), email="w@example.com")
    _chat(widget, day - timedelta(days=1), email="y@example.com", wait=5, handle=60, agent=ana)  # the day before

    rows = report.chats_per_day(viewer=ana, first=day.date() - timedelta(days=1), last=day.date(), tz=LONDON)
    before, today = rows
    assert [r.day for r in rows] == [day.date() - timedelta(days=1), day.date()]
    assert sorted(today.started) == sorted(c.ticket_id for c in [*done, gave_up, left, live, waiting])
    assert sorted(today.answered) == sorted(c.ticket_id for c in [*done, live])
    assert sorted(today.not_answered) == sorted([gave_up.ticket_id, left.ticket_id])
    assert today.left_message == [left.ticket_id]
    assert sorted(today.live) == sorted([live.ticket_id, waiting.ticket_id])
    assert today.answer_rate == 4 / 6  # the waiting chat is in neither
    assert (today.wait_median, today.wait_p90) == (40.0, 64.0)  # waits 10, 30, 50, 70: type-7 percentiles
    assert (today.handle_median, today.handle_p90) == (600.0, 840.0)  # handles 300, 600, 900 (the live one has none)
    assert today.gave_up_median == 150.0  # 100 and 200
    assert (len(before.started), before.wait_median, before.handle_median) == (1, 5.0, 60.0)
    total = report.chat_totals(rows)
    assert (len(total.started), len(total.answered), total.wait_median) == (8, 5, 30.0)


def test_a_chat_counts_on_the_day_it_started_in_the_viewers_zone(widget, ana) -> None:  # type: ignore[no-untyped-def]
    # 23:30 UTC on a winter day is 23:30 in London and 00:30 the next day in Berlin
    at = datetime(2026, 11, 10, 23, 30, tzinfo=ZoneInfo("UTC"))
    _chat(widget, at, email="z@example.com")
    london = report.chats_per_day(viewer=ana, first=at.date(), last=at.date() + timedelta(days=1), tz=LONDON)
    berlin = report.chats_per_day(viewer=ana, first=at.date(), last=at.date() + timedelta(days=1), tz=ZoneInfo("Europe/Berlin"))
    assert [len(r.started) for r in london] == [1, 0] and [len(r.started) for r in berlin] == [0, 1]


def test_the_page_counts_and_links_only_the_viewers_chats(widget, ana, login, day) -> None:  # type: ignore[no-untyped-def]
    mine = _chat(widget, day, email="m@example.com", wait=20, handle=120, agent=ana)
    far = f.team(name="Far away")
    other_widget = ChatWidget.objects.create(name="Other", key="other", allowed_origins="https://other.example",
                                             queue=f.queue(name="Far chat", team=far))
    outsider = online(f.agent(teams=[far]))
    hidden = _chat(other_widget, day, email="h@example.com", wait=900, handle=5000, agent=outsider)
    page = login(ana).get("/chat/report/?days=7").content.decode()
    started = re.search(r'Chats started</div><div class="big"><a href="([^"]+)">(\d+)</a>', page)
    assert started is not None and started.group(2) == "1"
    assert f"ids={mine.ticket_id}" in started.group(1).replace("%2C", ",")
    linked = {int(i) for ids in re.findall(r"ids=([0-9%C]+)", page) for i in ids.replace("%2C", ",").split(",")}
    assert linked - {0} == {mine.ticket_id} and hidden.ticket_id not in linked  # (0: an empty list)
    assert "15 min" not in page  # nor its wait
    assert "20 s" in page and "2 min" in page  # the viewer's own wait and handle time
    manager = login(f.manager()).get("/chat/report/?days=7").content.decode()
    assert re.search(r'Chats started</div><div class="big"><a href="[^"]+">2</a>', manager)


def test_bad_or_odd_input_falls_back_and_only_staff_see_it(widget, ana, login, client) -> None:  # type: ignore[no-untyped-def]
    agent = login(ana)
    pages = [agent.get(f"/chat/report/?days={d}") for d in ("abc", "-1", "٣", "3", "99999999999999999999", "30")]
    assert [p.status_code for p in pages] == [200] * 6
    assert [re.search(r'<option value="(\d+)" selected', p.content.decode()).group(1) for p in pages] == [  # type: ignore[union-attr]
        "14", "14", "14", "14", "14", "30"]
    assert "No chats in the last 14 days" in pages[0].content.decode()
    customer = f.customer(with_login=True)
    assert (login(customer.user).get("/chat/report/").status_code, client.get("/chat/report/").status_code) == (403, 302)


def test_segments_follow_acceptances_transfers_and_ends(widget, ana, team, day) -> None:  # type: ignore[no-untyped-def]
    bo = online(f.agent(teams=[team], first_name="Bo"))
    first = services.chat_start(widget=widget, name="Kim", email="k@example.com", text="Hi", at=day).chat
    services.accept_chat(chat=first, agent=ana, at=day + timedelta(seconds=60))
    services.chat_transfer(chat=Chat.objects.get(pk=first.pk), actor=ana, to_agent=bo, at=day + timedelta(seconds=360))
    services.chat_end(chat=Chat.objects.get(pk=first.pk), by="agent", actor=bo, at=day + timedelta(seconds=960))
    events = list(TicketEvent.objects.filter(ticket_id=first.ticket_id, kind__startswith="chat_").order_by("created_at", "id")
                  .values_list("ticket_id", "kind", "created_at", "payload"))
    assert report.segments_of(events, now=day + timedelta(days=1)) == [
        (ana.pk, first.ticket_id, day + timedelta(seconds=60), day + timedelta(seconds=360)),
        (bo.pk, first.ticket_id, day + timedelta(seconds=360), day + timedelta(seconds=960))]
    live = services.chat_start(widget=widget, name="Lee", email="l@example.com", text="Hi", at=day).chat
    services.accept_chat(chat=live, agent=ana, at=day + timedelta(seconds=100))
    events = list(TicketEvent.objects.filter(ticket_id=live.ticket_id, kind__startswith="chat_")
                  .values_list("ticket_id", "kind", "created_at", "payload"))
    now = day + timedelta(seconds=700)
    assert report.segments_of(events, now=now) == [(ana.pk, live.ticket_id, day + timedelta(seconds=100), now)]


def test_chats_at_once_is_chat_time_over_busy_time_and_agents_see_only_their_own_row(widget, ana, team, login, day) -> None:  # type: ignore[no-untyped-def]
    bo = online(f.agent(teams=[team], first_name="Bo", last_name="Berg"))
    # Ana: [0, 600) and [300, 900) overlap 300 s -> chat time 1200 s, busy 900 s, at once 1.33, most 2;
    # then [900, 1200) back to back (no overlap) -> chat 1500, busy 1200, 1.25
    for i, (a, b) in enumerate([(0, 600), (300, 900), (900, 1200)]):
        _chat(widget, day + timedelta(seconds=a - 10), email=f"a{i}@example.com", wait=10, handle=b - a, agent=ana)
    _chat(widget, day, email="b@example.com", wait=30, handle=240, agent=bo)
    lead = f.lead(teams=[team])
    period = report.chat_totals(report.chats_per_day(viewer=lead, first=day.date(), last=day.date(), tz=LONDON))
    rows = report.chat_agents(viewer=lead, days=period)
    assert [(r.agent, len(r.chats), r.chat_seconds, r.busy_seconds, r.most_at_once) for r in rows] == [
        (ana, 3, 1500.0, 1200.0, 2), (bo, 1, 240.0, 240.0, 1)]
    assert rows[0].at_once == 1.25 and rows[1].at_once == 1.0
    own = report.chat_agents(viewer=bo, days=report.chat_totals(
        report.chats_per_day(viewer=bo, first=day.date(), last=day.date(), tz=LONDON)))
    assert [r.agent for r in own] == [bo]
    page = login(bo).get("/chat/report/?days=7").content.decode()
    agents = page[page.index('id="chat-agents"'):]
    assert "Bo Berg" in agents and ana.display_name not in agents and "You see your own row." in agents
    lead_page = login(lead).get("/chat/report/?days=7").content.decode()
    assert ana.display_name in lead_page[lead_page.index('id="chat-agents"'):] and ">1.3<" in lead_page  # 1.25, half up
