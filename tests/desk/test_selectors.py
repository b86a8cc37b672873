"""Staff search and queue filters (desk.selectors): custom field values, day ranges, tags."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from frontline.desk import services
from frontline.desk.models import TicketField
from frontline.desk.selectors import TicketFilters, ticket_list_for_viewer
from tests import factories as f

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _ids(viewer, **filters) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(t.pk for t in ticket_list_for_viewer(viewer=viewer, filters=TicketFilters(**filters)))


def test_staff_search_finds_a_custom_field_value_set_on_create() -> None:
    TicketField.objects.create(key="order_number", label="Order number")
    ticket = f.ticket(custom_fields={"order_number": "ORD-55821"})
    f.ticket()
    assert _ids(f.manager(), q="ord-55821") == [ticket.pk]


def test_staff_search_finds_a_custom_field_value_set_later_and_numbers_without_a_decimal_point() -> None:
    TicketField.objects.create(key="order_number", label="Order number")
    TicketField.objects.create(key="units", label="Units", field_type="number")
    ticket = f.ticket()
    manager = f.manager()
    services.ticket_fields_update(ticket=ticket, values={"order_number": "A-7731", "units": "42"}, actor=manager)
    assert _ids(manager, q="a-7731") == [ticket.pk]
    assert _ids(manager, q="42") == [ticket.pk]


def test_a_new_subject_is_searchable() -> None:
    ticket = f.ticket(subject="Parcel")
    manager = f.manager()
    services.ticket_subject_change(ticket=ticket, subject="Broken hinge on wardrobe", actor=manager)
    assert _ids(manager, q="wardrobe hinge") == [ticket.pk]


def test_created_day_range_includes_both_ends() -> None:
    days = [f.ticket(at=T0 + timedelta(days=i)) for i in range(4)]
    manager = f.manager()
    assert _ids(manager, created_from=date(2026, 11, 3), created_to=date(2026, 11, 4)) == [days[1].pk, days[2].pk]
    assert _ids(manager, created_from=date(2026, 11, 5)) == [days[3].pk]
    assert _ids(manager, created_to=date(2026, 11, 2)) == [days[0].pk]


def test_updated_day_range_follows_the_last_update() -> None:
    manager = f.manager()
    old, touched = f.ticket(at=T0), f.ticket(at=T0)
    services.ticket_priority_change(ticket=touched, priority="high", actor=manager, at=T0 + timedelta(days=3))
    assert _ids(manager, updated_from=date(2026, 11, 4)) == [touched.pk]
    assert _ids(manager, updated_to=date(2026, 11, 3)) == [old.pk]
    assert _ids(manager, updated_from=date(2026, 11, 2), updated_to=date(2026, 11, 5)) == [old.pk, touched.pk]


def test_day_ranges_are_days_in_the_viewers_time_zone() -> None:
    # 23:30 UTC on 2 November is already 3 November in Tokyo.
    late = f.ticket(at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC))
    manager = f.manager()
    with timezone.override("Asia/Tokyo"):
        assert _ids(manager, created_from=date(2026, 11, 3), created_to=date(2026, 11, 3)) == [late.pk]
    assert _ids(manager, created_from=date(2026, 11, 3)) == []


def test_tag_filter_matches_the_tag_as_written_or_as_stored() -> None:
    tagged = f.ticket(tags=["refund"])
    f.ticket(tags=["refund-request"])
    manager = f.manager()
    assert _ids(manager, tag="refund") == [tagged.pk]
    assert _ids(manager, tag="Refund") == [tagged.pk]


def test_a_bare_number_finds_the_ticket_with_that_number_and_tickets_holding_it() -> None:
    TicketField.objects.create(key="order_number", label="Order number")
    by_text = f.ticket(custom_fields={"order_number": "5582100"})
    by_number = f.ticket()
    manager = f.manager()
    assert _ids(manager, q="5582100") == [by_text.pk]
    assert by_number.pk in _ids(manager, q=str(by_number.pk))
    assert _ids(manager, q="#5582100") == []


@pytest.mark.parametrize("query", ["#99999999999999999999999", "99999999999999999999999", "#"])
def test_a_number_beyond_any_ticket_finds_nothing_and_does_not_crash(query: str) -> None:
    f.ticket()
    assert _ids(f.manager(), q=query) == []
