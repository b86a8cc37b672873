"""One way to write each kind of number, for pages, CSV files, e-mails and reports alike.

Template filters of the same names live in ``frontline.core.templatetags.fmt``
(``{% load fmt %}``); Python code calls these functions. The rules (docs/style.md):

- a missing value is an em dash "—";
- a unit follows its number after one space: "80 %", "45 s", "36.7 h";
- durations in the largest two units: "45 s", "2 min 8 s", "1 h 5 min"; under 10 s one decimal;
- hours with one decimal, a trailing ".0" dropped: "36.7 h", "40 h";
- a service-level target is "80 % in 20 s" (the threshold written as a duration);
- money is the currency code, a space, then the amount with thousands separators: "EUR 1,234.50";
- negative numbers take the minus sign U+2212; signed differences show "+" when positive;
- date-times are "6 Dec 2026, 14:05" in the viewer's zone; dates "6 Dec 2026".

>>> duration(128), pct(0.8), hours(36.666), sl_target(0.8, 600), money(1234.5, "EUR")
('2 min 8 s', '80 %', '36.7 h', '80 % in 10 min', 'EUR 1,234.50')
"""

from __future__ import annotations

import math
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NONE = "\u2014"  # em dash: no value
MINUS = "\u2212"
INFINITE = "\u221e"

Number = int | float | Decimal


def _missing(value: object) -> bool:
    return value is None or value == ""


def _decimal(value: Number | str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"value: not a number: {value!r}") from exc


def _fixed(value: Decimal, digits: int, *, trim: bool = False) -> str:
    """``value`` rounded half up to ``digits`` decimals, with thousands separators, no sign."""
    quantum = Decimal(1).scaleb(-digits)
    text = f"{abs(value.quantize(quantum, rounding=ROUND_HALF_UP)):,.{digits}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _signed(value: Decimal, digits: int, *, plus: bool = False, trim: bool = False) -> str:
    text = _fixed(value, digits, trim=trim)
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if rounded < 0:
        return MINUS + text
    if plus and rounded > 0:
        return "+" + text
    return text


def number(value: Number | None, digits: int = 0) -> str:
    """A plain count or measure with thousands separators: 12345 -> "12,345"."""
    if _missing(value):
        return NONE
    return _signed(_decimal(value), int(digits))


def duration(seconds: Number | None) -> str:
    """A length of time given in seconds: "0.8 s", "45 s", "2 min 8 s", "1 h 5 min", "26 h".

    Under 10 s one decimal is kept (when it is not zero); under an hour whole seconds; from an
    hour on whole minutes. An infinite duration (an unbounded queue) is "∞".
    """
    if _missing(seconds):
        return NONE
    value = float(seconds)
    if math.isnan(value):
        return NONE
    sign = MINUS if value < 0 else ""
    value = abs(value)
    if math.isinf(value):
        return sign + INFINITE
    if round(value, 1) < 10:
        return f"{sign}{_fixed(_decimal(value), 1, trim=True)} s"
    total = math.floor(value + 0.5)
    if total < 60:
        return f"{sign}{total} s"
    if total < 3600:
        minutes, rest = divmod(total, 60)
        return f"{sign}{minutes} min {rest} s" if rest else f"{sign}{minutes} min"
    total_minutes = math.floor(value / 60 + 0.5)
    hours_, minutes = divmod(total_minutes, 60)
    return f"{sign}{hours_} h {minutes} min" if minutes else f"{sign}{hours_} h"


def minutes(value: Number | None) -> str:
    """A length of time counted in whole minutes: 0 -> "0 min", 12.4 -> "12 min", 18704.6 -> "311 h 45 min"."""
    if _missing(value):
        return NONE
    whole = math.floor(abs(float(value)) + 0.5)
    sign = MINUS if float(value) < 0 and whole else ""
    return f"{sign}{whole} min" if whole < 60 else sign + duration(whole * 60)


