"""Rubric versions, scoring and submitting a review, the agent's response and the dispute's resolution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontline.desk.models import EventKind, TicketEvent
from frontline.quality import selectors, services
from frontline.quality.models import AgentResponse, Criterion, Dispute, Review
from frontline.quality.services import CriterionSpec, ScoreIn, SectionSpec

from .conftest import SECTIONS, full_scores, handled_ticket, submitted_review

pytestmark = pytest.mark.django_db


def test_editing_a_rubric_in_use_makes_a_new_version_and_old_reviews_keep_theirs(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a)
    new = services.rubric_edit(rubric=world.version.rubric, actor=world.manager, note="Empathy weighs more",
                               sections=(SectionSpec("All", (CriterionSpec("Shows empathy", scale="one_five", weight=5),)),))
    review.refresh_from_db()
    assert (new.number, review.version_id, review.version.criteria.count()) == (2, world.version.pk, 4)
    assert selectors.rubric_current_version(rubric=world.version.rubric) == new


def test_editing_an_unused_rubric_rewrites_its_version(world) -> None:  # type: ignore[no-untyped-def]
    same = services.rubric_edit(rubric=world.version.rubric, actor=world.manager, sections=SECTIONS[:1])
    assert (same.pk, same.criteria.count()) == (world.version.pk, 2)


def test_rubric_validation_names_fields(world) -> None:  # type: ignore[no-untyped-def]
    bad = (SectionSpec("X", (CriterionSpec("A", weight=101), CriterionSpec("A", auto_check="mind_reading"),
                             CriterionSpec("B", scale="1-10"))),)
    with pytest.raises(ValidationError) as caught:
        services.rubric_create(name="Bad", sections=bad, actor=world.manager)
    assert set(caught.value.message_dict) == {"weight", "criteria", "auto_check", "scale"}


def test_only_managers_write_rubrics(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.rubric_create(name="Mine", sections=SECTIONS, actor=world.lead_a)


def test_submitting_computes_the_total_and_writes_an_event_without_scores(world) -> None:  # type: ignore[no-untyped-def]
    # greets yes (1/1), empathy N/A, correct 3 (1.5/3), no leak yes (1/1) → 3.5 / 5 = 70 %
    review = submitted_review(world, world.agent_a, world.lead_a, shows_empathy=None, correct_answer=3)
    event = TicketEvent.objects.get(ticket=review.ticket, kind=EventKind.QA_REVIEWED)
    assert review.total == pytest.approx(70.0)
    assert event.payload["review"] == review.pk
    # The score is not in the ticket's history (the reviewer's generated username may hold a "70").
    summary = event.payload["summary"].replace(world.lead_a.display_name, "")
    assert "70" not in summary and "Good work" not in str(event.payload)
    assert "Watch tone" not in str(event.payload)


def test_auto_fail_makes_the_total_zero(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a, no_data_leak=0)
    assert (review.total, review.auto_failed) == (0.0, True)


def test_submit_refuses_unscored_and_off_scale_and_foreign_messages(world) -> None:  # type: ignore[no-untyped-def]
    ticket = handled_ticket(world.agent_a)
    other = handled_ticket(world.agent_a)
    review = services.review_start(ticket=ticket, agent=world.agent_a, version=world.version, reviewer=world.lead_a)
    first = world.version.criteria.first()
    with pytest.raises(ValidationError, match="left"):
        services.review_save(review=review, actor=world.lead_a, scores={first.pk: ScoreIn(value=1)}, submit=True)
    correct = Criterion.objects.get(version=world.version, key="correct-answer")
    with pytest.raises(ValidationError) as caught:
        services.review_save(review=review, actor=world.lead_a, scores={
            correct.pk: ScoreIn(value=9), first.pk: ScoreIn(value=1, message_id=other.messages.first().pk)})
    assert set(caught.value.message_dict) == {f"score_{correct.pk}", f"score_{first.pk}"}
    assert not review.scores.exists()


def test_a_lead_cannot_review_another_teams_agent_nor_an_agent_anyone(world) -> None:  # type: ignore[no-untyped-def]
    ticket = handled_ticket(world.agent_b)
    with pytest.raises(PermissionDenied):
        services.review_start(ticket=ticket, agent=world.agent_b, version=world.version, reviewer=world.lead_a)
    with pytest.raises(PermissionDenied):
        services.review_start(ticket=ticket, agent=world.agent_b, version=world.version, reviewer=world.agent_a)


def test_only_the_reviewer_edits(world) -> None:  # type: ignore[no-untyped-def]
    review = services.review_start(ticket=handled_ticket(world.agent_a), agent=world.agent_a, version=world.version,
                                   reviewer=world.lead_a)
    with pytest.raises(PermissionDenied):
        services.review_save(review=review, actor=world.manager, scores={})


def test_acknowledge_then_no_second_response(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a)
    services.review_acknowledge(review=review, actor=world.agent_a)
    with pytest.raises(ValidationError):
        services.review_dispute(review=review, actor=world.agent_a, reason="Changed my mind")
    with pytest.raises(ValidationError):
        services.review_save(review=review, actor=world.lead_a, scores={}, submit=True)


def test_only_the_agent_responds(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a)
    with pytest.raises(PermissionDenied):
        services.review_acknowledge(review=review, actor=world.agent_a2)


def test_dispute_resolved_with_changed_scores(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a, shows_empathy=None, correct_answer=1)
    with pytest.raises(ValidationError, match="disagree"):
        services.review_dispute(review=review, actor=world.agent_a, reason="  ")
    services.review_dispute(review=review, actor=world.agent_a, reason="The answer was right: see the policy.")
    with pytest.raises(PermissionDenied):
        services.dispute_resolve(review=review, actor=world.lead_b, note="No")
    dispute = services.dispute_resolve(review=review, actor=world.lead_a, note="You are right.",
                                       scores=full_scores(world.version))
    review.refresh_from_db()
    assert (dispute.outcome, dispute.total_before, review.total) == (Dispute.Outcome.CHANGED, 40.0, 100.0)
    assert review.agent_response == AgentResponse.RESOLVED
    with pytest.raises(ValidationError):
        services.dispute_resolve(review=review, actor=world.lead_a, note="Again")


def test_dispute_upheld_keeps_scores(world) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a, shows_empathy=None, correct_answer=1)
    services.review_dispute(review=review, actor=world.agent_a, reason="Unfair")
    dispute = services.dispute_resolve(review=review, actor=world.manager, note="The refund policy says otherwise.")
    assert (dispute.outcome, Review.objects.get(pk=review.pk).total) == (Dispute.Outcome.UPHELD, 40.0)


def test_reviews_for_agent_and_criterion_scores_follow_the_key_across_versions(world) -> None:  # type: ignore[no-untyped-def]
    submitted_review(world, world.agent_a, world.lead_a, correct_answer=3)
    submitted_review(world, world.agent_a2, world.lead_a)  # someone else's: not counted
    new = services.rubric_edit(rubric=world.version.rubric, actor=world.manager,
                               sections=(SectionSpec("All", (CriterionSpec("Correct answer", scale="one_five", weight=5),)),))
    ticket = handled_ticket(world.agent_a)
    review = services.review_start(ticket=ticket, agent=world.agent_a, version=new, reviewer=world.lead_a)
    services.review_save(review=review, actor=world.lead_a, scores=full_scores(new), submit=True)
    now = timezone.now()
    since, until = now - timedelta(days=1), now + timedelta(seconds=1)
    old_criterion = Criterion.objects.get(version=world.version, key="correct-answer")
    rows = selectors.criterion_scores(world.agent_a, [old_criterion.pk], since, until)
    assert [(r.criterion_id, r.value, r.fraction) for r in rows] == [(old_criterion.pk, 3, 0.5), (old_criterion.pk, 5, 1.0)]
    assert selectors.reviews_for_agent(world.agent_a, since, until).count() == 2
    assert selectors.reviews_for_agent(world.agent_a, now + timedelta(seconds=1), now + timedelta(days=1)).count() == 0
