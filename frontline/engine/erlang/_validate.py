"""Argument checks shared by the Erlang functions: each returns the checked value or raises
``ValueError`` naming the argument."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _number(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not a bool")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _non_negative(name: str, value: object) -> float:
    number = _number(name, value)
    if number < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return number


def _positive(name: str, value: object) -> float:
    number = _number(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def _in_range(
    name: str, value: object, low: float, high: float, *, open_low: bool, open_high: bool
) -> float:
    number = _number(name, value)
    if (number <= low if open_low else number < low) or (
        number >= high if open_high else number > high
    ):
        lo, hi = "(" if open_low else "[", ")" if open_high else "]"
        raise ValueError(f"{name} must be in {lo}{low:g}, {high:g}{hi}, got {value!r}")
    return number


def _agents(value: object, fractional: bool) -> float:
    number = _non_negative("agents", value)
    if not fractional and number != math.floor(number):
        raise ValueError(f"agents must be a whole number unless fractional=True, got {value!r}")
    return number


def _concurrency(value: object) -> int:
    number = _number("concurrency", value)
    if number < 1 or number != math.floor(number):
        raise ValueError(f"concurrency must be a whole number >= 1, got {value!r}")
    return int(number)


def _array(name: str, value: ArrayLike, *, positive: bool) -> NDArray[np.float64]:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite")
    if np.any(array <= 0) if positive else np.any(array < 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'}")
    return array
