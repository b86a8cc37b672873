"""The feedback inbox (leads read their part; managers correct labels), CSV imports, syncing."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import selectors, services
from ..models import ImportState, Kind, Sentiment, Source
from .common import day_end, day_or_none, day_start, int_or_none, manager, reader

FILTER_KEYS = ("source", "kind", "sentiment", "language", "topic", "problem", "ticket", "q", "from", "to", "corrected")


def _filters(request: HttpRequest) -> selectors.FeedbackFilters:
    get = request.GET
    first, last = day_or_none(get.get("from")), day_or_none(get.get("to"))
    ids = frozenset(int(i) for i in get.get("ids", "").split(",") if i.isdigit() and 0 < int(i) < 2**63)
    return selectors.FeedbackFilters(
        source=get.get("source", "") if get.get("source") in Source.values else "",
        kind=get.get("kind", "") if get.get("kind") in Kind.values else "",
        sentiment=get.get("sentiment", "") if get.get("sentiment") in Sentiment.values else "",
        language=get.get("language", "")[:8],
        topic_id=int_or_none(get.get("topic")), problem_id=int_or_none(get.get("problem")),
        ticket_id=int_or_none(get.get("ticket")), q=get.get("q", "")[:200],
        since=day_start(first) if first else None, until=day_end(last) if last else None,
        corrected=get.get("corrected") == "1", ids=ids)


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    filters = _filters(request)
    items = selectors.feedback_list(viewer=viewer, filters=filters)
    page = selectors.feedback_page(items, cursor=request.GET.get("after", ""))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "after" and v])
    context = {
        "nav": "insights", "page": page, "filters": filters, "get": request.GET, "query": query,
        "counts": selectors.feedback_counts(items), "sources": Source.choices, "kinds": Kind.choices,
        "sentiments": Sentiment.choices, "can_manage": selectors.can_manage(viewer),
        "topics": list(selectors.topics_active().values_list("pk", "label")) if selectors.can_manage(viewer) else [],
        "this_url": request.get_full_path(),
    }
    template = "insights/partials/inbox_rows.html" if request.htmx else "insights/inbox.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_POST
@login_required
def label(request: HttpRequest, item_id: int) -> HttpResponse:
    """One click: a corrected kind or sentiment; back to the same inbox page."""
    viewer = manager(request)
    item = selectors.feedback_get_for_viewer(item_id=item_id, viewer=viewer)
    kind = request.POST.get("kind") or None
    sentiment = request.POST.get("sentiment") or None
    try:
        services.feedback_label_correct(item=item, actor=viewer, kind=kind, sentiment=sentiment)
    except ValidationError as error:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(status=422)
        return redirect("insights:inbox")
    if request.htmx:  # type: ignore[attr-defined]
        item.refresh_from_db()
        return render(request, "insights/partials/labels.html", {"item": item, "can_manage": True,
                                                                  "kinds": Kind.choices, "sentiments": Sentiment.choices,
                                                                  "this_url": request.POST.get("next", "")})
    messages.success(request, "Label saved; the classifier learns from it.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("insights:inbox")
    return redirect(f"{back}#item-{item.pk}")


@require_POST
@login_required
def sync(request: HttpRequest) -> HttpResponse:
    manager(request)
    outcome = services.feedback_sync(since=None)
    messages.success(request, f"{outcome['added']} new and {outcome['updated']} changed feedback items from surveys "
                              "and tickets; labels follow in the background.")
    return redirect("insights:inbox")


@require_http_methods(["GET", "POST"])
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = ["Choose a CSV file."]
        else:
            try:
                data = upload.read(services.imports.MAX_BYTES + 1)
                batch = services.batch_upload(filename=upload.name or "upload.csv", data=data, actor=viewer)
            except ValidationError as error:
                errors = [m for ms in error.message_dict.values() for m in ms]
            else:
                return redirect("insights:import_map", batch_id=batch.pk)
    return render(request, "insights/import_upload.html", {
        "nav": "insights", "errors": errors, "fields": services.FIELDS, "batches": selectors.batches_recent(),
        "max_mb": services.imports.MAX_BYTES // (1024 * 1024), "max_rows": services.imports.MAX_ROWS,
    }, status=422 if errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def import_map(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The column mapping with a preview of the first rows; "Preview" re-reads, "Import" starts."""
    viewer = manager(request)
    batch = selectors.batch_get(batch_id=batch_id, viewer=viewer)
    if batch.state != ImportState.UPLOADED:
        return redirect("insights:import_status", batch_id=batch.pk)
    columns = services.imports.batch_columns(batch)
    data = request.POST if request.method == "POST" else request.GET
    mapping = {field: data.get(f"map_{field}", batch.mapping.get(field, "")) for field in services.FIELDS} \
        if (request.method == "POST" or "preview" in data) else dict(batch.mapping)
    source_name = data.get("source_name", batch.source_name or "")
    errors: dict[str, list[str]] = {}
    preview = []
    try:
        clean = services.mapping_check(batch=batch, mapping=mapping)
        preview = services.rows_of(batch=batch, mapping=clean, limit=services.imports.PREVIEW_ROWS)
    except ValidationError as error:
        errors = error.message_dict
    if request.method == "POST" and "import" in request.POST and not errors:
        try:
            services.batch_start(batch=batch, mapping=mapping, source_name=source_name)
        except ValidationError as error:
            errors = error.message_dict
        else:
            return redirect("insights:import_status", batch_id=batch.pk)
    return render(request, "insights/import_map.html", {
        "nav": "insights", "batch": batch, "columns": columns,
        "fields": [(f, label, mapping.get(f, ""), errors.get(f, [])) for f, label in services.FIELDS.items()],
        "source_name": source_name, "errors": errors, "source_errors": errors.get("source_name", []),
        "other_errors": [m for k, ms in errors.items() if k not in services.FIELDS and k != "source_name" for m in ms],
        "preview": preview,
    }, status=422 if errors and request.method == "POST" else 200)


@require_GET
@login_required
def import_status(request: HttpRequest, batch_id: int) -> HttpResponse:
    viewer = manager(request)
    batch = selectors.batch_get(batch_id=batch_id, viewer=viewer)
    template = "insights/partials/import_progress.html" if request.htmx else "insights/import_status.html"  # type: ignore[attr-defined]
    running = batch.state in (ImportState.QUEUED, ImportState.RUNNING)
    return render(request, template, {"nav": "insights", "batch": batch, "running": running,
                                      "percent": round(100 * batch.done / batch.rows) if batch.rows else 0})
