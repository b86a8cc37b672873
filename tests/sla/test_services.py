"""Policies applied to tickets, clocks moved by the desk's events, the periodic check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from frontline.core import background
from frontline.desk import services as desk
from frontline.desk.models import EventKind, TicketEvent
from frontline.engine.businesstime import Pause, business_due, calendar_from_dict
from frontline.sla.models import ClockState, SLAApplication, SLAClock
from frontline.sla.services import sla_clocks_check
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db

# Friday 16:00 UTC; office hours Mon-Fri 09:00-17:00 UTC.
T0 = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def _clock(ticket, kind: str, sequence: int = 0) -> SLAClock:  # type: ignore[no-untyped-def]
    return SLAClock.objects.get(ticket=ticket, kind=kind, sequence=sequence)


def test_due_times_are_the_engines_on_the_policys_calendar():
    cal = sf.calendar(hours=sf.OFFICE_HOURS, holidays=["2026-12-07"])
    sf.policy(cal=cal, first_reply=120, resolution=600)
    ticket = f.ticket(at=T0)
    engine_cal = calendar_from_dict(cal.as_dict())
    assert (_clock(ticket, "first_reply").due_at, _clock(ticket, "resolution").due_at) == (
        business_due(start=T0, minutes=120, calendar=engine_cal),
        business_due(start=T0, minutes=600, calendar=engine_cal),
    )


def test_the_first_matching_policy_by_position_applies():
    sf.policy(name="Normal", position=2, priorities=["normal"])
    sf.policy(name="Urgent", position=1, priorities=["urgent"])
    sf.policy(name="Everything", position=3)
    urgent = f.ticket(priority="urgent", at=T0)
    low = f.ticket(priority="low", at=T0)
    names = [SLAApplication.objects.get(ticket=t).policy_name for t in (urgent, low)]
    assert names == ["Urgent", "Everything"]


def test_a_ticket_no_policy_matches_has_no_clock():
    sf.policy(priorities=["urgent"])
    ticket = f.ticket(priority="low", at=T0)
    assert (SLAApplication.objects.filter(ticket=ticket).count(), SLAClock.objects.filter(ticket=ticket).count()) == (0, 0)


def test_tier_matches_the_requester_or_their_company():
    sf.policy(name="VIP", tiers=["gold"])
    gold_company = f.company(tier="gold")
    ticket = f.ticket(requester=f.customer(company=gold_company), at=T0)
    assert SLAApplication.objects.get(ticket=ticket).policy_name == "VIP"


def test_the_first_public_agent_reply_meets_the_first_reply_target():
    sf.policy()
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="On it", at=at(30))
    clock = _clock(ticket, "first_reply")
    assert (clock.state, clock.stopped_at) == (ClockState.MET, at(30))


def test_an_internal_note_does_not_stop_the_first_reply_clock():
    sf.policy()
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Looking", public=False, at=at(30))
    assert _clock(ticket, "first_reply").stopped_at is None


def test_a_late_reply_is_breached_at_the_due_time():
    sf.policy(first_reply=60)
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Sorry", at=at(90))
    clock = _clock(ticket, "first_reply")
    assert (clock.state, clock.breached_at) == (ClockState.BREACHED, at(60))


def test_pending_pauses_the_clock_and_the_due_time_moves_by_the_pause():
    sf.policy(resolution=120)
    ticket = f.ticket(at=T0)
    agent = f.agent()
    desk.ticket_status_change(ticket=ticket, status=f.status("pending"), actor=agent, at=at(10))
    paused = _clock(ticket, "resolution")
    desk.ticket_status_change(ticket=ticket, status=f.status("open"), actor=agent, at=at(70))
    resumed = _clock(ticket, "resolution")
    assert (paused.state, paused.due_at, resumed.state, resumed.due_at, resumed.paused_minutes) == (
        ClockState.PAUSED, None, ClockState.RUNNING, at(180), 60.0,
    )


def test_the_due_time_with_a_pause_is_the_engines():
    cal = sf.calendar(hours=sf.OFFICE_HOURS)
    sf.policy(cal=cal, resolution=240)
    ticket = f.ticket(at=T0)
    agent = f.agent()
    desk.ticket_status_change(ticket=ticket, status=f.status("on_hold"), actor=agent, at=at(30))
    desk.ticket_status_change(ticket=ticket, status=f.status("open"), actor=agent, at=at(24 * 60))
    expected = business_due(start=T0, minutes=240, calendar=calendar_from_dict(cal.as_dict()),
                            pauses=[Pause(start=at(30), end=at(24 * 60))])
    assert _clock(ticket, "resolution").due_at == expected


def test_a_reopen_resumes_resolution_without_the_solved_time():
    sf.policy(resolution=120)
    ticket = f.ticket(at=T0)
    agent = f.agent()
    desk.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent, at=at(30))
    solved = _clock(ticket, "resolution")
    desk.ticket_status_change(ticket=ticket, status=f.status("open"), actor=agent, at=at(100))
    reopened = _clock(ticket, "resolution")
    assert (solved.state, reopened.state, reopened.stopped_at, reopened.due_at) == (
        ClockState.MET, ClockState.RUNNING, None, at(190),
    )


def test_a_customer_message_after_an_agent_reply_opens_a_next_reply_clock():
    sf.policy(next_reply=45)
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Try this", at=at(10))
    desk.ticket_reply(ticket=ticket, author=None, customer=ticket.requester, body="Did not work", at=at(20))
    clock = _clock(ticket, "next_reply", 1)
    assert (clock.started_at, clock.due_at, clock.state) == (at(20), at(65), ClockState.RUNNING)


def test_re_evaluation_on_a_priority_change_keeps_elapsed_time():
    sf.policy(name="Urgent", position=1, priorities=["urgent"], resolution=60)
    sf.policy(name="Default", position=2, resolution=480)
    ticket = f.ticket(at=T0)
    desk.ticket_priority_change(ticket=ticket, priority="urgent", actor=f.agent(), at=at(20))
    applications = list(SLAApplication.objects.filter(ticket=ticket).values_list("policy_name", "superseded_at"))
    assert (applications, _clock(ticket, "resolution").due_at) == (
        [("Default", at(20)), ("Urgent", None)], at(60),
    )


def test_editing_a_policy_does_not_rewrite_what_was_applied():
    policy = sf.policy(resolution=480)
    ticket = f.ticket(at=T0)
    policy.resolution_minutes = 30
    policy.save()
    desk.ticket_status_change(ticket=ticket, status=f.status("pending"), actor=f.agent(), at=at(5))
    desk.ticket_status_change(ticket=ticket, status=f.status("open"), actor=f.agent(), at=at(6))
    assert (SLAApplication.objects.get(ticket=ticket).resolution_minutes, _clock(ticket, "resolution").due_at) == (
        480, at(481),
    )


def test_a_stopped_clock_keeps_its_result_when_the_policy_changes():
    sf.policy(name="Urgent", position=1, priorities=["urgent"], first_reply=5)
    sf.policy(name="Default", position=2, first_reply=60)
    ticket = f.ticket(at=T0)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Hello", at=at(30))
    desk.ticket_priority_change(ticket=ticket, priority="urgent", actor=f.agent(), at=at(40))
    clock = _clock(ticket, "first_reply")
    assert (clock.state, clock.target_minutes) == (ClockState.MET, 60)


def test_the_check_writes_each_event_once_and_stores_the_breach():
    sf.policy(first_reply=60, next_reply=None, resolution=None)
    ticket = f.ticket(at=T0)
    first = sla_clocks_check(now=at(50))
    second = sla_clocks_check(now=at(61))
    third = sla_clocks_check(now=at(200))
    kinds = list(TicketEvent.objects.filter(ticket=ticket, kind__startswith="sla_").values_list("kind", flat=True))
    clock = _clock(ticket, "first_reply")
    assert ((first.at_risk, first.breached), (second.at_risk, second.breached), (third.at_risk, third.breached),
            kinds, clock.state, clock.breached_at) == (
        (1, 0), (0, 1), (0, 0),
        [EventKind.SLA_APPLIED, EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED], ClockState.BREACHED, at(60),
    )


def test_an_announced_breach_stands_after_the_reply():
    sf.policy(first_reply=60)
    ticket = f.ticket(at=T0)
    sla_clocks_check(now=at(61))
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Late", at=at(70))
    clock = _clock(ticket, "first_reply")
    assert (clock.state, clock.stopped_at, clock.breached_at) == (ClockState.BREACHED, at(70), at(60))


def test_a_calendar_with_no_working_time_is_refused_with_a_clear_error():
    cal = sf.calendar(hours={})
    with pytest.raises(ValidationError, match="no working time"):
        cal.full_clean()


def test_overlapping_intervals_are_refused():
    cal = sf.calendar(hours={"0": [["09:00", "12:00"], ["11:00", "13:00"]]})
    with pytest.raises(ValidationError, match="overlaps"):
        cal.full_clean()


def test_a_target_of_zero_is_refused():
    policy = sf.policy(first_reply=0)
    with pytest.raises(ValidationError) as raised:
        policy.full_clean()
    assert "first_reply_minutes" in raised.value.message_dict


def test_a_policy_without_targets_is_refused():
    policy = sf.policy(first_reply=None, next_reply=None, resolution=None)
    with pytest.raises(ValidationError, match="at least one target"):
        policy.full_clean()


def test_a_rolled_back_desk_change_leaves_no_clock():
    sf.policy()
    with pytest.raises(RuntimeError), transaction.atomic():
        f.ticket(at=T0)
        raise RuntimeError("the request failed after the ticket was written")
    assert (SLAApplication.objects.count(), SLAClock.objects.count()) == (0, 0)


def test_the_check_is_a_periodic_task():
    assert background.periodic()["sla.check"] == 60
