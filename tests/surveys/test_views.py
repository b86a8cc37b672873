"""The staff pages: response rates and scores, responses, settings; who may read and change them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from frontline.surveys import selectors, services
from frontline.surveys.models import NpsCampaign, Survey, SurveyConfig, SurveyRule, SurveyTemplate
from tests import factories as f
from tests.surveys.conftest import solved_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(smtp, rule):  # type: ignore[no-untyped-def]
    team = f.team(name="Billing team")
    agent = f.agent(teams=[team])
    for _ in range(3):
        solved_ticket(team=team, assignee=agent)
    solved_ticket(team=team)
    services.surveys_send_due(at=timezone.now())
    for survey, score in zip(Survey.objects.order_by("pk"), (5, 4, 2), strict=False):
        services.survey_answer(survey=survey, score=score, comment="Slow delivery" if score == 2 else "")
    return team


def test_the_overview_shows_rates_and_the_csat_score(login, answered):  # type: ignore[no-untyped-def]
    page = login(f.manager()).get("/surveys/?kind=csat&group=team&days=30")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Billing team" in html and "75 %" in html and "67 %" in html  # 3 of 4 answered; 2 of 3 satisfied


def test_responses_list_filters_comments(login, answered):  # type: ignore[no-untyped-def]
    html = login(f.manager()).get("/surveys/responses/?kind=csat&comment=1").content.decode()
    assert "Slow delivery" in html and html.count("<tr>") == 2  # header + one row


@pytest.mark.parametrize("path", ["/surveys/", "/surveys/responses/", "/surveys/settings/"])
def test_agents_and_customers_get_403(login, path):  # type: ignore[no-untyped-def]
    assert login(f.agent()).get(path).status_code == 403
    customer = f.customer(with_login=True)
    assert login(customer.user).get(path).status_code == 403


def test_leads_read_settings_but_only_managers_change_them(login):  # type: ignore[no-untyped-def]
    lead = login(f.lead(leads=[f.team()]))
    assert lead.get("/surveys/settings/").status_code == 200
    assert lead.post("/surveys/settings/", {"throttle_days": "1"}).status_code == 403
    assert lead.get("/surveys/settings/rules/new/").status_code == 403
    manager = login(f.manager())
    saved = manager.post("/surveys/settings/", {"throttle_days": "7", "link_days": "10", "nps_enabled": "on",
                                                "nps_every_days": "30", "nps_sample_percent": "15",
                                                "nps_lookback_days": "90"})
    assert (saved.status_code, SurveyConfig.objects.get().throttle_days) == (302, 7)
    bad = manager.post("/surveys/settings/", {"throttle_days": "7", "link_days": "0", "nps_every_days": "30",
                                              "nps_sample_percent": "150", "nps_lookback_days": "90"})
    assert bad.status_code == 422 and "Between 1 and 100" in bad.content.decode()


def test_rules_and_templates_are_validated(login):  # type: ignore[no-untyped-def]
    manager = login(f.manager())
    assert manager.post("/surveys/settings/rules/new/", {"channel": "email", "survey": "ces", "enabled": "on",
                                                         "delay_minutes": "30"}).status_code == 302
    twice = manager.post("/surveys/settings/rules/new/", {"channel": "email", "survey": "csat", "delay_minutes": "5"})
    assert (twice.status_code, SurveyRule.objects.count()) == (422, 1)
    unknown = manager.post("/surveys/settings/templates/csat/", {"subject": "Hi {customer_name.__class__}",
                                                                 "body": "{links}"})
    no_links = manager.post("/surveys/settings/templates/csat/", {"subject": "Hi", "body": "Rate us"})
    assert (unknown.status_code, no_links.status_code, SurveyTemplate.objects.count()) == (422, 422, 0)
    ok = manager.post("/surveys/settings/templates/csat/", {"subject": "Rate #{ticket_id}", "body": "Hi {customer_name}\n{links}"})
    assert (ok.status_code, SurveyTemplate.objects.get().subject) == (302, "Rate #{ticket_id}")


def test_weeks_start_on_monday_in_the_viewers_zone_on_the_page_and_in_utc_in_the_api(login, answered):  # type: ignore[no-untyped-def]
    sunday_night = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 00:30 in Berlin
    Survey.objects.update(sent_at=sunday_night)
    window = {"since": sunday_night - timedelta(days=1), "until": sunday_night + timedelta(days=1)}
    manager = f.manager()
    utc = selectors.response_rates(viewer=manager, kind="csat", group="week", **window)
    berlin = selectors.response_rates(viewer=manager, kind="csat", group="week", zone=ZoneInfo("Europe/Berlin"), **window)
    manager.time_zone = "Europe/Berlin"
    manager.save(update_fields=["time_zone"])
    page = login(manager).get("/surveys/?kind=csat&group=week&days=30").content.decode()
    assert ([(r.key, r.sent) for r in utc], [(r.key, r.sent) for r in berlin]) == ([("2026-11-23", 4)], [("2026-11-30", 4)])
    assert "Weeks start on Monday (Europe/Berlin)" in page


def test_an_empty_nps_period_after_a_campaign_links_to_a_period_that_shows_it(login):  # type: ignore[no-untyped-def]
    manager = f.manager()
    empty = login(manager).get("/surveys/?kind=nps&days=7").content.decode()
    NpsCampaign.objects.create(started_at=timezone.now() - timedelta(days=25), eligible=94, sampled=19, sample_percent=20)
    after = login(manager).get("/surveys/?kind=nps&days=7").content.decode()
    assert ("switch them on in" in empty, "switch them on in" in after, 'href="?kind=nps&group=team&days=30"' in after) == (
        True, False, True)


def test_the_not_sent_card_says_why_each_survey_was_not_sent(login, answered):  # type: ignore[no-untyped-def]
    notes = ["The customer was surveyed in the last 7 days."] * 3 + [
        "The customer has no email address.", "No email address (the customer came by phone or messaging).",
        "The address bounces (Admin → Mail addresses).", "Rate limit: 3 automatic notices per 3600 s to this address."]
    template = Survey.objects.first()
    assert template is not None
    for n, note in enumerate(notes):
        Survey.objects.create(kind=template.kind, trigger=template.trigger, state="skipped", note=note,
                              ticket=f.ticket(team=answered), customer=template.customer, channel=template.channel,
                              nonce=f"skip{n}", due_at=template.due_at, created_at=timezone.now())
    manager = f.manager()
    since, until = timezone.now() - timedelta(days=1), timezone.now() + timedelta(minutes=1)
    page = " ".join(login(manager).get("/surveys/").content.decode().split())
    assert selectors.skip_reasons(viewer=manager, since=since, until=until) == {
        "throttled": 3, "no_email": 2, "bouncing": 1, "limit": 1}
    assert ("Not sent: 3 surveyed recently" in page, "2 without an email address, 1 to a bouncing address, "
            "1 over the automatic-mail limit" in page) == (True, True)
    assert selectors.skip_reasons(viewer=f.agent(), since=since, until=until) == {}  # only the tickets one may see
