"""Time off: agents ask for their own; the lead or a manager of the agent's team decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.schedules.models import TimeOff, TimeOffStatus
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    team, other = f.team(), f.team()
    return {"team": team, "lead": f.lead(leads=[team]), "other_lead": f.lead(leads=[other]),
            "ana": f.agent(teams=[team]), "bo": f.agent(teams=[team]), "manager": f.manager()}


def _request(agent):  # type: ignore[no-untyped-def]
    start = timezone.now() + timedelta(days=3)
    return TimeOff.objects.create(agent=agent, starts_at=start, ends_at=start + timedelta(days=1))


def test_agent_requests_time_off_for_whole_days(world, login):
    day = timezone.localdate() + timedelta(days=10)
    r = login(world["ana"]).post("/workforce/schedules/mine/", {"starts_on": day.isoformat(), "ends_on": (day + timedelta(days=1)).isoformat(),
                                                                 "reason": "Wedding"})
    assert r.status_code == 302
    off = TimeOff.objects.get(agent=world["ana"])
    assert off.status == TimeOffStatus.REQUESTED
    assert off.ends_at - off.starts_at == timedelta(days=2)


def test_time_off_must_end_after_it_starts(world, login):
    day = timezone.localdate() + timedelta(days=10)
    r = login(world["ana"]).post("/workforce/schedules/mine/", {"starts_on": day.isoformat(), "start_time": "12:00",
                                                                 "ends_on": day.isoformat(), "end_time": "09:00"})
    assert r.status_code == 422
    assert not TimeOff.objects.exists()


def test_overlapping_requests_are_refused(world, login):
    day = timezone.localdate() + timedelta(days=10)
    c = login(world["ana"])
    data = {"starts_on": day.isoformat(), "ends_on": day.isoformat()}
    assert c.post("/workforce/schedules/mine/", data).status_code == 302
    assert c.post("/workforce/schedules/mine/", data).status_code == 422


def test_lead_approves_and_declines_their_agents_requests(world, login):
    a, b = _request(world["ana"]), _request(world["bo"])
    c = login(world["lead"])
    assert c.post(f"/workforce/schedules/time-off/{a.pk}/decide/", {"decision": "approve"}).status_code == 302
    assert c.post(f"/workforce/schedules/time-off/{b.pk}/decide/", {"decision": "decline"}).status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.decided_by, b.status) == (TimeOffStatus.APPROVED, world["lead"], TimeOffStatus.DECLINED)


def test_manager_decides_for_any_team(world, login):
    a = _request(world["ana"])
    assert login(world["manager"]).post(f"/workforce/schedules/time-off/{a.pk}/decide/", {"decision": "approve"}).status_code == 302


def test_agent_cannot_approve_time_off_even_their_own(world, login):
    own, colleague = _request(world["ana"]), _request(world["bo"])
    c = login(world["ana"])
    assert c.post(f"/workforce/schedules/time-off/{own.pk}/decide/", {"decision": "approve"}).status_code == 403
    assert c.post(f"/workforce/schedules/time-off/{colleague.pk}/decide/", {"decision": "approve"}).status_code == 404
    assert c.get("/workforce/schedules/time-off/").status_code == 403
    assert set(TimeOff.objects.values_list("status", flat=True)) == {TimeOffStatus.REQUESTED}


def test_lead_of_another_team_cannot_decide(world, login):
    a = _request(world["ana"])
    assert login(world["other_lead"]).post(f"/workforce/schedules/time-off/{a.pk}/decide/", {"decision": "approve"}).status_code == 403
    a.refresh_from_db()
    assert a.status == TimeOffStatus.REQUESTED


def test_lead_cannot_approve_their_own_request(world, login):
    world["team"].members.add(world["lead"])
    own = _request(world["lead"])
    assert login(world["lead"]).post(f"/workforce/schedules/time-off/{own.pk}/decide/", {"decision": "approve"}).status_code == 403


def test_bad_decision_is_422(world, login):
    a = _request(world["ana"])
    assert login(world["lead"]).post(f"/workforce/schedules/time-off/{a.pk}/decide/", {"decision": "maybe"}).status_code == 422


def test_approvals_list_shows_only_the_leads_agents(world, login):
    mine = _request(world["ana"])
    _request(f.agent(teams=[f.team()]))
    r = login(world["lead"]).get("/workforce/schedules/time-off/")
    assert [o.pk for o in r.context["page"].object_list] == [mine.pk]


def test_agent_withdraws_an_undecided_request_only(world, login):
    a = _request(world["ana"])
    c = login(world["ana"])
    assert c.post(f"/workforce/schedules/mine/time-off/{a.pk}/withdraw/").status_code == 302
    assert not TimeOff.objects.filter(pk=a.pk).exists()
    b = _request(world["bo"])
    assert c.post(f"/workforce/schedules/mine/time-off/{b.pk}/withdraw/").status_code == 404


def test_my_schedule_shows_published_shifts_only(world, login):
    from frontline.schedules.models import ScheduleStatus, Shift

    from .factories import schedule

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    published = schedule(team=world["team"], week_start=monday, state=ScheduleStatus.PUBLISHED)
    draft = schedule(team=world["team"], week_start=monday + timedelta(days=7))
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time())) + timedelta(hours=9)
    Shift.objects.create(schedule=published, agent=world["ana"], starts_at=start, ends_at=start + timedelta(hours=8), note="Published one")
    Shift.objects.create(schedule=draft, agent=world["ana"], starts_at=start + timedelta(days=7), ends_at=start + timedelta(days=7, hours=8),
                         note="Draft one")
    r = login(world["ana"]).get("/workforce/schedules/mine/")
    assert r.status_code == 200
    assert b"Published one" in r.content and b"Draft one" not in r.content
