"""Configuring calendars and policies in the admin: bad input is a form error, nothing is saved."""

from __future__ import annotations

import json

import pytest

from frontline.sla.models import BusinessCalendar, SLAPolicy
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):  # type: ignore[no-untyped-def]
    return login(f.manager(is_staff=True, is_superuser=True))


def _calendar_form(hours: object, **extra: str) -> dict[str, str]:
    return {"name": "Berlin office", "time_zone": "Europe/Berlin", "hours": json.dumps(hours), "holidays": "[]",
            "holiday_country": "", "holiday_subdivision": "", **extra}


@pytest.mark.parametrize(("hours", "message"), [
    ({}, "no working time"),
    ({"0": [["09:00", "12:00"], ["11:00", "13:00"]]}, "overlaps"),
    ({"0": [["09:00", "09:00"]]}, "start equals end"),
])
def test_a_bad_calendar_is_refused_with_the_reason(admin_client, hours, message):  # type: ignore[no-untyped-def]
    response = admin_client.post("/admin/sla/businesscalendar/add/", _calendar_form(hours))
    assert (response.status_code, message in response.content.decode(), BusinessCalendar.objects.count()) == (200, True, 0)


def test_an_unknown_time_zone_is_an_error_on_that_field(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.post("/admin/sla/businesscalendar/add/",
                                 _calendar_form({"0": [["09:00", "17:00"]]}, time_zone="Mars/Olympus"))
    assert ("unknown time zone" in response.content.decode(), BusinessCalendar.objects.count()) == (True, 0)


def test_a_calendar_with_a_night_shift_and_holidays_is_saved(admin_client):  # type: ignore[no-untyped-def]
    form = _calendar_form({"4": [["22:00", "06:00"]]}, holiday_country="DE", holiday_subdivision="BE")
    admin_client.post("/admin/sla/businesscalendar/add/", form)
    assert BusinessCalendar.objects.get().holiday_subdivision == "BE"


def _policy_form(calendar: BusinessCalendar, **extra: object) -> dict[str, object]:
    return {"name": "Urgent", "position": "1", "active": "on", "calendar": str(calendar.pk), "priorities": ["urgent"],
            "first_reply_minutes": "30", "next_reply_minutes": "", "resolution_minutes": "240", "at_risk_percent": "75",
            **extra}


def test_a_target_of_zero_is_refused(admin_client):  # type: ignore[no-untyped-def]
    response = admin_client.post("/admin/sla/slapolicy/add/", _policy_form(sf.calendar(), first_reply_minutes="0"))
    assert (response.status_code, "greater than or equal to 1" in response.content.decode(), SLAPolicy.objects.count()) == (
        200, True, 0,
    )


def test_a_policy_is_saved_with_its_conditions(admin_client):  # type: ignore[no-untyped-def]
    admin_client.post("/admin/sla/slapolicy/add/", _policy_form(sf.calendar()))
    assert SLAPolicy.objects.get().priorities == ["urgent"]
