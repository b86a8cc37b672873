"""Contacts in a plan's period and scope, cost per contact, contacts expected by a forecast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from frontline.desk.models import Ticket
from frontline.engine.kpis.customer import cost_per_contact as kpi_cost_per_contact
from frontline.workforce.models import ForecastRun, RunStatus

from ..models import BudgetPlan
from ._common import _team_tree, cents, period_bounds, scope_team_ids

# --- contacts -------------------------------------------------------------------------------------

def _contacts_filter(plan: BudgetPlan, tree: dict[int | None, list[int]]) -> Q:
    start, end = period_bounds(plan)
    q = Q(created_at__gte=start, created_at__lt=end)
    team_ids = scope_team_ids(plan, tree)
    if team_ids is not None:
        q &= Q(team_id__in=team_ids)
    return q


def contacts_for_plans(plans: Iterable[BudgetPlan]) -> dict[int, int]:
    """Contacts (tickets created in the period, in scope — see the module docstring) per plan, in one query."""
    plans = list(plans)
    if not plans:
        return {}
    tree = _team_tree()
    counts = Ticket.objects.aggregate(**{f"p{p.pk}": Count("pk", filter=_contacts_filter(p, tree)) for p in plans})
    return {p.pk: counts[f"p{p.pk}"] for p in plans}


def cost_per_contact(actual: Decimal, contacts: int) -> Decimal | None:
    """Actual total ÷ contacts, in cents; None without contacts: the KPI catalogue's definition
    (``engine.kpis.customer.cost_per_contact``, the metrics pages' cost per contact)."""
    return kpi_cost_per_contact(cost=actual, contacts=contacts)


@dataclass(frozen=True)
class ExpectedContacts:
    run: ForecastRun
    contacts: float


def expected_contacts(plan: BudgetPlan) -> ExpectedContacts | None:
    """Contacts the newest finished forecast of the plan's scope expects in the period (history
    volume where it has happened, forecast volume after); None unless one covers the whole period."""
    run = (ForecastRun.objects.filter(status=RunStatus.DONE, team_id=plan.team_id, queue__isnull=True, channel="",
                                      history_start__lte=plan.period_start, last_date__gte=plan.period_end)
           .order_by("-created_at", "-pk").first())
    if run is None:
        return None
    start, end = period_bounds(plan)
    total = run.intervals.filter(starts_at__gte=start, starts_at__lt=end).aggregate(v=Sum("volume"))["v"]
    return ExpectedContacts(run=run, contacts=float(total or 0.0))


def planned_cost_per_contact(planned: Decimal, expected: ExpectedContacts | None) -> Decimal | None:
    if expected is None or expected.contacts <= 0:
        return None
    return cents(planned / Decimal(str(expected.contacts)))


