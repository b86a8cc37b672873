"""On PostgreSQL, a trigram index makes word search (LIKE '%word%') fast on millions of tickets.

Needs the pg_trgm extension; where the database user may not create it, search still works,
by scanning. SQLite needs nothing here.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT trgm")
            except Exception:
                cursor.execute("ROLLBACK TO SAVEPOINT trgm")
                return
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_search_trgm ON desk_ticket USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("desk", "0003_default_statuses")]
    operations = [migrations.RunPython(create_index, drop_index)]
