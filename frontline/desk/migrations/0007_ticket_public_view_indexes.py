"""``public_updated_at`` is always set from here on; the customer lists get their indexes.

(A first version also put a trigram index on ``public_search_text``; 0008 drops it where it was made.)
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("desk", "0006_ticket_public_view")]

    operations = [
        migrations.AlterField("ticket", "public_updated_at", models.DateTimeField()),
        migrations.AddIndex("ticket", models.Index(fields=["requester", "-public_updated_at", "-id"], name="ticket_requester_public")),
        migrations.AddIndex("ticket", models.Index(fields=["company", "-public_updated_at", "-id"], name="ticket_company_public")),
    ]
