"""The rubric builder: rubrics and their versions (leads read, managers and admins write)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import rubric_text, selectors, services
from .models import Rubric
from .views import _reviewer

EXAMPLE = """# Opening
Greets the customer | yes/no | 1 | auto: greeting
# Resolution
Correct and complete answer | 1-5 | 4 | guidance: 5 everything right; 3 right but incomplete; 1 wrong
Follows the refund policy | yes/no/na | 2 | auto: required_phrases
# Compliance
No personal data exposed | yes/no | 1 | critical | auto: forbidden_phrases"""


def _editor(request: HttpRequest):  # type: ignore[no-untyped-def]
    user = _reviewer(request)
    if not user.sees_everything:
        raise PermissionDenied("Rubrics are written by managers and admins.")
    return user


@require_GET
@login_required
def rubric_list(request: HttpRequest) -> HttpResponse:
    viewer = _reviewer(request)
    rubrics = []
    for rubric in Rubric.objects.prefetch_related("versions").order_by("name"):
        versions = sorted(rubric.versions.all(), key=lambda v: -v.number)
        rubrics.append((rubric, versions))
    return render(request, "quality/rubric_list.html", {"nav": "quality", "rubrics": rubrics,
                                                        "can_edit": viewer.sees_everything})


@require_http_methods(["GET", "POST"])
@login_required
def rubric_edit(request: HttpRequest, rubric_id: int | None = None) -> HttpResponse:
    viewer = _editor(request)
    rubric = None
    if rubric_id is not None:
        rubric = Rubric.objects.filter(pk=rubric_id).first()
        if rubric is None:
            raise Http404("No such rubric.")
    errors: dict[str, list[str]] = {}
    current = selectors.rubric_current_version(rubric=rubric) if rubric else None
    text = rubric_text.render(current) if current else EXAMPLE
    name, note = (rubric.name if rubric else ""), ""
    if request.method == "POST":
        text, name, note = request.POST.get("text", ""), request.POST.get("name", ""), request.POST.get("note", "")
        try:
            sections = rubric_text.parse(text)
            if rubric is None:
                version = services.rubric_create(name=name, sections=sections, actor=viewer,
                                                 description=request.POST.get("description", ""))
            else:
                version = services.rubric_edit(rubric=rubric, sections=sections, actor=viewer, note=note)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            made_new = current is not None and version.pk != current.pk
            messages.success(request, f"Saved as {version}." + (" Reviews made before keep the version they were "
                                                                  "scored on." if made_new else ""))
            return redirect("quality:rubric_list")
    context = {"nav": "quality", "rubric": rubric, "current": current, "text": text, "name": name, "note": note,
               "errors": errors, "in_use": current is not None and (current.reviews.exists()
                                                                    or current.calibrations.exists())}
    return render(request, "quality/rubric_form.html", context, status=422 if errors else 200)
