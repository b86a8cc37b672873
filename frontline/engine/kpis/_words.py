"""Numbers in the plain-English readings of compare, decompose, outliers and targets."""

from __future__ import annotations

import math


def amount(value: float, unit: str = "") -> str:
    """``12.0`` -> ``"12"``, ``3.25`` -> ``"3.3"``, ``0.042`` -> ``"0.042"``, with the unit after.

    At most one decimal from 1 up, two significant digits below 1; thousands separated.
    """
    size = abs(value)
    if size >= 1 or size == 0:
        text = f"{value:,.1f}"
        if text.endswith(".0"):
            text = text[:-2]
    else:
        digits = 1 - math.floor(math.log10(size))
        text = f"{value:.{digits}f}"
    return f"{text} {unit}".rstrip() if unit else text


def percent(fraction: float) -> str:
    """``0.1234`` -> ``"12.3%"``."""
    return f"{100 * fraction:.1f}%"


def points(fraction: float) -> str:
    """A change of ``0.032`` -> ``"3.2 points"`` (percentage points)."""
    value = 100 * abs(fraction)
    return f"{value:.1f} point" + ("" if f"{value:.1f}" == "1.0" else "s")


def p_text(p: float) -> str:
    """``0.0123`` -> ``"p = 0.012"``, ``1e-6`` -> ``"p < 0.001"``."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.2g}" if p < 0.1 else f"p = {p:.2f}"
