"""``Chat.customer_seq`` (the number of the customer's last message), filled from the entries; and on
PostgreSQL, a committed change of a chat's live row (entry number, typing pulse, state, agent,
offer, customer's last message) is announced with NOTIFY on the channel ``frontline_chat``, its
payload the row itself: ``id,seq,pulse,state,agent_id,offered_to_id,customer_seq``. The live watcher (chat/live.py) listens instead of
reading every chat ten times a second. Other databases have no trigger: their watcher polls."""

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce

CREATE = """
CREATE OR REPLACE FUNCTION frontline_chat_notify() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' OR (NEW.seq, NEW.pulse, NEW.state, NEW.agent_id, NEW.offered_to_id, NEW.customer_seq)
            IS DISTINCT FROM (OLD.seq, OLD.pulse, OLD.state, OLD.agent_id, OLD.offered_to_id, OLD.customer_seq) THEN
        PERFORM pg_notify('frontline_chat', concat_ws(',', NEW.id, NEW.seq, NEW.pulse, NEW.state,
                                                      coalesce(NEW.agent_id::text, ''), coalesce(NEW.offered_to_id::text, ''),
                                                      NEW.customer_seq));
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS chat_chat_notify ON chat_chat;
CREATE TRIGGER chat_chat_notify AFTER INSERT OR UPDATE ON chat_chat FOR EACH ROW EXECUTE FUNCTION frontline_chat_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS chat_chat_notify ON chat_chat;
DROP FUNCTION IF EXISTS frontline_chat_notify();
"""


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Chat = apps.get_model("chat", "Chat")
    ChatEntry = apps.get_model("chat", "ChatEntry")
    last = (ChatEntry.objects.filter(chat=OuterRef("pk"), author="customer", kind="message").order_by()
            .values("chat").annotate(m=Max("seq")).values("m"))
    Chat.objects.update(customer_seq=Coalesce(Subquery(last), 0))


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("chat", "0002_chat_survey_url")]
    operations = [
        migrations.AddField(
            model_name="chat", name="customer_seq",
            field=models.PositiveIntegerField(
                default=0, help_text="The number of the customer's last message: what the agent's other tabs mark as new."),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create, drop),
    ]
