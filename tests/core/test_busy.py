"""A request that finds no database connection free is answered 503 with Retry-After, not 500.

The exceptions are the real ones: psycopg_pool's PoolTimeout (what Django's pool raises after
FRONTLINE_DB_POOL_TIMEOUT_S) as Django's database wrapper turns it into django.db.OperationalError,
and PostgreSQL's own "too many clients" refusal; through the project's real handler500, sync and async.
"""

from __future__ import annotations

import json

import psycopg
import psycopg_pool
from asgiref.sync import async_to_sync
from django.db import connection
from django.http import HttpResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path

from frontline import urls as project_urls
from frontline.core.http import database_busy

handler500 = "frontline.core.http.server_error"


def _pool_timeout() -> None:
    with connection.wrap_database_errors:  # as Django's ensure_connection() raises it
        raise psycopg_pool.PoolTimeout("couldn't get a connection after 10.00 sec")


def busy(request):  # type: ignore[no-untyped-def]
    _pool_timeout()


async def busy_async(request):  # type: ignore[no-untyped-def]
    _pool_timeout()


def full(request):  # type: ignore[no-untyped-def]
    with connection.wrap_database_errors:
        raise psycopg.OperationalError('connection failed: FATAL:  sorry, too many clients already')


def broken(request) -> HttpResponse:  # type: ignore[no-untyped-def]
    raise ValueError("a bug")


urlpatterns = [path("busy/", busy), path("busy-async/", busy_async), path("full/", full), path("broken/", broken),
               path("api/v1/busy/", busy), *project_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_is_503_with_retry_after_and_reloads_itself() -> None:
    client = Client(raise_request_exception=False)
    page = client.get("/busy/")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert b"Frontline is busy right now" in page.content and b'http-equiv="refresh"' in page.content
    posted = client.post("/busy/")
    assert posted.status_code == 503 and b'http-equiv="refresh"' not in posted.content  # a reload would not resend it
    assert b"send the form again" in posted.content


@override_settings(ROOT_URLCONF=__name__)
def test_json_callers_get_the_apis_error_shape() -> None:
    client = Client(raise_request_exception=False)
    for response in (client.get("/api/v1/busy/"), client.get("/busy/", HTTP_ACCEPT="application/json"),
                     client.get("/full/", HTTP_ACCEPT="application/json")):
        assert response.status_code == 503 and response["Retry-After"] == "5"
        body = json.loads(response.content)
        assert body["detail"].startswith("Frontline is busy right now") and body["errors"] == []


@override_settings(ROOT_URLCONF=__name__)
def test_an_async_view_too() -> None:  # the chat's polls: the handler runs in another thread
    get = async_to_sync(AsyncClient(raise_request_exception=False).get)
    response = get("/busy-async/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response["Retry-After"] == "5"


@override_settings(ROOT_URLCONF=__name__)
def test_any_other_error_is_still_a_500() -> None:
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500 and b"Something went wrong on our side" in response.content
    assert not response.has_header("Retry-After")


def test_what_counts_as_busy() -> None:
    assert database_busy(psycopg_pool.PoolTimeout("x"))
    assert database_busy(psycopg.OperationalError("FATAL: remaining connection slots are reserved for superuser"))
    assert not database_busy(psycopg.OperationalError("FATAL: password authentication failed"))
    assert not database_busy(ValueError("too many clients already"))  # not a database error
    assert not database_busy(None)
