"""One format for each kind of number (frontline/core/formats.py)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from frontline.core import formats

M = "\u2212"


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), ("", "—"), (float("nan"), "—"),
    (0, "0 s"), (0.84, "0.8 s"), (3, "3 s"), (9.5, "9.5 s"), (9.96, "10 s"), (45.4, "45 s"),
    (60, "1 min"), (128, "2 min 8 s"), (2568, "42 min 48 s"), (600, "10 min"), (3599.4, "59 min 59 s"),
    (3600, "1 h"), (3900, "1 h 5 min"), (93_600, "26 h"), (float("inf"), "∞"), (-90, f"{M}1 min 30 s"),
    (Decimal("432.4"), "7 min 12 s"),
])
def test_duration(seconds, text):
    assert formats.duration(seconds) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, "—"), (0, "0 min"), (0.3, "0 min"), (12.4, "12 min"), (59.6, "1 h"), (18704.6, "311 h 45 min"), (-5, f"{M}5 min"),
])
def test_minutes_reads_like_a_duration_past_an_hour(value, text):
    assert formats.minutes(value) == text


@pytest.mark.parametrize(("args", "text"), [
    ((None,), "—"), ((0.8,), "80 %"), ((0.1234, 1), "12.3 %"), ((1,), "100 %"), ((0.005,), "1 %"),
    ((-0.25,), f"{M}25 %"), ((Decimal("0.9"), "1"), "90.0 %"),
])
def test_pct_takes_a_fraction(args, text):
    assert formats.pct(*args) == text


@pytest.mark.parametrize(("args", "text"), [
    ((None,), "—"), ((94.8,), "95 %"), ((94.8, 1), "94.8 %"), ((1234.5,), "1,235 %"),
])
def test_pct_number_takes_a_percentage(args, text):
    assert formats.pct_number(*args) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, "—"), (Decimal("23.46"), "+23.5 %"), (-5, f"{M}5.0 %"), (0, "0.0 %"), (-0.01, "0.0 %"),
])
def test_signed_pct(value, text):
    assert formats.signed_pct(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (None, "—"), (36.666, "36.7 h"), (40, "40 h"), (40.04, "40 h"), (0.25, "0.3 h"), (1234.56, "1,234.6 h"),
])
def test_hours_have_one_decimal(value, text):
    assert formats.hours(value) == text


@pytest.mark.parametrize(("target", "threshold", "text"), [
    (0.8, 20, "80 % in 20 s"), (0.9, 600, "90 % in 10 min"), (0.855, 30, "85.5 % in 30 s"),
    (Decimal("0.80"), 90, "80 % in 1 min 30 s"), (0.8, None, "80 %"), (None, 20, "—"),
])
def test_sl_target(target, threshold, text):
    assert formats.sl_target(target, threshold) == text


@pytest.mark.parametrize(("args", "text"), [
    ((None, "EUR"), "—"), ((Decimal("1234.5"), "EUR"), "EUR 1,234.50"), ((-300, "EUR"), f"{M}EUR 300.00"),
    ((Decimal("45499.5"), "EUR", 0), "EUR 45,500"), ((12, ""), "12.00"), ((Decimal("-0.001"), "USD"), "USD 0.00"),
])
def test_money_puts_the_code_first(args, text):
    assert formats.money(*args) == text


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1200"), "+EUR 1,200.00"), (Decimal("-300"), f"{M}EUR 300.00"), (0, "EUR 0.00"), (None, "—"),
])
def test_signed_money(value, text):
    assert formats.signed_money(value, "EUR") == text


@pytest.mark.parametrize(("value", "text"), [(None, "—"), (12345, "12,345"), (Decimal("12.5"), "13"), (-4, f"{M}4")])
def test_number(value, text):
    assert formats.number(value) == text


def test_datetime_short_is_in_the_given_zone():
    moment = datetime(2026, 12, 6, 13, 5, tzinfo=UTC)
    assert formats.datetime_short(moment, zoneinfo.ZoneInfo("Europe/Lisbon")) == "6 Dec 2026, 13:05"
    assert formats.datetime_short(moment, zoneinfo.ZoneInfo("Asia/Tokyo")) == "6 Dec 2026, 22:05"


def test_datetime_short_defaults_to_the_viewers_zone(settings):
    from django.utils import timezone

    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    with timezone.override(zoneinfo.ZoneInfo("Europe/Berlin")):
        assert formats.datetime_short(moment) == "1 Jan 2027, 00:30"
        assert formats.date_short(moment) == "1 Jan 2027"


def test_date_short():
    assert formats.date_short(date(2026, 3, 9)) == "9 Mar 2026"
    assert formats.date_short(None) == "—"


def test_a_non_number_is_refused_by_name():
    with pytest.raises(ValueError, match="value"):
        formats.money("lots", "EUR")


@pytest.mark.parametrize(("p", "text"), [
    (None, "—"), (0.0, "p < 0.0001"), (4.2e-12, "p < 0.0001"), (0.0001, "p = 0.0001"), (0.00031234, "p = 0.000312"),
    (0.03125, "p = 0.0312"), (0.5, "p = 0.5"), (1, "p = 1"),
])
def test_p_value_is_never_a_row_of_zeros(p, text):
    assert formats.p_value(p) == text


def test_p_value_names_an_adjusted_one_and_refuses_what_is_not_a_probability():
    assert formats.p_value(0.004, "q") == "q = 0.004"
    with pytest.raises(ValueError, match="probability"):
        formats.p_value(1.2)
