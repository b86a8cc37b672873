"""Metrics (staff only): the KPI catalogue of a slice with its comparisons, the per-team or per-agent
table, tickets per day and the targets in force — the dashboard's numbers (docs/metrics.md).

Who sees what is the dashboard's rule: managers everything, team leads their teams and those
teams' agents, agents their own numbers and their teams' aggregate; another team or agent is 404.
"""

from __future__ import annotations

import zoneinfo
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from frontline.metrics import customer_kpis, dashboard
from frontline.metrics.periods import Period, period_of
from frontline.metrics.samples import slice_samples
from frontline.metrics.selectors import Scope, scope_for_viewer
from frontline.metrics.target_selectors import targets_for_dashboard

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .schemas import Day, Id

router = Router(tags=["metrics"])

PeriodKind = Literal["hour", "day", "week", "month", "quarter", "custom"]


class SliceParams(Schema):
    period: PeriodKind = Field("week", description="hour, day, week (Monday first), month, quarter or custom.")
    date: Day | None = Field(None, description="A day in the period (default: today in `tz`); custom: the first day.")
    end: Day | None = Field(None, description="custom: the last day (included); at most 732 days.")
    hour: int = Field(0, ge=0, le=23, description="hour: the hour of `date`.")
    tz: str = Field("UTC", max_length=64, description="IANA time zone the days and hours are in.")
    team_id: Id | None = None
    agent_id: Id | None = Field(None, description="The agent's tickets (assigned to them).")
    channel: Literal["email", "web", "chat", "phone", "social", "api"] | None = None
    queue_id: Id | None = None
    priority: Literal["low", "normal", "high", "urgent"] | None = None
    tier: Literal["standard", "silver", "gold", "platinum"] | None = Field(None, description="Customer tier.")
    tag: str | None = Field(None, max_length=60)


class ChangeOut(Schema):
    before: float | None = Field(description="The KPI in the earlier period.")
    change: float | None = Field(description="Now minus before, in the KPI's unit.")
    significant: bool | None = Field(description="The change is larger than noise (None: not tested).")
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    method: str


class KpiOut(Schema):
    key: str
    label: str
    unit: str = Field(description="count, minutes, seconds, fraction (0-1), score (NPS, -100..100) or number.")
    value: float | None
    previous_period: ChangeOut | None
    last_year: ChangeOut | None
    tickets_url: str = Field(description="The desk's ticket list showing the tickets behind the number.")
    note: str = Field("", description="Why there is no value (no data, withheld, not measurable yet), or what it is over.")


class SlaOut(Schema):
    target: str = Field(description="first_reply, next_reply or resolution.")
    met: int
    measured: int = Field(description="Clocks met or breached.")
    attainment: float | None


class PeriodOut(Schema):
    kind: str
    first_day: date
    last_day: date
    label: str


class SummaryOut(Schema):
    period: PeriodOut
    previous_period: PeriodOut
    last_year: PeriodOut
    kpis: list[KpiOut]
    sla: list[SlaOut]


class RowOut(Schema):
    id: int | None = Field(description="The team's or agent's id (None: no team / unassigned).")
    name: str
    kpis: dict[str, float | None] = Field(description="The KPI keys of the summary, raw values; also qa_score, "
                                          "qa_reviews and (managers, per team) cost_per_contact.")
    tickets_url: str


class BreakdownOut(Schema):
    by: Literal["team", "agent"]
    rows: list[RowOut]


class DayOut(Schema):
    day: date
    created: int
    solved: int
    backlog: int


class TargetOut(Schema):
    id: int
    kpi: str
    period: str
    scope: Literal["department", "team", "agent"]
    team_id: int | None
    agent_id: int | None
    target: float
    period_first_day: date
    period_last_day: date
    actual: float | None
    status: str | None = Field(description="on_track, at_risk, missed; None: nothing to measure yet.")
    projected: float | None


