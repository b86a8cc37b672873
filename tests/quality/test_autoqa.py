"""Auto-QA in the app: the Interaction built from a ticket, the incremental run, queue policies,
results beside the review, and agreement with reviewers checked by hand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from frontline.desk.models import EventKind, TicketEvent
from frontline.desk.services import ticket_reply, ticket_status_change
from frontline.quality import autoqa, services
from frontline.quality.models import AutoCheck, AutoQaPolicy, Criterion
from frontline.quality.services import ScoreIn
from tests import factories as f

from .conftest import full_scores

pytestmark = pytest.mark.django_db


def conversation(agent, *, greet=True, queue=None, escalate=False):  # type: ignore[no-untyped-def]
    at = timezone.now() - timedelta(days=2)
    ticket = f.ticket(team=agent.teams.first(), assignee=agent, queue=queue, at=at, notify=False,
                      body="This is terrible, my order is late again and nobody answers!")
    if escalate:
        TicketEvent.objects.create(ticket=ticket, kind=EventKind.ESCALATED, created_at=at, payload={"summary": "x"})
    body = ("Hello Sam, I'm sorry about the delay. Per our refund policy you get a refund today. Best regards"
            if greet else "Refund sent.")
    ticket_reply(ticket=ticket, author=agent, body=body, at=at + timedelta(hours=1), notify=False)
    return ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent, at=at + timedelta(hours=2))


def test_interaction_from_a_ticket(world) -> None:  # type: ignore[no-untyped-def]
    ticket = conversation(world.agent_a, escalate=True)
    [(ticket_id, last, interaction)] = list(autoqa.interactions([ticket.pk]))
    assert ticket_id == ticket.pk and interaction.escalated
    assert [(t.role, t.public) for t in interaction.turns] == [("customer", True), ("agent", True)]
    assert last == interaction.turns[-1].at


def test_run_is_incremental_and_stores_every_check(world) -> None:  # type: ignore[no-untyped-def]
    good, bad = conversation(world.agent_a), conversation(world.agent_a, greet=False)
    f.ticket(team=world.team_a, notify=False)  # open: not checked
    assert autoqa.autoqa_run() == 2
    outcomes = {c.check_name: c.outcome for c in AutoCheck.objects.filter(ticket=good)}
    assert len(outcomes) == 8 and outcomes["greeting"] == "pass" and outcomes["empathy"] == "pass"
    assert AutoCheck.objects.get(ticket=bad, check_name="greeting").outcome == "fail"
    assert autoqa.autoqa_run() == 0  # nothing new
    ticket_reply(ticket=bad, author=world.agent_a, body="Hello again, all done. Kind regards", notify=False)
    ticket_status_change(ticket=bad, status=f.status("solved"), actor=world.agent_a)
    assert autoqa.autoqa_run() == 1


def test_queue_policy_overrides_the_global_one(world) -> None:  # type: ignore[no-untyped-def]
    queue = f.queue(team=world.team_a)
    AutoQaPolicy.objects.create(queue=None, required_phrases="refund policy")
    AutoQaPolicy.objects.create(queue=queue, required_phrases="case number")
    plain, queued = conversation(world.agent_a), conversation(world.agent_a, queue=queue)
    call_command("quality_autoqa", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert AutoCheck.objects.get(ticket=plain, check_name="required_phrases").outcome == "pass"
    assert AutoCheck.objects.get(ticket=queued, check_name="required_phrases").outcome == "fail"


def test_agreement_with_reviewers_by_hand(world, login) -> None:  # type: ignore[no-untyped-def]
    greets = Criterion.objects.get(version=world.version, key="greets-the-customer")  # auto_check greeting
    tickets = [conversation(world.agent_a, greet=g) for g in (True, True, False, False)]
    autoqa.autoqa_run()
    # Reviewer: yes, no, no, yes  vs auto: pass, pass, fail, fail -> agree on 2 of 4.
    for ticket, human in zip(tickets, (1, 0, 0, 1), strict=True):
        review = services.review_start(ticket=ticket, agent=world.agent_a, version=world.version, reviewer=world.lead_a)
        scores = {**full_scores(world.version), greets.pk: ScoreIn(value=human)}
        services.review_save(review=review, actor=world.lead_a, scores=scores, submit=True)
    [row] = [a for a in autoqa.agreement(viewer=world.lead_a) if a.check == "greeting"]
    # Cohen's kappa by hand: p_o = 0.5; each rater says pass half the time, p_e = 0.5 -> kappa 0.
    assert (row.n, row.percent, row.kappa, row.auto_fail_human_pass, row.auto_pass_human_fail) == (4, 0.5, 0.0, 1, 1)
    assert autoqa.agreement(viewer=world.lead_b) == []
    client = login(world.lead_a)
    assert "Auto-QA against reviewers" in client.get("/quality/").content.decode()
    review_page = client.get(f"/quality/reviews/{tickets[0].qa_reviews.get().pk}/").content.decode()
    assert 'id="autoqa"' in review_page and "rubric: Greets the customer" in review_page


def test_evidence_times_are_in_the_viewers_zone_as_elsewhere(world, login) -> None:  # type: ignore[no-untyped-def]
    ticket = conversation(world.agent_a)
    autoqa.autoqa_run()
    AutoCheck.objects.filter(ticket=ticket, check_name="reply_time").update(
        outcome="pass", evidence="first reply 2026-12-07T09:20:00+00:00, due 2026-12-07T09:30:00+00:00 (10 min "
                                 "before) <b>x</b>")
    review = services.review_start(ticket=ticket, agent=world.agent_a, version=world.version, reviewer=world.lead_a)
    client = login(world.lead_a)
    client.cookies["tz"] = "America/New_York"
    page = client.get(f"/quality/reviews/{review.pk}/").content.decode()
    assert ('first reply <time datetime="2026-12-07T09:20:00+00:00">7 Dec 2026, 04:20</time>, due '
            '<time datetime="2026-12-07T09:30:00+00:00">7 Dec 2026, 04:30</time> (10 min before) &lt;b&gt;x') in page
    assert "2026-12-07T09:20:00+00:00," not in page  # no raw UTC moment left in the text
