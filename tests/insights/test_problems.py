"""Problems: checks, linking tickets (one event each, only visible tickets, all or nothing), the
measured impact against the engine's comparisons computed by hand, before/after the fix, the
product report (HTML and CSV)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from frontline.desk.models import EventKind, TicketEvent
from frontline.desk.services import ticket_reply
from frontline.engine.kpis.compare import compare_counts, compare_rates
from frontline.insights import impact, report
from frontline.insights.models import Problem, ProblemStatus
from frontline.insights.services import problems as services
from frontline.surveys import services as survey_services
from tests import factories as f

from .conftest import item, sent_survey

pytestmark = pytest.mark.django_db


def _problem(**kw):  # type: ignore[no-untyped-def]
    fields = services.ProblemFields(**({"title": "Confusing onboarding step"} | kw))
    return services.problem_create(fields=fields, actor=f.manager())


@pytest.mark.parametrize(("kw", "field"), [
    ({"title": "  "}, "title"),
    ({"external_url": "javascript:alert(1)"}, "external_url"),
    ({"external_url": "ftp://example.com/x"}, "external_url"),
    ({"status": ProblemStatus.FIX_SHIPPED}, "fix_shipped_on"),
    ({"fix_shipped_on": date.today() + timedelta(days=3)}, "fix_shipped_on"),
    ({"department": "marketing"}, "department"),
])
def test_bad_problem_fields_are_refused(kw, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _problem(**kw)
    assert field in error.value.message_dict
    assert Problem.objects.count() == 0


def test_linking_writes_one_event_per_ticket_and_is_all_or_nothing() -> None:
    problem = _problem(external_url="https://tracker.example/PRD-12")
    manager = f.manager()
    a, b = f.ticket(), f.ticket()
    assert services.problem_link_tickets(problem=problem, ticket_ids=[a.pk, b.pk, a.pk], actor=manager) == [a, b]
    assert services.problem_link_tickets(problem=problem, ticket_ids=[a.pk], actor=manager) == []
    events = TicketEvent.objects.filter(kind=EventKind.PROBLEM_LINKED)
    assert events.count() == 2
    assert "Confusing onboarding step" in events.first().payload["summary"]
    c = f.ticket()
    with pytest.raises(ValidationError) as error:
        services.problem_link_tickets(problem=problem, ticket_ids=[c.pk, 999999], actor=manager)
    assert error.value.message_dict["tickets"] == ["No ticket #999999."]
    assert impact.linked_ticket_ids(problem) == [a.pk, b.pk]


def test_a_lead_cannot_link_a_ticket_they_cannot_see() -> None:
    mine, other = f.team(), f.team()
    lead = f.lead(leads=[mine])
    hidden = f.ticket(team=other)
    with pytest.raises(ValidationError):
        services.problem_link_tickets(problem=_problem(), ticket_ids=[hidden.pk], actor=lead)


def test_ticket_numbers_parse_or_fail_on_the_field() -> None:
    assert services.parse_ticket_numbers("#12, 15 #17") == [12, 15, 17]
    with pytest.raises(ValidationError) as error:
        services.parse_ticket_numbers("12 twelve")
    assert "tickets" in error.value.message_dict


def _csat(ticket, score: int) -> None:  # type: ignore[no-untyped-def]
    survey_services.survey_answer(survey=sent_survey(ticket), score=score)


def test_impact_counts_customers_handle_time_cancellations_and_compares_csat() -> None:
    now = timezone.now()
    problem = _problem()
    customer = f.customer()
    affected = [f.ticket(requester=customer, at=now - timedelta(days=3), body="I will cancel my plan"),
                *[f.ticket(at=now - timedelta(days=2)) for _ in range(3)]]
    others = [f.ticket(at=now - timedelta(days=2)) for _ in range(8)]
    f.ticket(at=now - timedelta(days=30))  # outside the period: not comparable
    agent = f.agent()
    ticket_reply(ticket=affected[0], author=agent, body="Sorry", handle_seconds=120)
    ticket_reply(ticket=affected[1], author=agent, body="Looking", handle_seconds=300)
    ticket_reply(ticket=affected[2], author=agent, body="No timing")
    for ticket, score in zip(affected, [1, 2, 5, 3], strict=True):
        _csat(ticket, score)
    for ticket, score in zip(others, [5, 5, 4, 4, 5, 4, 2, 1], strict=True):
        _csat(ticket, score)
    services.problem_link_tickets(problem=problem, ticket_ids=[t.pk for t in affected], actor=f.manager())
    problem.feedback.add(item("Please close my account, onboarding is a maze", customer=f.customer()))
    result = impact.problem_impact(problem=problem)
    assert (result.tickets, result.customers, result.feedback) == (4, 5, 1)
    assert (result.handle_seconds, result.handle_measured) == (420, 2)
    assert (result.cancellation_tickets, result.cancellation_feedback) == ([affected[0].pk], 1)
    assert result.csat == compare_rates(6, 8, 1, 4)
    assert round(result.csat.change, 4) == round(1 / 4 - 6 / 8, 4)
    assert set(result.csat_others_ids) == {t.pk for t in others}


def test_before_and_after_the_fix_is_tickets_per_week_on_each_side() -> None:
    today = timezone.localdate()
    fix = today - timedelta(days=6)
    moment = timezone.now().replace(hour=12)
    days_before = [14, 10, 9, 8]  # four tickets in the two weeks before the fix
    tickets = [f.ticket(at=moment - timedelta(days=(today - fix).days + d)) for d in days_before]
    tickets.append(f.ticket(at=moment - timedelta(days=2)))  # one in the week after
    problem = _problem(status=ProblemStatus.FIX_SHIPPED, fix_shipped_on=fix)
    services.problem_link_tickets(problem=problem, ticket_ids=[t.pk for t in tickets], actor=f.manager())
    result = impact.problem_impact(problem=problem, today=today)
    assert result.fix_weeks == (2.0, 1.0)
    assert result.fix == compare_counts(4, 1, exposure1=2.0, exposure2=1.0, unit="tickets/week")
    assert (result.fix.before, result.fix.after) == (2.0, 1.0)


def test_product_report_ranks_drivers_and_exports_csv(login) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    big, small = _problem(title="Checkout fails"), _problem(title="=HYPERLINK(evil)")
    manager = f.manager()
    services.problem_link_tickets(problem=big, ticket_ids=[f.ticket(at=now - timedelta(days=d)).pk for d in (1, 2, 3)],
                                  actor=manager)
    services.problem_link_tickets(problem=small, ticket_ids=[f.ticket(at=now - timedelta(days=1)).pk], actor=manager)
    drivers = report.complaint_drivers(days=30)
    assert [(d.name, d.volume) for d in drivers] == [("Checkout fails", 3), ("=HYPERLINK(evil)", 1)]
    client = login(manager)
    page = client.get("/insights/report/?days=30")
    assert page.status_code == 200 and b"Checkout fails" in page.content
    exported = client.get("/insights/report/?days=30&format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0] == report.CSV_HEADER
    assert [r[1] for r in rows[1:]] == ["Checkout fails", "'=HYPERLINK(evil)"]


def test_problem_pages_create_link_and_show_form_errors(login) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    bad = client.post("/insights/problems/new/", {"title": "Late parcels", "department": "logistics",
                                                   "status": "open", "external_url": "javascript:x"})
    assert bad.status_code == 422 and b"http:// or https://" in bad.content
    made = client.post("/insights/problems/new/", {"title": "Late parcels", "department": "logistics",
                                                    "status": "open", "external_url": "https://t.example/1"})
    problem = Problem.objects.get()
    assert made["Location"] == f"/insights/problems/{problem.pk}/"
    ticket = f.ticket()
    wrong = client.post(f"/insights/problems/{problem.pk}/link/", {"tickets": "#abc"})
    assert wrong.status_code == 422
    linked = client.post(f"/insights/problems/{problem.pk}/link/", {"tickets": f"#{ticket.pk}"})
    assert linked.status_code == 302
    detail = client.get(f"/insights/problems/{problem.pk}/")
    assert detail.context["impact"].tickets == 1 and f"ids={ticket.pk}".encode() in detail.content
    history = client.get(f"/tickets/{ticket.pk}/")
    assert b"Late parcels" in history.content
    assert client.get("/insights/problems/").status_code == 200
    assert client.get("/insights/problems/999999/").status_code == 404


@pytest.mark.parametrize("url", ["/insights/problems/", "/insights/problems/new/", "/insights/report/",
                                 "/insights/report/?format=csv"])
def test_problems_and_report_are_for_managers(login, url) -> None:  # type: ignore[no-untyped-def]
    assert login(f.lead(leads=[f.team()])).get(url).status_code == 403
    assert login(f.agent()).get(url).status_code == 403
