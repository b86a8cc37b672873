"""Each line of who sees what, crossed through pages by id, lists, counts and filters."""

from __future__ import annotations

from datetime import date

import pytest

from frontline.coaching import services
from frontline.coaching.models import COMPETENCIES
from tests import factories as f
from tests.coaching.conftest import NOW


@pytest.fixture
def world(dept):  # type: ignore[no-untyped-def]
    lena, tom, boss = dept["lena"], dept["tom"], dept["boss"]
    ann_session = services.session_prepare(actor=lena, agent=dept["ann"], scheduled_on=date(2026, 3, 2), now=NOW)
    services.session_notes_save(actor=lena, session=ann_session, shared_notes="SHARED-ANN",
                                private_notes="PRIVATE-ANN")
    action = services.action_add(actor=lena, session=ann_session, text="ACTION-ANN", owner=dept["ann"],
                                 due_on=date(2026, 3, 9))
    tia_session = services.session_prepare(actor=tom, agent=dept["tia"], scheduled_on=date(2026, 3, 3), now=NOW)
    services.session_notes_save(actor=tom, session=tia_session, shared_notes="SHARED-TIA", private_notes="PRIVATE-TIA")
    lena_session = services.session_prepare(actor=boss, agent=lena, scheduled_on=date(2026, 3, 4), now=NOW)
    services.session_notes_save(actor=boss, session=lena_session, shared_notes="SHARED-LENA",
                                private_notes="PRIVATE-LENA")
    review = services.review_create(actor=lena, agent=dept["ann"], period="quarter", day=date(2026, 2, 1), now=NOW)
    tia_review = services.review_create(actor=tom, agent=dept["tia"], period="quarter", day=date(2026, 2, 1), now=NOW)
    return {**dept, "ann_session": ann_session, "tia_session": tia_session, "lena_session": lena_session,
            "action": action, "review": review, "tia_review": tia_review}


def test_agent_sees_own_session_without_private_notes(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world["ann"]).get(f"/coaching/sessions/{world['ann_session'].pk}/")
    assert page.status_code == 200
    assert b"SHARED-ANN" in page.content and b"PRIVATE-ANN" not in page.content


def test_agent_cannot_open_a_colleagues_session_person_page_or_action(world, login) -> None:  # type: ignore[no-untyped-def]
    bob = login(world["bob"])
    assert bob.get(f"/coaching/sessions/{world['ann_session'].pk}/").status_code == 404
    assert bob.get(f"/coaching/people/{world['ann'].pk}/").status_code == 404
    assert bob.post(f"/coaching/actions/{world['action'].pk}/done/", {"done": "1"}).status_code == 404
    assert bob.post(f"/coaching/sessions/{world['ann_session'].pk}/notes/", {"shared_notes": "x"}).status_code == 404
    effects = bob.get(f"/coaching/effects/?person={world['ann'].pk}")
    assert b"SHARED-ANN" not in effects.content and world["ann"].display_name.encode() not in effects.content


def test_agent_cannot_write_their_own_session_notes(world, login) -> None:  # type: ignore[no-untyped-def]
    ann = login(world["ann"])
    assert ann.post(f"/coaching/sessions/{world['ann_session'].pk}/notes/",
                    {"shared_notes": "mine", "private_notes": ""}).status_code == 403
    assert ann.post(f"/coaching/people/{world['ann'].pk}/sessions/new/", {"scheduled_on": "2026-03-09"}).status_code == 403


def test_lead_sees_their_team_with_private_notes_not_other_teams(world, login) -> None:  # type: ignore[no-untyped-def]
    lena = login(world["lena"])
    page = lena.get(f"/coaching/sessions/{world['ann_session'].pk}/")
    assert b"PRIVATE-ANN" in page.content
    assert lena.get(f"/coaching/sessions/{world['tia_session'].pk}/").status_code == 404
    assert lena.get(f"/coaching/people/{world['tia'].pk}/").status_code == 404
    assert lena.get(f"/coaching/reviews/{world['tia_review'].pk}/").status_code == 404
    home = lena.get("/coaching/")
    assert world["tia"].display_name.encode() not in home.content and world["ann"].display_name.encode() in home.content
    reviews = lena.get("/coaching/reviews/?state=draft")
    assert f'/coaching/reviews/{world["review"].pk}/'.encode() in reviews.content
    assert f'/coaching/reviews/{world["tia_review"].pk}/'.encode() not in reviews.content


def test_lead_is_an_agent_for_their_own_coaching(world, login) -> None:  # type: ignore[no-untyped-def]
    lena = login(world["lena"])
    page = lena.get(f"/coaching/sessions/{world['lena_session'].pk}/")
    assert b"SHARED-LENA" in page.content and b"PRIVATE-LENA" not in page.content
    assert lena.post(f"/coaching/sessions/{world['lena_session'].pk}/notes/",
                     {"shared_notes": "x", "private_notes": "y"}).status_code == 403


def test_manager_sees_everyone(world, login) -> None:  # type: ignore[no-untyped-def]
    boss = login(world["boss"])
    for key in ("ann_session", "tia_session", "lena_session"):
        assert b"PRIVATE-" in boss.get(f"/coaching/sessions/{world[key].pk}/").content
    assert boss.get(f"/coaching/reviews/{world['tia_review'].pk}/").status_code == 200


