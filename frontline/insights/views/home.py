"""The insights home (the manager's view) and topic pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors
from ..models import Kind, Sentiment, Source
from .common import manager, reader


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    items = selectors.feedback_for_viewer(viewer=viewer)
    context = {
        "nav": "insights", "can_manage": selectors.can_manage(viewer), "total": items.count(),
        "counts": selectors.feedback_counts(items), "kinds": Kind.choices, "sentiments": Sentiment.choices,
        "sources": Source.choices,
    }
    return render(request, "insights/home.html", context)


@require_GET
@login_required
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    viewer = manager(request)
    topic = selectors.topic_get(topic_id=topic_id, viewer=viewer)
    return render(request, "insights/topic_detail.html", {"nav": "insights", "topic": topic})
