"""My profile (every role): time zone, language, password; the zone times are shown in; sign-out."""

from __future__ import annotations

import pytest
from django.test import Client

from frontline.people.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Different-passphrase-42"


@pytest.fixture(params=["agent", "manager", "customer"])
def person(request):  # type: ignore[no-untyped-def]
    return {"agent": f.agent, "manager": f.manager, "customer": lambda: f.customer(with_login=True).user}[request.param]()


def test_every_role_has_a_profile_page(person, login):  # type: ignore[no-untyped-def]
    page = login(person).get("/people/me/").content.decode()
    assert "My profile" in page and "Time zone" in page and "Change password" in page
    assert "English only for now" in page


def test_the_page_does_not_jump_to_the_current_password(person, login):  # type: ignore[no-untyped-def]
    """Django's password form focused "Old password" on load (a phone's keyboard popped up)."""
    page = login(person).get("/people/me/").content.decode()
    assert "autofocus" not in page


def test_the_chosen_zone_is_stored_and_used_for_times(person, login):  # type: ignore[no-untyped-def]
    client = login(person)
    response = client.post("/people/me/", {"form": "profile", "time_zone": "Asia/Tokyo", "language": "en"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.time_zone, person.language) == ("Asia/Tokyo", "en")
    client.cookies["tz"] = "Europe/Berlin"  # the browser's zone loses to the one the person chose
    assert "Times are shown in Asia/Tokyo" in client.get("/people/me/").content.decode()


def test_without_a_choice_the_browsers_zone_is_used(login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    assert agent.time_zone == ""
    client = login(agent)
    client.cookies["tz"] = "America/Chicago"
    page = client.get("/people/me/").content.decode()
    assert "Times are shown in America/Chicago, your browser's zone" in page
    assert "Times in America/Chicago." in client.get("/tickets/").content.decode()


def test_utc_is_a_choice_like_any_other(login):  # type: ignore[no-untyped-def]
    agent = f.agent(time_zone="UTC")
    client = login(agent)
    client.cookies["tz"] = "America/Chicago"
    assert "Times in UTC." in client.get("/tickets/").content.decode()


@pytest.mark.parametrize("data", [
    {"form": "profile", "time_zone": "Mars/Olympus_Mons", "language": "en"},
    {"form": "profile", "time_zone": "", "language": "tlh"},
    {"form": "profile", "time_zone": "x" * 500, "language": "en"},
])
def test_a_bad_profile_is_422_and_changes_nothing(data, login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    response = login(agent).post("/people/me/", data)
    assert response.status_code == 422 and "errorlist" in response.content.decode()
    agent.refresh_from_db()
    assert (agent.time_zone, agent.language) == ("", "en")


@pytest.mark.parametrize("data, message", [
    ({"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, "Your old password was entered incorrectly"),
    ({"old_password": f.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"}, "The two password fields didn"),
    ({"old_password": f.PASSWORD, "new_password1": "123", "new_password2": "123"}, "This password is too short"),
])
def test_a_refused_password_change_is_422_with_the_reason(data, message, login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    response = login(agent).post("/people/me/", {"form": "password", **data})
    assert response.status_code == 422 and message in response.content.decode()
    agent.refresh_from_db()
    assert agent.check_password(f.PASSWORD)


def test_password_change_keeps_this_session_and_the_new_password_works(person, login):  # type: ignore[no-untyped-def]
    client = login(person)
    response = client.post("/people/me/", {"form": "password", "old_password": f.PASSWORD,
                                           "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/people/me/").status_code == 200  # still signed in here
    assert Client().login(username=person.username, password=NEW_PASSWORD)
    assert not Client().login(username=person.username, password=f.PASSWORD)


def test_the_profile_needs_a_sign_in(client):  # type: ignore[no-untyped-def]
    response = client.get("/people/me/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.post("/people/me/", {"form": "profile", "time_zone": "UTC", "language": "en"}).status_code == 302
    assert not User.objects.filter(time_zone="UTC").exists()


def test_sign_out_asks_the_browser_to_clear_site_storage(login):  # type: ignore[no-untyped-def]
    response = login(f.agent()).post("/logout/")
    assert response.status_code == 302 and response["Clear-Site-Data"] == '"storage"'
