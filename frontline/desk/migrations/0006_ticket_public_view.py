"""What a customer can see of a ticket, kept apart from staff-only data.

Adds ``public_search_text`` (subject and public messages), ``public_message_count`` and
``public_updated_at`` (the last change a customer can see), fills them from the conversation
and the event log. 0007 makes ``public_updated_at`` required and adds the indexes.
"""

from django.db import migrations, models

SEARCH_TEXT_LIMIT = 20_000
BATCH = 1000
# desk.models.CUSTOMER_STATE, frozen here: what the customer is told for each status category.
STATE = {"new": "us", "open": "us", "on_hold": "us", "pending": "you", "solved": "solved", "closed": "closed"}


def fill(apps, schema_editor):
    Ticket = apps.get_model("desk", "Ticket")
    Message = apps.get_model("desk", "Message")
    TicketEvent = apps.get_model("desk", "TicketEvent")
    TicketField = apps.get_model("desk", "TicketField")
    visible = set(TicketField.objects.filter(visible_to_customers=True).values_list("key", flat=True))
    last_pk = 0
    while True:
        tickets = list(Ticket.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not tickets:
            return
        last_pk = tickets[-1].pk
        ids = [t.pk for t in tickets]
        texts = {t.pk: [t.subject.lower()] for t in tickets}
        counts = dict.fromkeys(ids, 0)
        latest = {t.pk: t.created_at for t in tickets}
        messages = Message.objects.filter(ticket_id__in=ids, is_public=True).order_by("created_at", "id")
        for ticket_id, text, at in messages.values_list("ticket_id", "body_text", "created_at"):
            texts[ticket_id].append(text.lower())
            counts[ticket_id] += 1
            latest[ticket_id] = max(latest[ticket_id], at)
        events = TicketEvent.objects.filter(
            ticket_id__in=ids, kind__in=["status_changed", "subject_changed", "fields_changed"]
        ).order_by("created_at", "id")
        for ticket_id, kind, payload, at in events.values_list("ticket_id", "kind", "payload", "created_at"):
            seen = (
                (kind == "status_changed" and STATE.get(payload.get("from_category")) != STATE.get(payload.get("to_category")))
                or kind == "subject_changed"
                or (kind == "fields_changed" and bool(visible & set(payload.get("changes", {}))))
            )
            if seen:
                latest[ticket_id] = max(latest[ticket_id], at)
            if kind == "subject_changed" and isinstance(payload.get("to"), str):
                texts[ticket_id].append(payload["to"].lower())
        for t in tickets:
            t.public_search_text = "\n".join(texts[t.pk])[:SEARCH_TEXT_LIMIT]
            t.public_message_count = counts[t.pk]
            t.public_updated_at = latest[t.pk]
        Ticket.objects.bulk_update(tickets, ["public_search_text", "public_message_count", "public_updated_at"])


class Migration(migrations.Migration):
    dependencies = [("desk", "0005_message_handle_seconds")]

    operations = [
        migrations.AddField("ticket", "public_search_text", models.TextField(blank=True, default="")),
        migrations.AddField("ticket", "public_message_count", models.PositiveIntegerField(default=0)),
        migrations.AddField("ticket", "public_updated_at", models.DateTimeField(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
