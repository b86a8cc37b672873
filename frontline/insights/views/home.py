"""The insights home (the manager's view: topics, alerts, runs, classifier evaluation; leads see
their counts) and the topic pages (rename, merge, split, make a problem)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services, trends
from ..models import Alert, FeedbackItem, Kind, RunState, Sentiment, Source
from .common import int_or_none, manager, reader

TOP_CHART = 6


def _run_context() -> dict[str, object]:
    latest = selectors.run_latest()
    current = selectors.run_current()
    return {"run": latest, "current_run": current,
            "running": latest is not None and latest.state in (RunState.QUEUED, RunState.RUNNING)}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    items = selectors.feedback_for_viewer(viewer=viewer)
    can_manage = selectors.can_manage(viewer)
    context: dict[str, object] = {
        "nav": "insights", "can_manage": can_manage, "total": items.count(),
        "counts": selectors.feedback_counts(items), "kinds": Kind.choices, "sentiments": Sentiment.choices,
        "sources": Source.choices,
    }
    if can_manage:
        topics = list(selectors.topics_active()[:40])
        series = trends.weekly_series(topic_ids=[t.pk for t in topics])
        rows = []
        for t in topics:
            s = series[t.pk]
            recent, before = sum(s.counts[-4:]), sum(s.counts[-8:-4])
            negative = sum(s.negative[-4:])
            rows.append({"topic": t, "recent": recent, "before": before,
                         "negative": negative / recent if recent else None})
        top = {t.pk: series[t.pk] for t in topics[:TOP_CHART]}
        context.update(_run_context())
        context.update(_untested(topics, series))
        context.update({
            "topics": rows, "chart": trends.volume_chart(top, {t.pk: t.label for t in topics},
                                                         title="Feedback per week, largest topics"),
            "alerts": list(Alert.objects.select_related("topic").filter(topic__active=True)[:10]),
            "classifiers": [c for c in (selectors.classifier_latest(target="kind"),
                                        selectors.classifier_latest(target="sentiment")) if c is not None],
            "corrections": FeedbackItem.objects.filter(kind_corrected=True).count(),
            "unplaced": FeedbackItem.objects.filter(topic__isnull=True).count(),
            "problems": list(selectors.problems_for_viewer(viewer=viewer)[:5]),
        })
    template = "insights/partials/run_status.html" if request.htmx and request.GET.get("part") == "run" \
        else "insights/home.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _untested(topics: list, series: dict[int, trends.Series]) -> dict[str, object]:
    """The topics not (fully) tested for alerts, grouped by why (one sentence when it is all of
    them for the same reason), and the day the earliest feedback began."""
    notes: dict[str, list[str]] = {}
    for t in topics:
        note = trends.history_note(series[t.pk])
        if note:
            notes.setdefault(note, []).append(t.label)
    starts = [s.since for s in series.values() if s.since is not None]
    if len(notes) == 1 and len(next(iter(notes.values()))) == len(topics):
        return {"untested": [(next(iter(notes)), [])], "since": min(starts, default=None)}
    return {"untested": list(notes.items()), "since": None}


@require_POST
@login_required
def run_topics(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    try:
        services.topic_run_request(actor=viewer)
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    else:
        messages.success(request, "Topic discovery queued; progress shows below.")
    return redirect("insights:home")


@require_GET
@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    viewer = manager(request)
    topic = selectors.topic_get(topic_id=topic_id, viewer=viewer)
    series = trends.weekly_series(topic_ids=[topic.pk])[topic.pk]
    reps = FeedbackItem.objects.in_bulk(topic.representatives)
    kinds = selectors.feedback_counts(FeedbackItem.objects.filter(topic=topic))
    return render(request, "insights/topic_detail.html", {
        "nav": "insights", "topic": topic, "chart": trends.sentiment_chart(series, topic.label),
        "history": trends.history_note(series), "since": series.since,
        "representatives": [reps[i] for i in topic.representatives if i in reps], "counts": kinds,
        "kinds": Kind.choices, "alerts": list(topic.alerts.all()[:10]),
        "others": list(selectors.topics_active().exclude(pk=topic.pk).values_list("pk", "label")),
        "problems": list(topic.problems.all()), "merged_into": topic.merged_into, **_run_context(),
        "tickets": sorted(set(FeedbackItem.objects.filter(topic=topic, ticket__isnull=False)
                              .values_list("ticket_id", flat=True)))[:500],
    })


@require_POST
@login_required
def topic_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Rename (``label``), merge (``into``) or split (``split``) a topic."""
    viewer = manager(request)
    topic = selectors.topic_get(topic_id=topic_id, viewer=viewer)
    action = request.POST.get("action")
    try:
        if action == "rename":
            services.topic_rename(topic=topic, label=request.POST.get("label", ""))
            messages.success(request, "Topic renamed; the name stays across re-runs.")
        elif action == "merge":
            into = selectors.topic_get(topic_id=int_or_none(request.POST.get("into")) or 0, viewer=viewer)
            services.topic_merge(topic=topic, into=into)
            messages.success(request, f"Merged into “{into.label}”.")
            return redirect("insights:topic_detail", topic_id=into.pk)
        elif action == "split":
            services.topic_run_request(actor=viewer, topic=topic)
            messages.success(request, "Split queued; the topic page shows both parts when it is done.")
        else:
            messages.error(request, "Choose rename, merge or split.")
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
    return redirect("insights:topic_detail", topic_id=topic.pk)
