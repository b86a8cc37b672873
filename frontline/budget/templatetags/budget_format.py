"""Money and percentages on the budget pages: ``{{ amount|money:plan.currency }}`` → "EUR 45,500.00"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()

MINUS = "\u2212"
DASH = "\u2013"


@register.filter
def money(value: Decimal | None, currency: str = "") -> str:
    """Amount with thousands separators and two decimals, the currency code first; a minus sign
    (U+2212) for negative amounts; an en dash for none."""
    if value is None or value == "":
        return DASH
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = MINUS if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,.2f}".strip()


@register.filter
def money0(value: Decimal | None, currency: str = "") -> str:
    """Like ``money`` in whole units (for headline figures)."""
    if value is None or value == "":
        return DASH
    amount = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = MINUS if amount < 0 else ""
    return f"{sign}{currency} {abs(amount):,.0f}".strip()


@register.filter
def signed_money(value: Decimal | None, currency: str = "") -> str:
    """A difference: "+EUR 1,200.00", "-EUR 300.00" (with a minus sign), "EUR 0.00"."""
    if value is None:
        return DASH
    text = money(value, currency)
    return f"+{text}" if Decimal(value) > 0 else text


@register.filter
def signed_money0(value: Decimal | None, currency: str = "") -> str:
    """A difference in whole units: "+EUR 1,200"."""
    if value is None:
        return DASH
    text = money0(value, currency)
    return f"+{text}" if Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP) > 0 else text


@register.filter
def signed_pct(value: Decimal | None) -> str:
    if value is None:
        return DASH
    sign = "+" if value > 0 else MINUS if value < 0 else ""
    return f"{sign}{abs(value):,.1f}%"


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
