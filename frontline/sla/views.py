"""SLA pages: the ordered policies in words, for team leads and managers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from frontline.people.models import Role

from .selectors import sla_policies_in_words

READERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})


@require_GET
@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in READERS:  # type: ignore[union-attr]
        raise PermissionDenied("The SLA policies page is for team leads and managers.")
    return render(request, "sla/policy_list.html", {"nav": "sla", "policies": sla_policies_in_words()})
