"""No trigram index on ``public_search_text``.

A customer's search is always within their own (or their company's) tickets, which the
requester and company indexes find; a trigram index tempts PostgreSQL to scan it for a common
word across all tickets and AND the result with the customer's few hundred rows, which costs
far more than filtering those rows, and it adds a GIN update to every public message.
"""

from django.db import migrations


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_public_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("desk", "0007_ticket_public_view_indexes")]
    operations = [migrations.RunPython(drop_index, migrations.RunPython.noop)]
