"""Statistics on slices, through :mod:`frontline.engine.kpis`: a target's status and projection, the
variance-explained decomposition of a KPI's change, and agents far from their team. Reads only."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate

from frontline.desk.models import Queue
from frontline.engine.kpis.compare import median_standard_error
from frontline.engine.kpis.decompose import decompose_change
from frontline.engine.kpis.outliers import flag_duration_outliers, flag_rate_outliers
from frontline.engine.kpis.targets import target_status
from frontline.people.models import AgentProfile, Team, User

from .dashboard import tickets_link_of
from .models import TicketFact
from .periods import Period
from .selectors import Scope, facts_in, facts_of, kpi_aggregates, kpi_parts, kpi_value

Z95 = 1.959963984540054


@dataclass(frozen=True)
class TargetStatus:
    status: str | None  # "met", "missed", "on_track", "at_risk"; None: nothing measured yet
    projected: float | None
    reason: str

    @property
    def label(self) -> str:
        return {"on_track": "On track", "at_risk": "At risk", "missed": "Missed", "met": "Met"}.get(self.status or "", "")


_TARGET_KIND = {"solved": "count", "one_touch_rate": "rate", "reopen_rate": "rate", "reassignment_rate": "rate",
                "escalation_rate": "rate", "csat": "rate", "first_reply_median": "level", "resolution_median": "level",
                "handle_time_mean": "level", "nps": "level", "qa_score": "level", "cost_per_contact": "level"}
_TARGET_UNIT = {"first_reply_median": "min", "resolution_median": "min", "handle_time_mean": "s", "qa_score": "points"}


def target_progress(*, kpi: str, target: float, actual: float | None, higher_is_better: bool, period: Period,
                    now: datetime, rows: Sequence[dict],
                    parts: tuple[int, int] | list[float] | None = None) -> TargetStatus:
    """Status and projection of a target from the tickets of its period so far (engine ``target_status``).

    The interval a level is judged with: a median's is the Price-Bonett standard error's, a mean's
    the normal one (sd / sqrt n); NPS has none (judged on its value). ``parts``: the KPI's parts when
    they are not in the fact rows (customer_kpis: QA totals; cost per contact's (contacts, contacts),
    which has no interval).
    """
    kind = _TARGET_KIND[kpi]
    parts = kpi_parts(rows, kpi) if parts is None else parts
    n = parts[1] if isinstance(parts, tuple) else len(parts)
    ci = None
    if kind == "level" and isinstance(parts, list) and len(parts) >= 2 and actual is not None and kpi != "nps":
        if kpi.endswith("_median"):
            se = median_standard_error(parts)
        else:
            mean = sum(parts) / len(parts)
            se = math.sqrt(sum((x - mean) ** 2 for x in parts) / (len(parts) - 1) / len(parts))
        ci = (actual - Z95 * se, actual + Z95 * se)
    result = target_status(
        direction="higher" if higher_is_better else "lower", target=target, value_so_far=actual,
        n_so_far=n, elapsed_fraction=period.elapsed_share(now), kind=kind, ci=ci,
        label=kpi.replace("_", " "), unit=_TARGET_UNIT.get(kpi, ""),
    )
    status = None if result.status == "no_data" else result.status
    return TargetStatus(status=status, projected=result.projection, reason=result.reading)


# --- variance explained --------------------------------------------------------------------------------------------

# KPI -> (unit of the decomposition (None: a proportion), what the weights count, is a median explained by its mean)
_EXPLAINED = {"first_reply_median": ("minutes", "replied tickets", True),
              "resolution_median": ("minutes", "solved tickets", True),
              "handle_time_mean": ("seconds", "tickets with handle time", False),
              "one_touch_rate": ("fraction", "solved tickets", False),
              "reopen_rate": ("fraction", "tickets ever solved", False),
              "reassignment_rate": ("fraction", "tickets", False),
              "escalation_rate": ("fraction", "tickets", False),
              "csat": ("fraction", "survey responses", False)}
TENURE_BANDS = (("< 3 months", 91), ("3\u201312 months", 365), ("1 year or more", None))
UNKNOWN_TENURE = "Unassigned or unknown"


def _segment_names(by: str, keys: set) -> dict:
    if by == "team_id":
        return {**dict(Team.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name")), None: "No team"}
    if by == "agent_id":
        return {**{u.pk: u.display_name for u in User.objects.filter(pk__in=[k for k in keys if k])}, None: "Unassigned"}
    if by == "queue_id":
        return {**dict(Queue.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name")), None: "No queue"}
    return {}


def _band(days: int) -> str:
    return next(label for label, limit in TENURE_BANDS if limit is None or days < limit)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _band_q(label: str, starts: dict[int, date]) -> Q:
    """The tickets of tenure band ``label`` among the agents ``starts`` (agent -> start date) (for a link)."""
    if label == UNKNOWN_TENURE:
        return Q(agent_id__isnull=True) | ~Q(agent_id__in=AgentProfile.objects.filter(start_date__isnull=False)
                                              .values("user_id"))
    lower, upper = 0, None
    for name, limit in TENURE_BANDS:
        if name == label:
            upper = limit
            break
        lower = limit
    q = Q(pk__in=[])
    for agent, start in starts.items():
        one = Q(agent_id=agent)
        if lower:
            one &= Q(created_at__gte=_midnight(start + timedelta(days=lower)))
        if upper is not None:
            one &= Q(created_at__lt=_midnight(start + timedelta(days=upper)))
        q |= one
    return q


def _segments(facts: QuerySet[TicketFact], kpi: str, by: str) -> dict[object, tuple[float, float, int, Q]]:
    """Segment -> (weight, rate or mean, its tickets, which they are) of a KPI, counted by the database
    (selectors.kpi_aggregates: the definitions of kpi_parts); segments with no weight are left out.

    Tenure bands compare the agent's start date with the UTC day the ticket was created: the
    database groups by (agent, day), and the bands are added up here."""
    base = facts_of(facts=facts).order_by()
    aggregates = {**kpi_aggregates(kpi), "tickets": Count("pk")}
    parts: dict[object, list] = {}
    if by != "tenure":
        for r in base.values(by).annotate(**aggregates):
            parts[r[by]] = [r["n"], r["s"] or 0, r["tickets"], Q(**{by: r[by]})]
    else:
        grouped = list(base.annotate(day=TruncDate("created_at", tzinfo=UTC)).values("agent_id", "day")
                       .annotate(**aggregates))
        starts = dict(AgentProfile.objects.filter(user_id__in={r["agent_id"] for r in grouped if r["agent_id"]},
                                                  start_date__isnull=False).values_list("user_id", "start_date"))
        in_band: dict[str, dict[int, date]] = defaultdict(dict)
        for r in grouped:
            start = starts.get(r["agent_id"])
            label = UNKNOWN_TENURE if r["agent_id"] is None or start is None else _band((r["day"] - start).days)
            if label != UNKNOWN_TENURE:
                in_band[label][r["agent_id"]] = start
            total = parts.setdefault(label, [0, 0, 0, None])
            total[0] += r["n"]
            total[1] += r["s"] or 0
            total[2] += r["tickets"]
        for label, total in parts.items():
            total[3] = _band_q(label, in_band[label])
    return {key: (float(n), s / n, tickets, q) for key, (n, s, tickets, q) in parts.items() if n}


def explain_change(*, scope: Scope, period: Period, kpi: str, by: str) -> dict | None:
    """Split the change of ``kpi`` from the previous period into mix and rate by ``by`` (engine ``decompose_change``).

    A median does not decompose: its change is explained through the mean of the same durations,
    and the page says so. None when either period has nothing to measure. One GROUP BY query per
    period; a segment's link reads its ticket ids only when it has few.
    """
    if kpi not in _EXPLAINED:
        return None
    unit, weights, via_mean = _EXPLAINED[kpi]
    facts = facts_in(scope=scope, period=period)
    now_segments = _segments(facts, kpi, by)
    before_segments = _segments(facts_in(scope=scope, period=period.previous()), kpi, by)
    if not now_segments or not before_segments:
        return None
    names = _segment_names(by, set(now_segments) | set(before_segments))
    label = {k: str(names.get(k, k if k not in (None, "") else "—")) for k in set(now_segments) | set(before_segments)}
    result = decompose_change(
        before={label[k]: (w, r) for k, (w, r, _, _) in before_segments.items()},
        after={label[k]: (w, r) for k, (w, r, _, _) in now_segments.items()},
        unit=None if unit == "fraction" else ("min" if unit == "minutes" else "s"),
    )
    by_label = {label[k]: (tickets, q) for k, (_, _, tickets, q) in now_segments.items()}

    def link(segment: str) -> str:
        if segment not in by_label:
            return ""
        tickets, q = by_label[segment]
        return tickets_link_of(facts, count=tickets, q=q, scope=scope, period=period)

    segments = [{
        "name": s.segment, "weight_before": s.before_share, "weight_now": s.after_share,
        "value_before": s.before_rate, "value_now": s.after_rate, "mix": s.mix, "rate": s.rate,
        "link": link(s.segment),
    } for s in result.segments]
    dimension = dict((("channel", "Channel"), ("team_id", "Team"), ("queue_id", "Queue"), ("agent_id", "Agent"),
                      ("priority", "Priority"), ("tier", "Customer tier"), ("tenure", "Agent tenure"))).get(by, by)
    what = "mean" if via_mean else "value"
    summary = (f"{'The mean of these durations' if via_mean else 'It'} went from "
               f"{_show(result.before, unit)} to {_show(result.after, unit)}: "
               f"{_show_change(result.mix, unit)} from mix (where the {weights} went) and "
               f"{_show_change(result.rate, unit)} from rate (each {dimension.lower()}'s own {what} moving).")
    if via_mean:
        summary = "Medians do not split into parts, so this explains the mean of the same durations. " + summary
    return {"kpi": kpi, "dimension": dimension, "unit": unit, "summary": summary, "segments": segments,
            "before": result.before, "after": result.after, "mix": result.mix, "rate": result.rate,
            "reading": result.reading}


def _show(value: float, unit: str) -> str:
    from frontline.core import formats

    if unit == "fraction":
        return formats.pct(value, 1)
    return formats.duration(value * 60 if unit == "minutes" else value)


def _show_change(value: float, unit: str) -> str:
    from frontline.core import formats

    sign = "+" if value > 0 else formats.MINUS if value < 0 else "±"
    if unit == "fraction":
        return f"{sign}{formats.number(abs(value) * 100, 1)} points"
    return sign + formats.duration(abs(value) * 60 if unit == "minutes" else abs(value))


# --- outliers -----------------------------------------------------------------------------------------------------


def outliers_for(*, scope: Scope, period: Period) -> list[dict]:
    """Agents far from the rest of their team on reopen rate or handle time, with the statistical reason
    (engine: Fisher's exact test / Mann-Whitney U, Benjamini-Hochberg across agents; see docs/metrics.md).

    Reopens are counted per agent by the database; handle time reads only (agent, seconds) of the
    tickets with some, which the rank test needs one by one."""
    facts = facts_in(scope=scope, period=period)
    assigned = facts_of(facts=facts).order_by().filter(agent_id__isnull=False)
    per_agent = {r["agent_id"]: r for r in assigned.values("agent_id").annotate(
        first=Min("created_at"), tickets=Count("pk"), **kpi_aggregates("reopen_rate")).order_by("first", "agent_id")}
    if len(per_agent) < 2:
        return []
    handled: dict[int, list[float]] = {a: [] for a in per_agent}
    for agent, seconds in assigned.filter(handle_seconds__gt=0).values_list("agent_id", "handle_seconds"):
        handled[agent].append(float(seconds) / 60)
    names = {str(u.pk): u.display_name for u in User.objects.filter(pk__in=list(per_agent))}
    found = []
    reopen = flag_rate_outliers(
        per_agent={str(a): (r["s"], r["n"]) for a, r in per_agent.items()},
        label="reopen rate", higher_is_worse=True)
    handle = flag_duration_outliers(
        per_agent={str(a): values for a, values in handled.items()}, label="handle time", unit="min",
        higher_is_worse=True)
    for report in (reopen, handle):
        for agent in report.flagged:
            agent_id = int(agent.agent)
            found.append({"agent_id": agent_id, "name": names.get(agent.agent, agent.agent),
                          "measure": report.measure, "reason": agent.reason,
                          "link": tickets_link_of(facts, count=per_agent[agent_id]["tickets"], q=Q(agent_id=agent_id),
                                                  scope=scope, period=period)})
    return found


__all__ = ["TargetStatus", "explain_change", "kpi_value", "outliers_for", "target_progress"]
