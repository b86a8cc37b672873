"""Workforce pages in a browser: the schedule board's shift dialog, publishing, what-if, My schedule.

Everybody (people, teams, the browser) is on UTC, so the times typed and read are the stored ones.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from frontline.schedules.models import (
    Schedule,
    ScheduleStatus,
    Shift,
    ShiftChange,
    TimeOff,
    TimeOffStatus,
)
from frontline.workforce.forecasts import forecast_prepare
from frontline.workforce.models import ForecastRun, RunStatus
from frontline.workforce.tasks import forecast_run_compute
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.schedules.factories import next_monday
from tests.workforce import staffing_factories as sf
from tests.workforce.forecast_data import tickets_at, weekday_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DASH = "\N{EN DASH}"


def _at(day, hour: int) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.combine(day, time(hour), UTC)


@pytest.fixture
def week():  # type: ignore[no-untyped-def]
    """Next week's Monday, a published schedule of Billing with three shifts, and who works it."""
    team = f.team(name="Billing")
    lead = f.lead(leads=[team], first_name="Lena", last_name="Lead")
    ana = f.agent(teams=[team], first_name="Ana", last_name="Agent")
    bo = f.agent(teams=[team], first_name="Bo", last_name="Agent")
    monday = next_monday()
    schedule = Schedule.objects.create(team=team, week_start=monday, state=ScheduleStatus.PUBLISHED, status=RunStatus.DONE,
                                       progress_note="Not solved")
    shifts = {
        "ana_mon": Shift.objects.create(schedule=schedule, agent=ana, starts_at=_at(monday, 9), ends_at=_at(monday, 17)),
        "ana_tue": Shift.objects.create(schedule=schedule, agent=ana, starts_at=_at(monday + timedelta(days=1), 10),
                                        ends_at=_at(monday + timedelta(days=1), 18)),
        "bo_mon": Shift.objects.create(schedule=schedule, agent=bo, starts_at=_at(monday, 12), ends_at=_at(monday, 20)),
    }
    return {"team": team, "lead": lead, "ana": ana, "bo": bo, "monday": monday, "schedule": schedule, **shifts}


def _board(page: Page, schedule: Schedule) -> None:
    page.goto(f"/workforce/schedules/{schedule.pk}/")
    page.wait_for_load_state("load")  # htmx (deferred) has processed the shift links
    expect(page.get_by_role("heading", name=re.compile(r"^Billing · week of"))).to_be_visible()


def test_lead_changes_a_shift_end_in_the_dialog_and_the_board_and_log_follow(page: Page, week, screenshot_dir: Path) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, week["lead"])
    _board(page, week["schedule"])
    page.evaluate("window.__sameDocument = true")  # survives htmx swaps, not a page load
    dialog = page.locator("#shift-dialog")
    expect(dialog).to_be_hidden()

    # keyboard: focus the shift and press Enter
    shift_link = page.get_by_role("link", name="Edit Ana Agent's shift 09:00 to 17:00")
    shift_link.focus()
    with page.expect_response(re.compile(rf"/shifts/{week['ana_mon'].pk}/$")) as opened:
        page.keyboard.press("Enter")
    assert opened.value.status == 200 and opened.value.request.headers.get("hx-request") == "true"
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Edit shift · Billing")).to_be_visible()
    expect(dialog.get_by_text("This week is published: the change is live for the agent at once.")).to_be_visible()
    expect(dialog.get_by_label("End")).to_have_value("17:00")
    assert page.evaluate("window.__sameDocument") is True
    page.screenshot(path=str(screenshot_dir / "workforce-shift-dialog.png"), full_page=True)

    dialog.get_by_label("End").fill("15:00")
    with page.expect_response(re.compile(rf"/shifts/{week['ana_mon'].pk}/$")) as saved:
        dialog.get_by_role("button", name="Save shift").click()
    assert saved.value.request.method == "POST" and saved.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_role("link", name="Edit Ana Agent's shift 09:00 to 15:00")).to_be_visible()
    expect(page.get_by_role("link", name="Edit Ana Agent's shift 09:00 to 17:00")).to_have_count(0)
    expect(dialog).to_be_hidden()
    changes = page.locator("section", has=page.get_by_role("heading", name="Latest changes"))
    expect(changes).to_contain_text("Lena Lead — changed a shift")

    shift = Shift.objects.get(pk=week["ana_mon"].pk)
    assert (shift.starts_at, shift.ends_at) == (_at(week["monday"], 9), _at(week["monday"], 15))
    change = ShiftChange.objects.get(schedule=week["schedule"], kind="changed")
    assert change.payload["before"]["ends_at"] == _at(week["monday"], 17).isoformat()
    assert change.payload["after"]["ends_at"] == _at(week["monday"], 15).isoformat()


