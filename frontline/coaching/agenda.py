"""What a lead brings to a one-on-one: the agent's recent KPIs against the rest of their team,
their QA results, their goals (metrics targets), open action items and the last focuses — and
the follow-up of each focus (before vs after the session). Reads only.

Windows are whole UTC days: the ``days`` days up to yesterday for the agenda; for a focus, the
``window_days`` days before the session's day and as many from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from frontline.metrics.models import Target
from frontline.metrics.periods import Period
from frontline.metrics.selectors import Scope, fact_rows, kpi_parts, kpi_value
from frontline.people.models import User

from . import quality_bridge
from .followup import KPIS, MIN_N, compare_parts, verdict
from .models import ActionItem, Focus, FocusKind, Session


def _period(first: date, last: date) -> Period:
    return Period("custom", first, last, UTC)


def agent_rows(*, agent: User, first: date, last: date) -> list[dict]:
    """Fact rows of the tickets assigned to ``agent``, created in the days ``first`` .. ``last``."""
    return fact_rows(scope=Scope(team_ids=None, agent_id=agent.pk), period=_period(first, last))


def team_rows(*, agent: User, first: date, last: date, cache: dict | None = None) -> list[dict]:
    """Fact rows of the agent's teams' tickets in those days, the agent's own left out (the rest of the team).

    ``cache``: a dict a caller preparing many agendas passes, so each team's rows are read once."""
    teams = frozenset(agent.teams.values_list("pk", flat=True))
    if not teams:
        return []
    key = ("team_rows", teams, first, last)
    rows = cache.get(key) if cache is not None else None
    if rows is None:
        rows = fact_rows(scope=Scope(team_ids=teams), period=_period(first, last))
        if cache is not None:
            cache[key] = rows
    return [r for r in rows if r["agent_id"] != agent.pk]


