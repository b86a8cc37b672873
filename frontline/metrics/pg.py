"""PostgreSQL reads in binary format, for the few queries whose results are large or many.

Django's cursors bind parameters on the client, and such cursors return text: bytea as hex (twice
the bytes, encoded by the server and decoded here), timestamps parsed by Django's Python loader
(~10 µs a value). A server-side binding cursor on the same connection returns the values as
PostgreSQL stores them; :func:`binary_rows` wraps it as Django wraps its own cursors (queries
logged in DEBUG and by ``CaptureQueriesContext``, execute wrappers applied).
"""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from django.db import connection


def binary_rows(sql: str, params: Sequence[object]) -> list[tuple]:
    """The rows of ``sql`` (``%s`` placeholders) on the default connection, fetched in binary format
    (bytea as bytes, timestamptz as aware datetimes, integers as int)."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    with connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw) as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def in_list(column: str, values: Sequence[object]) -> tuple[str, list[object]]:
    """``column IN (%s, ...)`` and its parameters (``values`` not empty)."""
    return f"{connection.ops.quote_name(column)} IN ({', '.join(['%s'] * len(values))})", list(values)