def test_saving_a_shift_updates_the_board_without_loading_the_page_again(page: Page, week) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, week["lead"])
    _board(page, week["schedule"])
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Edit Ana Agent's shift 10:00 to 18:00").click()
    dialog = page.locator("#shift-dialog")
    dialog.get_by_label("End").fill("16:00")
    dialog.get_by_role("button", name="Save shift").click()
    expect(page.get_by_role("link", name="Edit Ana Agent's shift 10:00 to 16:00")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True


def test_an_overlapping_shift_is_refused_in_the_dialog_and_nothing_changes(page: Page, week) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, week["lead"])
    _board(page, week["schedule"])
    page.evaluate("window.__sameDocument = true")
    dialog = page.locator("#shift-dialog")

    page.get_by_role("link", name="Edit Bo Agent's shift 12:00 to 20:00").click()
    expect(dialog.get_by_role("heading", name="Edit shift · Billing")).to_be_visible()
    dialog.get_by_label("Agent").select_option(label="Ana Agent")  # Ana already works 09:00-17:00 that Monday
    with page.expect_response(re.compile(rf"/shifts/{week['bo_mon'].pk}/$")) as refused:
        dialog.get_by_role("button", name="Save shift").click()
    assert refused.value.status == 422
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(re.compile(r"Ana Agent already works Mon \d\d \w+ 09:00.17:00\."))
    expect(dialog.get_by_label("Agent")).to_have_value(str(week["ana"].pk))  # the form keeps what was typed
    assert page.evaluate("window.__sameDocument") is True

    dialog.get_by_role("link", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Edit Bo Agent's shift 12:00 to 20:00")).to_be_visible()
    bo_mon = Shift.objects.get(pk=week["bo_mon"].pk)
    assert (bo_mon.agent_id, bo_mon.starts_at, bo_mon.ends_at) == (week["bo"].pk, _at(week["monday"], 12), _at(week["monday"], 20))
    assert not ShiftChange.objects.filter(schedule=week["schedule"]).exists()


def test_lead_unpublishes_and_publishes_the_week(page: Page, week) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, week["lead"])
    _board(page, week["schedule"])
    head = page.locator(".page-head h1")
    expect(head.locator(".badge")).to_have_text("Published")
    expect(page.get_by_role("note")).to_contain_text("Published — changes are live.")

    page.get_by_role("button", name="Unpublish").click()
    expect(head.locator(".badge")).to_have_text("Draft")
    expect(page.get_by_role("note")).to_contain_text("Draft — agents do not see this week until you publish it.")
    expect(page.get_by_role("button", name="Unpublish")).to_have_count(0)
    assert Schedule.objects.get(pk=week["schedule"].pk).state == ScheduleStatus.DRAFT

    page.get_by_role("button", name="Publish").click()
    expect(head.locator(".badge")).to_have_text("Published")
    changes = page.locator("section", has=page.get_by_role("heading", name="Latest changes"))
    expect(changes.locator("li")).to_have_count(2)
    expect(changes.locator("li").nth(0)).to_contain_text("Lena Lead — published")
    expect(changes.locator("li").nth(1)).to_contain_text("Lena Lead — unpublished")
    s = Schedule.objects.get(pk=week["schedule"].pk)
    assert (s.state, s.published_by_id) == (ScheduleStatus.PUBLISHED, week["lead"].pk)


