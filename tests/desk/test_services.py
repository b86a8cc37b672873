"""The desk's write path: every change writes its row and its events in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from frontline.customers.models import Customer
from frontline.desk import services
from frontline.desk.content import Upload
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.models import (
    ALLOWED_TRANSITIONS,
    Attachment,
    Message,
    StatusCategory,
    Tag,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.desk.selectors import ticket_list_for_viewer
from frontline.desk.services import _common, conversation
from tests import factories as f

pytestmark = pytest.mark.django_db


def kinds(ticket: Ticket) -> list[str]:
    return list(TicketEvent.objects.filter(ticket=ticket).order_by("id").values_list("kind", flat=True))


def test_create_writes_ticket_first_message_and_created_event():
    customer = f.customer(company=f.company())
    ticket = f.ticket(requester=customer, subject="  Where   is my order? ", tags=["Orders", "late delivery"])
    assert ticket.subject == "Where is my order?"
    assert ticket.status_category == StatusCategory.NEW
    assert ticket.company_id == customer.company_id
    assert ticket.messages.get().author_customer == customer
    event = TicketEvent.objects.get(ticket=ticket)
    assert event.kind == "created"
    assert event.payload["tags"] == ["late-delivery", "orders"]
    assert ticket.message_count == 1


def test_create_with_assignee_starts_open():
    agent = f.agent()
    ticket = f.ticket(assignee=agent, actor=agent)
    assert ticket.status_category == StatusCategory.OPEN
    assert ticket.messages.get().author_kind == "agent"


def test_create_rejects_empty_subject_and_writes_nothing():
    customer = f.customer()
    with pytest.raises(ValidationError) as exc:
        services.ticket_create(requester=customer, subject="   ", body="x", actor=None)
    assert "subject" in exc.value.message_dict
    assert Ticket.objects.count() == 0 and TicketEvent.objects.count() == 0


def test_create_rejects_non_staff_assignee():
    customer = f.customer(with_login=True)
    with pytest.raises(ValidationError) as exc:
        f.ticket(assignee=customer.user)
    assert "assignee" in exc.value.message_dict


def test_first_agent_reply_records_first_response_and_opens_new_ticket():
    agent = f.agent()
    ticket = f.ticket()
    services.ticket_reply(ticket=ticket, author=agent, body="On its way!")
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None
    assert ticket.status_category == StatusCategory.OPEN
    assert kinds(ticket) == ["created", "replied", "status_changed"]
    assert TicketEvent.objects.get(ticket=ticket, kind="replied").payload["first_response"] is True


def test_internal_note_does_not_count_as_first_response():
    ticket = f.ticket()
    services.ticket_reply(ticket=ticket, author=f.agent(), body="Checking with the warehouse", public=False)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    assert ticket.status_category == StatusCategory.NEW
    assert kinds(ticket) == ["created", "note_added"]


def test_customer_reply_reopens_solved_ticket():
    customer = f.customer(with_login=True)
    agent = f.agent()
    ticket = f.ticket(requester=customer)
    services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
    services.ticket_reply(ticket=ticket, author=customer.user, body="Still broken")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN
    assert ticket.reopen_count == 1
    assert ticket.solved_at is None
    assert kinds(ticket)[-3:] == ["customer_replied", "status_changed", "reopened"]


def test_customer_reply_brings_pending_back_to_open():
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    services.ticket_status_change(ticket=ticket, status=f.status("pending"), actor=f.agent())
    services.ticket_reply(ticket=ticket, author=customer.user, body="Here is the info")
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.OPEN
    assert ticket.reopen_count == 0


def test_customers_cannot_add_internal_notes():
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    with pytest.raises(ValidationError):
        services.ticket_reply(ticket=ticket, author=customer.user, body="secret", public=False)
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_reply_on_closed_ticket_is_refused():
    agent = f.agent()
    ticket = f.ticket()
    services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
    services.ticket_status_change(ticket=ticket, status=f.status("closed"), actor=agent)
    with pytest.raises(TransitionNotAllowed):
        services.ticket_reply(ticket=ticket, author=agent, body="hello?")


def test_submit_as_changes_status_in_the_same_call():
    agent = f.agent()
    ticket = f.ticket()
    services.ticket_reply(ticket=ticket, author=agent, body="Can you send a photo?", then_status=f.status("pending"))
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.PENDING


def test_a_reply_carries_property_changes_in_one_transaction():
    agent = f.agent()
    ticket = f.ticket()
    changes = services.TicketChanges(assignee=agent, priority="urgent", status=f.status("on_hold"))
    services.ticket_reply(ticket=ticket, author=agent, body="Looking into it", changes=changes)
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.priority, ticket.status_category) == (agent.pk, "urgent", StatusCategory.ON_HOLD)


def test_submit_as_wins_over_a_status_among_the_changes():
    agent = f.agent()
    ticket = f.ticket()
    changes = services.TicketChanges(status=f.status("on_hold"))
    services.ticket_reply(ticket=ticket, author=agent, body="Photo?", then_status=f.status("pending"), changes=changes)
    ticket.refresh_from_db()
    assert ticket.status_category == StatusCategory.PENDING


def test_a_reply_with_a_refused_change_writes_nothing():
    agent = f.agent()
    ticket = f.ticket()
    events, messages = TicketEvent.objects.count(), Message.objects.count()
    with pytest.raises(TransitionNotAllowed):
        services.ticket_reply(ticket=ticket, author=agent, body="Closing",
                              changes=services.TicketChanges(priority="low", status=f.status("closed")))
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
    assert (TicketEvent.objects.count(), Message.objects.count()) == (events, messages)


def test_customers_cannot_change_properties_with_a_reply():
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    with pytest.raises(ValidationError):
        services.ticket_reply(ticket=ticket, author=customer.user, body="Make it urgent",
                              changes=services.TicketChanges(priority="urgent"))
    ticket.refresh_from_db()
    assert ticket.priority == "normal"


TRANSITIONS = [(a, b) for a in StatusCategory.values for b in StatusCategory.values if a != b]


def _ticket_in(category: str, agent) -> Ticket:  # type: ignore[no-untyped-def]
    """A ticket brought to ``category`` along allowed transitions."""
    ticket = f.ticket()
    path = {
        "new": [], "open": ["open"], "pending": ["pending"], "on_hold": ["on_hold"],
        "solved": ["solved"], "closed": ["solved", "closed"],
    }[category]
    for step in path:
        ticket = services.ticket_status_change(ticket=ticket, status=f.status(step), actor=agent)
    return ticket


@pytest.mark.parametrize(("source", "target"), [t for t in TRANSITIONS if t[1] in ALLOWED_TRANSITIONS[t[0]]])
def test_allowed_transitions_succeed(source, target):  # type: ignore[no-untyped-def]
    agent = f.agent()
    ticket = services.ticket_status_change(ticket=_ticket_in(source, agent), status=f.status(target), actor=agent)
    assert ticket.status_category == target
    assert TicketEvent.objects.filter(ticket=ticket, kind="status_changed").last().payload["to_category"] == target


@pytest.mark.parametrize(("source", "target"), [t for t in TRANSITIONS if t[1] not in ALLOWED_TRANSITIONS[t[0]]])
def test_forbidden_transitions_are_refused_with_a_reason(source, target):  # type: ignore[no-untyped-def]
    agent = f.agent()
    ticket = _ticket_in(source, agent)
    before = TicketEvent.objects.count()
    with pytest.raises(TransitionNotAllowed) as exc:
        services.ticket_status_change(ticket=ticket, status=f.status(target), actor=agent)
    assert source in exc.value.reason and target in exc.value.reason
    ticket.refresh_from_db()
    assert ticket.status_category == source
    assert TicketEvent.objects.count() == before


def test_required_field_blocks_solving():
    TicketField.objects.create(key="order_number", label="Order number", required_to_solve=True)
    ticket = f.ticket()
    with pytest.raises(ValidationError) as exc:
        services.ticket_status_change(ticket=ticket, status=f.status("solved"), actor=f.agent())
    assert "Order number" in str(exc.value)


def test_assign_writes_event_and_takes_the_agents_only_team():
    team = f.team()
    agent = f.agent(teams=[team])
    ticket = f.ticket()
    services.ticket_assign(ticket=ticket, assignee=agent, actor=agent)
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.team == team
    assert kinds(ticket)[-2:] == ["assigned", "team_changed"]
    assert TicketEvent.objects.get(ticket=ticket, kind="assigned").payload == {"from": None, "to": agent.pk}


def test_unchanged_values_write_no_event():
    agent = f.agent()
    ticket = f.ticket(priority="high")
    services.ticket_priority_change(ticket=ticket, priority="high", actor=agent)
    services.ticket_assign(ticket=ticket, assignee=None, actor=agent)
    assert kinds(ticket) == ["created"]


def test_tags_event_lists_added_and_removed():
    ticket = f.ticket(tags=["a", "b"])
    services.ticket_tags_set(ticket=ticket, tags=["b", "c"], actor=f.agent())
    event = TicketEvent.objects.get(ticket=ticket, kind="tagged")
    assert event.payload == {"added": ["c"], "removed": ["a"]}
    assert set(Tag.objects.values_list("name", flat=True)) == {"a", "b", "c"}


def test_custom_fields_are_validated_against_their_definitions():
    TicketField.objects.create(key="area", label="Area", field_type="choice", choices=["app", "web"])
    TicketField.objects.create(key="units", label="Units", field_type="number")
    ticket = f.ticket()
    with pytest.raises(ValidationError) as exc:
        services.ticket_fields_update(ticket=ticket, values={"area": "fax", "units": "many", "nope": 1}, actor=None)
    assert set(exc.value.message_dict) == {"custom_fields.area", "custom_fields.units", "custom_fields.nope"}
    services.ticket_fields_update(ticket=ticket, values={"area": "app", "units": "3"}, actor=None)
    ticket.refresh_from_db()
    assert ticket.custom_fields == {"area": "app", "units": 3.0}


def test_update_is_all_or_nothing():
    agent = f.agent()
    ticket = _ticket_in("closed", agent)
    before = TicketEvent.objects.count()
    changes = services.TicketChanges(priority="urgent", status=f.status("open"))
    with pytest.raises(TransitionNotAllowed):
        services.ticket_update(ticket=ticket, changes=changes, actor=agent)
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
    assert TicketEvent.objects.count() == before


def test_update_rolls_back_earlier_changes_when_a_later_one_fails():
    agent = f.agent()
    ticket = f.ticket()
    changes = services.TicketChanges(priority="urgent", tags=["vip"], custom_fields={"missing": 1})
    with pytest.raises(ValidationError):
        services.ticket_update(ticket=ticket, changes=changes, actor=agent)
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
    assert list(ticket.tags.all()) == []
    assert kinds(ticket) == ["created"]


def test_merge_closes_source_and_notes_the_target():
    agent = f.agent()
    customer = f.customer()
    target = f.ticket(requester=customer, subject="Refund", body="Please refund order 1")
    source = f.ticket(requester=customer, subject="Refund again", body="Hello?? order 1")
    services.ticket_merge(source=source, target=target, actor=agent)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.status_category == StatusCategory.CLOSED and source.merged_into == target
    assert kinds(source)[-2:] == ["merged", "status_changed"]
    assert "merged_in" in kinds(target)
    note = target.messages.filter(is_public=False).get()
    assert "Hello?? order 1" in note.body_text


def test_merge_refuses_self_and_closed_and_twice():
    agent = f.agent()
    a, b = f.ticket(), f.ticket()
    with pytest.raises(Conflict):
        services.ticket_merge(source=a, target=a, actor=agent)
    services.ticket_merge(source=a, target=b, actor=agent)
    with pytest.raises(Conflict):
        services.ticket_merge(source=a, target=b, actor=agent)
    with pytest.raises(Conflict):
        services.ticket_merge(source=b, target=a, actor=agent)


def test_events_are_append_only():
    ticket = f.ticket()
    event = TicketEvent.objects.get(ticket=ticket)
    event.kind = "replied"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(ticket=ticket).update(kind="x")
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(ticket=ticket).delete()


def test_ticket_with_events_cannot_be_deleted():
    ticket = f.ticket()
    with pytest.raises((IntegrityError, Exception)):
        Ticket.objects.filter(pk=ticket.pk).delete()
    assert TicketEvent.objects.filter(ticket_id=ticket.pk).exists()


def test_attachment_limits(settings):  # type: ignore[no-untyped-def]
    settings.ATTACHMENT_MAX_BYTES = 10
    customer = f.customer()
    with pytest.raises(ValidationError, match="larger than"):
        services.ticket_create(requester=customer, subject="s", body="b", actor=None,
                               attachments=[Upload(filename="big.txt", content=b"x" * 11)])
    with pytest.raises(ValidationError, match="not accepted"):
        services.ticket_create(requester=customer, subject="s", body="b", actor=None,
                               attachments=[Upload(filename="run.exe", content=b"MZ", content_type="image/png")])
    assert Ticket.objects.count() == 0


def test_attachment_is_stored_with_checked_type():
    ticket = services.ticket_create(requester=f.customer(), subject="s", body="b", actor=None,
                                    attachments=[Upload(filename="../../etc/shot.png", content=b"\x89PNG", content_type="text/html")])
    attachment = ticket.messages.get().attachments.get()
    assert attachment.filename == "shot.png"
    assert attachment.content_type == "image/png"
    assert attachment.size == 4


def test_reply_notification_is_enqueued_after_commit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    ticket = f.ticket(notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(ticket=ticket, author=f.agent(), body="Fixed!")
    result = DBTaskResult.objects.get()
    assert result.task_path.endswith("message_notify_customer")


def test_overlong_tags_are_refused_cleanly():
    ticket = f.ticket()
    with pytest.raises(ValidationError) as exc:
        services.ticket_tags_set(ticket=ticket, tags=["x" * 61], actor=None)
    assert "tags" in exc.value.message_dict


def test_nul_characters_are_dropped_not_stored():
    ticket = f.ticket(subject="Bad\x00subject", body="nul\x00here")
    assert "\x00" not in ticket.subject and "\x00" not in ticket.messages.get().body_text


def test_unchanged_values_on_a_closed_ticket_are_not_refused():
    agent = f.agent()
    ticket = _ticket_in("closed", agent)
    same = services.TicketChanges(priority=ticket.priority, assignee=None, tags=[], status=ticket.status)
    services.ticket_update(ticket=ticket, changes=same, actor=agent)
    with pytest.raises(TransitionNotAllowed):
        services.ticket_update(ticket=ticket, changes=services.TicketChanges(priority="urgent"), actor=agent)


# --- what a customer can see: kept apart by every write path ----------------------------------------


def test_public_search_text_count_and_time_follow_only_what_the_customer_sees() -> None:
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
    manager = f.manager()
    ticket = f.ticket(subject="Lost parcel", body="Never arrived", at=t0)
    services.ticket_reply(ticket=ticket, author=manager, body="Courier blames depot 7", public=False, at=t0 + timedelta(hours=1))
    services.ticket_reply(ticket=ticket, author=manager, body="We are on it", at=t0 + timedelta(hours=2))
    services.ticket_subject_change(ticket=ticket, subject="Lost parcel (DPD)", actor=manager, at=t0 + timedelta(hours=3))
    services.ticket_priority_change(ticket=ticket, priority="high", actor=manager, at=t0 + timedelta(hours=4))
    ticket.refresh_from_db()
    assert ticket.public_search_text == "lost parcel\nnever arrived\nwe are on it\nlost parcel (dpd)"
    assert "depot" in ticket.search_text
    assert (ticket.message_count, ticket.public_message_count) == (3, 2)
    assert ticket.public_updated_at == t0 + timedelta(hours=3)
    assert ticket.updated_at == t0 + timedelta(hours=4)


def test_a_system_merge_note_stays_out_of_the_public_text_but_is_staff_searchable() -> None:
    target = f.ticket(subject="Printer jam")
    source = f.ticket(subject="Printer jam again", body="Serial PRN-5531")
    services.ticket_merge(source=source, target=target, actor=None)
    target.refresh_from_db()
    assert "prn-5531" in target.search_text
    assert "prn-5531" not in target.public_search_text
    assert target.public_message_count == 1


def test_listing_tickets_with_staff_filters_is_refused_to_a_customer() -> None:
    me = f.customer(with_login=True)
    with pytest.raises(PermissionDenied):
        ticket_list_for_viewer(viewer=me.user)


# --- one transaction per action: no orphan rows or files after a rollback --------------------------------


def _stored_files(settings) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(str(p) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def _png(name: str = "shot.png") -> Upload:
    return Upload(filename=name, content=b"\x89PNG\r\n", content_type="image/png")


def test_a_reply_whose_status_change_fails_leaves_no_file(settings) -> None:  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    closed = f.status("closed")  # new -> closed is not allowed: fails after the file was written
    with pytest.raises(TransitionNotAllowed):
        services.ticket_reply(ticket=ticket, author=f.manager(), body="see file", attachments=[_png()], then_status=closed)
    assert _stored_files(settings) == []
    assert Attachment.objects.count() == 0


def test_a_create_whose_second_attachment_is_refused_leaves_no_file(settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        f.ticket(attachments=[_png(), Upload(filename="run.exe", content=b"MZ", content_type="image/png")])
    assert _stored_files(settings) == []
    assert Ticket.objects.count() == 0


def test_a_failure_after_the_file_write_removes_the_file(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    requester = f.customer()
    monkeypatch.setattr(conversation, "_event", _fail)
    with pytest.raises(RuntimeError, match="forced"):
        services.ticket_create(requester=requester, subject="s", body="b", actor=None, attachments=[_png()])
    assert _stored_files(settings) == []
    assert Ticket.objects.count() == 0


def test_an_enclosing_block_that_rolls_back_removes_files_written_inside_it(settings) -> None:  # type: ignore[no-untyped-def]
    requester = f.customer()
    with pytest.raises(RuntimeError, match="forced"), services.atomic_with_files():
        services.ticket_create(requester=requester, subject="s", body="b", actor=None, attachments=[_png()])
        assert len(_stored_files(settings)) == 1
        _fail()
    assert _stored_files(settings) == []


def test_a_savepoint_rolled_back_and_caught_removes_only_its_own_files(settings) -> None:  # type: ignore[no-untyped-def]
    ticket = f.ticket()
    agent = f.manager()
    with services.atomic_with_files():
        services.ticket_reply(ticket=ticket, author=agent, body="kept", attachments=[_png("kept.png")])
        with pytest.raises(TransitionNotAllowed):
            services.ticket_reply(ticket=ticket, author=agent, body="x", attachments=[_png("lost.png")],
                                  then_status=f.status("new"))
    assert [Path(p).name for p in _stored_files(settings)] == ["kept.png"]
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["kept.png"]


def test_committed_attachments_stay() -> None:
    message = services.ticket_reply(ticket=f.ticket(), author=f.manager(), body="b", attachments=[_png()])
    attachment = message.attachments.get()
    assert attachment.file.storage.exists(attachment.file.name)


def test_attaching_outside_a_file_aware_block_is_refused() -> None:
    ticket = f.ticket()
    message = ticket.messages.get()
    with pytest.raises(RuntimeError, match="atomic_with_files"):
        _common._attach(message, [_png()])


def test_a_ticket_for_a_new_contact_that_fails_leaves_no_customer_and_no_file(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(conversation, "_event", _fail)
    with pytest.raises(RuntimeError, match="forced"):
        services.ticket_create_for_contact(email="first.contact@example.com", subject="s", body="b", actor=f.manager(),
                                           attachments=[_png()])
    assert not Customer.objects.filter(email="first.contact@example.com").exists()
    assert _stored_files(settings) == []


def test_a_bad_contact_address_is_reported_on_the_requester_field() -> None:
    with pytest.raises(ValidationError) as caught:
        services.ticket_create_for_contact(email="not-an-address", subject="s", body="b", actor=f.manager())
    assert set(caught.value.message_dict) == {"requester_email"}


def _fail(*args: object, **kwargs: object) -> None:
    raise RuntimeError("forced failure")
