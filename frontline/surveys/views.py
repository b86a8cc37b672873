"""Survey pages for team leads and managers: response rates and scores, responses, settings.

Leads see the surveys of the tickets they may see (their teams'), managers and admins all;
agents and customers get 403. Settings are read by leads and changed by managers and admins.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import charts, formats
from frontline.desk.models import Channel, Queue
from frontline.people.models import Role, Team, User

from . import selectors, services
from .forms import ConfigForm, RuleForm, TemplateForm
from .models import SCALES, SurveyKind, SurveyRule, SurveyState

READERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
EDITORS = frozenset({Role.MANAGER, Role.ADMIN})
PERIODS = (7, 30, 90, 365)


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in READERS:
        raise PermissionDenied("The survey pages are for team leads and managers.")
    return user


def _editor(request: HttpRequest) -> User:
    user = _reader(request)
    if user.role not in EDITORS:
        raise PermissionDenied("Survey settings are changed by managers and admins.")
    return user


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


def _weekly_chart(rows: list[selectors.RateRow], kind: str, today: date) -> str:
    """Response rate per week of sending; the week still running says so (its surveys are young)."""
    def label(monday: date) -> str:
        return monday.strftime("%-d %b") + (", so far" if monday + timedelta(days=7) > today else "")

    data = [{"week": label(date.fromisoformat(r.key)), "rate": round(100 * r.rate, 1) if r.rate is not None else None,
             "sent": r.sent} for r in rows]  # rows come oldest week first
    if len(data) < 2:
        return ""
    spec = charts.spec(
        data=data, title=f"{SurveyKind(kind).label} response rate per week (%)", height=160,
        description=f"Share of {SurveyKind(kind).label} surveys answered, by week of sending",
        mark={"type": "line", "point": True},
        encoding={"x": {"field": "week", "type": "ordinal", "sort": None, "title": "Week of sending (from Monday)",
                        "axis": {"labelAngle": 0, "labelOverlap": "greedy"}},
                  "y": {"field": "rate", "type": "quantitative", "title": "Answered (%)", "scale": {"domain": [0, 100]}},
                  "tooltip": [{"field": "week", "title": "week of"}, {"field": "rate", "title": "answered %"},
                              {"field": "sent", "title": "sent"}]})
    return charts.svg(spec)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    viewer = _reader(request)
    kind = request.GET.get("kind", SurveyKind.CSAT)
    kind = kind if kind in SurveyKind.values else SurveyKind.CSAT
    group = request.GET.get("group", "team")
    group = group if group in selectors.GROUPS and group != "kind" else "team"
    days = _int(request.GET.get("days")) or 30
    days = days if days in PERIODS else 30
    until = timezone.now()
    since = until - timedelta(days=days)
    zone = timezone.get_current_timezone()
    rows = selectors.response_rates(viewer=viewer, kind=kind, group=group, since=since, until=until, zone=zone)
    total = selectors.rate_totals(rows, kind, selectors.scores_for_viewer(viewer=viewer, kind=kind, since=since,
                                                                          until=until))
    by_kind = {r.key: r for r in selectors.response_rates(viewer=viewer, kind="", group="kind", since=since,
                                                         until=until)}
    weekly = rows if group == "week" else selectors.response_rates(viewer=viewer, kind=kind, group="week",
                                                                   since=since, until=until, zone=zone)
    counts = selectors.survey_counts(viewer=viewer, since=since, until=until)
    cards = []
    for k in SurveyKind:
        row = by_kind.get(k.value)
        score = selectors.score_of(k.value, selectors.scores_for_viewer(viewer=viewer, kind=k.value, since=since,
                                                                         until=until))
        cards.append({"kind": k.value, "label": k.label, "sent": row.sent if row else 0,
                      "answered": row.answered if row else 0, "rate": row.rate if row else None,
                      "score": _score_text(k.value, score)})
    campaigns = selectors.campaigns_recent() if kind == SurveyKind.NPS else []
    # an empty NPS period while campaigns ran: the shortest period reaching back to the latest one
    reach = next((p for p in PERIODS if campaigns and campaigns[0].started_at >= until - timedelta(days=p)), None)
    context = {
        "nav": "surveys", "kind": kind, "kind_label": SurveyKind(kind).label, "group": group, "days": days,
        "periods": PERIODS, "groups": [(g, label) for g, label in selectors.GROUPS.items() if g != "kind"],
        "rows": [(r, _score_text(kind, r.score), _filter_query(group, r.key, kind, since)) for r in rows],
        "total": total, "total_score": _score_text(kind, total.score), "cards": cards, "counts": counts,
        "skipped": counts.get(SurveyState.SKIPPED, 0), "scheduled": counts.get(SurveyState.SCHEDULED, 0),
        "failed": counts.get(SurveyState.FAILED, 0),
        "reasons": selectors.skip_reasons(viewer=viewer, since=since, until=until),
        "throttle_days": selectors.config_get().throttle_days,
        "chart": _weekly_chart(weekly, kind, timezone.localdate(until)), "campaigns": campaigns, "reach": reach,
        "since": since, "kinds": SurveyKind.choices, "score_name": _score_name(kind), "zone": zone,
    }
    return render(request, "surveys/overview.html", context)


def _score_name(kind: str) -> str:
    return {"csat": "CSAT (% 4\u20135)", "ces": "CES (mean, 1\u20137)", "nps": "NPS (\u2212100 to 100)"}[kind]


def _score_text(kind: str, score: float | None) -> str:
    if score is None:
        return "—"
    if kind == SurveyKind.CSAT:
        return formats.pct(score)
    if kind == SurveyKind.CES:
        return formats.number(score, 2)
    return formats.number(score, 0)


def _filter_query(group: str, key: str, kind: str, since: object) -> str:
    params = {"kind": kind, "since_days": ""}
    params.pop("since_days")
    if group in ("team", "agent", "queue") and key:
        params[group] = key
    elif group == "channel":
        params["channel"] = key
    return urlencode(params)


@require_GET
@login_required
def response_list(request: HttpRequest) -> HttpResponse:
    viewer = _reader(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in SurveyKind.values else ""
    score = _int(request.GET.get("score")) if request.GET.get("score") != "0" else 0
    channel = request.GET.get("channel", "")
    channel = channel if channel in Channel.values else ""
    filters = selectors.ResponseFilters(
        kind=kind, scores=(score,) if score is not None and kind and SCALES[kind][0] <= score <= SCALES[kind][1] else (),
        with_comment=request.GET.get("comment") == "1", team_id=_int(request.GET.get("team")),
        agent_id=_int(request.GET.get("agent")), channel=channel, queue_id=_int(request.GET.get("queue")),
        ticket_id=_int(request.GET.get("ticket")))
    responses = selectors.responses_for_viewer(viewer=viewer, filters=filters)
    page = Paginator(responses, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    teams = Team.objects.order_by("name") if viewer.role in EDITORS else Team.objects.filter(
        pk__in=[t for t in (selectors.surveys_for_viewer(viewer=viewer).values_list("team_id", flat=True).distinct())
                if t]).order_by("name")
    context = {"nav": "surveys", "page": page, "query": query.urlencode(), "kind": kind, "kinds": SurveyKind.choices,
               "filters": filters, "teams": teams, "channels": Channel.choices, "noun": "Responses",
               "score_options": list(range(SCALES[kind][0], SCALES[kind][1] + 1)) if kind else [],
               "score": score if filters.scores else None, "has_filters": any(
                   request.GET.get(k) for k in ("kind", "score", "comment", "team", "agent", "channel", "queue",
                                                "ticket"))}
    return render(request, "surveys/response_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    viewer = _reader(request)
    config = selectors.config_get()
    form = ConfigForm(instance=config)
    status = 200
    if request.method == "POST":
        _editor(request)
        form = ConfigForm(request.POST, instance=config)
        if form.is_valid():
            services.survey_config_update(actor=viewer, values=form.cleaned_data)
            messages.success(request, "Survey settings saved.")
            return redirect("surveys:settings")
        status = 422
    templates = []
    for k in SurveyKind:
        subject, body = selectors.template_for(kind=k.value)
        templates.append({"kind": k.value, "label": k.label, "subject": subject, "body": body})
    rules = SurveyRule.objects.select_related("queue").order_by("queue__name", "channel", "id")
    return render(request, "surveys/settings.html", {
        "nav": "surveys", "form": form, "config": config, "rules": rules, "templates": templates,
        "may_edit": viewer.role in EDITORS, "placeholders": selectors.PLACEHOLDERS,
        "campaigns": selectors.campaigns_recent()}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    viewer = _editor(request)
    rule = SurveyRule.objects.filter(pk=rule_id).first() if rule_id is not None else SurveyRule()
    if rule is None:
        raise Http404("No such rule.")
    form = RuleForm(request.POST or None, instance=rule)
    form.fields["queue"].queryset = Queue.objects.order_by("name")  # type: ignore[attr-defined]
    if request.method == "POST":
        if form.is_valid():
            services.survey_rule_save(actor=viewer, rule=form.save(commit=False))
            messages.success(request, "Survey rule saved.")
            return redirect("surveys:settings")
        return render(request, "surveys/rule_form.html", {"nav": "surveys", "form": form, "rule": rule}, status=422)
    return render(request, "surveys/rule_form.html", {"nav": "surveys", "form": form, "rule": rule})


@require_POST
@login_required
def rule_delete(request: HttpRequest, rule_id: int) -> HttpResponse:
    viewer = _editor(request)
    rule = SurveyRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404("No such rule.")
    services.survey_rule_delete(actor=viewer, rule=rule)
    messages.success(request, "Survey rule deleted.")
    return redirect("surveys:settings")


@require_http_methods(["GET", "POST"])
@login_required
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    viewer = _editor(request)
    if kind not in SurveyKind.values:
        raise Http404("No such survey.")
    subject, body = selectors.template_for(kind=kind)
    form = TemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    context = {"nav": "surveys", "form": form, "kind": kind, "kind_label": SurveyKind(kind).label,
               "placeholders": selectors.PLACEHOLDERS}
    if request.method == "POST":
        if request.POST.get("reset") == "1":
            services.survey_template_reset(actor=viewer, kind=kind)
            messages.success(request, f"The {SurveyKind(kind).label} email is back to the built-in one.")
            return redirect("surveys:settings")
        if form.is_valid():
            services.survey_template_save(actor=viewer, kind=kind, subject=form.cleaned_data["subject"],
                                          body=form.cleaned_data["body"])
            messages.success(request, f"The {SurveyKind(kind).label} email is saved.")
            return redirect("surveys:settings")
        return render(request, "surveys/template_form.html", context, status=422)
    return render(request, "surveys/template_form.html", context)


@require_POST
@login_required
def nps_run(request: HttpRequest) -> HttpResponse:
    _editor(request)
    campaign = services.nps_campaign_run(force=True)
    if campaign is not None:
        messages.success(request, f"NPS campaign started: {campaign.sampled:,} of {campaign.eligible:,} eligible "
                                  "customers sampled; their surveys go out within a minute.")
    return redirect("surveys:settings")
