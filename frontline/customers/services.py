"""Writes about customers and companies."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from .models import Company, Customer, Tier


@transaction.atomic
def company_create(*, name: str, domain: str = "", tier: str = Tier.STANDARD,
                   lifetime_revenue: Decimal = Decimal(0), share_tickets: bool = False) -> Company:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["A company needs a name."]})
    if tier not in Tier.values:
        raise ValidationError({"tier": [f"Choose one of: {', '.join(Tier.values)}."]})
    if Company.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [f"A company called {name} exists already."]})
    return Company.objects.create(name=name, domain=domain.strip().lower(), tier=tier,
                                  lifetime_revenue=lifetime_revenue, share_tickets=share_tickets)


@transaction.atomic
def company_update(*, company: Company, **changes: object) -> Company:
    allowed = {"name", "domain", "tier", "lifetime_revenue", "share_tickets"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({k: ["Not a company field."] for k in unknown})
    if "tier" in changes and changes["tier"] not in Tier.values:
        raise ValidationError({"tier": [f"Choose one of: {', '.join(Tier.values)}."]})
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not name:
            raise ValidationError({"name": ["A company needs a name."]})
        if Company.objects.filter(name__iexact=name).exclude(pk=company.pk).exists():
            raise ValidationError({"name": [f"A company called {name} exists already."]})
        changes["name"] = name
    if "domain" in changes:
        changes["domain"] = str(changes["domain"] or "").strip().lower()
    for key, value in changes.items():
        setattr(company, key, value)
    if changes:
        company.save(update_fields=list(changes))
    return company


@transaction.atomic
def customer_create(*, name: str, email: str, company: Company | None = None, phone: str = "",
                    tier: str | None = None, lifetime_revenue: Decimal = Decimal(0),
                    sees_company_tickets: bool = False, language: str = "en", time_zone: str = "UTC") -> Customer:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": ["Enter a valid email address."]}) from None
    if Customer.objects.filter(email=email).exists():
        raise ValidationError({"email": [f"A customer with {email} exists already."]})
    name = name.strip() or email.split("@")[0]
    tier = tier or (company.tier if company else Tier.STANDARD)
    if tier not in Tier.values:
        raise ValidationError({"tier": [f"Choose one of: {', '.join(Tier.values)}."]})
    return Customer.objects.create(name=name, email=email, company=company, phone=phone, tier=tier,
                                   lifetime_revenue=lifetime_revenue, sees_company_tickets=sees_company_tickets,
                                   language=language, time_zone=time_zone)


@transaction.atomic
def customer_update(*, customer: Customer, **changes: object) -> Customer:
    allowed = {"name", "phone", "company", "tier", "lifetime_revenue", "sees_company_tickets", "language", "time_zone"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({k: ["Not a customer field."] for k in unknown})
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        if not changes["name"]:
            raise ValidationError({"name": ["A customer needs a name."]})
    if "time_zone" in changes and not _valid_zone(str(changes["time_zone"])):
        raise ValidationError({"time_zone": ["Use an IANA time zone such as Europe/Berlin."]})
    if "tier" in changes and changes["tier"] not in Tier.values:
        raise ValidationError({"tier": [f"Choose one of: {', '.join(Tier.values)}."]})
    for key, value in changes.items():
        setattr(customer, key, value)
    if changes:
        customer.save(update_fields=list(changes))
    return customer


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def customer_for_email(*, email: str, name: str = "") -> Customer:
    """The customer with this address, created on first contact (email intake, portal sign-up).

    Two first contacts at once from one address both get the one customer.
    """
    email = email.strip().lower()
    existing = Customer.objects.filter(email=email).first()
    if existing is not None:
        return existing
    domain = email.rsplit("@", 1)[-1]
    company = Company.objects.filter(domain=domain).first() if domain else None
    try:
        with transaction.atomic():
            return customer_create(name=name, email=email, company=company)
    except IntegrityError:
        return Customer.objects.get(email=email)
