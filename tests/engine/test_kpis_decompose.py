"""Mix / rate decomposition of a KPI's change (frontline/engine/kpis/decompose.py).

Expected values are worked by hand in the comments; a property checks that the parts add up
to the change for any segments.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontline.engine.kpis import decompose_change


def test_more_chat_explains_a_faster_mean_by_hand() -> None:
    # before: email 80 tickets at 60 min, chat 20 at 5 min -> (4800 + 100) / 100 = 49 min
    # after:  email 50 at 66 min, chat 50 at 5 min        -> (3300 + 250) / 100 = 35.5 min
    # rate: email (0.8 + 0.5)/2 * 6 = 3.9; chat 0.             total rate  3.9
    # mix, centred on (49 + 35.5)/2 = 42.25:
    #   email ((60 + 66)/2 - 42.25) * (0.5 - 0.8) = 20.75 * -0.3 = -6.225
    #   chat  ((5 + 5)/2 - 42.25)   * (0.5 - 0.2) = -37.25 * 0.3 = -11.175  total mix -17.4
    # 3.9 - 17.4 = -13.5 = 35.5 - 49
    d = decompose_change(
        before={"email": (80, 60.0), "chat": (20, 5.0)},
        after={"email": (50, 66.0), "chat": (50, 5.0)},
        unit="min",
    )
    assert (d.before, d.after, d.change) == (49.0, 35.5, -13.5)
    assert (d.rate, d.mix) == pytest.approx((3.9, -17.4))
    chat, email = d.segments  # largest contribution first
    assert (chat.segment, chat.mix, chat.rate) == ("chat", pytest.approx(-11.175), 0.0)
    assert (email.segment, email.mix, email.rate) == (
        "email",
        pytest.approx(-6.225),
        pytest.approx(3.9),
    )
    assert d.reading == (
        "down 13.5 min: +3.9 min from segments' own change (rate), -17.4 min from the mix of "
        "volume; most from chat (-11.2 min)"
    )


def test_new_and_vanished_segments_are_all_mix() -> None:
    # before: a 10 at 0.1, b 10 at 0.3 -> 0.2; after: a 10 at 0.1, c 10 at 0.5 -> 0.3; centre 0.25
    # c new: (0.5 - 0.25) * 0.5 = 0.125; b gone: (0.3 - 0.25) * -0.5 = -0.025; a: 0
    d = decompose_change(
        before={"a": (10, 0.1), "b": (10, 0.3)}, after={"a": (10, 0.1), "c": (10, 0.5)}
    )
    parts = {s.segment: s for s in d.segments}
    assert (parts["c"].status, parts["c"].mix, parts["c"].rate) == (
        "new",
        pytest.approx(0.125),
        0.0,
    )
    assert (parts["b"].status, parts["b"].mix, parts["b"].rate) == (
        "vanished",
        pytest.approx(-0.025),
        0.0,
    )
    assert (parts["c"].before_rate, parts["b"].after_rate) == (None, None)
    assert (d.rate, d.mix, d.change) == pytest.approx((0.0, 0.1, 0.1))
    assert d.reading.startswith("up 10.0 points: +0.0 points from segments' own change (rate)")
    assert d.reading.endswith("most from c (new) (+12.5 points)")


def test_same_shares_is_all_rate_and_same_rates_is_all_mix() -> None:
    rate_only = decompose_change(
        before={"a": (10, 0.1), "b": (30, 0.2)}, after={"a": (20, 0.3), "b": (60, 0.2)}
    )
    mix_only = decompose_change(
        before={"a": (10, 0.1), "b": (30, 0.2)}, after={"a": (30, 0.1), "b": (10, 0.2)}
    )
    # rate: a's share 0.25 both times, +0.2 -> +0.05; mix: 0.175 -> 0.125
    assert (rate_only.rate, rate_only.mix) == pytest.approx((0.05, 0.0))
    assert (mix_only.rate, mix_only.mix) == pytest.approx((0.0, -0.05))


def test_a_zero_weight_is_an_absent_segment() -> None:
    with_zero = decompose_change(
        before={"a": (10, 1.0), "b": (0, 99.0)}, after={"a": (5, 2.0)}, unit="min"
    )
    assert [s.segment for s in with_zero.segments] == ["a"]
    assert (with_zero.change, with_zero.rate, with_zero.mix) == (1.0, 1.0, 0.0)
    assert with_zero.reading == (
        "up 1 min: +1 min from segments' own change (rate), +0 min from the mix of volume; "
        "most from a (+1 min)"
    )


segments = st.dictionaries(
    st.sampled_from("abcdefg"),
    st.tuples(
        st.integers(min_value=0, max_value=500),
        st.floats(min_value=0, max_value=1000, allow_nan=False),
    ),
    min_size=1,
)


@settings(max_examples=150, deadline=None)
@given(before=segments, after=segments)
def test_parts_add_up_to_the_change(before, after) -> None:
    if not any(w for w, _ in before.values()) or not any(w for w, _ in after.values()):
        with pytest.raises(ValueError, match="weights sum to 0"):
            decompose_change(before=before, after=after)
        return
    d = decompose_change(before=before, after=after, unit="min")
    assert d.mix + d.rate == pytest.approx(d.change, abs=1e-9)
    assert sum(s.total for s in d.segments) == pytest.approx(d.change, abs=1e-9)
    assert [abs(s.total) for s in d.segments] == sorted(
        (abs(s.total) for s in d.segments), reverse=True
    )


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ({}, {"a": (1, 1.0)}, "before: the segments' weights sum to 0"),
        ({"a": (1, 1.0)}, {"a": (0, 1.0)}, "after: the segments' weights sum to 0"),
        ({"a": (-1, 1.0)}, {"a": (1, 1.0)}, r"before\['a'\]: weight must be >= 0"),
        ({"a": (1, float("inf"))}, {"a": (1, 1.0)}, r"before\['a'\]: rate must be finite"),
        ({"a": (1, 1.0)}, {"a": 3}, r"after\['a'\]: must be \(weight, rate\)"),
        ({"a": (1, 1.0)}, {1: (1, 1.0)}, "after: segment names must be strings"),
    ],
)
def test_bad_input_names_the_parameter(before, after, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decompose_change(before=before, after=after)
