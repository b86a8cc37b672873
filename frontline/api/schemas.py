"""Request and response schemas of the API (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AwareDatetime

from frontline.customers.models import Tier
from frontline.desk.models import (
    AuthorKind,
    Channel,
    CustomerState,
    Priority,
    StatusCategory,
    TicketType,
)
from frontline.desk.services.handle_time import HANDLE_SECONDS_MAX
from frontline.people.models import Availability, Role

from .pagination import EARLIEST, LATEST, MAX_ID, PageParams

# Bounded scalars: values outside these bounds cannot name a row, and would overflow databases.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[date, Field(ge=EARLIEST.date(), le=LATEST.date())]
Moment = Annotated[AwareDatetime, Field(ge=EARLIEST, le=LATEST, description="ISO 8601 with a UTC offset.")]
TagName = Annotated[str, Field(min_length=1, max_length=50)]
# Agent time on one message (desk.services.handle_time): whole seconds, at most a day; true and "12" are refused.
HandleSeconds = Annotated[int, Field(strict=True, ge=0, le=HANDLE_SECONDS_MAX)]
HANDLE_SECONDS_IN = ("Staff: the agent's handle time on this message in whole seconds (0 to 86400), measured by the "
                     "client; omit it when not measured.")

ViewName = Literal["mine", "unassigned", "team", "all", "recent"]
StatusFilter = Literal["unresolved", "new", "open", "pending", "on_hold", "solved", "closed"]


# --- shared pieces ------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


class CustomerRef(Schema):
    id: int
    name: str
    email: str


class StatusOut(Schema):
    id: int
    name: str
    category: StatusCategory


# --- tickets ----------------------------------------------------------------------------------------


STAFF = "Staff only (a customer gets 403)."


class TicketListParams(PageParams):
    view: ViewName = Field("all", description="A saved view: mine, unassigned, team, all or recent (7 days). "
                                              "Customers: all or recent.")
    status: StatusFilter | None = Field(None, description=f"A status category, or `unresolved`. {STAFF}")
    state: CustomerState | None = Field(None, description="What the customer is told: awaiting_us (new, open, on hold), "
                                                          "awaiting_you (pending), solved or closed.")
    priority: Priority | None = Field(None, description=STAFF)
    type: TicketType | None = Field(None, description=STAFF)
    channel: Channel | None = None
    assignee_id: Id | None = Field(None, description=STAFF)
    unassigned: bool = Field(False, description=STAFF)
    team_id: Id | None = Field(None, description=STAFF)
    queue_id: Id | None = Field(None, description=STAFF)
    requester_id: Id | None = None
    company_id: Id | None = None
    tag: str | None = Field(None, max_length=60, description=STAFF)
    q: str | None = Field(None, max_length=200, description="Words that must all appear; `#123` finds a ticket. Staff "
                                                            "search subject, requester, conversation (notes too) and custom "
                                                            "fields; customers search subjects and public messages only.")
    created_from: Day | None = Field(None, description="Created on or after this day (UTC).")
    created_to: Day | None = Field(None, description="Created on or before this day (UTC).")
    updated_from: Day | None = Field(None, description="Last updated on or after this day (UTC); for customers, the "
                                                       "last change they can see.")
    updated_to: Day | None = Field(None, description="Last updated on or before this day (UTC).")
    updated_since: Moment | None = None


# The list parameters a customer may not use: they filter on what only staff see.
STAFF_LIST_PARAMS = ("status", "priority", "type", "assignee_id", "unassigned", "team_id", "queue_id", "tag")
CUSTOMER_VIEWS = ("all", "recent")


class TicketOut(Schema):
    id: int
    subject: str
    status: StatusOut
    priority: Priority
    type: TicketType
    channel: Channel
    requester: CustomerRef
    company_id: int | None
    assignee: PersonRef | None
    team: PersonRef | None = Field(description="The team (id and name).")
    queue_id: int | None
    tags: list[str]
    custom_fields: dict[str, Any]
    merged_into_id: int | None
    message_count: int
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    solved_at: datetime | None
    closed_at: datetime | None


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None


class CustomerTicketOut(Schema):
    """A ticket as its customer sees it: nothing that only staff see (no internal notes in the count,
    no tags, priority, type, assignee, team or queue; ``updated_at`` is the last change the customer
    could see)."""

    id: int
    subject: str
    state: CustomerState = Field(description="awaiting_us, awaiting_you, solved or closed.")
    channel: Channel
    requester: PersonRef
    company_id: int | None
    custom_fields: dict[str, Any] = Field(description="The fields shown to customers.")
    message_count: int = Field(description="Messages in the conversation the customer sees.")
    created_at: datetime
    updated_at: datetime = Field(description="The last change the customer could see: a public message, the state, "
                                             "the subject or a field shown to customers.")
    solved_at: datetime | None
    closed_at: datetime | None


class CustomerTicketPage(Schema):
    items: list[CustomerTicketOut]
    next_cursor: str | None


class TicketCreateIn(Schema):
    subject: str = Field(max_length=250)
    body: str | None = Field(None, description="Plain text; `body_html` wins when both are given.")
    body_html: str | None = Field(None, description="HTML; sanitised before it is stored.")
    requester_id: Id | None = Field(None, description="Staff: an existing customer…")
    requester_email: str | None = Field(None, max_length=254, description="…or an email address (the customer is created on first contact).")
    requester_name: str = Field("", max_length=200)
    channel: Channel = Channel.API
    priority: Priority = Priority.NORMAL
    type: TicketType = TicketType.QUESTION
    team_id: Id | None = None
    queue_id: Id | None = None
    assignee_id: Id | None = None
    tags: list[TagName] = []
    custom_fields: dict[str, Any] = {}
    handle_seconds: HandleSeconds | None = Field(None, description=HANDLE_SECONDS_IN.replace("message", "first message"))


class TicketPatchIn(Schema):
    """Only the fields present change. ``null`` clears assignee_id, team_id and queue_id."""

    subject: str | None = Field(None, max_length=250)
    status: str | None = Field(None, description="A status category (its default status) or a status name.")
    priority: Priority | None = None
    type: TicketType | None = None
    assignee_id: Id | None = None
    team_id: Id | None = None
    queue_id: Id | None = None
    tags: list[TagName] | None = None
    custom_fields: dict[str, Any] | None = None


class MergeIn(Schema):
    into: Id = Field(description="The ticket this one is a duplicate of.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    ticket_id: int
    author_kind: AuthorKind
    author_name: str
    public: bool
    body_text: str
    body_html: str = Field(description="Sanitised HTML; safe to render.")
    attachments: list[AttachmentOut]
    handle_seconds: int | None = Field(
        None, description="Agent messages, for staff: the agent's handle time in seconds; null when not measured "
                          "(always null for customer and system messages, and for customers reading).")
    created_at: datetime


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class MessageCreateIn(Schema):
    body: str | None = None
    body_html: str | None = None
    public: bool = Field(True, description="false: an internal note (staff only).")
    status: str | None = Field(None, description="Submit as: a status category or name to set in the same step (staff only).")
    handle_seconds: HandleSeconds | None = Field(None, description=HANDLE_SECONDS_IN)


class EventOut(Schema):
    id: int
    kind: str
    actor_id: int | None
    created_at: datetime
    payload: dict[str, Any]


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


# --- customers and companies -------------------------------------------------------------------------


class CustomerListParams(PageParams):
    q: str | None = Field(None, max_length=200, description="Part of the name or email.")
    company_id: Id | None = None


class CustomerOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    company_id: int | None
    tier: Tier
    lifetime_revenue: Decimal
    sees_company_tickets: bool
    language: str
    time_zone: str
    created_at: datetime


class OwnCustomerOut(Schema):
    """A customer's own record as they read it: no tier, revenue or ticket-sharing flags (staff data)."""

    id: int
    name: str
    email: str
    phone: str
    company_id: int | None
    language: str
    time_zone: str
    created_at: datetime


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerCreateIn(Schema):
    name: str = Field("", max_length=200)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=40)
    company_id: Id | None = None
    tier: Tier | None = None
    lifetime_revenue: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    sees_company_tickets: bool = False
    language: str = Field("en", max_length=8)
    time_zone: str = Field("UTC", max_length=64)


class CustomerPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    phone: str | None = Field(None, max_length=40)
    company_id: Id | None = None
    tier: Tier | None = None
    lifetime_revenue: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    sees_company_tickets: bool | None = None
    language: str | None = Field(None, max_length=8)
    time_zone: str | None = Field(None, max_length=64)


class CompanyListParams(PageParams):
    q: str | None = Field(None, max_length=200, description="Part of the name or domain.")


class CompanyOut(Schema):
    id: int
    name: str
    domain: str
    tier: Tier
    lifetime_revenue: Decimal
    share_tickets: bool
    created_at: datetime


class OwnCompanyOut(Schema):
    """A customer's company as they read it: no tier or revenue (staff data)."""

    id: int
    name: str
    domain: str
    share_tickets: bool = Field(description="Whether colleagues may see each other's tickets (where allowed).")
    created_at: datetime


class CompanyPage(Schema):
    items: list[CompanyOut]
    next_cursor: str | None


class CompanyCreateIn(Schema):
    name: str = Field(max_length=200)
    domain: str = Field("", max_length=200)
    tier: Tier = Tier.STANDARD
    lifetime_revenue: Decimal = Field(Decimal(0), max_digits=14, decimal_places=2)
    share_tickets: bool = False


class CompanyPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    domain: str | None = Field(None, max_length=200)
    tier: Tier | None = None
    lifetime_revenue: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    share_tickets: bool | None = None


# --- agents and teams ------------------------------------------------------------------------------------


class AgentListParams(PageParams):
    team_id: Id | None = None


class AgentOut(Schema):
    id: int
    name: str
    email: str
    role: Role
    team_ids: list[int]
    skills: list[str]
    languages: list[str]
    availability: Availability


class AgentPage(Schema):
    items: list[AgentOut]
    next_cursor: str | None


class TeamOut(Schema):
    id: int
    name: str
    lead: PersonRef | None
    parent_id: int | None
    member_ids: list[int]
    time_zone: str
    description: str


class TeamPage(Schema):
    items: list[TeamOut]
    next_cursor: str | None
