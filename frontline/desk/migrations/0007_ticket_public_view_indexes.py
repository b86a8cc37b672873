"""``public_updated_at`` is always set from here on; the customer lists and search get their indexes."""

from django.db import migrations, models


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return  # 0004 could not create it: search scans, as it does for staff
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS ticket_public_search_trgm ON desk_ticket USING gin (public_search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS ticket_public_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_ticket_public_view")]

    operations = [
        migrations.AlterField("ticket", "public_updated_at", models.DateTimeField()),
        migrations.AddIndex("ticket", models.Index(fields=["requester", "-public_updated_at", "-id"], name="ticket_requester_public")),
        migrations.AddIndex("ticket", models.Index(fields=["company", "-public_updated_at", "-id"], name="ticket_company_public")),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
