"""The schedule pages through HTTP: edits and their validation, publishing, and who may do what."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from frontline.schedules.models import (
    Schedule,
    ScheduleStatus,
    Shift,
    ShiftChange,
    TimeOff,
    TimeOffStatus,
)
from frontline.workforce.models import RunStatus
from tests import factories as f

from .factories import next_monday, plan_for, schedule

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    team, other = f.team(name="Billing"), f.team(name="Tech")
    lead = f.lead(leads=[team])
    other_lead = f.lead(leads=[other])
    ana = f.agent(teams=[team], time_zone="UTC")
    bo = f.agent(teams=[team])
    week = next_monday()
    s = schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week))
    return {"team": team, "other": other, "lead": lead, "other_lead": other_lead, "ana": ana, "bo": bo, "week": week,
            "schedule": s, "manager": f.manager()}


def _at(week, day: int, hour: int, minute: int = 0) -> datetime:  # type: ignore[no-untyped-def]
    return timezone.make_aware(datetime.combine(week + timedelta(days=day), time(hour, minute)), UTC)


def _shift(w, agent=None, day=0, start=9, end=17):  # type: ignore[no-untyped-def]
    return Shift.objects.create(schedule=w["schedule"], agent=agent or w["ana"], starts_at=_at(w["week"], day, start),
                                ends_at=_at(w["week"], day, end))


def _form(w, agent=None, day=0, start="09:00", end="17:00", **extra):  # type: ignore[no-untyped-def]
    return {"agent": (agent or w["ana"]).pk, "day": (w["week"] + timedelta(days=day)).isoformat(), "start": start, "end": end,
            "note": "", **extra}


# --- adding, moving, deleting shifts -------------------------------------------------------------

def test_lead_adds_a_shift_with_a_break_and_it_is_logged(world, login):
    c = login(world["lead"])
    r = c.post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/",
               _form(world, break1_start="12:00", break1_minutes=30))
    assert r.status_code == 302
    shift = Shift.objects.get(schedule=world["schedule"])
    assert (shift.starts_at, shift.ends_at) == (_at(world["week"], 0, 9), _at(world["week"], 0, 17))
    assert shift.breaks == [{"start": _at(world["week"], 0, 12).isoformat(), "end": _at(world["week"], 0, 12, 30).isoformat(), "paid": False}]
    change = ShiftChange.objects.get(schedule=world["schedule"], kind="added")
    assert change.payload["before"] is None and change.payload["after"]["id"] == shift.pk
    assert change.actor == world["lead"]


def test_an_end_before_the_start_runs_to_the_next_day(world, login):
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world, start="22:00", end="06:00"))
    assert r.status_code == 302
    shift = Shift.objects.get(schedule=world["schedule"])
    assert shift.ends_at - shift.starts_at == timedelta(hours=8)


def test_overlapping_shift_of_the_same_agent_is_refused(world, login):
    _shift(world)
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world, start="16:00", end="20:00"))
    assert r.status_code == 422
    assert b"already works" in r.content
    assert Shift.objects.count() == 1


def test_a_shift_over_approved_time_off_is_refused(world, login):
    TimeOff.objects.create(agent=world["ana"], starts_at=_at(world["week"], 0, 0), ends_at=_at(world["week"], 1, 0),
                           status=TimeOffStatus.APPROVED)
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world))
    assert r.status_code == 422
    assert b"approved time off" in r.content


def test_requested_time_off_does_not_block_a_shift(world, login):
    TimeOff.objects.create(agent=world["ana"], starts_at=_at(world["week"], 0, 0), ends_at=_at(world["week"], 1, 0))
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world))
    assert r.status_code == 302


def test_a_break_outside_the_shift_is_refused(world, login):
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/",
                                  _form(world, break1_start="18:00", break1_minutes=30))
    assert r.status_code == 422
    assert b"inside the shift" in r.content


def test_a_shift_outside_the_week_is_refused(world, login):
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world, day=9))
    assert r.status_code == 422
    assert b"within the schedule" in r.content


def test_a_shift_for_someone_outside_the_team_is_refused(world, login):
    stranger = f.agent(teams=[world["other"]])
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/new/", _form(world, agent=stranger))
    assert r.status_code == 422


def test_moving_a_shift_logs_before_and_after(world, login):
    shift = _shift(world)
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/", _form(world, start="10:00", end="18:00"))
    assert r.status_code == 302
    shift.refresh_from_db()
    assert shift.starts_at == _at(world["week"], 0, 10)
    change = ShiftChange.objects.get(kind="changed")
    assert change.payload["before"]["starts_at"] == _at(world["week"], 0, 9).isoformat()
    assert change.payload["after"]["starts_at"] == _at(world["week"], 0, 10).isoformat()


def test_resizing_a_shift_does_not_clash_with_itself(world, login):
    shift = _shift(world)
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/", _form(world, start="09:00", end="13:00"))
    assert r.status_code == 302


def test_deleting_a_shift_is_logged(world, login):
    shift = _shift(world)
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/delete/")
    assert r.status_code == 302
    assert not Shift.objects.filter(pk=shift.pk).exists()
    assert ShiftChange.objects.get(kind="removed").payload["before"]["id"] == shift.pk


def test_htmx_edit_answers_the_form_partial_and_swaps_the_board_when_saved(world, login):
    shift = _shift(world)
    c = login(world["lead"])
    r = c.get(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"<html" not in r.content and b"Save shift" in r.content
    r = c.post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/", _form(world, start="10:00", end="18:00"),
               HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Retarget"] == "#board-body" and r["HX-Reselect"] == "#board-body"
    assert r["HX-Trigger"] == "shiftSaved" and b"10:00\xe2\x80\x9318:00" in r.content  # the board shows the new times


# --- publish ---------------------------------------------------------------------------------

def test_publish_and_unpublish_are_logged_and_editing_live_says_so(world, login):
    c = login(world["lead"])
    url = f"/workforce/schedules/{world['schedule'].pk}/"
    assert c.post(url + "publish/").status_code == 302
    world["schedule"].refresh_from_db()
    assert world["schedule"].state == ScheduleStatus.PUBLISHED and world["schedule"].published_by == world["lead"]
    assert b"changes are live" in c.get(url).content
    assert c.post(url + "shifts/new/", _form(world)).status_code == 302
    assert c.post(url + "unpublish/").status_code == 302
    kinds = list(ShiftChange.objects.filter(schedule=world["schedule"]).values_list("kind", flat=True))
    assert kinds == ["published", "added", "unpublished"]


def test_a_published_schedule_cannot_be_solved_over(world, login):
    world["schedule"].state = ScheduleStatus.PUBLISHED
    world["schedule"].save()
    r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/solve/")
    assert r.status_code == 422
    assert b"Unpublish" in r.content


def test_solve_queues_the_optimiser(world, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = login(world["lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/solve/")
    assert r.status_code == 302
    world["schedule"].refresh_from_db()
    assert world["schedule"].status == RunStatus.QUEUED
    assert len(callbacks) == 1


# --- creating a schedule -------------------------------------------------------------------------

def test_lead_creates_a_schedule_for_a_monday(world, login, django_capture_on_commit_callbacks):
    plan = world["schedule"].staffing_plan
    data = {"team": world["team"].pk, "week_start": (world["week"] + timedelta(days=7)).isoformat(), "staffing_plan": plan.pk,
            "objective": "cover", "time_limit_s": 10}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        r = login(world["lead"]).post("/workforce/schedules/", data)
    assert r.status_code == 302
    created = Schedule.objects.get(team=world["team"], week_start=world["week"] + timedelta(days=7))
    assert (created.objective, created.time_limit_s, created.status) == ("cover", 10, RunStatus.QUEUED)
    assert len(callbacks) == 1


@pytest.mark.parametrize(("offset", "message"), [(1, b"starts on a Monday"), (0, b"already has a schedule")])
def test_schedule_week_must_be_a_free_monday(world, login, offset, message):
    data = {"team": world["team"].pk, "week_start": (world["week"] + timedelta(days=offset)).isoformat(),
            "staffing_plan": world["schedule"].staffing_plan.pk, "objective": "cover", "time_limit_s": 10}
    r = login(world["lead"]).post("/workforce/schedules/", data)
    assert r.status_code == 422
    assert message in r.content


def test_lead_cannot_create_a_schedule_for_another_team(world, login):
    data = {"team": world["other"].pk, "week_start": world["week"].isoformat(),
            "staffing_plan": world["schedule"].staffing_plan.pk, "objective": "cover", "time_limit_s": 10}
    r = login(world["lead"]).post("/workforce/schedules/", data)
    assert r.status_code == 422  # the team is not among the choices
    assert not Schedule.objects.filter(team=world["other"]).exists()


def test_agent_cannot_create_a_schedule(world, login):
    r = login(world["ana"]).post("/workforce/schedules/", {"team": world["team"].pk})
    assert r.status_code == 403


# --- permissions -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["solve/", "publish/", "unpublish/", "shifts/new/"])
def test_agent_cannot_change_a_published_schedule_of_their_team(world, login, path):
    world["schedule"].state = ScheduleStatus.PUBLISHED
    world["schedule"].save()
    r = login(world["ana"]).post(f"/workforce/schedules/{world['schedule'].pk}/{path}", _form(world))
    assert r.status_code == 403


def test_agent_cannot_edit_or_delete_a_shift(world, login):
    world["schedule"].state = ScheduleStatus.PUBLISHED
    world["schedule"].save()
    shift = _shift(world)
    c = login(world["ana"])
    assert c.post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/", _form(world, start="10:00")).status_code == 403
    assert c.post(f"/workforce/schedules/{world['schedule'].pk}/shifts/{shift.pk}/delete/").status_code == 403
    assert Shift.objects.filter(pk=shift.pk, starts_at=_at(world["week"], 0, 9)).exists()


@pytest.mark.parametrize("path", ["solve/", "publish/", "shifts/new/"])
def test_lead_cannot_touch_another_teams_schedule(world, login, path):
    r = login(world["other_lead"]).post(f"/workforce/schedules/{world['schedule'].pk}/{path}", _form(world))
    assert r.status_code == 403
    world["schedule"].refresh_from_db()
    assert world["schedule"].state == ScheduleStatus.DRAFT and world["schedule"].status == RunStatus.DONE


def test_lead_of_another_team_reads_the_board_without_edit_controls(world, login):
    r = login(world["other_lead"]).get(f"/workforce/schedules/{world['schedule'].pk}/")
    assert r.status_code == 200
    assert b"+ shift" not in r.content and b"Publish" not in r.content


def test_agent_gets_404_for_a_draft_and_reads_a_published_week(world, login):
    c = login(world["ana"])
    url = f"/workforce/schedules/{world['schedule'].pk}/"
    assert c.get(url).status_code == 404
    assert c.get(url + "progress/").status_code == 404
    world["schedule"].state = ScheduleStatus.PUBLISHED
    world["schedule"].save()
    _shift(world)
    r = c.get(url)
    assert r.status_code == 200 and b"09:00" in r.content and b"+ shift" not in r.content


def test_agent_of_another_team_gets_404_for_a_published_week(world, login):
    world["schedule"].state = ScheduleStatus.PUBLISHED
    world["schedule"].save()
    outsider = f.agent(teams=[world["other"]])
    assert login(outsider).get(f"/workforce/schedules/{world['schedule'].pk}/").status_code == 404


def test_agent_list_shows_only_published_weeks_of_their_teams(world, login):
    published = schedule(team=world["team"], week_start=world["week"] - timedelta(days=7), state=ScheduleStatus.PUBLISHED)
    schedule(team=world["other"], week_start=world["week"], state=ScheduleStatus.PUBLISHED)
    r = login(world["ana"]).get("/workforce/schedules/")
    assert r.status_code == 200
    assert [s.pk for s in r.context["page"].object_list] == [published.pk]


def test_missing_things_are_404(world, login):
    c = login(world["lead"])
    other_schedule = schedule(team=world["team"], week_start=world["week"] + timedelta(days=7))
    shift = _shift(world)
    assert c.get("/workforce/schedules/999999/").status_code == 404
    assert c.get(f"/workforce/schedules/{world['schedule'].pk}/shifts/999999/").status_code == 404
    assert c.get(f"/workforce/schedules/{other_schedule.pk}/shifts/{shift.pk}/").status_code == 404
    assert c.get("/workforce/schedules/shift-types/999999/").status_code == 404
    assert c.post("/workforce/schedules/time-off/999999/decide/", {"decision": "approve"}).status_code == 404


def test_customer_gets_403(world, login):
    customer = f.customer(with_login=True).user
    assert login(customer).get("/workforce/schedules/").status_code == 403


# --- pages render ----------------------------------------------------------------------------

def test_board_shows_shifts_breaks_and_coverage(world, login):
    Shift.objects.create(schedule=world["schedule"], agent=world["ana"], starts_at=_at(world["week"], 0, 9), ends_at=_at(world["week"], 0, 17),
                         breaks=[{"start": _at(world["week"], 0, 12).isoformat(), "end": _at(world["week"], 0, 12, 30).isoformat(), "paid": False}])
    world["lead"].time_zone = "UTC"
    world["lead"].save()
    r = login(world["lead"]).get(f"/workforce/schedules/{world['schedule'].pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "09:00\u201317:00" in body and "12:00\u201312:30" in body
    assert "Coverage" in body and 'class="gap"' in body
    assert r.context["board"].rows[0].hours == 7.5


def test_schedule_list_query_count_does_not_grow_with_rows(world, login, django_assert_max_num_queries):
    for i in range(1, 6):
        schedule(team=world["team"], week_start=world["week"] + timedelta(days=7 * i))
    c = login(world["lead"])
    with django_assert_max_num_queries(14):
        assert c.get("/workforce/schedules/").status_code == 200


def test_progress_polls_while_queued_and_reloads_the_board_when_done(world, login):
    c = login(world["lead"])
    url = f"/workforce/schedules/{world['schedule'].pk}/progress/"
    Schedule.objects.filter(pk=world["schedule"].pk).update(status=RunStatus.RUNNING, progress=40, progress_note="Assigning shifts to agents")
    r = c.get(url, HTTP_HX_REQUEST="true")
    assert b"Assigning shifts to agents" in r.content and b"every 2s" in r.content and "HX-Refresh" not in r
    Schedule.objects.filter(pk=world["schedule"].pk).update(status=RunStatus.DONE, progress=100)
    assert c.get(url, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_board_query_count_does_not_grow_with_agents_or_shifts(world, login, django_assert_max_num_queries):
    for day in range(5):
        _shift(world, day=day)
        _shift(world, agent=world["bo"], day=day)
    for _ in range(4):
        f.agent(teams=[world["team"]])
    c = login(world["lead"])
    with django_assert_max_num_queries(15):
        assert c.get(f"/workforce/schedules/{world['schedule'].pk}/").status_code == 200


# --- the board's coverage in words and per interval (#14.12) --------------------------------------


@pytest.fixture
def lopsided(login):  # type: ignore[no-untyped-def]
    """Monday needs 2 agents 9:00-17:00 (2 calls of 5 min per 30 min); five work 9-13, nobody 13-17."""
    team = f.team(name="Returns")
    lead = f.lead(leads=[team], time_zone="UTC")
    week = next_monday()
    s = schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week, volume=2.0, days=1))
    for _ in range(5):
        Shift.objects.create(schedule=s, agent=f.agent(teams=[team]), starts_at=_at(week, 0, 9), ends_at=_at(week, 0, 13))
    return login(lead).get(f"/workforce/schedules/{s.pk}/")


def test_agent_hours_over_in_total_and_short_in_some_intervals_is_said_in_words(lopsided):
    """Before: "20.0 of 16.0 h — 8.0 h short", which reads as a contradiction."""
    body = lopsided.content.decode()
    assert "20 h on shift · 16 h needed" in body
    assert "8 h short in 8 intervals" in body
    assert "enough hours in total, at the wrong times: 12 h more than needed in other intervals" in body


def test_each_intervals_coverage_is_in_a_table_not_only_a_tooltip(lopsided):
    body = lopsided.content.decode()
    monday = lopsided.context["board"].coverage_days[0]
    assert (monday.totals["short_intervals"], monday.totals["intervals"]) == (8, 16)
    assert "8 of 16 intervals short</summary>" in body
    assert "<td>13:00</td><td class=\"num\">0.0</td><td class=\"num\">2</td>" in body
    assert "<td>09:00</td><td class=\"num\">5.0</td><td class=\"num\">2</td>" in body


def test_the_board_has_no_inline_script(world, login):
    body = login(world["lead"]).get(f"/workforce/schedules/{world['schedule'].pk}/").content.decode()
    assert "<script>" not in body and "frontline/schedule-board.js" in body