def test_what_if_more_volume_shows_more_hours_without_reloading(page: Page, screenshot_dir: Path) -> None:  # type: ignore[no-untyped-def]
    team = f.team(name="Orders")
    sf.set_profile(f.agent(teams=[team]), hours=40, cost=30)
    plan = sf.plan(sf.forecast(rows=sf.day_rows(), team=team, name="Orders forecast"), name="Orders plan")
    sign_in(page, f.lead(leads=[team]))
    page.goto("/workforce/staffing/what-if/")
    page.wait_for_load_state("load")
    expect(page.get_by_text("Choose a plan and change a number.")).to_be_visible()
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Staffing plan").select_option(str(plan.pk))
    page.get_by_label("Volume change (%)").fill("20")
    with page.expect_response(re.compile(r"/workforce/staffing/what-if/$")) as answer:
        page.get_by_role("button", name="Compare").click()
    assert answer.value.status == 200 and answer.value.request.headers.get("hx-request") == "true"

    row = page.locator("#whatif-result tr", has=page.get_by_role("rowheader", name="To-schedule hours", exact=True))
    expect(row).to_be_visible()
    plan_hours, scenario_hours = (float(row.locator("td").nth(i).inner_text().replace(",", "").removesuffix(" h"))
                                  for i in (0, 1))
    assert scenario_hours > plan_hours > 0
    expect(row.locator("td").nth(2)).to_contain_text("+")
    expect(page.locator("#whatif-result")).to_contain_text("+20 % volume")
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"[?&]volume_change_pct=20(&|$)"))  # the scenario can be shared
    page.screenshot(path=str(screenshot_dir / "workforce-whatif.png"), full_page=True)


def test_agent_sees_the_published_shift_and_asks_for_time_off(page: Page, week) -> None:  # type: ignore[no-untyped-def]
    # a draft week of another team is not the agent's to see yet
    other = f.team(name="Tech")
    other.members.add(week["ana"])
    draft = Schedule.objects.create(team=other, week_start=week["monday"], state=ScheduleStatus.DRAFT, status=RunStatus.DONE)
    wednesday = week["monday"] + timedelta(days=2)
    Shift.objects.create(schedule=draft, agent=week["ana"], starts_at=_at(wednesday, 7), ends_at=_at(wednesday, 11))

    sign_in(page, week["ana"])
    page.goto("/workforce/schedules/mine/")
    expect(page.get_by_role("heading", name="My schedule")).to_be_visible()
    next_week = page.locator("section", has=page.get_by_role("heading", name=re.compile(r"^Next week")))
    expect(next_week.get_by_role("heading", name=re.compile(r"^Next week"))).to_contain_text("16.0 paid h")
    monday = next_week.locator(".cal-day", has=page.get_by_role("heading", name=re.compile(week["monday"].strftime(r"^Mon %-d %b"))))
    expect(monday.locator(".shift")).to_contain_text(f"09:00{DASH}17:00")
    expect(monday.locator(".shift")).to_contain_text("Billing")
    expect(next_week.get_by_text(f"07:00{DASH}11:00")).to_have_count(0)  # the draft shift stays hidden

    form = page.locator("form", has=page.get_by_role("button", name="Send request"))
    friday = week["monday"] + timedelta(days=4)
    form.get_by_label(re.compile(r"^From( \*)?$")).fill(friday.isoformat())
    form.get_by_label("To (inclusive)").fill(friday.isoformat())
    form.get_by_label("Reason").fill("Dentist")
    form.get_by_role("button", name="Send request").click()
    requests = page.locator("section", has=page.get_by_role("heading", name="My time-off requests"))
    row = requests.locator("tbody tr", has_text="Dentist")
    expect(row).to_contain_text("Requested")
    expect(row).to_contain_text(friday.strftime("%-d %b %Y, 00:00"))
    off = TimeOff.objects.get(agent=week["ana"])
    assert (off.starts_at, off.ends_at, off.status) == (_at(friday, 0), _at(friday + timedelta(days=1), 0), TimeOffStatus.REQUESTED)

    # a request in the past is refused with the reason next to the form
    form = page.locator("form", has=page.get_by_role("button", name="Send request"))
    form.get_by_label(re.compile(r"^From( \*)?$")).fill("2020-01-06")
    form.get_by_label("To (inclusive)").fill("2020-01-06")
    with page.expect_response(re.compile(r"/workforce/schedules/mine/$")) as answer:
        form.get_by_role("button", name="Send request").click()
    assert answer.value.status == 422
    expect(page.get_by_text("That time is already past.")).to_be_visible()
    assert TimeOff.objects.filter(agent=week["ana"]).count() == 1


