"""Department budget: plans per period with lines, actual spend against each line, scenarios.

A scenario is a :class:`BudgetPlan` with ``base`` set: a copy of a plan whose lines were changed,
typically by a what-if (``assumptions`` keeps the what-if's inputs and results).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BudgetCategory(models.TextChoices):
    HEADCOUNT = "headcount", "Headcount"
    OVERTIME = "overtime", "Overtime"
    TOOLS = "tools", "Tools"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class BudgetPlan(models.Model):
    name = models.CharField(max_length=120)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="budgets",
                             help_text="Blank = the whole department.")
    period_start = models.DateField()
    period_end = models.DateField(help_text="Inclusive.")
    currency = models.CharField(max_length=3, default="EUR")
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="scenarios",
                             help_text="Set for a scenario: the plan it varies.")
    assumptions = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="budget_period_order")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_scenario(self) -> bool:
        return self.base_id is not None


class BudgetLine(models.Model):
    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=16, choices=BudgetCategory.choices)
    description = models.CharField(max_length=200)
    planned_amount = models.DecimalField(max_digits=14, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description


class BudgetActual(models.Model):
    """Money actually spent against a line (an invoice, a payroll run, an overtime payment)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="actuals")
    incurred_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["incurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.incurred_on}: {self.amount}"

