"""Money and percentages on the budget pages: ``{{ amount|money:plan.currency }}`` → "EUR 45,500.00"."""

from __future__ import annotations

from decimal import Decimal

from django import template

from frontline.core import formats

register = template.Library()

MINUS = "\u2212"
DASH = "\u2013"


# The amounts and percentages are the project's one format (frontline.core.formats), so the
# budget pages agree with every other page: "EUR 1,234.50", a minus sign for negatives, "+23.5 %".
register.filter("money", formats.money)
register.filter("signed_money", formats.signed_money)
register.filter("signed_pct", formats.signed_pct)


@register.filter
def money0(value: Decimal | None, currency: str = "") -> str:
    """``money`` in whole units (headline figures): "EUR 45,500"."""
    return formats.money(value, currency, 0)


@register.filter
def signed_money0(value: Decimal | None, currency: str = "") -> str:
    """``signed_money`` in whole units: "+EUR 1,200"."""
    return formats.signed_money(value, currency, 0)


@register.filter
def over_under(value: Decimal | None) -> str:
    """CSS class of a variance: ``over`` (over budget) or ``under``."""
    if value is None or value == 0:
        return "even"
    return "over" if value > 0 else "under"


@register.filter
def sub(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    """``value - other`` (for differences computed in a template)."""
    if value is None or other is None:
        return None
    return Decimal(value) - Decimal(other)


@register.filter
def plus(value: Decimal | None, other: Decimal | None) -> Decimal | None:
    """``value + other`` without Django's ``add``, which truncates decimals to integers first."""
    if value is None or other is None:
        return None
    return Decimal(value) + Decimal(other)
