"""Calibration: blind scoring, reveal, side by side, reliability (checked against the independent
``krippendorff`` package), flags, deviations from group and expert, notes, and who may see what."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.quality import calibration, services
from frontline.quality.models import Calibration, Criterion
from frontline.quality.services import ScoreIn
from tests import factories as f

from .conftest import handled_ticket

pytestmark = pytest.mark.django_db

# reviewer -> per ticket (greets yes/no, empathy 1-5 or None for N/A, correct 1-5, leak yes/no)
SCORES = {
    "r1": [(1, 5, 5, 1), (1, 4, 4, 1), (0, 2, 3, 1), (1, 3, 2, 1)],
    "r2": [(1, 4, 5, 1), (0, 4, 4, 1), (0, 1, 3, 1), (1, 3, 1, 1)],
    "r3": [(0, 5, 4, 1), (1, None, 5, 1), (1, 2, 3, 1), (0, 4, 2, 1)],
}
KEYS = ("greets-the-customer", "shows-empathy", "correct-answer", "no-data-leak")


@pytest.fixture
def session(world):  # type: ignore[no-untyped-def]
    reviewers = {name: f.lead(teams=[world.team_a]) for name in SCORES}
    tickets = [handled_ticket(world.agent_a) for _ in range(4)]
    s = calibration.calibration_create(title="Week 45", version=world.version, tickets=tickets,
                                       reviewers=list(reviewers.values())[:2], expert=reviewers["r3"],
                                       actor=world.lead_a)
    return s, reviewers, tickets


def _score_all(world, s, reviewers, tickets):  # type: ignore[no-untyped-def]
    criteria = {c.key: c for c in Criterion.objects.filter(version=world.version)}
    reviews = {}
    for name, rows in SCORES.items():
        for ticket, values in zip(tickets, rows, strict=True):
            review = calibration.calibration_review_start(session=s, ticket=ticket, reviewer=reviewers[name])
            scores = {criteria[k].pk: ScoreIn(value=v, na=v is None) for k, v in zip(KEYS, values, strict=True)}
            reviews[(name, ticket.pk)] = services.review_save(review=review, actor=reviewers[name], scores=scores,
                                                              submit=True)
    return reviews


def _reference(rows_by_rater: dict[str, list[float | None]], level: str) -> float:
    data = np.array([[np.nan if v is None else v for v in rows] for rows in rows_by_rater.values()], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def test_reliability_matches_the_krippendorff_package(world, session) -> None:  # type: ignore[no-untyped-def]
    s, reviewers, tickets = session
    reviews = _score_all(world, s, reviewers, tickets)
    calibration.calibration_reveal(session=s, actor=world.lead_a)
    rel = calibration.reliability(session=s)
    by_key = {r.criterion.key: r for r in rel.criteria}
    for index, key in enumerate(KEYS[:3]):
        level = "nominal" if key == "greets-the-customer" else "ordinal"
        expected = _reference({n: [row[index] for row in rows] for n, rows in SCORES.items()}, level)
        assert by_key[key].alpha == pytest.approx(expected, abs=1e-9)
        assert by_key[key].level == level
    totals = {n: [reviews[(n, t.pk)].total for t in tickets] for n in SCORES}
    assert rel.overall == pytest.approx(_reference(totals, "interval"), abs=1e-9)
    # Everyone said "no leak": no variation, alpha undefined, flagged as not enough data.
    assert (by_key["no-data-leak"].alpha, by_key["no-data-leak"].flag) == (None, "unknown")
    assert by_key["greets-the-customer"].flag == "rewrite"
    # Deviation from the expert (r3): r3 itself 0; others the mean |total - r3's total|.
    dev = {u.pk: d for u, d in rel.deviations}
    assert dev[reviewers["r3"].pk].deviation_from_gold == 0
    r1 = [abs(reviews[("r1", t.pk)].total - reviews[("r3", t.pk)].total) for t in tickets]
    assert dev[reviewers["r1"].pk].deviation_from_gold == pytest.approx(sum(r1) / len(r1))


def test_flags() -> None:
    assert [calibration.flag_for(v) for v in (None, 0.5, 0.667, 0.79, 0.8, 1.0)] == [
        "unknown", "rewrite", "tentative", "tentative", "acceptable", "acceptable"]


def test_blind_until_revealed_then_frozen(world, session, login) -> None:  # type: ignore[no-untyped-def]
    s, reviewers, tickets = session
    reviews = _score_all(world, s, reviewers, tickets)
    other = reviews[("r2", tickets[0].pk)]
    r1 = login(reviewers["r1"])
    assert r1.get(f"/quality/reviews/{other.pk}/").status_code == 404
    page = r1.get(f"/quality/calibrations/{s.pk}/").content.decode()
    assert "Agreement" not in page and "4 of 4 submitted" in page
    facilitator = login(world.lead_a).get(f"/quality/calibrations/{s.pk}/").content.decode()
    assert "Agreement" not in facilitator and "Reveal the scores" in facilitator
    assert login(reviewers["r1"]).post(f"/quality/calibrations/{s.pk}/reveal/").status_code == 403
    assert login(world.lead_a).post(f"/quality/calibrations/{s.pk}/reveal/").status_code == 302
    revealed = r1.get(f"/quality/calibrations/{s.pk}/").content.decode()
    assert "Agreement" in revealed and "rewrite this criterion" in revealed
    with pytest.raises(ValidationError):
        services.review_save(review=other, actor=reviewers["r2"], scores={}, submit=True)
    # Calibration scores are never an agent's reviews.
    assert login(world.agent_a).get("/api/v1/quality/reviews").json()["items"] == []


def test_notes_after_reveal_only_by_the_sessions_people(world, session, login) -> None:  # type: ignore[no-untyped-def]
    s, reviewers, _ = session
    with pytest.raises(ValidationError):
        calibration.calibration_note_add(session=s, author=reviewers["r1"], text="Too early")
    calibration.calibration_reveal(session=s, actor=world.manager)
    with pytest.raises(PermissionDenied):
        calibration.calibration_note_add(session=s, author=world.lead_b, text="Me too")
    client = login(reviewers["r1"])
    client.post(f"/quality/calibrations/{s.pk}/notes/", {"text": "Greeting: a name counts", "criterion_key": KEYS[0]})
    assert "a name counts" in client.get(f"/quality/calibrations/{s.pk}/").content.decode()


def test_outsiders_and_refusals(world, session, login) -> None:  # type: ignore[no-untyped-def]
    s, _, tickets = session
    assert login(world.lead_b).get(f"/quality/calibrations/{s.pk}/").status_code == 404
    assert login(world.agent_a).get(f"/quality/calibrations/{s.pk}/").status_code == 403
    assert login(world.manager).get(f"/quality/calibrations/{s.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        calibration.calibration_review_start(session=s, ticket=tickets[0], reviewer=world.lead_b)
    with pytest.raises(ValidationError) as caught:
        calibration.calibration_create(title="", version=world.version, tickets=[], reviewers=[world.lead_a],
                                       actor=world.lead_a)
    assert set(caught.value.message_dict) == {"title", "tickets", "reviewers"}


def test_create_through_the_page(world, login) -> None:  # type: ignore[no-untyped-def]
    tickets = [handled_ticket(world.agent_a) for _ in range(2)]
    client = login(world.manager)
    bad = client.post("/quality/calibrations/", {"title": "x", "version": world.version.pk, "tickets": "",
                                                 "reviewers": [world.lead_a.pk]})
    assert bad.status_code == 422
    done = client.post("/quality/calibrations/", {
        "title": "Monthly", "version": world.version.pk, "tickets": f"#{tickets[0].pk}, {tickets[1].pk}",
        "reviewers": [world.lead_a.pk, world.lead_b.pk], "expert": world.manager.pk})
    session = Calibration.objects.get(title="Monthly")
    assert done.status_code == 302 and session.reviewers.count() == 3 and session.expert == world.manager
    assert client.get("/quality/calibrations/").status_code == 200
