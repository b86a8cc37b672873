"""Inter-rater reliability (frontline/engine/agreement/) against published values and peers.

Three kinds of check:

* the published examples in shared/data/irr_reference (Krippendorff 2011 examples A, B and C at
  every level, the Wikipedia alpha, Cohen's kappa and Fleiss' kappa examples).  The papers print
  3 or 4 decimals, the reference file's implementation values 6: each is asserted to half a unit
  of its last printed digit (that is all the digits the reference gives), and the same examples
  are asserted to 1e-12 against exact rational arithmetic (``exact_alpha`` below, written
  straight from Krippendorff's coincidence-matrix definition with ``Fraction``), sklearn's
  ``cohen_kappa_score`` and statsmodels' ``fleiss_kappa``;
* random reliability data with missing values (hypothesis) against the ``krippendorff`` package
  (0.9.0, a dev dependency) to 1e-9, on both of our vectorised paths;
* edge cases, bad input and invariances (alpha is 1 for identical raters, unchanged by
  permuting raters or items, by an affine change of an interval scale, and at the ordinal level
  by any order-preserving relabelling).
"""

from __future__ import annotations

import doctest
import itertools
import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from unittest import mock

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from frontline.engine import agreement
from frontline.engine.agreement import (
    AlphaResult,
    Level,
    RaterDeviation,
    alpha,
    alpha_interval,
    alpha_matrix,
    cohen_kappa,
    fleiss_kappa,
    percent_agreement,
    rater_deviation,
)
from frontline.engine.agreement import krippendorff_alpha as alpha_module
from frontline.engine.agreement.bootstrap import item_table, weighted_alphas

LEVELS = [level.value for level in Level]


@pytest.fixture(scope="module")
def examples(shared_data: Path) -> dict[str, object]:
    return json.loads((shared_data / "irr_reference" / "reliability_examples.json").read_text())


@pytest.fixture(scope="module")
def reference(shared_data: Path) -> dict[str, dict[str, float]]:
    return json.loads((shared_data / "irr_reference" / "irr_reference_values.json").read_text())


