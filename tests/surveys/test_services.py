"""Surveys from solve to answer: scheduling by rule, sending on a real SMTP server, answering and
changing an answer, throttling, reopening, NPS campaigns, the comments feed and the metrics export."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from frontline.desk.models import EventKind, TicketEvent
from frontline.desk.selectors import metrics_event_rows
from frontline.desk.services import ticket_status_change
from frontline.engine.kpis import Event, ticket_facts
from frontline.mail.models import OutgoingEmail
from frontline.surveys import selectors, services
from frontline.surveys.models import (
    Survey,
    SurveyConfig,
    SurveyResponse,
    SurveyRule,
    SurveyState,
    SurveyTrigger,
)
from frontline.surveys.tokens import token_for, token_read
from tests import factories as f
from tests.surveys.conftest import links_in, solve, solved_ticket

pytestmark = pytest.mark.django_db


def _sent_survey(smtp, **kw):  # type: ignore[no-untyped-def]
    ticket = solved_ticket(**kw)
    services.surveys_send_due(at=timezone.now())
    return Survey.objects.get(ticket=ticket)


def test_a_solved_ticket_is_surveyed_after_the_rules_delay(rule):  # type: ignore[no-untyped-def]
    solved_at = timezone.now() - timedelta(minutes=30)
    ticket = solved_ticket(at=solved_at)
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.kind, survey.trigger, survey.state, survey.due_at, survey.customer_id) == (
        "csat", SurveyTrigger.SOLVED, SurveyState.SCHEDULED, solved_at + timedelta(minutes=60), ticket.requester_id)
    assert services.surveys_send_due(at=solved_at + timedelta(minutes=59)) == {}


@override_settings(FRONTLINE_BASE_URL="https://desk.example.com")
def test_the_email_has_one_signed_link_per_score_and_is_sent_once(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp, subject="Kettle broken")
    assert services.survey_send(survey_id=survey.pk) == SurveyState.SENT  # again: nothing more
    [email] = smtp.messages
    links = links_in(email.get_payload())
    survey.refresh_from_db()
    assert (sorted(links), email["Subject"], email["Auto-Submitted"]) == (
        [1, 2, 3, 4, 5], f"How did we do? [#{survey.ticket_id}] Kettle broken", "auto-generated")
    assert all(link.startswith("s/") for link in links.values())
    assert token_read(links[4].split("/")[1]) == (survey.pk, survey.nonce)
    assert (survey.state, OutgoingEmail.objects.get().notice_key) == (SurveyState.SENT, f"survey:{survey.pk}")
    sent = TicketEvent.objects.get(ticket_id=survey.ticket_id, kind=EventKind.SURVEY_SENT)
    assert sent.payload["survey"] == "csat" and "emailed" in sent.payload["summary"]


def test_an_answer_then_a_change_is_one_response_and_two_events(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    services.survey_answer(survey=survey, score=2, comment="The onboarding step was confusing")
    services.survey_answer(survey=survey, score=4, comment=None)
    services.survey_answer(survey=survey, score=4, comment=None)  # the same again: nothing new
    response = SurveyResponse.objects.get()
    events = list(TicketEvent.objects.filter(kind=EventKind.SURVEY_ANSWERED).values_list("payload", flat=True))
    assert (response.score, response.comment, response.changes) == (4, "The onboarding step was confusing", 1)
    assert [(e["survey"], e["score"]) for e in events] == [("csat", 2), ("csat", 4)]
    assert "changed the CSAT answer from 2 to 4" in events[1]["summary"]


@pytest.mark.parametrize("score", [0, 6, -1, True, "4"])
def test_scores_off_the_scale_are_refused_naming_the_field(smtp, rule, score):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    with pytest.raises(ValidationError) as refused:
        services.survey_answer(survey=survey, score=score)
    assert (list(refused.value.message_dict), SurveyResponse.objects.count()) == (["score"], 0)


def test_an_expired_survey_records_nothing(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    with pytest.raises(ValidationError) as refused:
        services.survey_answer(survey=survey, score=5, at=survey.expires_at)
    assert (refused.value.message_dict["survey"], SurveyResponse.objects.count()) == (["This survey has expired."], 0)


def test_a_forged_or_altered_token_is_not_read():  # type: ignore[no-untyped-def]
    token = token_for(survey_id=12, nonce="abc")
    assert (token_read(token), token_read(token.replace("12.", "13.", 1)), token_read(token[:-2]), token_read("x")) == (
        (12, "abc"), None, None, None)


def test_comments_are_cleaned_and_bounded(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    services.survey_answer(survey=survey, score=3, comment="  Slow\u202e delivery\x00 <b>again</b>\r\n ")
    with pytest.raises(ValidationError):
        services.survey_answer(survey=survey, score=3, comment="x" * 2001)
    assert SurveyResponse.objects.get().comment == "Slow delivery <b>again</b>"


def test_no_customer_is_surveyed_twice_within_the_throttle_days(smtp, rule):  # type: ignore[no-untyped-def]
    customer = f.customer()
    first = _sent_survey(smtp, requester=customer)
    second = solved_ticket(requester=customer)
    services.surveys_send_due(at=timezone.now())
    skipped = Survey.objects.get(ticket=second)
    assert (first.state, skipped.state, len(smtp.messages)) == (SurveyState.SENT, SurveyState.SKIPPED, 1)
    assert "surveyed in the last 30 days" in skipped.note
    SurveyConfig.objects.create(pk=1, throttle_days=0)
    third = solved_ticket(requester=customer)
    services.surveys_send_due(at=timezone.now())
    assert Survey.objects.get(ticket=third).state == SurveyState.SENT


def test_reopening_before_sending_cancels_and_a_ticket_is_surveyed_once(smtp, rule):  # type: ignore[no-untyped-def]
    ticket = solved_ticket()
    ticket_status_change(ticket=ticket, status=f.status("open"), actor=None)
    assert Survey.objects.get(ticket=ticket).state == SurveyState.CANCELLED
    solve(ticket)
    services.surveys_send_due(at=timezone.now() + timedelta(hours=2))
    ticket_status_change(ticket=ticket, status=f.status("open"), actor=None)
    solve(ticket)
    assert sorted(Survey.objects.filter(ticket=ticket).values_list("state", flat=True)) == ["cancelled", "sent"]


def test_the_most_specific_rule_decides():  # type: ignore[no-untyped-def]
    billing, orders = f.queue(name="Billing"), f.queue(name="Orders")
    SurveyRule.objects.create(channel="", queue=None, survey="csat")
    SurveyRule.objects.create(channel="email", queue=None, survey="ces")
    SurveyRule.objects.create(channel="", queue=billing, survey="csat", delay_minutes=5)
    SurveyRule.objects.create(channel="email", queue=billing, enabled=False)
    picked = {
        (ch, q.name if q else None): (r.survey, r.enabled, r.delay_minutes)
        for ch, q in [("web", None), ("email", None), ("web", billing), ("email", billing), ("email", orders)]
        for r in [selectors.rule_for(channel=ch, queue_id=q.pk if q else None)]
    }
    assert picked == {("web", None): ("csat", True, 60), ("email", None): ("ces", True, 60),
                      ("web", "Billing"): ("csat", True, 5), ("email", "Billing"): ("csat", False, 60),
                      ("email", "Orders"): ("ces", True, 60)}


def test_without_a_rule_or_with_a_disabled_one_no_survey():  # type: ignore[no-untyped-def]
    solved_ticket()
    SurveyRule.objects.create(channel="", queue=None, enabled=False)
    solved_ticket()
    assert Survey.objects.count() == 0


def test_the_chat_asks_for_a_link_or_an_email(smtp, rule):  # type: ignore[no-untyped-def]
    ticket = f.ticket(channel="chat")
    link = services.survey_link_for(ticket=ticket, kind="csat")
    survey = Survey.objects.get(ticket=ticket)
    assert (survey.state, survey.trigger, token_read(link.rstrip("/").rsplit("/", 1)[1])) == (
        SurveyState.SENT, SurveyTrigger.CHAT, (survey.pk, survey.nonce))
    assert services.survey_link_for(ticket=ticket, kind="csat") == link


def test_an_nps_campaign_samples_unthrottled_recent_customers(smtp, rule):  # type: ignore[no-untyped-def]
    SurveyConfig.objects.create(pk=1, nps_enabled=True, nps_sample_percent=50)
    surveyed = _sent_survey(smtp)
    for _ in range(4):
        f.ticket()
    campaign = services.nps_campaign_run(seed="fixed")
    again = services.nps_campaign_run()
    nps = Survey.objects.filter(kind="nps")
    assert (campaign.eligible, campaign.sampled, nps.count(), again) == (4, 2, 2, None)
    assert surveyed.customer_id not in set(nps.values_list("customer_id", flat=True))
    services.surveys_send_due(at=timezone.now())
    assert set(nps.values_list("state", flat=True)) == {SurveyState.SENT}
    assert len(smtp.messages) == 3


def test_comments_feed_for_insights(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    before = timezone.now()
    response = services.survey_answer(survey=survey, score=2, comment="Delivery took three weeks")
    _sent_survey(smtp)  # another customer, answered without a comment
    services.survey_answer(survey=Survey.objects.exclude(pk=survey.pk).get(), score=5)
    [item] = selectors.comments(since=before)
    assert (item.response_id, item.ticket_id, item.customer_id, item.survey, item.score, item.comment) == (
        response.pk, survey.ticket_id, survey.customer_id, "csat", 2, "Delivery took three weeks")
    assert selectors.comments(since=timezone.now() + timedelta(seconds=1)) == []


def test_the_metrics_export_counts_a_changed_answer_once_the_latest(smtp, rule):  # type: ignore[no-untyped-def]
    survey = _sent_survey(smtp)
    services.survey_answer(survey=survey, score=1)
    services.survey_answer(survey=survey, score=5)
    rows = [r for r in metrics_event_rows() if r[0] == str(survey.ticket_id)]
    surveys = [(kind, role, value) for _t, _at, kind, _a, role, value in rows if kind == "survey"]
    facts = ticket_facts(events=[Event(ticket=t, at=datetime.fromisoformat(at), kind=k,
                                       role=role, actor=a, value=v) for t, at, k, a, role, v in rows])
    assert surveys == [("survey", "customer", "csat:1"), ("survey", "customer", "csat:5")]
    assert (facts[0].csat, facts[0].nps) == (5, None)


def test_the_end_of_an_accepted_chat_surveys_its_ticket_once(smtp):  # type: ignore[no-untyped-def]
    from frontline.chat import services as chat
    from frontline.chat.models import ChatWidget, EndedBy
    from frontline.people.models import Availability
    from frontline.people.services import availability_set

    SurveyRule.objects.create(channel="chat", survey="csat", delay_minutes=5)
    team = f.team()
    widget = ChatWidget.objects.create(name="Shop", key="shop", allowed_origins="https://shop.example",
                                       queue=f.queue(name="Chat", team=team))
    ana = f.agent(teams=[team])
    availability_set(user=ana, availability=Availability.ONLINE)
    talked = chat.chat_start(widget=widget, name="Kim", email="kim@example.com", text="Where is my order?").chat
    chat.accept_chat(chat=talked, agent=ana)
    chat.chat_end(chat=talked, by=EndedBy.AGENT, actor=ana, solve=True)
    unanswered = chat.chat_start(widget=widget, name="Lou", email="lou@example.com", text="Hello?",
                                 require_agent=False).chat
    chat.chat_end(chat=unanswered, by=EndedBy.CUSTOMER)
    [survey] = Survey.objects.all()
    assert (survey.ticket_id, survey.trigger, survey.channel, survey.state) == (
        talked.ticket_id, SurveyTrigger.CHAT, "chat", SurveyState.SENT)
    assert (services.surveys_send_due(at=timezone.now()), smtp.messages) == ({}, [])  # shown in the chat, not emailed
