"""The total's definition (frontline/quality/scoring.py), by hand-worked cases."""

from __future__ import annotations

import pytest

from frontline.quality.scoring import Item, fraction, total


def test_weighted_share_of_attainable_points() -> None:
    # 2 * yes (2 of 2) + 3 * a 4 on 1-5 (3 * 0.75 = 2.25 of 3) = 4.25 of 5 → 85 %.
    result = total([Item(2, "yes_no", 1), Item(3, "one_five", 4)])
    assert (result.earned, result.attainable, result.percent) == (4.25, 5.0, 85.0)


def test_na_drops_out_of_both_sides() -> None:
    with_na = total([Item(2, "yes_no", 1), Item(5, "one_five_na", None, na=True), Item(2, "yes_no", 0)])
    without = total([Item(2, "yes_no", 1), Item(2, "yes_no", 0)])
    assert with_na.percent == without.percent == 50.0


def test_auto_fail_zeroes_the_total_only_at_the_lowest_score() -> None:
    assert total([Item(1, "yes_no", 0, auto_fail=True), Item(9, "yes_no", 1)]).percent == 0.0
    assert total([Item(1, "one_five", 2, auto_fail=True), Item(1, "yes_no", 1)]).percent == 62.5


def test_comparable_across_versions_with_other_weights() -> None:
    # The same performance (everything full marks) is 100 % on any version.
    assert total([Item(1, "yes_no", 1)]).percent == total([Item(4, "one_five", 5), Item(2, "yes_no", 1)]).percent == 100


def test_nothing_attainable_has_no_total_and_unscored_are_counted() -> None:
    result = total([Item(1, "yes_no_na", None, na=True), Item(1, "yes_no", None)])
    assert (result.percent, result.unscored) == (None, 1)


@pytest.mark.parametrize(("scale", "value"), [("yes_no", 2), ("one_five", 0), ("one_five", 6), ("nope", 1)])
def test_off_scale_values_refused(scale: str, value: int) -> None:
    with pytest.raises(ValueError):
        fraction(scale, value)


def test_na_on_a_scale_without_it_refused() -> None:
    with pytest.raises(ValueError, match="na"):
        total([Item(1, "yes_no", None, na=True)])
