"""Customers and the companies they belong to."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tier(models.TextChoices):
    STANDARD = "standard", "Standard"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    PLATINUM = "platinum", "Platinum"


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True, db_index=True)
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    lifetime_revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    share_tickets = models.BooleanField(
        default=False, help_text="Members allowed to may see every ticket of the company on the portal."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=40, blank=True)
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="customer"
    )
    tier = models.CharField(max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    lifetime_revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    sees_company_tickets = models.BooleanField(
        default=False, help_text="With the company's sharing on, this person sees all its tickets."
    )
    language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"
