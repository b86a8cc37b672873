"""The Erlang calculator page answers what the engine answers."""

from __future__ import annotations

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "calls=100&interval_s=1800&aht_s=180&threshold_s=20"


def test_required_agents_for_the_worked_example(login):  # type: ignore[no-untyped-def]
    page = login(f.agent()).get(f"/workforce/erlang/?{BASE}&target_sl_pct=80&shrinkage_pct=30").content.decode()
    assert '<div class="value">14</div>' in page  # CallCentreHelper: 14 agents for 80/20
    assert "0.8884" in page and "0.1741" in page  # its service level and P(wait)
    assert '<div class="value">20</div>' in page  # 14 / (1 - 0.3)


def test_erlang_a_with_patience_shows_abandonment(login):  # type: ignore[no-untyped-def]
    page = login(f.agent()).get(f"/workforce/erlang/?{BASE}&agents=13&patience_s=300").content.decode()
    assert "agents (given)" in page
    assert "P(abandon)" in page and "share abandoning" in page


def test_invalid_input_says_what_to_fix(login):  # type: ignore[no-untyped-def]
    client = login(f.agent())
    response = client.get("/workforce/erlang/?calls=-5&interval_s=1800&aht_s=0&threshold_s=20&target_sl_pct=80")
    assert response.status_code == 422
    assert "greater than or equal to" in response.content.decode()
    response = client.get(f"/workforce/erlang/?{BASE}&target_sl_pct=&shrinkage_pct=")
    assert response.status_code == 422 and "at least one target" in response.content.decode()
    response = client.get(f"/workforce/erlang/?{BASE}&target_sl_pct=80&max_abandon_pct=5")
    assert "needs a mean patience" in response.content.decode()


def test_blank_page_explains_itself(login):  # type: ignore[no-untyped-def]
    assert "Enter an interval" in login(f.agent()).get("/workforce/erlang/").content.decode()


def test_customers_cannot_use_it(login):  # type: ignore[no-untyped-def]
    assert login(f.customer(with_login=True).user).get(f"/workforce/erlang/?{BASE}&target_sl_pct=80").status_code == 403


def test_htmx_answer_marks_and_names_each_failing_field(login):  # type: ignore[no-untyped-def]
    """#14.15: "Check the highlighted fields" came back without the form, so nothing was highlighted
    or named. The htmx answer now carries the form: each failing input has aria-invalid and its
    message, and the summary names the fields."""
    response = login(f.agent()).get("/workforce/erlang/?calls=-5&interval_s=1800&aht_s=0&threshold_s=20&target_sl_pct=80",
                                    HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="erlang-body"' in page
    assert page.count('aria-invalid="true"') == 2
    assert '<a href="#id_calls">Contacts per interval</a>' in page
    assert '<a href="#id_aht_s">Average handle time (s)</a>' in page
