"""Number, duration, money and date formats for every page: ``{% load fmt %}``.

Each filter is the function of the same name in ``frontline.core.formats`` (the rules are written
there and in docs/style.md): ``{{ aht_s|duration }}`` → "2 min 8 s", ``{{ share|pct }}`` → "80 %",
``{{ plan.target_sl|sl_target:plan.threshold_s }}`` → "80 % in 20 s",
``{{ amount|money:plan.currency }}`` → "EUR 1,234.50", ``{{ t.created_at|datetime_short }}``,
``{{ alert.p_value|p_value }}`` → "p < 0.0001".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import InvalidOperation
from typing import Any

from django import template

from frontline.core import formats

register = template.Library()


def _tolerant(function: Callable[..., str]) -> Callable[..., str]:
    """A page shows "—" for a value it cannot format (a template never fails on one, as Django's
    own filters); Python callers of ``formats`` get the ``ValueError``."""

    @functools.wraps(function)
    def wrapped(*args: Any) -> str:
        try:
            return function(*args)
        except (TypeError, ValueError, InvalidOperation, OverflowError, AttributeError):
            return formats.NONE

    return wrapped

for _name in (
    "number",
    "duration",
    "minutes",
    "pct",
    "pct_number",
    "signed_pct",
    "hours",
    "sl_target",
    "money",
    "signed_money",
    "datetime_short",
    "date_short",
    "p_value",
):
    register.filter(_name, _tolerant(getattr(formats, _name)))


@register.filter
@_tolerant
def money0(value: formats.Number | None, currency: str = "") -> str:
    """``money`` in whole units (headline figures): "EUR 45,500"."""
    return formats.money(value, currency, 0)


@register.filter
@_tolerant
def signed_money0(value: formats.Number | None, currency: str = "") -> str:
    """``signed_money`` in whole units: "+EUR 1,200"."""
    return formats.signed_money(value, currency, 0)
