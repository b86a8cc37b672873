"""The customer KPIs of frontline/engine/kpis/customer.py against values worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.engine.kpis import QaScore, cost_per_contact, deflection_rate, qa_score


def test_qa_score_is_the_mean_of_the_review_totals() -> None:
    # 70 % (docs/quality.md's worked review), 100 %, a critical error (0 %), 83.33 %:
    # (70 + 100 + 0 + 83.333...) / 4 = 253.333... / 4 = 63.333...
    assert qa_score(totals=[70.0, 100.0, 0.0, 250 / 3]) == QaScore(
        mean=pytest.approx(63.33333333333333), n=4
    )


def test_qa_score_of_one_review_is_its_total() -> None:
    assert qa_score(totals=[87.5]) == QaScore(mean=87.5, n=1)


def test_qa_score_without_reviews_is_none() -> None:
    assert qa_score(totals=[]) == QaScore(mean=None, n=0)


@pytest.mark.parametrize("bad", [-0.5, 100.01, float("nan"), float("inf")])
def test_qa_score_refuses_a_total_off_the_0_to_100_scale(bad: float) -> None:
    with pytest.raises(ValueError, match="totals"):
        qa_score(totals=[50.0, bad])


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # a busy CI machine
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=50))
def test_qa_score_lies_between_the_lowest_and_highest_total(totals: list[float]) -> None:
    score = qa_score(totals=totals)
    assert score.n == len(totals)
    assert min(totals) - 1e-9 <= score.mean <= max(totals) + 1e-9  # type: ignore[operator]


def test_cost_per_contact_is_cost_over_contacts_to_the_cent() -> None:
    # 12,345.67 / 1,000 = 12.34567 -> 12.35; 1,000 / 3 = 333.333... -> 333.33; 0.05 / 2 = 0.025 -> 0.03 (half up)
    assert cost_per_contact(cost=Decimal("12345.67"), contacts=1000) == Decimal("12.35")
    assert cost_per_contact(cost=Decimal("1000"), contacts=3) == Decimal("333.33")
    assert cost_per_contact(cost=Decimal("0.05"), contacts=2) == Decimal("0.03")


def test_cost_per_contact_with_a_refund_larger_than_spend_is_negative() -> None:
    assert cost_per_contact(cost=Decimal("-300.00"), contacts=4) == Decimal("-75.00")


def test_cost_per_contact_without_contacts_is_none() -> None:
    assert cost_per_contact(cost=Decimal("500.00"), contacts=0) is None


@pytest.mark.parametrize(
    ("cost", "contacts", "field"),
    [
        (Decimal("1"), -1, "contacts"),
        (Decimal("1"), 1.5, "contacts"),
        (Decimal("1"), True, "contacts"),
        (1.0, 3, "cost"),
        (Decimal("NaN"), 3, "cost"),
    ],
)
def test_cost_per_contact_refuses_bad_arguments_naming_them(
    cost: object, contacts: object, field: str
) -> None:
    with pytest.raises(ValueError, match=field):
        cost_per_contact(cost=cost, contacts=contacts)  # type: ignore[arg-type]


def test_deflection_rate_is_the_share_of_sessions_without_a_ticket() -> None:
    # 200 sessions, 50 went on to open a ticket: 150 / 200 = 0.75
    assert deflection_rate(sessions=200, escalated=50) == 0.75
    assert deflection_rate(sessions=3, escalated=3) == 0.0
    assert deflection_rate(sessions=0, escalated=0) is None


@pytest.mark.parametrize(
    ("sessions", "escalated", "field"),
    [(-1, 0, "sessions"), (2, 3, "escalated"), (2, -1, "escalated")],
)
def test_deflection_rate_refuses_bad_counts(sessions: int, escalated: int, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        deflection_rate(sessions=sessions, escalated=escalated)