def _number(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def kpi_lines(*, agent: User, first: date, last: date, cache: dict | None = None) -> list[dict]:
    """Per coaching KPI: the agent's value, the rest of the team's, the difference with its interval and verdict."""
    mine = agent_rows(agent=agent, first=first, last=last)
    theirs = team_rows(agent=agent, first=first, last=last, cache=cache)
    lines = []
    for key, (label, kind, unit, higher, shown) in KPIS.items():
        comparison = compare_parts(kind, kpi_parts(theirs, key), kpi_parts(mine, key), unit=unit)
        judged = verdict(comparison, higher_is_better=higher)
        words = {"improved": "Better than the team", "worsened": "Behind the team", "no_change": "In line with the team",
                 "too_little_data": "Too little data"}[judged.code]
        lines.append({"key": key, "label": label, "unit": shown, "agent": _number(kpi_value(mine, key)),
                      "team": _number(kpi_value(theirs, key)), "delta": _number(comparison.change),
                      "low": _number(comparison.ci_low), "high": _number(comparison.ci_high),
                      "n_agent": comparison.n_after, "n_team": comparison.n_before,
                      "verdict": judged.code, "verdict_words": words,
                      "ticket_ids": [r["ticket_id"] for r in mine][:400]})
    return lines


def goal_lines(*, agent: User, now: datetime, cache: dict[int, dict] | None = None) -> list[dict]:
    """The targets in force for the agent, their team(s) or the department, with this period's actual.

    ``cache`` (target id -> line) lets a caller preparing many agendas at one ``now`` measure each team's and
    the department's targets once."""
    from frontline.metrics import analysis
    from frontline.metrics.dashboard import tickets_link
    from frontline.metrics.models import HIGHER_IS_BETTER
    from frontline.metrics.periods import period_of
    from frontline.metrics.target_selectors import (
        _target_scope,  # the same scope the metrics pages measure
    )

    teams = list(agent.teams.values_list("pk", flat=True))
    targets = Target.objects.filter(superseded_at__isnull=True).filter(
        agent__isnull=True, team__isnull=True) | Target.objects.filter(superseded_at__isnull=True, team_id__in=teams) \
        | Target.objects.filter(superseded_at__isnull=True, agent=agent)
    out = []
    for target in targets.select_related("team").order_by("kpi", "pk"):
        if cache is not None and target.pk in cache:
            out.append(cache[target.pk])
            continue
        period = period_of(target.period, timezone.localdate(now, UTC), UTC)
        scope = _target_scope(target)
        rows = fact_rows(scope=scope, period=period)  # the scope the metrics pages measure
        actual = kpi_value(rows, target.kpi)
        status = analysis.target_progress(kpi=target.kpi, target=target.value, actual=actual,
                                          higher_is_better=HIGHER_IS_BETTER[target.kpi], period=period, now=now,
                                          rows=rows)
        out.append({"kpi": target.kpi, "label": target.get_kpi_display(), "scope": target.scope,
                    "scope_name": target.team.name if target.team_id else (agent.display_name if target.agent_id
                                                                            else "Department"),
                    "target": target.value, "actual": _number(actual), "period": period.label(),
                    "link": tickets_link(rows, scope=scope, period=period) if rows else "",  # the tickets behind the actual
                    "last": period.last.isoformat(), "higher": HIGHER_IS_BETTER[target.kpi],
                    "status": status.label or "Nothing measured yet"})
        if cache is not None and not target.agent_id:
            cache[target.pk] = out[-1]
    return out


def _target_scope(target: Target) -> Scope:
    if target.agent_id:
        return Scope(team_ids=None, agent_id=target.agent_id)
    return Scope(team_ids=frozenset({target.team_id}) if target.team_id else None)


def agenda_build(*, agent: User, now: datetime | None = None, days: int = 28, cache: dict | None = None) -> dict:
    """The agenda snapshot a session keeps (JSON): KPIs vs team, QA, goals, open actions, last focuses.

    ``cache``: a dict shared by calls at the same ``now`` (the demo preparing every agent's agenda): team rows
    and team / department goals are then read once."""
    now = now or timezone.now()
    last = timezone.localdate(now, UTC) - timedelta(days=1)
    first = last - timedelta(days=days - 1)
    open_actions = ActionItem.objects.filter(session__agent=agent, done_at__isnull=True).select_related("owner")
    focuses = Focus.objects.filter(session__agent=agent).select_related("session").order_by("-session__scheduled_on",
                                                                                             "-id")[:5]
    return {
        "first": first.isoformat(), "last": last.isoformat(), "days": days,
        "kpis": kpi_lines(agent=agent, first=first, last=last, cache=cache),
        "qa": quality_bridge.qa_summary(agent=agent, first=first, last=last),
        "goals": goal_lines(agent=agent, now=now, cache=cache.setdefault(("goals", now.date()), {})
                            if cache is not None else None),
        "open_actions": [{"text": a.text, "owner": a.owner.display_name, "due_on": a.due_on.isoformat()}
                         for a in open_actions],
        "focuses": [{"behaviour": f.behaviour, "since": f.session.scheduled_on.isoformat(), "label": focus_label(f)}
                    for f in focuses],
    }


def focus_label(focus: Focus) -> str:
    if focus.kind == FocusKind.CRITERION:
        return f"QA: {focus.criterion_name}"
    return KPIS[focus.kpi][0] if focus.kpi in KPIS else focus.kpi


def session_day(session: Session) -> date:
    return session.held_at.astimezone(UTC).date() if session.held_at else session.scheduled_on


def focus_followup(*, focus: Focus, now: datetime | None = None) -> dict:
    """Before vs after the session for one focus: equal windows of ``window_days`` (shorter, equal
    windows while the after window still runs), the change with its 95 % interval, and the verdict."""
    now = now or timezone.now()
    day = session_day(focus.session)
    today = timezone.localdate(now, UTC)
    days = min(focus.window_days, max(0, (today - day).days))
    result = {"focus": focus, "label": focus_label(focus), "day": day, "days": days, "window_days": focus.window_days,
              "complete": days >= focus.window_days, "ends_on": day + timedelta(days=focus.window_days)}
    if days == 0:
        return {**result, "comparison": None, "verdict": "too_little_data", "verdict_words": "Too early: starts "
                "counting after the session"}
    before_first, before_last = day - timedelta(days=days), day - timedelta(days=1)
    after_first, after_last = day, day + timedelta(days=days - 1)
    agent = focus.session.agent
    if focus.kind == FocusKind.CRITERION:
        parts = quality_bridge.criterion_values(agent=agent, criterion_id=focus.criterion_id or 0,
                                                windows=((before_first, before_last), (after_first, after_last)))
        if parts is None:
            return {**result, "comparison": None, "verdict": "too_little_data",
                    "verdict_words": "QA results are not available"}
        comparison = compare_parts("mean", parts[0], parts[1], unit="")
        higher, unit, min_n = True, "fraction", quality_bridge.MIN_REVIEWS
    else:
        _label, kind, engine_unit, higher, unit = KPIS[focus.kpi]
        min_n = MIN_N
        before = agent_rows(agent=agent, first=before_first, last=before_last)
        after = agent_rows(agent=agent, first=after_first, last=after_last)
        comparison = compare_parts(kind, kpi_parts(before, focus.kpi), kpi_parts(after, focus.kpi), unit=engine_unit)
        result["before_ids"] = [r["ticket_id"] for r in before][:400]
        result["after_ids"] = [r["ticket_id"] for r in after][:400]
    judged = verdict(comparison, higher_is_better=higher, min_n=min_n)
    return {**result, "comparison": comparison, "unit": unit, "verdict": judged.code, "verdict_words": judged.words,
            "before_window": (before_first, before_last), "after_window": (after_first, after_last)}


def proficiency_weeks(*, hire: User, start: date, today: date, max_weeks: int = 26) -> list:
    """The hire's weeks from ``start`` (each a :class:`proficiency.Week`), up to the last ended before ``today``."""
    from . import proficiency

    weeks = []
    for k in range(1, max_weeks + 1):
        end = start + timedelta(days=7 * k)  # excluded
        if end > today:
            break
        first = max(start, end - timedelta(days=proficiency.WINDOW_DAYS))
        last = end - timedelta(days=1)
        mine, theirs = agent_rows(agent=hire, first=first, last=last), team_rows(agent=hire, first=first, last=last)
        qa, team_qa = (quality_bridge.review_totals(agent=hire, first=first, last=last),
                       quality_bridge.team_review_totals(agent=hire, first=first, last=last))
        weeks.append(proficiency.Week(
            tickets=len(mine), hire={k_: kpi_value(mine, k_) for k_ in proficiency.KPIS},
            team={k_: kpi_value(theirs, k_) for k_ in proficiency.KPIS},
            qa_reviews=len(qa), qa_mean=sum(qa) / len(qa) if qa else None,
            team_qa_reviews=len(team_qa), team_qa_mean=sum(team_qa) / len(team_qa) if team_qa else None))
    return weeks


def time_to_proficiency(*, hire: User, start: date, today: date) -> dict:
    """``{"week": k or None, "reached_on": day or None, "weeks_measured": n, "missing": [...]}``."""
    from . import proficiency

    weeks = proficiency_weeks(hire=hire, start=start, today=today)
    week = proficiency.first_proficient_week(weeks)
    return {"week": week, "reached_on": start + timedelta(days=7 * week - 1) if week else None,
            "weeks_measured": len(weeks), "missing": proficiency.shortfalls(weeks[-1]) if weeks and not week else []}