def test_a_queued_forecast_page_polls_and_shows_the_result_once_the_worker_is_done(page: Page) -> None:
    team = f.team(name="Support")
    tickets_at(weekday_history(start=date(2023, 12, 29), days=56), team=team)
    run = forecast_prepare(actor=None, name="Support, two weeks", team=team, time_zone="America/New_York",
                           interval_minutes=60, history_days=56, now=datetime(2024, 2, 23, 17, 0, tzinfo=UTC))
    sign_in(page, f.manager())
    page.goto(f"/workforce/forecasts/{run.pk}/")
    page.wait_for_load_state("load")
    progress = page.get_by_role("status").filter(has_text="Waiting for the background worker")
    expect(progress).to_be_visible()
    with page.expect_request(re.compile(rf"/workforce/forecasts/{run.pk}/progress/$")) as polled:
        pass  # the partial asks again every 2 s
    assert polled.value.headers.get("hx-request") == "true"

    with override_settings(FRONTLINE_FORECAST_MODELS=["seasonal_naive", "weekday_mean_4", "level_blend"]):
        forecast_run_compute.call(run.pk)  # what the worker does, in this thread

    # the next poll answers HX-Refresh: the page loads again with the result
    expect(page.locator(".model-name")).to_have_text(ForecastRun.objects.get(pk=run.pk).chosen_model, timeout=10_000)
    expect(progress).to_have_count(0)


def test_erlang_calculator_highlights_and_names_the_fields_to_fix(page: Page) -> None:
    """An abandonment cap without a patience passes the browser's own checks and fails on the server."""
    sign_in(page, f.agent(first_name="Erin"))
    page.goto("/workforce/erlang/?calls=100&interval_s=1800&aht_s=180&threshold_s=20&target_sl_pct=80")
    page.wait_for_load_state("load")
    page.get_by_label("Max abandonment (%)").fill("5")
    with page.expect_response(re.compile(r"/workforce/erlang/")) as answered:
        page.get_by_role("button", name="Calculate").click()
    assert answered.value.status == 422
    expect(page.get_by_label("Max abandonment (%)")).to_have_attribute("aria-invalid", "true")
    alert = page.locator("#erlang-result").get_by_role("alert")
    expect(alert).to_contain_text("Check the highlighted field")
    expect(alert.get_by_role("link", name="Max abandonment (%)")).to_be_visible()
    expect(page.get_by_label("Contacts per interval")).not_to_have_attribute("aria-invalid", "true")


def test_a_days_interval_coverage_opens_from_the_keyboard(page: Page) -> None:
    """#14.12: per-interval coverage was only a hover tooltip; it is now a disclosure per day."""
    from tests.schedules.factories import plan_for

    team = f.team(name="Returns")
    lead = f.lead(leads=[team], first_name="Lena", last_name="Lead")
    monday = next_monday()
    schedule = Schedule.objects.create(team=team, week_start=monday, status=RunStatus.DONE,
                                       staffing_plan=plan_for(team=team, week_start=monday, volume=2.0, days=1))
    Shift.objects.create(schedule=schedule, agent=f.agent(teams=[team]), starts_at=_at(monday, 9), ends_at=_at(monday, 13))
    sign_in(page, lead)
    page.goto(f"/workforce/schedules/{schedule.pk}/")
    summary = page.locator("summary", has_text=re.compile(r"^Monday .* — 16 of 16 intervals short$"))
    table = page.get_by_role("table", name=re.compile(r"^Coverage per interval, Monday"))
    expect(table).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").nth(1)).to_contain_text("09:00")


