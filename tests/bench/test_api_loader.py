"""The API benchmark's bulk loader fills every column of the tables it loads, or names the one it cannot."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from django.db import connection

from bench.bench_api import FL_EVENT, FL_MESSAGE, FL_TICKET, _columns_to_load, _model_defaults
from frontline.desk.models import Message, Ticket, TicketEvent


class TableOf:
    """A stand-in for the loader: only ``columns(table)`` is used."""

    def __init__(self, columns: Sequence[str]) -> None:
        self._columns = list(columns)

    def columns(self, table: str) -> list[str]:
        return self._columns


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "written"), [(Ticket, FL_TICKET), (Message, FL_MESSAGE), (TicketEvent, FL_EVENT)])
def test_every_column_of_the_loaded_tables_is_generated_or_has_a_default(model, written) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        actual = [c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)]

    columns, tail = _columns_to_load(TableOf(actual), model._meta.db_table, written, _model_defaults(model))

    assert sorted(columns) == sorted(actual)
    assert len(columns) == len(written) + len(tail)


def test_defaults_come_from_the_model() -> None:
    defaults = _model_defaults(Message)

    assert defaults["handle_seconds"] is None  # nullable, no default
    assert defaults["is_public"] is True
    assert "body_text" not in defaults  # required: the generator must write it
    assert _model_defaults(Ticket)["custom_fields"] == "{}"


def test_a_required_column_without_default_is_named() -> None:
    table = TableOf(["id", "subject", "public_search_text"])

    with pytest.raises(RuntimeError, match=r"desk_ticket: .*cannot fill column\(s\) \['public_search_text'\]"):
        _columns_to_load(table, "desk_ticket", ["id", "subject"], {})


def test_a_new_column_with_a_default_is_filled_in() -> None:
    table = TableOf(["id", "subject", "public_search_text"])

    columns, tail = _columns_to_load(table, "desk_ticket", ["id", "subject"], {"public_search_text": ""})

    assert (columns, tail) == (["id", "subject", "public_search_text"], ("",))
