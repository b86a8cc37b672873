"""Routing a ticket: the rules through the database, the event, the wait, fallbacks, offline agents, chats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.chat.models import ChatWidget
from frontline.chat.services import chat_start
from frontline.customers.models import Tier
from frontline.desk.models import Channel, EventKind, StatusCategory, TicketEvent
from frontline.desk.services import ticket_assign, ticket_queue_change
from frontline.people.models import Availability
from frontline.people.services import availability_set
from frontline.routing import services
from frontline.routing.models import AgentCapacity, AgentSkill, Mode, OfflineAction, Waiting
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from tests import factories as f
from tests.routing.conftest import online, routed_queue

pytestmark = pytest.mark.django_db


def routed_events(ticket):  # type: ignore[no-untyped-def]
    return list(TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ROUTED).order_by("id"))


def test_a_new_ticket_is_routed_after_commit_to_the_least_loaded_agent(team, django_capture_on_commit_callbacks):
    ana, ben = online(name="Ana", team=team), online(name="Ben", team=team)
    queue = routed_queue(team)
    AgentCapacity.objects.create(agent=ana, channel=Channel.WEB, max_open=5)
    AgentCapacity.objects.create(agent=ben, channel=Channel.WEB, max_open=5)
    for _ in range(2):
        f.ticket(queue=queue, assignee=ana)
    for _ in range(3):
        f.ticket(queue=queue, assignee=ben)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = f.ticket(queue=queue)
    ticket.refresh_from_db()
    event = routed_events(ticket)[0]
    assert ticket.assignee == ana
    assert event.payload["summary"] == "Routed to Ana by least-loaded: 2 open of 5"
    assert (event.payload["rule"], event.payload["agent_id"], event.actor) == ("least-loaded", ana.pk, None)


def test_manual_queues_and_assigned_tickets_are_left_alone(team, django_capture_on_commit_callbacks):
    online(name="Ana", team=team)
    manual = routed_queue(team, mode=Mode.MANUAL)
    with django_capture_on_commit_callbacks(execute=True):
        first = f.ticket(queue=manual)
        second = f.ticket(queue=f.queue(team=team))
    assert routed_events(first) == routed_events(second) == []


def test_only_online_agents_get_work(team):
    ana = online(name="Ana", team=team)
    away = online(name="Zed", team=team)
    availability_set(user=away, availability=Availability.AWAY)
    queue = routed_queue(team, mode=Mode.ROUND_ROBIN)
    picks = {services.route_ticket(ticket_id=f.ticket(queue=queue).pk).agent_id for _ in range(3)}
    assert picks == {ana.pk}


def test_round_robin_takes_turns(team):
    ana, ben = online(name="Ana", team=team), online(name="Ben", team=team)
    queue = routed_queue(team, mode=Mode.ROUND_ROBIN)
    now = timezone.now()
    names = [services.route_ticket(ticket_id=f.ticket(queue=queue).pk, now=now + timedelta(seconds=i)).agent_name
             for i in range(4)]
    assert names[0] != names[1] and names[:2] == names[2:] and {ana.pk, ben.pk}


def test_nobody_available_waits_with_one_event_then_the_tick_routes_it(team):
    queue = routed_queue(team)
    ticket = f.ticket(queue=queue)
    now = timezone.now()
    assert services.route_ticket(ticket_id=ticket.pk, now=now).routed is False
    services.routing_tick(now=now + timedelta(seconds=15))  # still nobody: no second event
    assert [e.payload["summary"] for e in routed_events(ticket)] == [
        "Not routed yet by least-loaded: nobody available with free capacity"]
    ana = online(name="Ana", team=team)
    outcome = services.routing_tick(now=now + timedelta(seconds=30))
    ticket.refresh_from_db()
    assert (ticket.assignee, outcome.routed, Waiting.objects.count()) == (ana, 1, 0)


def test_skills_required_preferred_and_the_fallbacks(team):
    de = online(name="Dora", team=team)
    de_billing = online(name="Bill", team=team)
    anyone = online(name="Any", team=team)
    AgentSkill.objects.create(agent=de, name="language", value="de", level=4)
    AgentSkill.objects.create(agent=de_billing, name="language", value="de", level=2)
    AgentSkill.objects.create(agent=de_billing, name="product", value="billing", level=3)
    for _ in range(3):
        f.ticket(queue=f.queue(team=team), assignee=de_billing)  # Bill is busier than Dora
    reqs = services.requirements_parse("language={customer.language}>=2 required\nproduct=billing>=3 preferred")
    queue = routed_queue(team, mode=Mode.SKILLS, requirements=reqs, drop_preferred_after_s=60, widen_after_s=300)
    german = f.customer()
    german.language = "de"
    german.save()
    now = timezone.now()
    first = services.route_ticket(ticket_id=f.ticket(queue=queue, requester=german).pk, now=now)
    assert first.agent_id == de_billing.pk
    assert first.reason == "language=de (level 2+), product=billing (level 3+); 3 open of 10"
    availability_set(user=de_billing, availability=Availability.OFFLINE)
    waiting = f.ticket(queue=queue, requester=german)
    assert services.route_ticket(ticket_id=waiting.pk, now=now).routed is False
    later = services.route_ticket(ticket_id=waiting.pk, now=now + timedelta(seconds=61))
    assert later.agent_id == de.pk and "required skills only" in later.reason
    french = f.customer()
    french.language = "fr"
    french.save()
    stranger = f.ticket(queue=queue, requester=french)
    assert services.route_ticket(ticket_id=stranger.pk, now=now).routed is False
    widened = services.route_ticket(ticket_id=stranger.pk, now=now + timedelta(seconds=300))
    assert widened.agent_id in {de.pk, anyone.pk} and "anyone in the team" in widened.reason
    assert [e.payload["stage"] for e in routed_events(stranger)] == [0, 2]


def test_vip_and_due_soonest_are_routed_first(team):
    queue = routed_queue(team, mode=Mode.ROUND_ROBIN)
    plain = f.ticket(queue=queue)
    vip = f.ticket(queue=queue, requester=f.customer())
    vip.requester.tier = Tier.GOLD
    vip.requester.save()
    ana = online(name="Ana", team=team)
    AgentCapacity.objects.create(agent=ana, channel=Channel.WEB, max_open=1)
    services.routing_tick()
    vip.refresh_from_db()
    plain.refresh_from_db()
    assert (vip.assignee, plain.assignee) == (ana, None)


def test_capacity_full_means_no_more_work(team):
    ana = online(name="Ana", team=team)
    AgentCapacity.objects.create(agent=ana, channel=Channel.EMAIL, max_open=1)
    queue = routed_queue(team)
    assert services.route_ticket(ticket_id=f.ticket(queue=queue, channel=Channel.EMAIL).pk).agent_id == ana.pk
    assert services.route_ticket(ticket_id=f.ticket(queue=queue, channel=Channel.EMAIL).pk).routed is False
    assert services.route_ticket(ticket_id=f.ticket(queue=queue, channel=Channel.WEB).pk).agent_id == ana.pk


def test_a_published_schedule_keeps_agents_off_shift_from_work(team):
    on, off = online(name="On", team=team), online(name="Off", team=team)
    now = timezone.now()
    schedule = Schedule.objects.create(team=team, week_start=(now - timedelta(days=now.weekday())).date(),
                                       state=ScheduleStatus.PUBLISHED)
    Shift.objects.create(schedule=schedule, agent=on, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    Shift.objects.create(schedule=schedule, agent=off, starts_at=now + timedelta(hours=2), ends_at=now + timedelta(hours=8))
    queue = routed_queue(team, mode=Mode.ROUND_ROBIN)
    picks = {services.route_ticket(ticket_id=f.ticket(queue=queue).pk, now=now).agent_id for _ in range(3)}
    assert picks == {on.pk}


def test_queue_change_routes_and_offline_agents_lose_their_tickets(team, django_capture_on_commit_callbacks):
    ana, ben = online(name="Ana", team=team), online(name="Ben", team=team)
    queue = routed_queue(team, offline_action=OfflineAction.REASSIGN, offline_grace_s=60)
    ticket = f.ticket(queue=f.queue(team=team))
    with django_capture_on_commit_callbacks(execute=True):
        ticket_queue_change(ticket=ticket, queue=queue, actor=None)
    ticket.refresh_from_db()
    holder, other = (ana, ben) if ticket.assignee == ana else (ben, ana)
    now = timezone.now()
    availability_set(user=holder, availability=Availability.OFFLINE, at=now)
    services.routing_tick(now=now + timedelta(seconds=30))  # within the grace
    ticket.refresh_from_db()
    assert ticket.assignee == holder
    services.routing_tick(now=now + timedelta(seconds=61))
    ticket.refresh_from_db()
    summaries = [e.payload["summary"] for e in routed_events(ticket)]
    assert ticket.assignee == other
    assert summaries[1] == f"Returned to the queue {queue.name}: {holder.display_name} went offline"
    assert summaries[2].startswith(f"Routed to {other.display_name} by least-loaded")


def test_return_to_queue_leaves_the_ticket_unassigned(team):
    ana = online(name="Ana", team=team)
    queue = routed_queue(team, mode=Mode.MANUAL, offline_action=OfflineAction.RETURN, offline_grace_s=0)
    ticket = f.ticket(queue=queue)
    ticket_assign(ticket=ticket, assignee=ana, actor=None)
    availability_set(user=ana, availability=Availability.OFFLINE)
    assert services.routing_tick().returned == 1
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status_category) == (None, StatusCategory.NEW)


def test_a_chat_is_offered_by_routing_when_it_starts(team, django_capture_on_commit_callbacks):
    ana = online(name="Ana", team=team)
    queue = routed_queue(team)
    widget = ChatWidget.objects.create(name="Site", key="site", queue=queue)
    with django_capture_on_commit_callbacks(execute=True):
        started = chat_start(widget=widget, name="Cleo", email="cleo@example.com", text="Hello?")
    chat = started.chat
    chat.refresh_from_db()
    event = routed_events(chat.ticket)[0]
    assert (chat.offered_to, chat.ticket.assignee) == (ana, None)
    assert event.payload["summary"] == "Chat offered to Ana by least-loaded: 0 active of 3"


def test_old_history_is_not_routed(team, django_capture_on_commit_callbacks):
    online(name="Ana", team=team)
    queue = routed_queue(team)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = f.ticket(queue=queue, at=timezone.now() - timedelta(days=3))
    assert routed_events(ticket) == []


@pytest.mark.parametrize("text", ["language", "language=de>=9", "language={customer.secret}", "=de", "a=b c"])
def test_bad_requirement_lines_are_refused_naming_the_line(text):
    with pytest.raises(Exception, match="Line 1"):
        services.requirements_parse(text)
