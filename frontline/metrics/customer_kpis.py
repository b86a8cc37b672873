"""The customer KPIs that are not in the event log: quality score (QA reviews), cost per contact
(the budget) and self-service deflection (not measurable yet). Reads only; definitions in
docs/metrics.md ("Quality score, cost per contact, self-service deflection"), formulas in
:mod:`frontline.engine.kpis.customer`.

- **Quality score**: the mean total (the quality app's 0-100 score, ``quality/scoring.py``) of the
  submitted QA reviews (calibration scores left out) of the slice's tickets; with an agent, that
  agent's reviews on the slice's tickets (whoever holds the ticket now). Shown only when the viewer
  may see every review it averages (the quality app's rule: an agent their own, a lead their led
  teams' agents'); otherwise withheld, never averaged over a visible part.
- **Cost per contact**: actual spend recorded on the days of the period against the budget plans
  (not scenarios) of the department or of a team and its sub-teams, divided by the contacts (tickets
  created in the period) of the same scope. Managers and admins only (the budget's rule).
- **Self-service deflection**: Frontline has no self-service yet; the card says what would feed it.

The dashboard reaches this module through :func:`add_to_dashboard`; the API through
:func:`customer_cards` and :func:`add_to_breakdown`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from frontline.budget.models import BudgetActual, BudgetPlan
from frontline.engine.kpis import QaScore, compare_means, cost_per_contact, qa_score
from frontline.people.models import Team, User
from frontline.quality.models import Review, ReviewState
from frontline.quality.selectors import review_queryset_for_viewer

from .compare import Change
from .dashboard import MAX_LINK_IDS, Card, tickets_link
from .periods import Period
from .selectors import Scope, facts_in, scope_with

# (key, label, unit) of the cards this module adds to the dashboard's "Customer" panel.
CUSTOMER_CARDS: tuple[tuple[str, str, str], ...] = (
    ("qa_score", "Quality score (QA)", "percent"),
    ("cost_per_contact", "Cost per contact", "money"),
    ("deflection_rate", "Self-service deflection", "fraction"),
)
# Keys added to each row of the per-team / per-agent table (and its CSV).
BREAKDOWN_KEYS = ("qa_score", "qa_reviews", "cost_per_contact")

NO_REVIEWS = (
    "No QA reviews of these tickets yet: reviews submitted on the Quality pages count here."
)
WITHHELD = (
    "Not shown: some of these reviews are not yours to see (agents see their own reviews, "
    "team leads those of the agents of the teams they lead)."
)
DEFLECTION_NOTE = (
    "Not measurable yet: Frontline has no self-service (knowledge base, article views, bot) whose "
    "sessions could be counted."
)
_OTHER_FILTERS = ("agent_id", "channel", "queue_id", "priority", "tier", "tag")


# --- quality score --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QaReview:
    review_id: int
    ticket_id: int
    agent_id: int
    team_id: int | None  # the ticket's team (its fact row)
    total: float


@dataclass(frozen=True)
class QaResult:
    score: QaScore
    reviews: list[QaReview]
    withheld: bool  # some reviews are not the viewer's to see: no value

    @property
    def value(self) -> float | None:
        return None if self.withheld else self.score.mean


def _reviews_qs(*, scope: Scope, period: Period, until: datetime | None = None) -> QuerySet[Review]:
    tickets = facts_in(scope=scope_with(scope, agent_id=None), period=period, until=until).values(
        "ticket_id"
    )
    reviews = Review.objects.filter(
        state=ReviewState.SUBMITTED,
        calibration__isnull=True,
        total__isnull=False,
        ticket_id__in=tickets,
    )
    return reviews if scope.agent_id is None else reviews.filter(agent_id=scope.agent_id)


def qa_reviews(
    *, viewer: User, scope: Scope, period: Period, until: datetime | None = None
) -> tuple[list[QaReview], set[int]]:
    """The reviews the quality score of the slice averages, and the ids of those ``viewer`` may not see."""
    reviews = _reviews_qs(scope=scope, period=period, until=until)
    rows = [
        QaReview(*row)
        for row in reviews.order_by("ticket_id", "pk").values_list(
            "pk", "ticket_id", "agent_id", "ticket__metrics_fact__team_id", "total"
        )
    ]
    if viewer.sees_everything or not rows:
        return rows, set()
    visible = review_queryset_for_viewer(viewer=viewer).values("pk")
    return rows, set(reviews.exclude(pk__in=visible).values_list("pk", flat=True))


def qa_result(reviews: Sequence[QaReview], hidden: set[int]) -> QaResult:
    return QaResult(
        score=qa_score(totals=[r.total for r in reviews]),
        reviews=list(reviews),
        withheld=any(r.review_id in hidden for r in reviews),
    )


def qa_for(
    *, viewer: User, scope: Scope, period: Period, until: datetime | None = None
) -> QaResult:
    return qa_result(*qa_reviews(viewer=viewer, scope=scope, period=period, until=until))


def _qa_change(now: QaResult, before: QaResult) -> Change:
    """The change of the mean score from ``before`` (Welch's test, as for the other means); no change when
    either is withheld or empty."""
    if now.value is None or before.value is None:
        return Change(before=before.value, delta=None, significant=None)
    delta = now.value - before.value
    a, b = [r.total for r in before.reviews], [r.total for r in now.reviews]
    if len(a) < 2 or len(b) < 2:
        return Change(before=before.value, delta=delta, significant=None)
    result = compare_means(a, b, unit="points")
    tested = result.p_value is not None
    return Change(
        before=before.value,
        delta=delta,
        significant=result.significant if tested else None,
        low=result.ci_low,
        high=result.ci_high,
        p_value=result.p_value,
        method=result.method,
        reading=result.reading,
    )


def qa_card(*, viewer: User, scope: Scope, period: Period, now: datetime) -> Card:
    current = qa_for(viewer=viewer, scope=scope, period=period)
    key, label, unit = CUSTOMER_CARDS[0]
    if not current.reviews or current.withheld:
        return Card(
            key=key,
            label=label,
            unit=unit,
            value=None,
            link="",
            previous=None,
            last_year=None,
            note=WITHHELD if current.withheld else NO_REVIEWS,
        )
    # Like the other cards, a running period is compared with the same elapsed time of the earlier ones.
    elapsed = min(max(now, period.start), period.end) - period.start
    changes = []
    for other in (period.previous(), period.year_before()):
        until = other.start + elapsed if now < period.end else None
        changes.append(
            _qa_change(current, qa_for(viewer=viewer, scope=scope, period=other, until=until))
        )
    n = current.score.n
    return Card(
        key=key,
        label=f"{label} ({n} review{'s' if n != 1 else ''})",
        unit=unit,
        value=current.value,
        link=tickets_link(
            [{"ticket_id": t} for t in sorted({r.ticket_id for r in current.reviews})],
            scope=scope,
            period=period,
        ),
        previous=changes[0],
        last_year=changes[1],
    )


# --- cost per contact -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostResult:
    value: Decimal | None
    currency: str
    cost: Decimal | None
    contacts: int  # tickets created in the period, in the scope
    contact_ids: list[
        int
    ]  # their ids when few enough to link by id (dashboard.MAX_LINK_IDS), else empty
    teams: frozenset[int] | None  # the team and its sub-teams; None: the department
    note: str


@dataclass(frozen=True)
class PeriodBudget:
    """The budget figures of one period, per team (``None``: the department's own plans and the tickets
    without a team), read in four queries whatever the number of teams."""

    currencies: dict[int | None, set[str]]  # of the plans with lines overlapping the period
    spend: dict[
        int | None, Decimal
    ]  # actuals recorded on the period's days (only where there are some)
    contacts: dict[int | None, int]  # tickets created in the period
    children: dict[int | None, list[int]]  # the team tree


def period_budget(*, period: Period) -> PeriodBudget:
    plans = BudgetPlan.objects.filter(
        base__isnull=True,
        lines__isnull=False,
        period_start__lte=period.last,
        period_end__gte=period.first,
    )
    currencies: dict[int | None, set[str]] = defaultdict(set)
    for team_id, currency in plans.values_list("team_id", "currency").distinct():
        currencies[team_id].add(currency)
    spend = {
        row["line__plan__team_id"]: row["total"]
        for row in BudgetActual.objects.filter(
            line__plan__in=plans.values("pk"),
            incurred_on__gte=period.first,
            incurred_on__lte=period.last,
        )
        .values("line__plan__team_id")
        .order_by()
        .annotate(total=Sum("amount"))
    }
    contacts = {
        row["team_id"]: row["n"]
        for row in facts_in(scope=Scope(team_ids=None), period=period)
        .values("team_id")
        .order_by()
        .annotate(n=Count("pk"))
    }
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Team.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    return PeriodBudget(
        currencies=dict(currencies), spend=spend, contacts=contacts, children=dict(children)
    )


def _with_sub_teams(team_id: int, children: dict[int | None, list[int]]) -> frozenset[int]:
    found, frontier = {team_id}, [team_id]
    while frontier:
        frontier = [c for t in frontier for c in children.get(t, []) if c not in found]
        found.update(frontier)
    return frozenset(found)


def _none(note: str, currency: str = "") -> CostResult:
    return CostResult(
        value=None, currency=currency, cost=None, contacts=0, contact_ids=[], teams=None, note=note
    )


def _cost_of(budget: PeriodBudget, team_id: int | None) -> CostResult:
    """Cost per contact of the department (``team_id`` None) or of one team with its sub-teams (no ids)."""
    teams = None if team_id is None else _with_sub_teams(team_id, budget.children)

    def of(figures: dict) -> list:
        return [v for k, v in figures.items() if teams is None or k in teams]

    currencies = sorted(set().union(*of(budget.currencies)))
    whose = "the department" if teams is None else "this team or its sub-teams"
    if not currencies:
        return _none(
            f"No budget plan of {whose} covers this period: plans and their actual spend are under "
            "Workforce \u203a Budget."
        )
    if len(currencies) > 1:
        return _none(
            f"The budget plans of this period are in different currencies ({', '.join(currencies)}): "
            "cost per contact is not added up across currencies."
        )
    spend = of(budget.spend)
    if not spend:
        return _none("No actual spend is recorded on these days yet.", currencies[0])
    cost = sum(spend, Decimal("0.00"))
    contacts = sum(of(budget.contacts))
    value = cost_per_contact(cost=cost, contacts=contacts)
    note = "" if value is not None else "No tickets were created in this period."
    return CostResult(
        value=value,
        currency=currencies[0],
        cost=cost,
        contacts=contacts,
        contact_ids=[],
        teams=teams,
        note=note,
    )


def _not_by_budget(*, scope: Scope, period: Period) -> str:
    """Why the budget cannot give this slice a cost per contact ("" when it can)."""
    if any(getattr(scope, name) for name in _OTHER_FILTERS):
        return (
            "The budget is kept for the department and per team: clear the agent, channel, queue, "
            "priority, tier and tag filters to see cost per contact."
        )
    if scope.team_ids is not None and len(scope.team_ids) != 1:
        return "Pick one team (or the whole department) to see cost per contact."
    if period.kind == "hour":
        return "Spend is recorded per day: choose a day or a longer period."
    return ""


def cost_for(*, scope: Scope, period: Period) -> CostResult:
    """Cost per contact of the department (``team_ids`` None) or of one team with its sub-teams over ``period``,
    with the contacts' ids when few enough to link by id.

    Callers check that the viewer may read the budget (managers and admins)."""
    reason = _not_by_budget(scope=scope, period=period)
    if reason:
        return _none(reason)
    result = _cost_of(
        period_budget(period=period), None if scope.team_ids is None else next(iter(scope.team_ids))
    )
    if result.value is None or result.contacts > MAX_LINK_IDS:
        return result
    tickets = facts_in(scope=Scope(team_ids=result.teams), period=period)
    return replace(
        result, contact_ids=list(tickets.order_by("ticket_id").values_list("ticket_id", flat=True))
    )


def cost_card(*, scope: Scope, period: Period) -> Card:
    key, label, unit = CUSTOMER_CARDS[1]
    result = cost_for(scope=scope, period=period)
    link = ""
    if result.value is not None:
        # Beyond MAX_LINK_IDS tickets_link reads only how many rows there are and links by the list's filters.
        rows = [{"ticket_id": t} for t in result.contact_ids] or [
            {"ticket_id": 0}
        ] * result.contacts
        link = tickets_link(rows, scope=Scope(team_ids=result.teams), period=period)
    if result.value is not None:
        label = f"{label} ({result.currency}; {result.currency} {result.cost:,.2f} \u00f7 {result.contacts:,} contacts)"
    return Card(
        key=key,
        label=label,
        unit=unit,
        value=None if result.value is None else float(result.value),
        link=link,
        previous=None,
        last_year=None,
        note=result.note,
    )


def deflection_card() -> Card:
    key, label, unit = CUSTOMER_CARDS[2]
    return Card(
        key=key,
        label=label,
        unit=unit,
        value=None,
        link="",
        previous=None,
        last_year=None,
        note=DEFLECTION_NOTE,
    )


def target_measure(
    *, kpi: str, viewer: User, scope: Scope, period: Period
) -> tuple[float | None, tuple[int, int] | list[float]]:
    """A target's actual for the quality score or cost per contact, and the parts its status is judged on:
    the review totals (a mean, with its interval), or (contacts, contacts) for cost per contact (no interval).
    A withheld quality score has no actual and no parts (no data)."""
    if kpi == "qa_score":
        result = qa_for(viewer=viewer, scope=scope, period=period)
        return result.value, ([] if result.withheld else [r.total for r in result.reviews])
    if kpi == "cost_per_contact":
        cost = cost_for(scope=scope, period=period)
        return (
            (None, (0, 0))
            if cost.value is None
            else (float(cost.value), (cost.contacts, cost.contacts))
        )
    raise ValueError(f"kpi: not a customer KPI: {kpi!r}")


# --- what the pages and the API call --------------------------------------------------------------------------------


def customer_cards(*, viewer: User, scope: Scope, period: Period, now: datetime) -> list[Card]:
    """Quality score (everyone, where they may see its reviews), cost per contact (managers and admins)
    and self-service deflection (no data yet)."""
    cards = [qa_card(viewer=viewer, scope=scope, period=period, now=now)]
    if viewer.sees_everything:
        cards.append(cost_card(scope=scope, period=period))
    cards.append(deflection_card())
    return cards


def add_to_breakdown(
    table: list[dict], *, kind: str, viewer: User, scope: Scope, period: Period
) -> None:
    """Adds ``qa_score`` and ``qa_reviews`` (and, for managers' per-team rows, ``cost_per_contact``) to each
    row's values: per team the reviews of the team's tickets, per agent the agent's own reviews."""
    if not table:
        return
    reviews, hidden = qa_reviews(viewer=viewer, scope=scope, period=period)
    # per team, for managers: the department's slice split by team, one read for all the rows
    budget = None
    if (
        kind == "team"
        and viewer.sees_everything
        and not _not_by_budget(scope=scope_with(scope, team_ids=None), period=period)
    ):
        budget = period_budget(period=period)
    groups: dict[object, list[QaReview]] = defaultdict(list)
    for r in reviews:
        groups[r.team_id if kind == "team" else r.agent_id].append(r)
    for row in table:
        result = qa_result(groups.get(row["key"], []), hidden)
        cost = None
        if budget is not None and row["key"] is not None:
            value = _cost_of(budget, row["key"]).value
            cost = None if value is None else float(value)
        row["values"] = {
            **row["values"],
            "qa_score": result.value,
            "qa_reviews": None if result.withheld else result.score.n,
        }
        if viewer.sees_everything:
            row["values"]["cost_per_contact"] = cost


def add_to_dashboard(
    data: dict, *, viewer: User, scope: Scope, period: Period, now: datetime
) -> None:
    """The dashboard's hook: the customer cards (``data["customer"]``) and the table's extra columns."""
    data["customer"] = customer_cards(viewer=viewer, scope=scope, period=period, now=now)
    add_to_breakdown(
        data["table"], kind=data["table_kind"], viewer=viewer, scope=scope, period=period
    )
    data["breakdown_extra"] = (
        BREAKDOWN_KEYS[: 3 if viewer.sees_everything else 2] if data["table"] else ()
    )
    # the per-team cost column only where some team has a budget of its own
    data["cost_column"] = any(
        r["values"].get("cost_per_contact") is not None for r in data["table"]
    )
