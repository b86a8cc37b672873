"""Sign-in: argon2 hashes, the failed-attempt limit, API tokens, availability."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.test import Client, RequestFactory, override_settings

from frontline.people.models import AgentProfile, AvailabilityChange, User
from frontline.people.services import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    availability_set,
    signin_identity,
)
from frontline.people.views import client_address
from tests import factories as f

pytestmark = pytest.mark.django_db

ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def test_passwords_are_hashed_with_argon2(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ARGON2
    user = User.objects.create_user(username="ann", password="s3cret-Pass!")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_product_settings_use_argon2_first():
    from frontline import settings as product

    assert product.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(LOGIN_RATE_LIMIT=3)
def test_sign_in_is_refused_after_repeated_failures_even_with_the_right_password():
    agent = f.agent(username="target")
    client = Client()
    for _ in range(3):
        assert client.post("/login/", {"username": "target", "password": "wrong"}).status_code == 200
    response = client.post("/login/", {"username": "target", "password": f.PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post("/login/", {"username": agent.username, "password": f.PASSWORD}).status_code == 302


def test_successful_sign_in_lands_staff_in_the_desk_and_customers_in_the_portal():
    agent = f.agent()
    customer = f.customer(with_login=True)
    staff = Client()
    staff.post("/login/", {"username": agent.username, "password": f.PASSWORD})
    assert staff.get("/")["Location"] == "/tickets/"
    portal = Client()
    portal.post("/login/", {"username": customer.user.username, "password": f.PASSWORD})
    assert portal.get("/")["Location"] == "/portal/"


def test_admin_login_uses_the_rate_limited_sign_in(client):  # type: ignore[no-untyped-def]
    assert client.get("/admin/login/")["Location"].startswith("/login/")


def test_token_lifecycle():
    agent = f.agent()
    issued = api_token_create(user=agent, name="CRM sync")
    assert issued.secret.startswith("fl_") and issued.secret not in issued.token.digest
    assert api_token_authenticate(secret=issued.secret) == agent
    assert api_token_authenticate(secret=issued.secret + "x") is None
    api_token_revoke(token=issued.token, actor=agent)
    assert api_token_authenticate(secret=issued.secret) is None


def test_token_of_a_deactivated_user_stops_working():
    agent = f.agent()
    issued = api_token_create(user=agent, name="x")
    agent.is_active = False
    agent.save()
    assert api_token_authenticate(secret=issued.secret) is None


def test_token_page_shows_the_secret_once(login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    client = login(agent)
    created = client.post("/people/me/tokens/", {"name": "Zapier"}).content.decode()
    token = agent.api_tokens.get()
    secret_line = [line for line in created.splitlines() if "fl_" in line and "secret" in line]
    assert secret_line and token.prefix in secret_line[0]
    assert "secret" not in client.get("/people/me/tokens/").content.decode().split("<table")[0].split("</form>")[-1]
    assert client.post("/people/me/tokens/", {"name": ""}).status_code == 422


def test_revoking_from_the_page(login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    issued = api_token_create(user=agent, name="x")
    assert login(agent).post(f"/people/me/tokens/{issued.token.pk}/revoke/").status_code == 302
    assert api_token_authenticate(secret=issued.secret) is None


def test_availability(login):  # type: ignore[no-untyped-def]
    agent = f.agent()
    client = login(agent)
    assert client.post("/people/me/availability/", {"availability": "on_break"}, HTTP_HX_REQUEST="true").status_code == 204
    assert AgentProfile.objects.get(user=agent).availability == "on_break"
    assert client.post("/people/me/availability/", {"availability": "napping"}).status_code == 422
    customer = f.customer(with_login=True)
    assert login(customer.user).post("/people/me/availability/", {"availability": "online"}).status_code == 403


def test_availability_changes_are_logged_for_adherence():
    agent = f.agent()
    nine, ten = datetime(2026, 11, 23, 9, tzinfo=UTC), datetime(2026, 11, 23, 10, tzinfo=UTC)
    availability_set(user=agent, availability="online", at=nine)
    availability_set(user=agent, availability="online", at=ten)  # no change, no entry
    availability_set(user=agent, availability="on_break", at=ten)
    log = list(AvailabilityChange.objects.filter(user=agent).values_list("previous", "availability", "changed_at"))
    assert log == [("offline", "online", nine), ("online", "on_break", ten)]


# --- the sign-in limit: one count per identity and client address ---------------------------------------

FULL_WIDTH_LEAD3 = "\uff4c\uff45\uff41\uff44\uff13"  # "lead3" in full-width letters
VARIANTS = [" lead3", "lead3 ", "\tlead3", FULL_WIDTH_LEAD3, "LEAD3", " \uff2c\uff45\uff41\uff44\uff13\n"]


@override_settings(LOGIN_RATE_LIMIT=3)
@pytest.mark.parametrize("variant", VARIANTS)
def test_spelling_the_username_differently_gives_no_fresh_tries(variant: str) -> None:
    f.lead(username="lead3")
    client = Client()
    for _ in range(3):
        assert client.post("/login/", {"username": "lead3", "password": "wrong"}).status_code == 200
    response = client.post("/login/", {"username": variant, "password": f.PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_RATE_LIMIT=3)
def test_failures_under_different_spellings_add_up_and_a_variant_cannot_clear_the_lock() -> None:
    f.lead(username="lead3")
    client = Client()
    for variant in VARIANTS[:3]:
        assert client.post("/login/", {"username": variant, "password": "wrong"}).status_code == 200
    for variant in ["lead3", *VARIANTS]:
        assert client.post("/login/", {"username": variant, "password": f.PASSWORD}).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_variants_the_form_accepts_do_sign_in_as_the_account() -> None:
    lead = f.lead(username="lead3")
    client = Client()
    assert client.post("/login/", {"username": FULL_WIDTH_LEAD3 + " ", "password": f.PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(lead.pk)


def test_signin_identity_normalises_as_the_sign_in_form_does_then_casefolds() -> None:
    assert {signin_identity(v) for v in ["lead3", *VARIANTS]} == {"lead3"}
    assert signin_identity("Straße") == signin_identity("STRASSE")
    assert signin_identity("x" * 500) == "x" * 150


@override_settings(LOGIN_RATE_LIMIT=3)
def test_without_a_configured_proxy_header_a_forged_header_changes_nothing() -> None:
    f.lead(username="lead3")
    for n in range(3):
        forged = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        forged.post("/login/", {"username": "lead3", "password": "wrong"})
    again = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert again.post("/login/", {"username": "lead3", "password": f.PASSWORD}).status_code == 429


@override_settings(LOGIN_RATE_LIMIT=3, TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
def test_behind_a_load_balancer_an_attacker_locks_out_only_their_own_address() -> None:
    lead = f.lead(username="lead3")
    balancer = "10.0.0.2"
    for _ in range(3):
        attacker = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="198.51.100.66")
        attacker.post("/login/", {"username": "lead3", "password": "wrong"})
    attacker = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert attacker.post("/login/", {"username": "lead3", "password": f.PASSWORD}).status_code == 429
    colleague = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="192.0.2.10")
    assert colleague.post("/login/", {"username": "lead3", "password": f.PASSWORD}).status_code == 302
    assert colleague.session["_auth_user_id"] == str(lead.pk)


@override_settings(LOGIN_RATE_LIMIT=3, TRUSTED_PROXY_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT=1)
def test_addresses_a_client_writes_into_the_header_itself_are_not_trusted() -> None:
    f.lead(username="lead3")
    for n in range(3):
        # The client forges a first entry; the balancer appends the address it really saw.
        forged = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.66")
        forged.post("/login/", {"username": "lead3", "password": "wrong"})
    again = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 198.51.100.66")
    assert again.post("/login/", {"username": "lead3", "password": f.PASSWORD}).status_code == 429


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "198.51.100.66", "10.0.0.2"),
        ("X-Forwarded-For", 1, "198.51.100.66", "198.51.100.66"),
        ("X-Forwarded-For", 1, "192.0.2.1, 198.51.100.66", "198.51.100.66"),
        ("X-Forwarded-For", 2, "192.0.2.1, 198.51.100.66, 10.0.0.9", "198.51.100.66"),
        ("X-Forwarded-For", 2, "198.51.100.66", "10.0.0.2"),
        ("X-Forwarded-For", 1, "not-an-address", "10.0.0.2"),
        ("X-Forwarded-For", 1, "", "10.0.0.2"),
        ("X-Forwarded-For", 1, "2001:db8::1", "2001:db8::1"),
        ("HTTP_X_FORWARDED_FOR", 1, "198.51.100.66", "198.51.100.66"),
    ],
)
def test_client_address_reads_the_configured_header_from_the_right(
    header: str, count: int, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_HEADER=header, TRUSTED_PROXY_COUNT=count):
        assert client_address(request) == expected