def test_agent_sees_no_draft_review_until_submitted(world, login) -> None:  # type: ignore[no-untyped-def]
    ann = login(world["ann"])
    review = world["review"]
    assert ann.get(f"/coaching/reviews/{review.pk}/").status_code == 404
    assert b"No reviews" in ann.get("/coaching/reviews/").content
    services.review_update(actor=world["lena"], review=review, ratings={k: 4 for k, _ in COMPETENCIES}, summary="Good")
    services.review_submit(actor=world["lena"], review=review)
    assert ann.get(f"/coaching/reviews/{review.pk}/").status_code == 200
    assert login(world["bob"]).get(f"/coaching/reviews/{review.pk}/").status_code == 404
    assert login(world["bob"]).post(f"/coaching/reviews/{review.pk}/acknowledge/").status_code == 404
    # the lead cannot acknowledge for the agent, nor a lead sign off
    assert login(world["lena"]).post(f"/coaching/reviews/{review.pk}/acknowledge/").status_code == 403


def test_review_list_counts_only_visible(world, login) -> None:  # type: ignore[no-untyped-def]
    tom_page = login(world["tom"]).get("/coaching/reviews/")
    assert world["ann"].display_name.encode() not in tom_page.content
    assert b"of 1" in tom_page.content


def test_kudos_feed_is_the_teams(world, login) -> None:  # type: ignore[no-untyped-def]
    services.kudos_give(giver=world["ann"], receiver=world["bob"], message="KUDOS-BILLING")
    services.kudos_give(giver=world["tia"], receiver=world["tom"], message="KUDOS-TECH")
    bob = login(world["bob"]).get("/coaching/kudos/")
    assert b"KUDOS-BILLING" in bob.content and b"KUDOS-TECH" not in bob.content
    boss = login(world["boss"]).get("/coaching/kudos/")
    assert b"KUDOS-BILLING" in boss.content and b"KUDOS-TECH" in boss.content


def test_policy_ack_status_only_for_own_people(world, login) -> None:  # type: ignore[no-untyped-def]
    version = services.policy_publish(actor=world["boss"], title="Refunds", body="Text", effective_on=date(2026, 3, 1))
    lena = login(world["lena"]).get(f"/coaching/policies/{version.pk}/")
    assert world["ann"].display_name.encode() in lena.content and world["tia"].display_name.encode() not in lena.content
    ann = login(world["ann"])
    assert b"Who has acknowledged" not in ann.get(f"/coaching/policies/{version.pk}/").content
    assert ann.post(f"/coaching/policies/{version.pk}/remind/").status_code == 403
    assert ann.post(f"/coaching/policies/{version.pk}/publish/", {"body": "x", "effective_on": "2026-04-01"}
                    ).status_code == 403


def test_customers_get_nothing(world, login) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    client = login(customer.user)
    for url in ("/coaching/", f"/coaching/sessions/{world['ann_session'].pk}/", "/coaching/kudos/",
                "/coaching/policies/", "/coaching/reviews/"):
        assert client.get(url).status_code == 403


def test_effects_filter_cannot_reach_another_team(world, login) -> None:  # type: ignore[no-untyped-def]
    services.focus_add(actor=world["tom"], session=world["tia_session"], behaviour="FOCUS-TIA", kpi="csat")
    services.focus_add(actor=world["lena"], session=world["ann_session"], behaviour="FOCUS-ANN", kpi="csat")
    lena = login(world["lena"])
    assert b"FOCUS-TIA" not in lena.get(f"/coaching/effects/?person={world['tia'].pk}").content
    assert b"FOCUS-ANN" in lena.get("/coaching/effects/").content
    assert b"FOCUS-TIA" not in lena.get("/coaching/effects/").content
    assert b"FOCUS-TIA" in login(world["boss"]).get("/coaching/effects/").content


def test_agent_cannot_edit_or_sign_off_and_leads_cannot_cross_teams(world, login) -> None:  # type: ignore[no-untyped-def]
    review = world["review"]
    ann = login(world["ann"])
    services.review_update(actor=world["lena"], review=review, ratings={k: 4 for k, _ in COMPETENCIES}, summary="Good")
    services.review_submit(actor=world["lena"], review=review)
    assert ann.post(f"/coaching/reviews/{review.pk}/reopen/", {"reason": "I disagree"}).status_code == 403
    assert ann.post(f"/coaching/reviews/{review.pk}/sign-off/").status_code == 403
    tom = login(world["tom"])
    assert tom.post(f"/coaching/people/{world['ann'].pk}/reviews/new/", {"period": "quarter", "day": "2026-05-01"}
                    ).status_code == 404
    assert tom.post(f"/coaching/people/{world['ann'].pk}/plan/", {"cadence": "weekly", "starts_on": "2026-05-01"}
                    ).status_code == 404


def test_onboarding_is_the_hires_and_their_leads(world, login) -> None:  # type: ignore[no-untyped-def]
    plan = services.training_plan_create(actor=world["lena"], name="Plan", modules=[
        {"kind": "reading", "title": "READ-ME"}])
    enrolment = services.enrol(actor=world["lena"], plan=plan, hire=world["ann"], starts_on=date(2026, 3, 2))
    module = plan.modules.get()
    assert login(world["bob"]).get(f"/coaching/onboarding/{enrolment.pk}/").status_code == 404
    assert login(world["bob"]).post(f"/coaching/onboarding/{enrolment.pk}/modules/{module.pk}/").status_code == 404
    assert login(world["tom"]).get(f"/coaching/onboarding/{enrolment.pk}/").status_code == 404
    assert b"READ-ME" in login(world["lena"]).get(f"/coaching/onboarding/{enrolment.pk}/").content
    assert login(world["lena"]).post(f"/coaching/onboarding/{enrolment.pk}/modules/{module.pk}/").status_code == 403
    assert login(world["ann"]).post(f"/coaching/onboarding/{enrolment.pk}/modules/{module.pk}/").status_code == 302
