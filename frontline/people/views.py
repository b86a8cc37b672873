"""Sign-in and sign-out, people pages, My profile, API tokens and the agent's availability."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from frontline.desk.models import UNRESOLVED_CATEGORIES

from . import services
from .forms import PasswordForm, ProfileForm, TokenForm
from .models import STAFF_ROLES, ApiToken, Role
from .selectors import people_list_for_viewer


def client_address(request: HttpRequest) -> str:
    """The address of the client, for the sign-in limit.

    ``REMOTE_ADDR``, unless a trusted proxy header is configured (``TRUSTED_PROXY_HEADER``, e.g.
    ``X-Forwarded-For``, with ``TRUSTED_PROXY_COUNT`` proxies in front): then the entry the
    outermost trusted proxy appended, counted from the right, so entries a client wrote itself
    are never used. A header that is missing, too short or not an address falls back to
    ``REMOTE_ADDR``. Never trusted unless configured: anyone can send the header.
    """
    remote = request.META.get("REMOTE_ADDR", "")[:64]
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    key = header.upper().replace("-", "_")
    key = key if key.startswith("HTTP_") else "HTTP_" + key
    entries = [e.strip() for e in request.META.get(key, "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < settings.TRUSTED_PROXY_COUNT:
        return remote
    candidate = entries[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LoginView(auth_views.LoginView):
    """Django's sign-in with a limit on failed attempts per identity (``services.signin_identity``)
    and client address (``client_address``)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        if not services.login_allowed(username=username, address=client_address(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "Too many failed sign-ins. Wait 15 minutes, or ask an admin to reset your password.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        services.login_failure_record(username=self.request.POST.get("username", ""), address=client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        services.login_success_record(username=form.get_user().username, address=client_address(self.request))
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Django's sign-out, which also tells the browser to forget what it keeps for this site
    (unsent drafts, htmx's page snapshots): the next person on a shared PC sees none of it.
    The page's script clears the same on the Sign out button, for browsers without the header."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My profile, for everyone who signs in: time zone, language, password."""
    user = request.user
    profile_form = ProfileForm(initial={"time_zone": user.time_zone, "language": user.language})  # type: ignore[union-attr]
    password_form = PasswordForm(user)
    status = 200
    if request.method == "POST" and request.POST.get("form") == "password":
        password_form = PasswordForm(user, request.POST)
        if password_form.is_valid():
            try:
                services.user_password_change(user=user, current_password=password_form.cleaned_data["old_password"],
                                              new_password=password_form.cleaned_data["new_password1"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    password_form.add_error(field if field in password_form.fields else None, errors)
            else:
                update_session_auth_hash(request, user)  # stay signed in here; other sessions end
                messages.success(request, "Password changed. Other places where you were signed in are signed out.")
                return redirect("people:profile")
        status = 422
    elif request.method == "POST":
        profile_form = ProfileForm(request.POST)
        if profile_form.is_valid():
            try:
                services.user_profile_update(user=user, time_zone=profile_form.cleaned_data["time_zone"],
                                             language=profile_form.cleaned_data["language"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    profile_form.add_error(field if field in profile_form.fields else None, errors)
            else:
                messages.success(request, "Profile saved.")
                return redirect("people:profile")
        status = 422
    return render(request, "people/profile.html", {
        "nav": "profile", "profile_form": profile_form, "password_form": password_form,
        "browser_zone": request.COOKIES.get("tz", ""),
    }, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.role in STAFF_ROLES:  # type: ignore[union-attr]
        return redirect("desk:ticket_list")
    return redirect("portal:request_list")


@require_GET
@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if viewer.role not in (Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN):  # type: ignore[union-attr]
        raise PermissionDenied("The people pages are for team leads and managers.")
    unresolved = Q(assigned_tickets__status_category__in=UNRESOLVED_CATEGORIES)
    people = (
        people_list_for_viewer(viewer=viewer)
        .annotate(open_tickets=Count("assigned_tickets", filter=unresolved, distinct=True))
        .prefetch_related("teams")
        .order_by("first_name", "last_name")
    )
    return render(request, "people/people_list.html", {"nav": "people", "people": people})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("API tokens are for staff accounts.")
    form = TokenForm(request.POST or None)
    issued = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error("name", exc.message_dict.get("name", exc.messages))
                status = 422
            else:
                form = TokenForm()
        else:
            status = 422
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "people/token_list.html", {"nav": "tokens", "form": form, "issued": issued, "tokens": tokens}, status=status)


@require_POST
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404("No such token.")
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("people:token_list")


@require_POST
@login_required
def availability(request: HttpRequest) -> HttpResponse:
    try:
        services.availability_set(user=request.user, availability=request.POST.get("availability", ""))
    except ValidationError as exc:
        return HttpResponse("; ".join(exc.messages), status=422)
    request.session.pop(services.ASK_AVAILABILITY_KEY, None)  # answered: stop asking
    if request.htmx:
        return HttpResponse(status=204)
    return redirect(request.META.get("HTTP_REFERER") or "home")
