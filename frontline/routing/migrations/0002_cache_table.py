"""The database cache's table (collision detection keeps presence in the cache): made with the
schema, so test databases and a plain ``migrate`` have it too (``make migrate`` also runs
``createcachetable``, which then finds it there). Does nothing for a Redis cache."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("routing", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
