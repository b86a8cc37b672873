"""The ``fmt`` template filters render the shared formats (frontline/core/templatetags/fmt.py)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone


def render(source: str, **context: object) -> str:
    return Template("{% load fmt %}" + source).render(Context(context))


@pytest.mark.parametrize(("source", "context", "text"), [
    ("{{ v|duration }}", {"v": 2568}, "42 min 48 s"),
    ("{{ v|duration }}", {"v": None}, "—"),
    ("{{ v|pct }}", {"v": 0.8}, "80 %"),
    ('{{ v|pct:"1" }}', {"v": 0.1234}, "12.3 %"),
    ("{{ v|pct_number:1 }}", {"v": 94.8}, "94.8 %"),
    ("{{ v|signed_pct }}", {"v": Decimal("23.46")}, "+23.5 %"),
    ("{{ v|hours }}", {"v": 36.666}, "36.7 h"),
    ("{{ t|sl_target:s }}", {"t": 0.8, "s": 600}, "80 % in 10 min"),
    ("{{ v|money:c }}", {"v": Decimal("1234.5"), "c": "EUR"}, "EUR 1,234.50"),
    ("{{ v|money0:c }}", {"v": Decimal("45499.5"), "c": "EUR"}, "EUR 45,500"),
    ("{{ v|signed_money:c }}", {"v": Decimal("234.5"), "c": "EUR"}, "+EUR 234.50"),
    ("{{ v|signed_money0:c }}", {"v": Decimal("-1200"), "c": "EUR"}, "\u2212EUR 1,200"),
    ("{{ v|number }}", {"v": 12345}, "12,345"),
    ("{{ v|p_value }}", {"v": 3e-9}, "p &lt; 0.0001"),  # "<", escaped as HTML
    ('{{ v|p_value:"q" }}', {"v": 0.012345}, "q = 0.0123"),
])
def test_filters_render_the_shared_formats(source, context, text):
    assert render(source, **context) == text


def test_datetime_filters_use_the_viewers_zone():
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert render("{{ m|datetime_short }} / {{ m|date_short }}", m=moment) == "7 Dec 2026, 08:30 / 7 Dec 2026"


@pytest.mark.parametrize("source", ["{{ v|duration }}", "{{ v|pct }}", "{{ v|money:'EUR' }}", "{{ v|money0:'EUR' }}",
                                    "{{ v|hours }}", "{{ v|datetime_short }}", "{{ v|sl_target:20 }}",
                                    "{{ v|p_value }}"])
def test_a_value_that_is_not_a_number_shows_a_dash_not_an_error(source):
    assert render(source, v="lots") == "—"
