"""What the metrics pages, the API and the CSV files show: the catalogue of a slice with its
comparisons, the breakdown table, trends and links to the tickets behind each number. Reads only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from urllib.parse import urlencode

from django.db.models import Min, Q, QuerySet
from django.urls import reverse

from frontline.desk.links import ticket_list_url
from frontline.people.models import Role, Team, User

from . import compare
from .models import TicketFact
from .periods import Period
from .samples import (
    Sample,
    behind_count,
    behind_q,
    kpis_of_sample,
    merged,
    placed,
    sample_of_rows,
    slice_samples,
    ticket_ids,
)
from .selectors import (
    Scope,
    SliceKpis,
    created_per_hour,
    daily_volume,
    fact_rows,
    facts_in,
    kpi_parts,
    kpi_value,
    kpis_of_rows,
    scope_with,
    sla_attainment_counts,
    solves_per_day,
    weekday_hour_volume,
)
from .side_by_side import side_by_side

# Links name tickets by id up to this many; beyond, they use the ticket list's own filters.
MAX_LINK_IDS = 400

# (key, label, unit) of the cards; unit: "count", "minutes", "seconds", "fraction", "score"
CARDS: tuple[tuple[str, str, str], ...] = (
    ("tickets", "Tickets created", "count"),
    ("solved", "Solved", "count"),
    ("backlog", "Still open", "count"),
    ("first_reply_median", "First reply, median", "minutes"),
    ("first_reply_p90", "First reply, p90", "minutes"),
    ("first_reply_business_median", "First reply, median (business)", "minutes"),
    ("resolution_median", "Full resolution, median", "minutes"),
    ("resolution_p90", "Full resolution, p90", "minutes"),
    ("resolution_business_median", "Full resolution, median (business)", "minutes"),
    ("one_touch_rate", "One-touch resolution (FCR)", "fraction"),
    ("reopen_rate", "Reopen rate", "fraction"),
    ("reassignment_rate", "Reassignment rate", "fraction"),
    ("escalation_rate", "Escalation rate", "fraction"),
    ("handle_time_mean", "Average handle time", "seconds"),
    ("replies_per_solved", "Replies per solved ticket", "number"),
)
# Cards compared with the previous period and last year, and what kind of test compares them.
COMPARED = {"tickets": "count", "solved": "count", "first_reply_median": "median", "resolution_median": "median",
            "one_touch_rate": "rate", "reopen_rate": "rate", "reassignment_rate": "rate", "escalation_rate": "rate",
            "handle_time_mean": "mean", "csat": "rate", "nps": "nps", "ces": "mean"}


@dataclass(frozen=True)
class Card:
    key: str
    label: str
    unit: str
    value: float | None
    link: str
    previous: compare.Change | None
    last_year: compare.Change | None
    note: str = ""  # why there is no value, or what it is over (customer_kpis' cards)


def card_values(k: SliceKpis) -> dict[str, float | None]:
    r = k.report
    return {
        "tickets": r.tickets, "solved": r.solved, "backlog": r.backlog,
        "first_reply_median": r.first_reply_minutes.median, "first_reply_p90": r.first_reply_minutes.p90,
        "first_reply_business_median": k.first_reply_business_minutes.median,
        "resolution_median": r.resolution_minutes.median, "resolution_p90": r.resolution_minutes.p90,
        "resolution_business_median": k.resolution_business_minutes.median,
        "one_touch_rate": r.one_touch_rate, "reopen_rate": r.reopen_rate, "reassignment_rate": r.reassignment_rate,
        "escalation_rate": k.escalation_rate, "handle_time_mean": k.handle_time_mean_s,
        "replies_per_solved": r.replies_per_solved, "csat": r.csat, "nps": r.nps, "ces": r.ces,
    }


def tickets_link(rows: Sequence[dict], *, scope: Scope, period: Period, status: str = "") -> str:
    """The desk's ticket list showing ``rows``: by id when few, else by the list's filters (same tickets
    where the slice is one team or all, whole days and no tier)."""
    ids = [r["ticket_id"] for r in rows] if len(rows) <= MAX_LINK_IDS else None
    return _link(ids, scope=scope, period=period, status=status)


def tickets_link_of(facts: QuerySet[TicketFact], *, count: int, q: Q, scope: Scope, period: Period,
                    status: str = "") -> str:
    """:func:`tickets_link` of the ``count`` tickets of ``facts`` matching ``q``, reading their ids only when few."""
    ids = ticket_ids(facts=facts, q=q) if count <= MAX_LINK_IDS else None
    return _link(ids, scope=scope, period=period, status=status)


def _link(ids: list[int] | None, *, scope: Scope, period: Period, status: str) -> str:
    if ids is not None:
        return ticket_list_url(ids)
    params: dict[str, object] = {"view": "all", "created_from": period.first.isoformat(),
                                 "created_to": period.last.isoformat()}
    if scope.team_ids is not None and len(scope.team_ids) == 1:
        params["team"] = next(iter(scope.team_ids))
    if scope.agent_id is not None:
        params["assignee"] = scope.agent_id
    for name in ("channel", "priority", "tag"):
        if getattr(scope, name):
            params[name] = getattr(scope, name)
    if scope.queue_id is not None:
        params["queue"] = scope.queue_id
    if status:
        params["status"] = status
    return f"{reverse('desk:ticket_list')}?{urlencode(params)}"


SLA_LABELS = {"first_reply": "First reply", "next_reply": "Next reply", "resolution": "Resolution"}
_STATUS_OF = {"solved": "resolved", "backlog": "unresolved"}


@dataclass(frozen=True)
class Baselines:
    """The samples the period is compared with. While the period runs, the earlier periods are cut to
    the same elapsed time (week to date against the same hours of last week), so that counts and
    rates compare like with like; ``hours`` are the lengths compared (a count's exposure)."""

    previous: Sample
    last_year: Sample
    hours_now: float
    hours_previous: float
    hours_last_year: float
    to_date: bool
    previous_known: bool = True  # Frontline has records from the start of the previous period (else nothing to compare)
    last_year_known: bool = True  # ... and of last year's


# Durations no comparison reads (COMPARED has no business-time card): the baselines' rollup reads skip them.
BASELINE_UNREAD = frozenset({"first_reply_business", "resolution_business"})


def baseline_reads(*, scope: Scope, period: Period, now: datetime) -> list[Callable[[], Sample]]:
    """The reads of the previous period's sample and last year's, each cut to the elapsed time while
    the period runs (the :class:`Baselines`' samples; :func:`baselines_of` makes them one)."""
    elapsed = min(max(now, period.start), period.end) - period.start
    return [partial(_baseline_sample, scope=scope, start=other.start,
                    end=other.start + elapsed if now < period.end else other.end)
            for other in (period.previous(), period.year_before())]


def _baseline_sample(*, scope: Scope, start: datetime, end: datetime) -> Sample:
    return placed(slice_samples(scope=scope, start=start, end=end, unread=BASELINE_UNREAD)[None])


def period_samples(*, scope: Scope, period: Period, by: str | None) -> tuple[dict[object, Sample], Sample]:
    """The period's samples per value of ``by`` (``{None: all}`` without), and the whole period's, ranks placed."""
    groups = {key: placed(sample) for key, sample in
              slice_samples(scope=scope, start=period.start, end=period.end, by=by).items()}
    return groups, placed(merged(groups.values())) if by else groups[None]


def records_begin() -> datetime | None:
    """When the earliest ticket Frontline measures was created (None: no ticket yet). One index read."""
    return TicketFact.objects.aggregate(first=Min("created_at"))["first"]


def covered(other: Period, begin: datetime | None) -> bool:
    """Whether the records reach back to ``other``'s first day (in its zone): a period from before Frontline
    held any ticket would compare the present with zeros that only mean "not recorded", so it is not compared."""
    return begin is not None and begin.astimezone(other.zone).date() <= other.first


def baselines_of(*, period: Period, now: datetime, previous: Sample, last_year: Sample) -> Baselines:
    """The :class:`Baselines` of the samples :func:`baseline_reads` read."""
    elapsed = min(max(now, period.start), period.end) - period.start
    to_date = now < period.end

    def hours(other: Period) -> float:
        return ((other.start + elapsed if to_date else other.end) - other.start).total_seconds() / 3600

    begin = records_begin()
    return Baselines(previous=previous, last_year=last_year, hours_now=elapsed.total_seconds() / 3600,
                     hours_previous=hours(period.previous()), hours_last_year=hours(period.year_before()),
                     to_date=to_date, previous_known=covered(period.previous(), begin),
                     last_year_known=covered(period.year_before(), begin))


def baselines(*, scope: Scope, period: Period, now: datetime) -> Baselines:
    """The previous period's sample and last year's, read side by side (metrics/side_by_side.py)."""
    previous, last_year = side_by_side(*baseline_reads(scope=scope, period=period, now=now))
    return baselines_of(period=period, now=now, previous=previous, last_year=last_year)


def cards_for(*, scope: Scope, period: Period, now: datetime, base: Baselines | None = None,
              sample: Sample | None = None, sla: dict[str, tuple[int, int]] | None = None) -> tuple[SliceKpis, list[Card]]:
    """The cards; ``base`` the baselines, ``sample`` the period's sample and ``sla`` its
    :func:`sla_attainment_counts` when the caller has them already."""
    facts = facts_in(scope=scope, period=period)
    sample = sample if sample is not None else slice_samples(scope=scope, start=period.start, end=period.end)[None]
    sla = sla if sla is not None else sla_attainment_counts(scope=scope, period=period)
    current = kpis_of_sample(sample, sla=sla)
    base = base or baselines(scope=scope, period=period, now=now)
    values = card_values(current)
    cards = []
    for key, label, unit in CARDS:
        test = COMPARED.get(key)
        cards.append(Card(
            key=key, label=label, unit=unit, value=values[key],
            link=tickets_link_of(facts, count=behind_count(sample, key), q=behind_q(key), scope=scope, period=period,
                                 status=_STATUS_OF.get(key, "")),
            previous=compare.change(key=key, test=test, now=sample, before=base.previous,
                                    hours=(base.hours_previous, base.hours_now)) if test and base.previous_known else None,
            last_year=compare.change(key=key, test=test, now=sample, before=base.last_year,
                                     hours=(base.hours_last_year, base.hours_now)) if test and base.last_year_known else None,
        ))
    return current, cards


def survey_cards(*, kpis: SliceKpis, scope: Scope, period: Period, now: datetime,
                 base: Baselines | None = None) -> list[Card]:
    """CSAT, NPS and CES when responses exist in the slice (empty list: "no survey data yet")."""
    r = kpis.report
    if not (r.csat_responses or r.nps_responses or r.ces_responses):
        return []
    sample = kpis.sample if kpis.sample is not None else sample_of_rows(kpis.rows or [])
    facts = facts_in(scope=scope, period=period)
    base = base or baselines(scope=scope, period=period, now=now)
    out = []
    for key, label, unit, n in (("csat", "CSAT", "fraction", r.csat_responses), ("nps", "NPS", "score", r.nps_responses),
                                ("ces", "CES (1\u20137)", "number", r.ces_responses)):
        if n and base is not None:
            out.append(Card(key=key, label=f"{label} ({n} responses)", unit=unit, value=card_values(kpis)[key],
                            link=tickets_link_of(facts, count=n, q=behind_q(key), scope=scope, period=period),
                            previous=compare.change(key=key, test=COMPARED[key], now=sample, before=base.previous)
                            if base.previous_known else None,
                            last_year=compare.change(key=key, test=COMPARED[key], now=sample, before=base.last_year)
                            if base.last_year_known else None))
    return out


def table_by(*, viewer: User, scope: Scope) -> str | None:
    """What the breakdown table is per: ``team_id`` (department view), ``agent_id`` (a team's view), or None
    (an agent's own numbers: no table, an agent sees no colleague's own numbers)."""
    if scope.agent_id is not None or viewer.role == Role.AGENT:
        return None
    if scope.team_ids is None or len(scope.team_ids) > 1:
        return "team_id"
    return "agent_id"


def breakdown_table(*, viewer: User, scope: Scope, period: Period,
                    groups: dict[object, Sample]) -> tuple[str, list[dict]]:
    """Per team (department view), per agent (a team's view), or me and my team (an agent); ``groups``
    the slice's samples per value of :func:`table_by`."""
    by = table_by(viewer=viewer, scope=scope)
    if by is None:
        return "agent", []
    if by == "team_id":
        names = dict(Team.objects.values_list("pk", "name"))
    else:
        names = {u.pk: u.display_name for u in User.objects.filter(pk__in=[k for k in groups if k])}
        names[None] = "Unassigned"
    facts = facts_in(scope=scope, period=period)
    table = []
    for key, sample in groups.items():
        k = kpis_of_sample(sample)
        sub = scope_with(scope, **({"team_ids": frozenset({key})} if by == "team_id" and key else
                                   {"agent_id": key} if by == "agent_id" and key else {}))
        table.append({
            "key": key, "name": names.get(key, key if key not in (None, "") else "\u2014"), "kpis": k,
            "values": card_values(k),
            "link": tickets_link_of(facts, count=sample.tickets, q=Q(**{by: key}) if key is not None
                                    else Q(**{f"{by}__isnull": True}), scope=sub, period=period),
        })
    table.sort(key=lambda g: (-g["kpis"].report.tickets, str(g["name"])))
    return ("team" if by == "team_id" else "agent"), table


def trend_chart_spec(daily: list[dict]) -> dict:
    from frontline.core import charts

    data = [{"day": d["day"], "series": s, "tickets": d[key]} for d in daily
            for s, key in (("Created", "created"), ("Solved", "solved"), ("Still open at day end", "backlog"))]
    return charts.spec(
        data=data, title="Tickets per day", description="Tickets created and solved per day, and the backlog at day end",
        mark={"type": "line", "point": True},
        encoding={"x": {"field": "day", "type": "temporal", "title": None},
                  "y": {"field": "tickets", "type": "quantitative", "title": "tickets"},
                  "color": {"field": "series", "type": "nominal", "title": None}},
    )


def heatmap_spec(cells: list[dict]) -> dict:
    from frontline.core import charts

    return charts.spec(
        data=cells, title="Tickets created by weekday and hour", height=170,
        description="Tickets created by weekday and local hour",
        mark="rect",
        encoding={"x": {"field": "hour", "type": "ordinal", "title": "hour"},
                  "y": {"field": "weekday", "type": "ordinal", "title": None,
                        "sort": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
                  "color": {"field": "tickets", "type": "quantitative", "title": "tickets",
                            "scale": {"scheme": "blues"}}},
    )


def team_chart_spec(table: list[dict], *, kind: str) -> dict:
    from frontline.core import charts

    data = [{"name": str(row["name"]), "minutes": row["values"]["first_reply_median"]} for row in table
            if row["values"]["first_reply_median"] is not None]
    return charts.spec(
        data=data, title=f"First reply time, median, per {kind}", height=max(60, 22 * len(data)),
        description=f"Median first reply time in minutes per {kind}", mark="bar",
        encoding={"y": {"field": "name", "type": "nominal", "title": None, "sort": "-x"},
                  "x": {"field": "minutes", "type": "quantitative", "title": "minutes"}},
    )


def dashboard_data(*, viewer: User, scope: Scope, period: Period, now: datetime) -> dict:
    """Everything the dashboard shows. The period is read once per team (or agent) of the table, in one
    query that also gives the cards; the earlier periods once each (metrics/samples.py); the tickets
    created per hour (the days and the heatmap), solved per day and the SLA clocks once. These six
    reads are independent: they run side by side (metrics/side_by_side.py)."""
    by = table_by(viewer=viewer, scope=scope)
    (groups, sample), solves, hours, previous, last_year, sla = side_by_side(
        partial(period_samples, scope=scope, period=period, by=by),
        partial(solves_per_day, scope=scope, period=period),
        partial(created_per_hour, scope=scope, period=period),  # the days and the heatmap both bucket it
        *baseline_reads(scope=scope, period=period, now=now),
        partial(sla_attainment_counts, scope=scope, period=period),
    )
    base = baselines_of(period=period, now=now, previous=previous, last_year=last_year)  # the cards and the surveys'
    kpis, cards = cards_for(scope=scope, period=period, now=now, base=base, sample=sample, sla=sla)
    kind, table = breakdown_table(viewer=viewer, scope=scope, period=period, groups=groups if by else {})
    daily = daily_volume(scope=scope, period=period, hours=hours, solves=solves)
    heatmap = weekday_hour_volume(scope=scope, period=period, hours=hours)
    return {
        "kpis": kpis, "cards": cards, "surveys": survey_cards(kpis=kpis, scope=scope, period=period, now=now, base=base),
        "sla": [{"kind": kind, "label": SLA_LABELS.get(kind, kind), "share": met / total if total else None,
                 "met": met, "total": total} for kind, (met, total) in sorted(kpis.sla.items())],
        "sla_counts": kpis.sla,
        "table_kind": kind, "table": table, "daily": daily,
        "heatmap": heatmap,
        "to_date": now < period.end,
    }


__all__ = ["CARDS", "Card", "card_values", "dashboard_data", "fact_rows", "heatmap_spec", "kpi_parts", "kpi_value",
           "kpis_of_rows", "team_chart_spec", "tickets_link", "trend_chart_spec"]


def csv_rows(table: str, data: dict, goals: list) -> list[list[object]]:
    """The rows of one of the dashboard's tables as CSV (raw numbers: minutes, seconds, fractions)."""
    def num(value: object) -> object:
        if isinstance(value, float):
            return int(value) if value.is_integer() else round(value, 6)
        return "" if value is None else value

    if table == "breakdown":
        keys = [*(k for k, _, _ in CARDS), *data.get("breakdown_extra", ())]
        out: list[list[object]] = [[data["table_kind"], *keys]]
        out += [[row["name"], *[num(row["values"].get(k)) for k in keys]] for row in data["table"]]
        return out
    if table == "daily":
        return [["day", "created", "solved", "backlog"],
                *[[d["day"], d["created"], d["solved"], d["backlog"]] for d in data["daily"]]]
    if table == "heatmap":
        return [["weekday", "hour", "tickets"], *[[c["weekday"], c["hour"], c["tickets"]] for c in data["heatmap"]]]
    if table == "targets":
        return [["kpi", "period", "scope", "team", "agent", "target", "actual", "status", "projected"],
                *[[g.target.kpi, g.target.period, g.target.scope, g.target.team.name if g.target.team else "",
                   g.target.agent.display_name if g.target.agent else "", num(g.target.value), num(g.actual),
                   g.status.status or "", num(g.status.projected)] for g in goals]]
    out = [["kpi", "label", "unit", "value", "previous_period", "change_vs_previous", "significant_vs_previous",
            "last_year", "change_vs_last_year", "significant_vs_last_year"]]
    for card in [*data["cards"], *data["surveys"], *data.get("customer", ())]:
        prev, year = card.previous, card.last_year
        out.append([card.key, card.label, card.unit, num(card.value),
                    num(prev.before) if prev else "", num(prev.delta) if prev else "",
                    "" if prev is None or prev.significant is None else prev.significant,
                    num(year.before) if year else "", num(year.delta) if year else "",
                    "" if year is None or year.significant is None else year.significant])
    for kind, (met, total) in sorted(data["sla_counts"].items()):
        out.append([f"sla_{kind}", f"SLA attainment, {kind.replace('_', ' ')}", "fraction",
                    num(met / total if total else None), "", "", "", "", "", ""])
    return out
