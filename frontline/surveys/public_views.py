"""The answer page a rating link opens: for the customer, no sign-in (the signed token is the key).

Link scanners: mail security gateways (Safe Links, Mimecast, Proofpoint …) open every link of an
incoming email, some in a headless browser that runs scripts. If opening a link recorded its
score, each survey email could come back "answered" with whatever link a scanner opened last.
So a GET never records anything: the link opens the page with its score chosen and an optional
comment box, and the answer is recorded when the customer presses "Send" (a POST with the CSRF
token). Choosing another score and sending again changes the answer. See docs/surveys.md.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .models import SCALES, ResponseVia, Survey, SurveyKind, SurveyState
from .tokens import token_read


def _private(response: HttpResponse) -> HttpResponse:
    """The token is a key: keep it out of caches, search engines and other sites' Referer headers
    (same-origin, not no-referrer: with no-referrer browsers send ``Origin: null`` on the form's
    POST and the CSRF check refuses it)."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _survey(token: str) -> Survey | None:
    read = token_read(token)
    if read is None:
        return None
    survey = selectors.survey_for_token(survey_id=read[0], nonce=read[1])
    if survey is None or survey.state != SurveyState.SENT or survey.expires_at is None:
        return None
    return survey


def _context(survey: Survey, token: str, chosen: int | None, comment: str, errors: dict[str, list[str]]) -> dict:  # type: ignore[type-arg]
    low, high = SCALES[survey.kind]
    kind = SurveyKind(survey.kind)
    response = getattr(survey, "response", None)
    return {"survey": survey, "token": token, "scores": list(range(low, high + 1)), "chosen": chosen,
            "comment": comment, "errors": errors, "response": response, "question": selectors.QUESTIONS[kind],
            "words": selectors.SCALE_WORDS[kind], "low": low, "high": high}


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str, score: int | None = None) -> HttpResponse:
    at = timezone.now()
    survey = _survey(token)
    if survey is None:
        return _private(render(request, "surveys/public/invalid.html", status=404))
    if at >= survey.expires_at:  # type: ignore[operator]
        return _private(render(request, "surveys/public/expired.html", {"survey": survey}, status=410))
    response = getattr(survey, "response", None)
    if request.method == "POST":
        raw, comment = request.POST.get("score", ""), request.POST.get("comment", "")
        try:
            chosen = int(raw) if raw.strip().lstrip("-").isdigit() else None
            if chosen is None:
                raise ValidationError({"score": ["Choose a score."]})
            services.survey_answer(survey=survey, score=chosen, comment=comment, via=ResponseVia.EMAIL, at=at)
        except ValidationError as error:
            context = _context(survey, token, None, comment, error.message_dict)
            return _private(render(request, "surveys/public/answer.html", context, status=422))
        return _private(redirect(reverse("surveys_public:answer", args=[token]) + "?saved=1"))
    errors: dict[str, list[str]] = {}
    low, high = SCALES[survey.kind]
    if score is not None and not low <= score <= high:
        errors["score"] = [f"{score} is not on this survey's scale ({low} to {high}); choose a score below."]
        score = None
    chosen = score if score is not None else (response.score if response else None)
    context = _context(survey, token, chosen, response.comment if response else "", errors)
    context["saved"] = request.GET.get("saved") == "1" and response is not None
    context["changing"] = response is not None and score is not None and score != response.score
    return _private(render(request, "surveys/public/answer.html", context, status=422 if errors else 200))
