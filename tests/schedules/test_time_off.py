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


def test_lead_of_another_team_gets_404_like_a_missing_request(world, login):
    """#13.6: another team's request answers as a missing one does (404), not 403."""
    a = _request(world["ana"])
    c = login(world["other_lead"])
    assert c.post(f"/workforce/schedules/time-off/{a.pk}/decide/", {"decision": "approve"}).status_code == 404
    assert c.post(f"/workforce/schedules/time-off/{a.pk + 1000}/decide/", {"decision": "approve"}).status_code == 404
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


# --- feedback on decisions (#14.15) -------------------------------------------------------------


def _covered_week(world):  # type: ignore[no-untyped-def]
    """Next week planned 9-17 Mon-Fri (2 calls of 5 min per 30 min: 2 agents for 80 % in 20 s); Ana and Bo on shift Monday."""
    from frontline.schedules.models import Shift

    from .factories import next_monday, plan_for, schedule

    monday = next_monday()
    plan = plan_for(team=world["team"], week_start=monday, volume=2.0, aht_s=300.0)
    week = schedule(team=world["team"], week_start=monday, plan=plan)
    start = timezone.make_aware(timezone.datetime.combine(monday, timezone.datetime.min.time())) + timedelta(hours=9)
    for agent in (world["ana"], world["bo"]):
        Shift.objects.create(schedule=week, agent=agent, starts_at=start, ends_at=start + timedelta(hours=8))
    off = TimeOff.objects.create(agent=world["ana"], starts_at=start - timedelta(hours=9), ends_at=start + timedelta(hours=15))
    return week, off


def test_coverage_effect_counts_the_intervals_the_absence_leaves_short(world):
    from frontline.schedules.selectors import time_off_coverage_effect

    week, off = _covered_week(world)
    [effect] = time_off_coverage_effect(time_off=off)
    assert effect.schedule == week
    assert effect.hours_lost == 8.0
    assert effect.intervals_short_after > effect.intervals_short_before
    assert effect.hours_short_after - effect.hours_short_before >= 1.0


def test_time_off_list_shows_each_requests_effect_on_coverage(world, login):
    _covered_week(world)
    r = login(world["lead"]).get("/workforce/schedules/time-off/")
    assert r.status_code == 200
    assert b"8.0 h of shifts fall in it" in r.content
    assert b"without them" in r.content


def test_decision_confirms_stores_the_reason_and_shows_it_to_the_requester(world, login):
    _week, off = _covered_week(world)
    r = login(world["lead"]).post(f"/workforce/schedules/time-off/{off.pk}/decide/",
                                  {"decision": "decline", "note": "Launch week — ask for the week after"}, follow=True)
    text = r.content.decode()
    assert "Declined" in text and "time off" in text
    assert "without them" in text
    off.refresh_from_db()
    assert (off.status, off.decision_note) == (TimeOffStatus.DECLINED, "Launch week — ask for the week after")
    mine = login(world["ana"]).get("/workforce/schedules/mine/")
    assert "Launch week — ask for the week after" in mine.content.decode()


def test_a_too_long_reason_is_refused_and_nothing_is_decided(world, login):
    off = _request(world["ana"])
    r = login(world["lead"]).post(f"/workforce/schedules/time-off/{off.pk}/decide/", {"decision": "approve", "note": "x" * 301})
    assert r.status_code == 422
    off.refresh_from_db()
    assert off.status == TimeOffStatus.REQUESTED


def test_an_empty_list_says_what_it_lacks_in_words(world, login):
    """It read "No requested requests from your teams' agents"."""
    c = login(world["lead"])
    waiting = c.get("/workforce/schedules/time-off/").content.decode()
    declined = c.get("/workforce/schedules/time-off/?status=declined").content.decode()
    assert "No requests wait for a decision from your teams' agents." in waiting
    assert "requested requests" not in waiting
    assert "No declined requests from your teams' agents." in declined