def matrix_of(rows: list[list[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def triples_of(matrix: np.ndarray) -> list[tuple[int, int, float]]:
    return [
        (item, rater, float(matrix[rater, item]))
        for rater, item in zip(*np.nonzero(~np.isnan(matrix)), strict=True)
    ]


def exact_alpha(matrix: np.ndarray, level: str) -> Fraction | None:
    """Krippendorff's alpha in exact rationals, unit by unit from the coincidence matrix."""
    units = [[Fraction(v) for v in column if not np.isnan(v)] for column in np.asarray(matrix).T]
    units = [u for u in units if len(u) >= 2]
    values = sorted({v for u in units for v in u})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for u in units:
        for i, j in itertools.permutations(range(len(u)), 2):
            o[(u[i], u[j])] += Fraction(1, len(u) - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    if n < 2 or len(values) < 2:
        return None

    def delta(c: Fraction, k: Fraction) -> Fraction:
        if level == "nominal":
            return Fraction(int(c != k))
        if level == "interval":
            return (c - k) ** 2
        if level == "ratio":
            return ((c - k) / (c + k)) ** 2 if c + k else Fraction(0)
        lo, hi = min(c, k), max(c, k)
        between = sum(n_c[g] for g in values if lo <= g <= hi)
        return (between - (n_c[c] + n_c[k]) / 2) ** 2

    observed = sum(o[(c, k)] * delta(c, k) for c in values for k in values)
    expected = sum(n_c[c] * n_c[k] * delta(c, k) for c in values for k in values)
    return 1 - (n - 1) * observed / expected


# ---- Krippendorff (2011) and Wikipedia: published values ------------------------------------


def test_example_a_binary_two_observers(examples, reference) -> None:
    data = matrix_of(examples["krippendorff2011_example_A_binary"]["data"])
    result = alpha_matrix(data, "nominal")
    # 10 units, 20 values: published 0.095 (3 decimals), the reference implementations 0.095238.
    assert result == AlphaResult(
        alpha=pytest.approx(0.095, abs=5e-4), items=10, raters=2, pairable_values=20
    )
    assert result.alpha == pytest.approx(
        reference["K2011_A_binary_2obs"]["krippendorff_pkg"], abs=5e-7
    )
    assert result.alpha == pytest.approx(float(exact_alpha(data, "nominal")), abs=1e-12)
    # 4 of 10 units split, n_0 = 14, n_1 = 6: 1 - 19 * 8 / (2 * 14 * 6) = 2/21
    assert result.alpha == pytest.approx(2 / 21, abs=1e-12)


def test_example_b_nominal_letters_through_triples(examples, reference) -> None:
    first, second = examples["krippendorff2011_example_B_nominal"]["data_letters"]
    triples = [(unit, "first", letter) for unit, letter in enumerate(first)]
    triples += [(unit, "second", letter) for unit, letter in enumerate(second)]
    result = alpha(triples, Level.NOMINAL)
    assert (result.items, result.raters, result.pairable_values) == (12, 2, 24)
    assert result.alpha == pytest.approx(0.692, abs=5e-4)
    assert result.alpha == pytest.approx(
        reference["K2011_B_nominal_2obs"]["krippendorff_pkg"], abs=5e-7
    )
    numeric = matrix_of(reference["K2011_B_nominal_2obs"]["data"])  # the same letters as 1..5
    assert result.alpha == pytest.approx(float(exact_alpha(numeric, "nominal")), abs=1e-12)


@pytest.mark.parametrize(
    ("level", "published", "key"),
    [
        ("nominal", 0.743, "K2011_C_nominal"),
        ("ordinal", 0.815, "K2011_C_ordinal"),
        ("interval", 0.849, "K2011_C_interval"),
        ("ratio", 0.797, "K2011_C_ratio"),
    ],
)
def test_example_c_four_observers_missing_data_every_level(
    examples, reference, level, published, key
) -> None:
    data = matrix_of(examples["krippendorff2011_example_C_missing"]["data"])
    result = alpha_matrix(data, level)
    # Unit 12 has one value (not pairable): 11 units, 40 pairable values, 4 observers.
    assert (result.items, result.raters, result.pairable_values) == (11, 4, 40)
    assert result.alpha == pytest.approx(published, abs=5e-4)
    assert result.alpha == pytest.approx(reference[key]["krippendorff_pkg"], abs=5e-7)
    assert result.alpha == pytest.approx(float(exact_alpha(data, level)), abs=1e-12)
    assert alpha(triples_of(data), level) == result


@pytest.mark.parametrize(
    ("level", "key"), [("nominal", "Wikipedia_nominal"), ("interval", "Wikipedia_interval")]
)
def test_wikipedia_example(examples, reference, level, key) -> None:
    data = matrix_of(examples["wikipedia_krippendorff_example"]["data"])
    result = alpha_matrix(data, level)
    # 15 units, of which 3 have fewer than 2 values: 12 units, 26 pairable values.
    assert (result.items, result.raters, result.pairable_values) == (12, 3, 26)
    assert result.alpha == pytest.approx(reference[key]["pkg_test_value"], abs=5e-7)
    assert result.alpha == pytest.approx(float(exact_alpha(data, level)), abs=1e-12)


def test_wikipedia_nominal_published_three_decimals(examples) -> None:
    data = matrix_of(examples["wikipedia_krippendorff_example"]["data"])
    assert alpha_matrix(data, "nominal").alpha == pytest.approx(0.691, abs=5e-4)
    assert alpha_matrix(data, "nominal").alpha == pytest.approx(56 / 81, abs=1e-12)  # 0.691358...


# ---- Cohen's kappa ---------------------------------------------------------------------------


def cohen_pairs(table: list[list[int]]) -> list[tuple[str, str]]:
    (yy, yn), (ny, nn) = table
    return [("yes", "yes")] * yy + [("yes", "no")] * yn + [("no", "yes")] * ny + [("no", "no")] * nn


@pytest.mark.parametrize(
    ("name", "published", "exact"),
    [
        # p_o = 35/50, p_e = .5 * .6 + .5 * .4 = .5 -> (.7 - .5) / .5 = 0.4
        ("50_proposals", 0.4, Fraction(2, 5)),
        # p_o = .6, p_e = .6 * .7 + .4 * .3 = .54 -> .06 / .46 = 3/23
        ("ex2a", 0.1304, Fraction(3, 23)),
        # p_o = .6, p_e = .6 * .3 + .4 * .7 = .46 -> .14 / .54 = 7/27
        ("ex2b", 0.2593, Fraction(7, 27)),
    ],
)
def test_cohen_kappa_wikipedia_tables(examples, name, published, exact) -> None:
    table = examples["wikipedia_cohen_kappa_2x2"]["tables_[[AyesByes,AyesBno],[AnoByes,AnoBno]]"][
        name
    ]
    pairs = cohen_pairs(table)
    kappa = cohen_kappa(pairs)
    assert kappa == pytest.approx(published, abs=5e-5)
    assert kappa == pytest.approx(float(exact), abs=1e-12)
    first, second = zip(*pairs, strict=True)
    assert kappa == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("50_proposals", "Wikipedia_cohen_50_proposals"),
        ("ex2a", "Wikipedia_cohen_ex2a"),
        ("ex2b", "Wikipedia_cohen_ex2b"),
    ],
)
def test_alpha_on_the_cohen_tables(examples, reference, name, key) -> None:
    table = examples["wikipedia_cohen_kappa_2x2"]["tables_[[AyesByes,AyesBno],[AnoByes,AnoBno]]"][
        name
    ]
    triples = [
        (i, r, label) for i, pair in enumerate(cohen_pairs(table)) for r, label in enumerate(pair)
    ]
    value = alpha(triples, "nominal").alpha
    # The reference prints 0.4, 0.125275 and 0.19596: to the last printed digit.
    assert value == pytest.approx(reference[key]["krippendorff_alpha_same_data"], abs=5e-6)


# ---- Fleiss' kappa ---------------------------------------------------------------------------


def test_fleiss_kappa_wikipedia_table(examples, reference) -> None:
    counts = examples["wikipedia_fleiss_kappa_10subjects_5cats_14raters"]["counts"]
    kappa = fleiss_kappa(counts)
    assert kappa == pytest.approx(0.210, abs=5e-4)
    assert kappa == pytest.approx(
        reference["Wikipedia_fleiss_10x5_14raters"]["statsmodels"], abs=5e-7
    )
    assert kappa == pytest.approx(statsmodels_fleiss(np.array(counts)), abs=1e-12)
    # Exactly: P = (182 + 46 + 56 + 80 + 60 + 84 + 44 + 32 + 52 + 52) / (10 * 14 * 13) = 172/455
    # (Wikipedia prints 0.378), P_e = (20^2 + 28^2 + 39^2 + 21^2 + 32^2) / 140^2 = 417/1960
    # (0.2128) -> (P - P_e) / (1 - P_e) = 4211/20059.
    assert kappa == pytest.approx(4211 / 20059, abs=1e-12)


def test_fleiss_kappa_from_ratings_equals_the_table(examples, reference) -> None:
    counts = examples["wikipedia_fleiss_kappa_10subjects_5cats_14raters"]["counts"]
    triples = []
    for item, row in enumerate(counts):
        labels = [category for category, count in enumerate(row) for _ in range(count)]
        triples += [(item, f"rater{r}", f"category{label}") for r, label in enumerate(labels)]
    assert fleiss_kappa(ratings=triples) == pytest.approx(fleiss_kappa(counts), abs=1e-15)
    # Krippendorff's alpha on the same value counts: 0.215574 in the reference.
    assert alpha(triples, "nominal").alpha == pytest.approx(
        reference["Wikipedia_fleiss_10x5_14raters"]["krippendorff_alpha_value_counts"], abs=5e-7
    )


def test_fleiss_kappa_needs_the_same_number_of_ratings_per_item() -> None:
    with pytest.raises(ValueError, match=r"same number of ratings, got \[2, 3\]"):
        fleiss_kappa([[1, 1], [2, 1]])
    with pytest.raises(ValueError, match="at least 2 ratings"):
        fleiss_kappa([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="either table or ratings"):
        fleiss_kappa()
    with pytest.raises(ValueError, match="whole numbers"):
        fleiss_kappa([[1.5, 0.5], [1, 1]])
    with pytest.raises(ValueError, match="2-D"):
        fleiss_kappa([1, 2, 3])


def test_kappas_are_undefined_without_data_or_variation() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a")] * 5) is None  # p_e = 1
    assert fleiss_kappa(np.zeros((0, 3))) is None
    assert fleiss_kappa([[3, 0], [3, 0]]) is None
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_cohen_kappa_rejects_what_is_not_a_pair() -> None:
    with pytest.raises(ValueError, match=r"pairs\[1\]: must be an \(a, b\) pair"):
        cohen_kappa([("a", "a"), ("a", "b", "c")])
    with pytest.raises(ValueError, match="label is missing"):
        cohen_kappa([("a", None)])


# ---- percent agreement -----------------------------------------------------------------------


def test_percent_agreement_of_pairs_and_of_triples() -> None:
    assert percent_agreement([("a", "a"), ("a", "b"), ("b", "b"), ("c", "c")]) == 0.75
    # item 1: 3 raters, 2 agree -> 1 of 3 pairs; item 2: all agree -> 1; item 3: one rating, left out.
    triples = [(1, "x", "a"), (1, "y", "a"), (1, "z", "b"), (2, "x", 4), (2, "y", 4), (3, "x", 1)]
    assert percent_agreement(triples) == pytest.approx((1 / 3 + 1) / 2)
    assert percent_agreement([]) is None
    assert percent_agreement([(1, "x", "a")]) is None
    with pytest.raises(ValueError, match="all \\(a, b\\) pairs or all"):
        percent_agreement([("a", "a"), (1, "x", "a")])
    with pytest.raises(ValueError, match="more than once"):
        percent_agreement([(1, "x", "a"), (1, "x", "b")])


def test_percent_agreement_equals_fleiss_observed_agreement(examples) -> None:
    counts = examples["wikipedia_fleiss_kappa_10subjects_5cats_14raters"]["counts"]
    triples = [
        (item, f"r{r}", label)
        for item, row in enumerate(counts)
        for r, label in enumerate(c for c, count in enumerate(row) for _ in range(count))
    ]
    assert percent_agreement(triples) == pytest.approx(172 / 455, abs=1e-12)  # Wikipedia's P, 0.378


# ---- against the krippendorff package on random data with missing values ----------------------


@st.composite
def reliability_data(draw: st.DrawFn, level: str, whole: bool | None = None) -> np.ndarray:
    raters = draw(st.integers(1, 6))
    items = draw(st.integers(1, 25))
    if draw(st.booleans()) if whole is None else whole:
        low = 0 if level == "ratio" else -3
        values = st.integers(low, 6).map(float)
    else:
        low = 0.0 if level == "ratio" else -50.0
        values = st.floats(low, 50.0, allow_nan=False, allow_infinity=False, width=32).map(float)
    cells = draw(
        st.lists(st.one_of(st.none(), values), min_size=raters * items, max_size=raters * items)
    )
    return np.array([np.nan if v is None else v for v in cells]).reshape(raters, items)


def package_alpha(data: np.ndarray, level: str) -> float | None:
    """The krippendorff package's alpha, None where it refuses (no pairable unit, one value)."""
    present = ~np.isnan(data)
    pairable = present.sum(axis=0) >= 2
    values = data[:, pairable][present[:, pairable]]
    if values.size < 2 or np.unique(values).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_alpha_matches_the_krippendorff_package(level: str, data: st.DataObject) -> None:
    matrix = data.draw(reliability_data(level))
    expected = package_alpha(matrix, level)
    ours = alpha_matrix(matrix, level).alpha
    with mock.patch.object(alpha_module, "_SMALL_RANGE", -1):  # the general path
        general = alpha_matrix(matrix, level).alpha
    with (  # the general path, large-domain variants
        mock.patch.object(alpha_module, "_SMALL_RANGE", -1),
        mock.patch.object(alpha_module, "_DENSE_CELLS", 0),
    ):
        other_path = alpha_matrix(matrix, level).alpha
    if expected is None:
        assert (ours, general, other_path) == (None, None, None)
    else:
        assert ours == pytest.approx(expected, abs=1e-9)
        assert general == pytest.approx(expected, abs=1e-9)
        assert other_path == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_triples_and_matrix_agree_in_any_order(level: str, data: st.DataObject) -> None:
    matrix = data.draw(reliability_data(level))
    triples = data.draw(st.permutations(triples_of(matrix)))
    ours, direct = alpha(triples, level), alpha_matrix(matrix, level)
    assert (ours.items, ours.raters, ours.pairable_values) == (
        direct.items,
        direct.raters,
        direct.pairable_values,
    )
    assert ours.alpha == (None if direct.alpha is None else pytest.approx(direct.alpha, abs=1e-12))


def test_many_distinct_values_take_the_large_domain_path() -> None:
    rng = np.random.default_rng(7)
    data = rng.gamma(2.0, 10.0, size=(5, 50))  # ~175 distinct values
    data[rng.random(data.shape) < 0.3] = np.nan
    with (
        mock.patch.object(alpha_module, "_DENSE_CELLS", 0),
        mock.patch.object(alpha_module, "_BLOCK_CELLS", 1000),  # several value blocks
    ):
        for level in LEVELS:
            assert alpha_matrix(data, level).alpha == pytest.approx(
                krippendorff.alpha(data, level_of_measurement=level), abs=1e-9
            )


# ---- properties --------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_identical_raters_give_one(level: str) -> None:
    row = [1.0, 2.0, 2.0, 5.0, np.nan, 3.0]
    assert alpha_matrix([row, row, row], level).alpha == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_invariances(data: st.DataObject) -> None:
    matrix = data.draw(reliability_data("interval", whole=True))  # no ties made by rounding
    base = {level: alpha_matrix(matrix, level).alpha for level in LEVELS if level != "ratio"}
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    shuffled = matrix[rng.permutation(matrix.shape[0])][:, rng.permutation(matrix.shape[1])]
    for level, value in base.items():
        assert alpha_matrix(shuffled, level).alpha == pytest.approx(value, abs=1e-9)
    # interval: any affine change of scale; ordinal and nominal: any increasing relabelling.
    assert alpha_matrix(3.0 * matrix - 7.0, "interval").alpha == pytest.approx(
        base["interval"], abs=1e-9
    )
    monotone = np.exp(matrix / 10.0)
    assert alpha_matrix(monotone, "ordinal").alpha == pytest.approx(base["ordinal"], abs=1e-9)
    assert alpha_matrix(monotone, "nominal").alpha == pytest.approx(base["nominal"], abs=1e-9)


# ---- edge cases and bad input ------------------------------------------------------------------


def test_one_rater_has_nothing_pairable() -> None:
    assert alpha_matrix([[1.0, 2.0, 3.0]], "interval") == AlphaResult(None, 0, 0, 0)
    assert alpha([("t1", "ann", 1), ("t2", "ann", 2)], "ordinal") == AlphaResult(None, 0, 0, 0)


def test_no_variation_is_undefined() -> None:
    assert alpha_matrix([[3.0, 3.0, np.nan], [3.0, 3.0, 3.0]], "interval") == AlphaResult(
        None, 2, 2, 4
    )
    assert alpha([(1, "a", "ok"), (1, "b", "ok")], "nominal") == AlphaResult(None, 1, 2, 2)


def test_none_in_a_matrix_is_missing() -> None:
    with_none = alpha_matrix([[1.0, None, 3.0], [1.0, 2.0, 2.0]], "interval")
    assert with_none == alpha_matrix([[1.0, np.nan, 3.0], [1.0, 2.0, 2.0]], "interval")


def test_all_missing_and_empty() -> None:
    assert alpha_matrix(np.full((3, 4), np.nan), "nominal") == AlphaResult(None, 0, 0, 0)
    assert alpha_matrix(np.zeros((0, 0)), "ratio") == AlphaResult(None, 0, 0, 0)
    assert alpha([], "interval") == AlphaResult(None, 0, 0, 0)


def test_values_only_on_unpairable_items_do_not_count() -> None:
    # Item 3 (value 9) has one rating: it adds neither a value nor a rater.
    data = [[1.0, 2.0, 9.0], [1.0, 3.0, np.nan], [np.nan, np.nan, np.nan]]
    result = alpha_matrix(data, "interval")
    assert (result.items, result.raters, result.pairable_values) == (2, 2, 4)
    assert result.alpha == pytest.approx(float(exact_alpha(np.array(data), "interval")), abs=1e-12)


def test_numbers_of_any_real_type() -> None:
    floats = [
        (1, "a", 1.5),
        (1, "b", 2.0),
        (2, "a", 3.0),
        (2, "b", 3.5),
        (3, "a", 1.0),
        (3, "b", 1.0),
    ]
    decimals = [(i, r, Decimal(str(v))) for i, r, v in floats]
    numpy_scalars = [(i, r, np.float32(v)) for i, r, v in floats]
    assert alpha(decimals, "ratio") == alpha(floats, "ratio") == alpha(numpy_scalars, "ratio")
    with pytest.raises(ValueError, match="must be finite"):
        alpha([(1, "a", Decimal("NaN"))], "interval")


def test_string_labels_for_nominal_and_mixed_hashables() -> None:
    triples = [
        ("t1", "ann", "polite"),
        ("t1", "bob", "polite"),
        ("t2", "ann", "rude"),
        ("t2", "bob", "polite"),
        ("t3", "ann", "rude"),
        ("t3", "bob", "rude"),
    ]
    # o: polite-polite 2, rude-rude 2, polite-rude 1 + 1; n = 6, n_polite = n_rude = 3
    # alpha = 1 - 5 * 2 / (2 * 3 * 3) = 4/9
    assert alpha(triples, "nominal").alpha == pytest.approx(4 / 9, abs=1e-15)
    as_numbers = [(i, r, {"polite": 1, "rude": 0}[v]) for i, r, v in triples]
    assert alpha(as_numbers, "nominal") == alpha(triples, "nominal")


@pytest.mark.parametrize(
    ("triples", "level", "message"),
    [
        (
            [(1, "a", "high")],
            "interval",
            r"ratings\[0\]: a interval value must be a number, got 'high'",
        ),
        (
            [(1, "a", 2), (1, "b", "3")],
            "ordinal",
            r"ratings\[1\]: a ordinal value must be a number",
        ),
        ([(1, "a", True)], "ratio", "must be a number"),
        ([(1, "a", float("inf"))], "interval", "must be finite"),
        ([(1, "a", -1.0)], "ratio", "ratio value must be >= 0"),
        ([(1, "a", 1), (1, "a", 2)], "interval", "rater 'a' rated item 1 more than once"),
        ([(1, "a")], "nominal", r"must be an \(item, rater, value\) triple"),
        ([(1, "a", None)], "nominal", "value is missing"),
        ([(1, "a", [1])], "nominal", "must be hashable"),
        ([(1, "a", 1)], "cardinal", "level: must be one of nominal, ordinal, interval, ratio"),
    ],
)
def test_bad_ratings_are_value_errors(triples, level, message) -> None:
    with pytest.raises(ValueError, match=message):
        alpha(triples, level)


@pytest.mark.parametrize(
    ("matrix", "level", "message"),
    [
        ([1.0, 2.0], "interval", "must be 2-D"),
        ([["a", "b"], ["a", "a"]], "nominal", "must be a raters x items array of numbers"),
        ([[1.0, np.inf], [1.0, 2.0]], "interval", "must be finite"),
        ([[-1.0, 2.0], [1.0, 2.0]], "ratio", "ratio values must be >= 0"),
    ],
)
def test_bad_matrices_are_value_errors(matrix, level, message) -> None:
    with pytest.raises(ValueError, match=message):
        alpha_matrix(matrix, level)


# ---- rater deviation ---------------------------------------------------------------------------


def test_rater_deviation_interval_with_gold() -> None:
    ratings = [
        ("a", "ann", 4),
        ("a", "bob", 4),
        ("a", "cy", 1),
        ("b", "ann", 5),
        ("b", "bob", 3),
        ("b", "cy", 2),
        ("c", "ann", 2),
    ]  # c: nobody else rated it
    gold = {"a": 4, "b": 4, "c": 1, "z": 5}  # z: nobody rated it
    ann, bob, cy = rater_deviation(ratings, "interval", gold=gold)
    # ann: a 4 - mean(4, 1) = 1.5; b 5 - mean(3, 2) = 2.5 -> |.| mean 2.0, bias 2.0
    #      gold: a 0, b +1, c +1 -> 2/3 both
    assert ann == RaterDeviation("ann", 2, 2.0, 2.0, 3, pytest.approx(2 / 3), pytest.approx(2 / 3))
    # bob: a 4 - 2.5 = 1.5; b 3 - 3.5 = -0.5 -> 1.0, bias 0.5; gold: 0, -1 -> 0.5, -0.5
    assert bob == RaterDeviation("bob", 2, 1.0, 0.5, 2, 0.5, -0.5)
    # cy: a 1 - 4 = -3; b 2 - 4 = -2 -> 2.5, bias -2.5; gold: -3, -2 -> 2.5, -2.5
    assert cy == RaterDeviation("cy", 2, 2.5, -2.5, 2, 2.5, -2.5)


def test_rater_deviation_ordinal_uses_the_median_of_the_others() -> None:
    ratings = [("a", "ann", 1), ("a", "bob", 2), ("a", "cy", 5), ("a", "dee", 4)]
    ann, bob, cy, dee = rater_deviation(ratings, Level.ORDINAL)
    assert ann.bias_from_group == 1 - 4  # median(2, 5, 4) = 4
    assert bob.bias_from_group == 2 - 4  # median(1, 5, 4) = 4
    assert cy.bias_from_group == 5 - 2  # median(1, 2, 4) = 2
    assert dee.bias_from_group == 4 - 2  # median(1, 2, 5) = 2
    two = rater_deviation([("a", "x", 1), ("a", "y", 2), ("a", "z", 5)], "ordinal")
    assert [d.bias_from_group for d in two] == [1 - 3.5, 2 - 3, 5 - 1.5]  # even: middle mean


def test_rater_deviation_nominal_disagreement_rate_and_ties() -> None:
    ratings = [
        ("a", "ann", "yes"),
        ("a", "bob", "yes"),
        ("a", "cy", "no"),
        ("b", "ann", "no"),
        ("b", "bob", "yes"),
        ("b", "cy", "maybe"),
    ]
    ann, bob, cy = rater_deviation(ratings, "nominal", gold={"a": "yes", "b": "never"})
    # a: ann agrees (others yes, no: tie, yes is a mode), bob agrees, cy: others yes, yes -> no.
    # b: every rater's others are two different labels, a tie not containing their own -> disagree.
    assert (ann.deviation_from_group, bob.deviation_from_group, cy.deviation_from_group) == (
        0.5,
        0.5,
        1.0,
    )
    assert ann.bias_from_group is None
    # gold "never" is a label nobody used: everybody misses b.
    assert (ann.deviation_from_gold, bob.deviation_from_gold, cy.deviation_from_gold) == (
        0.5,
        0.5,
        1.0,
    )


def test_rater_deviation_without_company_is_none() -> None:
    (alone,) = rater_deviation([("a", "ann", 3.0)], "ratio")
    assert alone == RaterDeviation("ann", 0, None, None, 0, None, None)


def test_rater_deviation_rejects_a_bad_gold_value() -> None:
    with pytest.raises(ValueError, match=r"gold\['a'\]: a interval value must be a number"):
        rater_deviation([("a", "ann", 3), ("a", "bob", 4)], "interval", gold={"a": "high"})


# ---- module hygiene ----------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["krippendorff_alpha", "kappa", "deviation", "bootstrap"])
def test_doctests(module: str) -> None:
    loaded = sys.modules[f"frontline.engine.agreement.{module}"]
    assert doctest.testmod(loaded).failed == 0


def test_the_engine_does_not_load_django() -> None:
    code = (
        "import sys, frontline.engine.agreement; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(agreement.__file__).parents[3]
    )


# ---- bootstrap interval over items ---------------------------------------------------------------


def rubric_scores(items: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.uniform(1, 5, size=items)
    scores = np.clip(np.rint(truth[None, :] + rng.normal(0, 0.8, size=(4, items))), 1, 5)
    scores[rng.random(scores.shape) < 0.2] = np.nan
    return scores


@pytest.mark.parametrize("level", LEVELS)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_each_resample_is_the_alpha_of_the_resampled_items(level: str, data: st.DataObject) -> None:
    matrix = data.draw(reliability_data(level))
    table, scale = item_table(matrix)
    if table.shape[0] == 0:
        return
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    draws = rng.integers(0, table.shape[0], size=(5, table.shape[0]))
    multiplicity = np.stack([np.bincount(d, minlength=table.shape[0]) for d in draws]).astype(float)
    ours = weighted_alphas(
        table, scale, Level(level), np.vstack([np.ones(table.shape[0]), multiplicity])
    )
    pairable = matrix[:, (~np.isnan(matrix)).sum(axis=0) >= 2]
    expected = [alpha_matrix(pairable, level).alpha] + [
        alpha_matrix(pairable[:, d], level).alpha for d in draws
    ]
    for value, reference in zip(ours, expected, strict=True):
        assert (np.nan if reference is None else reference) == pytest.approx(
            value, abs=1e-9, nan_ok=True
        )


def test_alpha_interval_brackets_alpha_and_narrows_with_more_items() -> None:
    small = alpha_interval(triples_of(rubric_scores(10, seed=1)), "ordinal", seed=5)
    large = alpha_interval(triples_of(rubric_scores(400, seed=1)), "ordinal", seed=5)
    for result in (small, large):
        assert result.low < result.alpha < result.high
        assert (result.resamples, result.requested, result.confidence) == (2000, 2000, 0.95)
    assert large.high - large.low < (small.high - small.low) / 3
    assert alpha_interval(triples_of(rubric_scores(10, seed=1)), "ordinal", seed=5) == small
    few = triples_of(rubric_scores(10, seed=1))
    assert 0 <= small.below_threshold <= 1 and small.items == alpha(few, "ordinal").items == 9


def test_alpha_interval_without_alpha_or_variation() -> None:
    assert alpha_interval([(1, "a", 3), (1, "b", 3)], "interval").alpha is None
    # One varying item among constant ones: resamples without it have no variation (left out).
    ratings = [(i, r, 2) for i in range(5) for r in "ab"] + [(9, "a", 1), (9, "b", 3)]
    result = alpha_interval(ratings, "interval", resamples=500, seed=2)
    assert result.alpha is not None and 0 < result.resamples < 500


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"confidence": 1.0}, "confidence: must be in"),
        ({"resamples": 0}, "resamples: must be a whole number"),
        ({"resamples": 10.5}, "resamples: must be a whole number"),
    ],
)
def test_alpha_interval_rejects_bad_settings(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        alpha_interval([(1, "a", 1), (1, "b", 2)], "interval", **kwargs)
