"""The agent's status at sign-in (#14.13): Online when a published shift is on, asked otherwise,
always through the availability service so adherence sees the change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from frontline.people.models import Availability, AvailabilityChange
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from frontline.schedules.services import availability_at_sign_in
from tests import factories as f

pytestmark = pytest.mark.django_db


def _shift(agent, *, starts_in: timedelta, state: str = ScheduleStatus.PUBLISHED) -> Shift:  # type: ignore[no-untyped-def]
    team = f.team()
    team.members.add(agent)
    start = timezone.now() + starts_in
    week = timezone.localdate(start) - timedelta(days=timezone.localdate(start).weekday())
    schedule = Schedule.objects.create(team=team, week_start=week, state=state)
    return Shift.objects.create(schedule=schedule, agent=agent, starts_at=start, ends_at=start + timedelta(hours=8))


def _sign_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": f.PASSWORD})
    assert response.status_code == 302
    return client


def test_an_agent_whose_shift_is_on_is_online_after_signing_in_and_the_change_is_logged():
    agent = f.agent()
    _shift(agent, starts_in=timedelta(minutes=-30))
    client = _sign_in(agent)
    agent.agent_profile.refresh_from_db()
    assert agent.agent_profile.availability == Availability.ONLINE
    assert list(AvailabilityChange.objects.filter(user=agent).values_list("previous", "availability")) == [("offline", "online")]
    page = client.get("/workforce/").content.decode()
    assert "your status is now Online" in page and "You are signed in as Offline" not in page


def test_a_shift_starting_within_15_minutes_counts_and_a_draft_does_not():
    soon, drafted = f.agent(), f.agent()
    _shift(soon, starts_in=timedelta(minutes=10))
    _shift(drafted, starts_in=timedelta(minutes=-30), state=ScheduleStatus.DRAFT)
    assert availability_at_sign_in(user=soon).outcome == "set_online"
    assert availability_at_sign_in(user=drafted).outcome == "ask"


def test_an_agent_without_a_shift_is_asked_and_answering_stops_the_question():
    agent = f.agent()
    client = _sign_in(agent)
    page = client.get("/workforce/").content.decode()
    assert "You are signed in as Offline." in page and 'value="online">Go online</button>' in page
    assert not AvailabilityChange.objects.filter(user=agent).exists()
    client.post("/people/me/availability/", {"availability": "online"}, HTTP_REFERER="/workforce/")
    agent.agent_profile.refresh_from_db()
    assert agent.agent_profile.availability == Availability.ONLINE
    assert "You are signed in as Offline." not in client.get("/workforce/").content.decode()


def test_staying_offline_also_answers_the_question():
    agent = f.agent()
    client = _sign_in(agent)
    client.post("/people/me/availability/", {"availability": "offline"})
    assert "You are signed in as Offline." not in client.get("/workforce/").content.decode()


def test_leads_and_managers_without_a_shift_are_not_asked_and_customers_are_left_alone():
    assert availability_at_sign_in(user=f.lead()).outcome == "keep"
    assert availability_at_sign_in(user=f.manager()).outcome == "keep"
    assert availability_at_sign_in(user=f.customer(with_login=True).user).outcome == "keep"
