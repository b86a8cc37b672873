"""The review pages through HTTP: the workspace (start, save, submit), the agent's response, the
lead's resolution, the QA home and the lists; form errors are 422 and change nothing."""

from __future__ import annotations

import pytest

from frontline.quality.models import AgentResponse, Criterion, Dispute, Review, ReviewState

from .conftest import handled_ticket, submitted_review

pytestmark = pytest.mark.django_db


def _post_scores(version, **by_key):  # type: ignore[no-untyped-def]
    data = {}
    for c in Criterion.objects.filter(version=version):
        data[f"s_{c.pk}"] = by_key.get(c.key, "1" if c.scale.startswith("yes") else "5")
    return data


def test_lead_starts_scores_and_submits_in_the_workspace(world, login) -> None:  # type: ignore[no-untyped-def]
    ticket = handled_ticket(world.agent_a)
    client = login(world.lead_a)
    page = client.get(f"/quality/tickets/{ticket.pk}/review/")
    assert page.status_code == 200 and world.agent_a.display_name in page.content.decode()
    started = client.post(f"/quality/tickets/{ticket.pk}/review/", {"agent": world.agent_a.pk, "version": world.version.pk})
    review = Review.objects.get(ticket=ticket)
    assert started.status_code == 302 and started["Location"] == f"/quality/reviews/{review.pk}/"
    workspace = client.get(started["Location"]).content.decode()
    assert "It ships today" in workspace and "Greets the customer" in workspace
    message = ticket.messages.last()
    first = Criterion.objects.get(version=world.version, key="greets-the-customer")
    data = {**_post_scores(world.version, **{"correct-answer": "4", "shows-empathy": "na"}),
            f"c_{first.pk}": "Warm hello", f"m_{first.pk}": message.pk, "summary": "Nice", "submit": "1"}
    done = client.post(f"/quality/reviews/{review.pk}/", data)
    review.refresh_from_db()
    assert done.status_code == 302
    assert (review.state, round(review.total, 2)) == (ReviewState.SUBMITTED, 85.0)
    assert review.scores.get(criterion=first).message_id == message.pk


def test_workspace_errors_are_422_and_keep_the_input(world, login) -> None:  # type: ignore[no-untyped-def]
    ticket = handled_ticket(world.agent_a)
    client = login(world.lead_a)
    client.post(f"/quality/tickets/{ticket.pk}/review/", {"agent": world.agent_a.pk, "version": world.version.pk})
    review = Review.objects.get(ticket=ticket)
    first = Criterion.objects.get(version=world.version, key="greets-the-customer")
    bad = client.post(f"/quality/reviews/{review.pk}/", {f"s_{first.pk}": "7", f"c_{first.pk}": "kept text", "submit": "1"})
    assert bad.status_code == 422 and "kept text" in bad.content.decode()
    assert not review.scores.exists()
    partial = client.post(f"/quality/reviews/{review.pk}/", {f"s_{first.pk}": "1", "submit": "1"})
    assert partial.status_code == 422 and "left" in partial.content.decode()


def test_agent_disputes_and_lead_changes_scores(world, login) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a, correct_answer=1)
    agent = login(world.agent_a)
    page = agent.get(f"/quality/reviews/{review.pk}/").content.decode()
    assert "Good work" in page and "Watch tone" not in page
    assert agent.post(f"/quality/reviews/{review.pk}/dispute/", {"reason": ""}).status_code == 422
    assert agent.post(f"/quality/reviews/{review.pk}/dispute/", {"reason": "It was right"}).status_code == 302
    lead = login(world.lead_a)
    assert f"/quality/reviews/{review.pk}/" in lead.get("/quality/").content.decode()
    assert login(world.lead_b).post(f"/quality/reviews/{review.pk}/resolve/", {"note": "x"}).status_code == 404
    resolved = lead.post(f"/quality/reviews/{review.pk}/resolve/",
                         {"note": "Agreed", "change": "1", **_post_scores(world.version)})
    review.refresh_from_db()
    assert resolved.status_code == 302
    assert (review.agent_response, review.total, review.dispute.outcome) == (AgentResponse.RESOLVED, 100.0,
                                                                            Dispute.Outcome.CHANGED)
    assert "Agreed" in agent.get(f"/quality/reviews/{review.pk}/").content.decode()


def test_agent_acknowledges(world, login) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a)
    agent = login(world.agent_a)
    assert agent.post(f"/quality/reviews/{review.pk}/acknowledge/").status_code == 302
    assert Review.objects.get(pk=review.pk).agent_response == AgentResponse.ACKNOWLEDGED
    assert "Acknowledged" in agent.get("/quality/mine/").content.decode()


def test_pages_render_for_each_role(world, login) -> None:  # type: ignore[no-untyped-def]
    submitted_review(world, world.agent_a, world.lead_a)
    for user in (world.lead_a, world.manager):
        client = login(user)
        for url in ("/quality/", "/quality/?group=team&days=90", "/quality/?group=rubric", "/quality/reviews/",
                    "/quality/reviews/?sort=lowest&response=none", "/quality/mine/"):
            assert client.get(url).status_code == 200, (user, url)
    agent = login(world.agent_a)
    assert agent.get("/quality/").status_code == 302
    assert agent.get("/quality/mine/").status_code == 200
    assert agent.get(f"/quality/tickets/{handled_ticket(world.agent_a).pk}/review/").status_code == 403


def test_ticket_page_panel(world, login) -> None:  # type: ignore[no-untyped-def]
    review = submitted_review(world, world.agent_a, world.lead_a)
    lead_page = login(world.lead_a).get(f"/tickets/{review.ticket_id}/").content.decode()
    assert f"/quality/reviews/{review.pk}/" in lead_page and "Review this ticket" in lead_page
    own = login(world.agent_a).get(f"/tickets/{review.ticket_id}/").content.decode()
    assert f"/quality/reviews/{review.pk}/" in own and "Review this ticket" not in own
    colleague = login(world.agent_a2).get(f"/tickets/{review.ticket_id}/").content.decode()
    assert f"/quality/reviews/{review.pk}/" not in colleague and 'id="quality-panel"' not in colleague