def pct(fraction: Number | None, digits: int = 0) -> str:
    """A share given as a fraction: 0.8 -> "80 %", pct(0.1234, 1) -> "12.3 %"."""
    if _missing(fraction):
        return NONE
    return f"{_signed(_decimal(fraction) * 100, int(digits))} %"


def pct_number(percent: Number | None, digits: int = 0) -> str:
    """A share already in percent: 94.8 -> "95 %", pct_number(94.8, 1) -> "94.8 %"."""
    if _missing(percent):
        return NONE
    return f"{_signed(_decimal(percent), int(digits))} %"


def signed_pct(percent: Number | None, digits: int = 1) -> str:
    """A change in percent: 23.46 -> "+23.5 %", -5 -> "\u22125.0 %", 0 -> "0.0 %"."""
    if _missing(percent):
        return NONE
    return f"{_signed(_decimal(percent), int(digits), plus=True)} %"


def hours(value: Number | None, digits: int = 1) -> str:
    """Hours with one decimal, a trailing ".0" dropped: 36.666 -> "36.7 h", 40 -> "40 h"."""
    if _missing(value):
        return NONE
    return f"{_signed(_decimal(value), int(digits), trim=True)} h"


def sl_target(target: Number | None, threshold_s: Number | None) -> str:
    """A service-level target: (0.8, 20) -> "80 % in 20 s"; (0.9, 600) -> "90 % in 10 min".

    The target is a fraction; without a threshold only the share is shown.
    """
    if _missing(target):
        return NONE
    share = f"{_signed(_decimal(target) * 100, 1, trim=True)} %"
    if _missing(threshold_s):
        return share
    return f"{share} in {duration(threshold_s)}"


def money(value: Number | None, currency: str = "", digits: int = 2) -> str:
    """An amount of money, the currency code first: "EUR 1,234.50"; negative "\u2212EUR 300.00" (the
    sign before the code, like the plus of ``signed_money``); ``digits=0`` for headline figures.
    """
    if _missing(value):
        return NONE
    amount = _decimal(value)
    rounded = amount.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    return f"{sign}{currency} {_fixed(amount, int(digits))}".strip()


def signed_money(value: Number | None, currency: str = "", digits: int = 2) -> str:
    """A difference of money: "+EUR 1,200.00", "\u2212EUR 300.00", "EUR 0.00"."""
    if _missing(value):
        return NONE
    text = money(value, currency, digits)
    rounded = _decimal(value).quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)
    return f"+{text}" if rounded > 0 else text


def datetime_short(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A moment in the viewer's zone: "6 Dec 2026, 14:05".

    ``tz`` defaults to Django's current zone (the viewer's, set by the people middleware); a naive
    value is taken as already local.
    """
    if value is None:
        return NONE
    if value.tzinfo is not None:
        if tz is None:
            from django.utils import timezone

            tz = timezone.get_current_timezone()
        value = value.astimezone(tz)
    return f"{value.day} {value:%b %Y, %H:%M}"


def date_short(value: date | datetime | None, tz: tzinfo | None = None) -> str:
    """A day: "6 Dec 2026" (a date-time is first moved to the viewer's zone)."""
    if value is None:
        return NONE
    if isinstance(value, datetime) and value.tzinfo is not None:
        if tz is None:
            from django.utils import timezone

            tz = timezone.get_current_timezone()
        value = value.astimezone(tz)
    return f"{value.day} {value:%b %Y}"


def p_value(p: Number | None, name: str = "p") -> str:
    """A test's p-value: "p < 0.0001" below 0.0001, else three significant digits: 0.03125 ->
    "p = 0.0312", 0.5 -> "p = 0.5". ``name``: the letter ("q" for an adjusted p-value)."""
    if _missing(p):
        return NONE
    value = float(p)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"p: not a probability: {p!r}")
    if value < 0.0001:
        return f"{name} < 0.0001"
    return f"{name} = {value:.3g}"