def _slice(request: HttpRequest, p: SliceParams) -> tuple[Scope, Period]:
    try:
        zone = zoneinfo.ZoneInfo(p.tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"tz": "Not an IANA time zone."}) from None
    try:
        period = period_of(p.period, p.date or timezone.localdate(timezone=zone), zone, last=p.end, hour=p.hour)
    except ValueError as error:
        name, _, message = str(error).partition(": ")
        raise ValidationError({name if name in SliceParams.model_fields else "period": message}) from None
    scope = scope_for_viewer(viewer=viewer_of(request), team_id=p.team_id, agent_id=p.agent_id, channel=p.channel or "",
                             queue_id=p.queue_id, priority=p.priority or "", tier=p.tier or "",
                             tag=(p.tag or "").strip().lower())
    return scope, period


def _period(period: Period) -> PeriodOut:
    return PeriodOut(kind=period.kind, first_day=period.first, last_day=period.last, label=period.label())


def _change(c: object) -> ChangeOut | None:
    if c is None:
        return None
    return ChangeOut(before=c.before, change=c.delta, significant=c.significant, ci_low=c.low,  # type: ignore[attr-defined]
                     ci_high=c.high, p_value=c.p_value, method=c.method)  # type: ignore[attr-defined]


@router.get("/summary", response={200: SummaryOut, **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="The KPI catalogue of a slice, compared with the previous period and last year")
def metrics_summary(request: HttpRequest, params: Query[SliceParams]) -> SummaryOut:
    scope, period = _slice(request, params)
    now = timezone.now()
    base = dashboard.baselines(scope=scope, period=period, now=now)
    kpis, cards = dashboard.cards_for(scope=scope, period=period, now=now, base=base)
    cards += dashboard.survey_cards(kpis=kpis, scope=scope, period=period, now=now, base=base)
    cards += customer_kpis.customer_cards(viewer=viewer_of(request), scope=scope, period=period, now=now)
    return SummaryOut(
        period=_period(period), previous_period=_period(period.previous()), last_year=_period(period.year_before()),
        kpis=[KpiOut(key=c.key, label=c.label, unit=c.unit, value=c.value, previous_period=_change(c.previous),
                     last_year=_change(c.last_year), tickets_url=c.link, note=c.note) for c in cards],
        sla=[SlaOut(target=kind, met=met, measured=total, attainment=met / total if total else None)
             for kind, (met, total) in sorted(kpis.sla.items())],
    )


@router.get("/breakdown", response={200: BreakdownOut, **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="The KPIs per team (department or several teams) or per agent (one team)")
def metrics_breakdown(request: HttpRequest, params: Query[SliceParams]) -> BreakdownOut:
    scope, period = _slice(request, params)
    viewer = viewer_of(request)
    by = dashboard.table_by(viewer=viewer, scope=scope)
    groups = slice_samples(scope=scope, start=period.start, end=period.end, by=by) if by else {}
    kind, table = dashboard.breakdown_table(viewer=viewer, scope=scope, period=period, groups=groups)
    customer_kpis.add_to_breakdown(table, kind=kind, viewer=viewer, scope=scope, period=period)
    return BreakdownOut(by=kind, rows=[RowOut(id=r["key"], name=str(r["name"]), kpis=r["values"], tickets_url=r["link"])
                                       for r in table])


@router.get("/daily", response={200: list[DayOut], **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="Tickets created, solved and still open per day of the period")
def metrics_daily(request: HttpRequest, params: Query[SliceParams]) -> list[DayOut]:
    scope, period = _slice(request, params)
    return [DayOut(**d) for d in dashboard.daily_volume(scope=scope, period=period)]


@router.get("/targets", response={200: list[TargetOut], **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="The targets in force for the slice's department, team or agent, with status and projection")
def metrics_targets(request: HttpRequest, params: Query[SliceParams]) -> list[TargetOut]:
    scope, period = _slice(request, params)
    goals = targets_for_dashboard(viewer=viewer_of(request), scope=scope, period=period, now=timezone.now())
    return [TargetOut(id=g.target.pk, kpi=g.target.kpi, period=g.target.period, scope=g.target.scope,
                      team_id=g.target.team_id, agent_id=g.target.agent_id, target=g.target.value,
                      period_first_day=g.period.first, period_last_day=g.period.last, actual=g.actual,
                      status=g.status.status, projected=g.status.projected) for g in goals]
