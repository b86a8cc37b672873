"""Coaching writes: cadence, sessions with their agenda, focuses and follow-up, action items, reviews and
their sign-off, kudos, onboarding, policies (frontline/coaching/services.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.coaching import agenda, selectors, services
from frontline.coaching.models import ReviewState
from tests import factories as f
from tests.coaching.conftest import NOW, facts


def test_cadence_row_shows_overdue(dept) -> None:  # type: ignore[no-untyped-def]
    services.plan_set(actor=dept["lena"], agent=dept["ann"], cadence="weekly", starts_on=date(2026, 3, 2))
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    services.session_hold(actor=dept["lena"], session=session, at=NOW.replace(day=2))
    rows = {r["person"].username: r for r in selectors.cadence_rows(viewer=dept["lena"], today=date(2026, 3, 12))}
    assert set(rows) == {"ann", "bob"}
    assert rows["ann"]["due"] == date(2026, 3, 9)
    assert rows["ann"]["overdue_days"] == 3
    assert rows["bob"]["plan"] is None


def test_agenda_compares_the_agent_with_the_rest_of_the_team(dept) -> None:  # type: ignore[no-untyped-def]
    start = NOW - timedelta(days=27)
    facts(agent=dept["ann"], team=dept["billing"], first=start, n=20, one_touch=lambda i: i % 2 == 0,
          first_reply_minutes=30.0)
    facts(agent=dept["bob"], team=dept["billing"], first=start, n=20, one_touch=True, first_reply_minutes=10.0)
    built = agenda.agenda_build(agent=dept["ann"], now=NOW)
    lines = {k["key"]: k for k in built["kpis"]}
    fcr = lines["one_touch_rate"]
    assert (fcr["agent"], fcr["team"], fcr["n_agent"], fcr["n_team"]) == (0.5, 1.0, 20, 20)
    assert fcr["delta"] == -0.5 and fcr["low"] < fcr["delta"] < fcr["high"] < 0
    assert fcr["verdict"] == "worsened"  # behind the team, beyond noise
    assert lines["csat"]["verdict"] == "too_little_data"
    assert len(lines["first_reply_median"]["ticket_ids"]) == 20


def test_focus_follow_up_before_and_after(dept) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    focus = services.focus_add(actor=dept["lena"], session=session, behaviour="Confirm before solving",
                               kpi="one_touch_rate", window_days=28)
    day = NOW.replace(day=2, hour=0)
    facts(agent=dept["ann"], team=dept["billing"], first=day - timedelta(days=28), n=40, every=timedelta(hours=16),
          one_touch=lambda i: i % 2 == 0)
    facts(agent=dept["ann"], team=dept["billing"], first=day, n=40, every=timedelta(hours=16),
          one_touch=lambda i: i % 10 != 0)
    result = agenda.focus_followup(focus=focus, now=NOW)
    assert result["days"] == 28 and result["complete"]
    assert result["comparison"].before == 0.5 and result["comparison"].after == 0.9
    assert result["verdict"] == "improved"
    assert result["verdict_words"] == "Improved, larger than noise"


def test_focus_follow_up_while_the_window_runs_uses_equal_shorter_windows(dept) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 25), now=NOW)
    focus = services.focus_add(actor=dept["lena"], session=session, behaviour="Faster first replies",
                               kpi="first_reply_median")
    result = agenda.focus_followup(focus=focus, now=NOW)
    assert result["days"] == 5 and not result["complete"]
    assert result["before_window"] == (date(2026, 3, 20), date(2026, 3, 24))
    assert result["verdict"] == "too_little_data"


def test_focus_needs_a_kpi_and_a_behaviour(dept) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    with pytest.raises(ValidationError) as error:
        services.focus_add(actor=dept["lena"], session=session, behaviour="", kpi="nope")
    assert "behaviour" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.focus_add(actor=dept["lena"], session=session, behaviour="x", kpi="nope")
    assert "kpi" in error.value.message_dict


def test_only_the_agents_lead_or_a_manager_prepares_a_session(dept) -> None:  # type: ignore[no-untyped-def]
    for actor in (dept["tom"], dept["bob"], dept["ann"]):
        with pytest.raises(PermissionDenied):
            services.session_prepare(actor=actor, agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    assert services.session_prepare(actor=dept["boss"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)


def test_action_items_owner_ticks_done(dept) -> None:  # type: ignore[no-untyped-def]
    session = services.session_prepare(actor=dept["lena"], agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    action = services.action_add(actor=dept["lena"], session=session, text="Read the refund SOP", owner=dept["ann"],
                                 due_on=date(2026, 3, 9))
    with pytest.raises(PermissionDenied):
        services.action_set_done(actor=dept["bob"], action=action, done=True)
    services.action_set_done(actor=dept["ann"], action=action, done=True)
    assert action.done_at is not None
    with pytest.raises(ValidationError):
        services.action_add(actor=dept["lena"], session=session, text="x", owner=dept["bob"], due_on=date(2026, 3, 9))


def _rated(review, actor):  # type: ignore[no-untyped-def]
    from frontline.coaching.models import COMPETENCIES

    return services.review_update(actor=actor, review=review, ratings={k: 3 for k, _ in COMPETENCIES},
                                  summary="Solid quarter.")


def test_review_sign_off_flow_and_audit_trail(dept) -> None:  # type: ignore[no-untyped-def]
    lena, ann, boss = dept["lena"], dept["ann"], dept["boss"]
    review = services.review_create(actor=lena, agent=ann, period="quarter", day=date(2026, 2, 10), now=NOW)
    assert (review.first_day, review.last_day) == (date(2026, 1, 1), date(2026, 3, 31))
    with pytest.raises(ValidationError) as error:
        services.review_submit(actor=lena, review=review)
    assert "summary" in error.value.message_dict and "teamwork" in error.value.message_dict
    _rated(review, lena)
    services.review_submit(actor=lena, review=review)
    with pytest.raises(ValidationError):  # a submitted review is not edited in place
        _rated(review, lena)
    with pytest.raises(ValidationError):  # signed off only after the agent acknowledged
        services.review_sign_off(actor=boss, review=review)
    with pytest.raises(PermissionDenied):
        services.review_acknowledge(actor=lena, review=review)
    services.review_acknowledge(actor=ann, review=review, comment="Thanks")
    with pytest.raises(PermissionDenied):
        services.review_sign_off(actor=lena, review=review)
    review = services.review_sign_off(actor=boss, review=review)
    assert review.state == ReviewState.SIGNED_OFF
    with pytest.raises(PermissionDenied):  # only a manager reopens a signed-off review
        services.review_reopen(actor=lena, review=review, reason="typo")
    review = services.review_reopen(actor=boss, review=review, reason="Wrong quarter's CSAT")
    assert review.state == ReviewState.DRAFT and review.signed_off_by is None
    kinds = list(review.events.values_list("kind", flat=True))
    assert kinds == ["created", "edited", "submitted", "acknowledged", "signed_off", "reopened"]
    assert review.events.last().note == "Wrong quarter's CSAT"


def test_review_ratings_are_1_to_5(dept) -> None:  # type: ignore[no-untyped-def]
    review = services.review_create(actor=dept["lena"], agent=dept["ann"], period="half", day=date(2026, 8, 1), now=NOW)
    assert (review.first_day, review.last_day) == (date(2026, 7, 1), date(2026, 12, 31))
    with pytest.raises(ValidationError) as error:
        services.review_update(actor=dept["lena"], review=review, ratings={"teamwork": 9}, summary="")
    assert "teamwork" in error.value.message_dict
    with pytest.raises(ValidationError):  # one review per agent and period
        services.review_create(actor=dept["lena"], agent=dept["ann"], period="half", day=date(2026, 9, 1), now=NOW)


def test_kudos_ticket_must_be_visible_to_the_giver(dept) -> None:  # type: ignore[no-untyped-def]
    tech_ticket = f.ticket(team=dept["tech"], assignee=dept["tia"], notify=False)
    with pytest.raises(ValidationError) as error:
        services.kudos_give(giver=dept["ann"], receiver=dept["bob"], message="Great", ticket_id=tech_ticket.pk)
    assert "ticket" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.kudos_give(giver=dept["ann"], receiver=dept["ann"], message="Me!")
    kudos = services.kudos_give(giver=dept["tia"], receiver=dept["ann"], message="Thanks", ticket_id=tech_ticket.pk)
    assert kudos.ticket == tech_ticket


def test_knowledge_check_pass_mark(dept) -> None:  # type: ignore[no-untyped-def]
    plan = services.training_plan_create(actor=dept["lena"], name="New hire", modules=[
        {"kind": "reading", "title": "Refund SOP", "body": "Read it."},
        {"kind": "check", "title": "Refunds quiz", "pass_percent": 60, "questions": [
            {"text": "Refund within?", "options": ["7 days", "30 days"], "answer": 1},
            {"text": "Who approves over 500?", "options": ["Agent", "Lead"], "answer": 1},
            {"text": "Partial refunds?", "options": ["Yes", "No"], "answer": 0}]}])
    enrolment = services.enrol(actor=dept["lena"], plan=plan, hire=dept["ann"], starts_on=date(2026, 3, 2))
    reading, check = plan.modules.all()
    with pytest.raises(PermissionDenied):
        services.module_complete(actor=dept["lena"], enrolment=enrolment, module=reading)
    services.module_complete(actor=dept["ann"], enrolment=enrolment, module=reading)
    failed = services.module_complete(actor=dept["ann"], enrolment=enrolment, module=check, answers=[0, 1, 1])
    assert (failed.score_percent, failed.passed) == (33, False)
    passed = services.module_complete(actor=dept["ann"], enrolment=enrolment, module=check, answers=[1, 1, 1])
    assert (passed.score_percent, passed.passed, passed.attempts) == (67, True, 2)
    assert selectors.enrolment_progress(enrolment=enrolment)["done"] == 2


def test_policy_versions_acknowledgements_and_reminders(dept) -> None:  # type: ignore[no-untyped-def]
    v1 = services.policy_publish(actor=dept["boss"], title="Refunds", body="# Refunds\nUp to 30 days.",
                                 effective_on=date(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        services.policy_publish(actor=dept["lena"], title="Other", body="x", effective_on=date(2026, 3, 1))
    services.policy_acknowledge(actor=dept["ann"], version=v1)
    v2 = services.policy_publish(actor=dept["boss"], title="", policy=v1.policy, body="Up to 45 days.",
                                 effective_on=date(2026, 4, 1), change_note="45 days")
    assert v2.number == 2
    assert list(selectors.policy_versions_to_ack(user=dept["ann"])) == [v2]  # a new version asks again
    services.policy_acknowledge(actor=dept["bob"], version=v2)
    missing, done = selectors.policy_ack_status(version=v2, viewer=dept["lena"])
    assert [p.username for p in missing] == ["ann"] and [p.username for p, _ in done] == ["bob"]
    assert services.policy_remind(actor=dept["lena"], version=v2) == 1
    assert dept["ann"].policy_reminders.get().version == v2
    with pytest.raises(PermissionDenied):
        services.policy_remind(actor=dept["ann"], version=v2)
