"""Factories for test data. Everything goes through the real services where one exists."""

from __future__ import annotations

import itertools
from typing import Any

from frontline.customers.models import Company, Customer
from frontline.customers.services import company_create, customer_create
from frontline.desk.models import Queue, Status, Ticket
from frontline.desk.services import ticket_create
from frontline.people.models import AgentProfile, Role, Team, User

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def user(*, role: str = Role.AGENT, username: str | None = None, teams: list[Team] | None = None, **extra: Any) -> User:
    n = next(_seq)
    username = username or f"{role}{n}"
    created = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@staff.example", role=role,
        first_name=extra.pop("first_name", username.title()), last_name=extra.pop("last_name", "Tester"), **extra,
    )
    if role != Role.CUSTOMER:
        AgentProfile.objects.create(user=created)
    for team_ in teams or []:
        team_.members.add(created)
    return created


def agent(**kw: Any) -> User:
    return user(role=Role.AGENT, **kw)


def lead(*, leads: list[Team] | None = None, **kw: Any) -> User:
    created = user(role=Role.TEAM_LEAD, **kw)
    for team_ in leads or []:
        team_.lead = created
        team_.save(update_fields=["lead"])
    return created


def manager(**kw: Any) -> User:
    return user(role=Role.MANAGER, **kw)


def team(*, name: str | None = None, parent: Team | None = None) -> Team:
    return Team.objects.create(name=name or f"Team {next(_seq)}", parent=parent)


def queue(*, name: str | None = None, team: Team | None = None) -> Queue:
    n = next(_seq)
    return Queue.objects.create(name=name or f"Queue {n}", slug=f"queue-{n}", team=team)


def company(*, name: str | None = None, share_tickets: bool = False, **kw: Any) -> Company:
    return company_create(name=name or f"Company {next(_seq)}", share_tickets=share_tickets, **kw)


def customer(*, with_login: bool = False, company: Company | None = None, sees_company_tickets: bool = False,
             email: str | None = None) -> Customer:
    n = next(_seq)
    created = customer_create(name=f"Customer {n}", email=email or f"customer{n}@example.com", company=company,
                              sees_company_tickets=sees_company_tickets)
    if with_login:
        login = user(role=Role.CUSTOMER, username=f"cust{n}")
        created.user = login
        created.save(update_fields=["user"])
    return created


def ticket(*, requester: Customer | None = None, subject: str = "Where is my order?", body: str = "It has not arrived.",
           actor: User | None = None, **kw: Any) -> Ticket:
    return ticket_create(requester=requester or customer(), subject=subject, body=body, actor=actor, **kw)


def status(category: str) -> Status:
    from frontline.desk.services import status_default

    return status_default(category)
