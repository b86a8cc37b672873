"""Phone numbers and the customers they belong to."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Replace

from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email, customer_update

from ._common import _SEPARATORS, NAME_MAX, PLACEHOLDER_DOMAIN

# --- numbers and customers --------------------------------------------------------------------------------------


def number_normalise(raw: object, field: str = "number") -> str:
    """``"+49 (151) 234-567"`` -> ``"+49151234567"``: digits with an optional leading +; ValidationError naming ``field``."""
    text = str(raw or "").strip()
    for sep in _SEPARATORS:
        text = text.replace(sep, "")
    if not re.fullmatch(r"\+?\d{3,20}", text):
        raise ValidationError({field: ["Give a phone number: digits, optionally a leading +, 3 to 20 digits."]})
    return text


def _phone_column() -> Any:
    column: Any = F("phone")
    for sep in _SEPARATORS:
        column = Replace(column, Value(sep), Value(""))
    return column


def customer_for_number(*, number: str, name: str = "") -> Customer:
    """The customer with this number (the same digits, separators ignored), else one made for it.

    A customer made for a number has no email address: a placeholder ``phone-<digits>@phone.invalid``
    that the mail app never sends to. Two customers with the same number: the oldest.
    """
    number = number_normalise(number)
    match = (Customer.objects.exclude(phone="").annotate(phone_digits=_phone_column())
             .filter(phone_digits=number).order_by("id").first())
    if match is not None:
        return match
    customer = customer_for_email(email=f"phone-{number.lstrip('+')}@{PLACEHOLDER_DOMAIN}",
                                  name=(name or number)[:NAME_MAX])
    if customer.phone != number:
        customer = customer_update(customer=customer, phone=number)
    return customer