def test_an_agent_without_a_shift_is_asked_for_a_status_at_sign_in(page: Page) -> None:
    """#14.13: the status stayed Offline after signing in while adherence is measured from it."""
    agent = f.agent(first_name="Olga")
    sign_in(page, agent)
    question = page.get_by_role("region", name="Set your status")
    expect(question).to_contain_text("You are signed in as Offline.")
    question.get_by_role("button", name="Go online").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("You are signed in as Offline.")).to_have_count(0)
    expect(page.get_by_label("Your status")).to_have_value("online")


def test_a_lead_declines_time_off_with_a_reason_and_both_see_it(page: Page, week, new_page) -> None:  # type: ignore[no-untyped-def]
    """#14.15: deciding showed no confirmation, took no reason and said nothing about coverage."""
    monday = week["monday"]
    off = TimeOff.objects.create(agent=week["ana"], starts_at=_at(monday, 0), ends_at=_at(monday + timedelta(days=1), 0),
                                 reason="Dentist")
    sign_in(page, week["lead"])
    page.goto("/workforce/schedules/time-off/")
    row = page.get_by_role("row").filter(has_text="Dentist")
    row.get_by_label(re.compile(r"^Reason")).fill("Quarter close — take Tuesday instead")
    row.get_by_role("button", name="Decline").click()
    page.wait_for_load_state("load")
    confirmation = page.get_by_role("status").filter(has_text="Declined Ana Agent's time off")
    expect(confirmation).to_contain_text("Quarter close — take Tuesday instead")
    off.refresh_from_db()
    assert off.status == TimeOffStatus.DECLINED

    agent_page = new_page()
    sign_in(agent_page, week["ana"])
    agent_page.goto("/workforce/schedules/mine/")
    expect(agent_page.get_by_text("“Quarter close — take Tuesday instead”")).to_be_visible()


def test_workforce_pages_fit_a_phone(new_context, week) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the team lead's pages were laid out up to 1,143 px wide: wide tables now scroll
    inside themselves, and the Erlang calculator and the side panels stack under the page."""
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, week["lead"])
    for path in ("/people/", "/customers/", "/workforce/", "/workforce/schedules/", "/workforce/schedules/time-off/",
                 f"/workforce/schedules/{week['schedule'].pk}/", "/workforce/schedules/shift-types/",
                 "/workforce/erlang/?calls=100&interval_s=1800&aht_s=180&threshold_s=20&target_sl_pct=80"):
        page.goto(path)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} lays out {width} px wide on a 390 px screen"


def test_the_status_dot_in_the_top_bar_stays_round(page: Page) -> None:
    """The flex row of the top bar squeezed the status dot into a sliver."""
    sign_in(page, f.agent(first_name="Dora"))
    box = page.locator(".topbar form.availability .dot").bounding_box()
    assert box is not None and box["width"] == box["height"] > 0, box


def test_the_budget_lines_table_is_not_cut_off_on_a_laptop(new_context) -> None:  # type: ignore[no-untyped-def]
    """Beside the forms column the eight columns of amounts were cut off (variance to date, Edit)
    at every width up to the page's widest, 1,400 px."""
    from tests.budget import helpers as bh

    plan = bh.plan(start=date(2026, 1, 1), end=date(2026, 12, 31), name="Year plan")
    for category, amount in (("headcount", "1165657.14"), ("overtime", "116869.12"), ("tools", "17743.00")):
        bh.actual(bh.line(plan, category, amount, description=f"{category.title()} — Orders & Billing"),
                  date(2026, 2, 1), "75524.12")
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, f.manager())
    page.goto(f"/workforce/budget/{plan.pk}/")
    table = page.locator(".table-wrap").first
    expect(table).to_contain_text("Variance to date")
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), "the lines table scrolls sideways at 1,280 px"
