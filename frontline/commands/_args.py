"""Argument parsers shared by the database-free commands: numbers with bounds, whole numbers."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def number(
    *, low: float, high: float = math.inf, open_low: bool = False, open_high: bool = False
) -> Callable[[str], float]:
    """A finite number within [low, high]; ``open_low`` / ``open_high`` exclude the ends."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        too_low = value <= low if open_low else value < low
        too_high = value >= high if open_high else value > high
        if not math.isfinite(value) or too_low or too_high:
            lo, hi = "(" if open_low else "[", ")" if open_high else "]"
            upper = "inf" if high == math.inf else f"{high:g}"
            raise argparse.ArgumentTypeError(f"{text!r} is outside {lo}{low:g}, {upper}{hi}")
        return value

    return parse


def whole(*, low: int) -> Callable[[str], int]:
    """A whole number of at least ``low``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r} must be >= {low}")
        return value

    return parse
