"""Shift types: planners create and edit them; breaks must fit inside the shift."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied

from frontline.schedules.models import ShiftType
from frontline.schedules.services import shift_type_create
from tests import factories as f

from .factories import eight_hour

pytestmark = pytest.mark.django_db


def _data(**kw):  # type: ignore[no-untyped-def]
    return {"name": "Early", "length_minutes": 480, "earliest_start": "07:00", "latest_start": "09:00", "start_step_minutes": 30,
            "days": ["0", "1", "2", "3", "4"], "active": "on", "break1_minutes": 30, "break1_earliest": 180, "break1_latest": 270, **kw}


def test_manager_creates_a_shared_shift_type(login):
    r = login(f.manager()).post("/workforce/schedules/shift-types/", _data(break2_minutes=15, break2_earliest=90, break2_latest=120,
                                                                           break2_paid="on"))
    assert r.status_code == 302
    st = ShiftType.objects.get()
    assert st.team is None and st.days == [0, 1, 2, 3, 4]
    assert st.breaks == [{"minutes": 30, "earliest_offset": 180, "latest_offset": 270, "paid": False},
                         {"minutes": 15, "earliest_offset": 90, "latest_offset": 120, "paid": True}]


@pytest.mark.parametrize("bad", [
    {"break1_latest": 460},          # the break would end after the shift
    {"break1_earliest": 0},          # a break at the very start
    {"break1_earliest": 300, "break1_latest": 200},
    {"length_minutes": 470},         # not on the quarter hour
    {"days": []},
])
def test_invalid_shift_types_are_422(login, bad):
    r = login(f.manager()).post("/workforce/schedules/shift-types/", _data(**bad))
    assert r.status_code == 422
    assert not ShiftType.objects.exists()


def test_lead_creates_for_their_team_but_not_shared_or_other_teams(login):
    team, other = f.team(), f.team()
    lead = f.lead(leads=[team])
    c = login(lead)
    assert c.post("/workforce/schedules/shift-types/", _data(team=team.pk)).status_code == 302
    assert c.post("/workforce/schedules/shift-types/", _data()).status_code == 422  # a lead must pick their team
    assert c.post("/workforce/schedules/shift-types/", _data(team=other.pk)).status_code == 422  # not a choice
    assert ShiftType.objects.count() == 1


def test_lead_edits_their_teams_type_and_cannot_see_another_teams(login):
    team, other = f.team(), f.team()
    lead = f.lead(leads=[team])
    mine, theirs = eight_hour(team=team), eight_hour(team=other)
    c = login(lead)
    assert c.post(f"/workforce/schedules/shift-types/{mine.pk}/", _data(team=team.pk, name="Late")).status_code == 302
    mine.refresh_from_db()
    assert mine.name == "Late"
    assert c.get(f"/workforce/schedules/shift-types/{theirs.pk}/").status_code == 404


def test_agent_cannot_see_shift_types(login):
    assert login(f.agent()).get("/workforce/schedules/shift-types/").status_code == 403


def test_the_service_refuses_a_shared_type_from_a_lead():
    lead = f.lead(leads=[f.team()])
    with pytest.raises(PermissionDenied):
        shift_type_create(actor=lead, name="Shared", team=None, length_minutes=480, earliest_start=time(8), latest_start=time(9),
                          start_step_minutes=30, days=[0], breaks=[])


def test_the_service_refuses_agents():
    agent = f.agent()
    with pytest.raises(PermissionDenied):
        shift_type_create(actor=agent, name="Mine", team=agent.teams.first(), length_minutes=480, earliest_start=time(8),
                          latest_start=time(9), start_step_minutes=30, days=[0], breaks=[])
