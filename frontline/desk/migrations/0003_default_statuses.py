from django.db import migrations

# The same list as frontline.desk.services.DEFAULT_STATUSES, frozen here as migrations must be.
DEFAULTS = [("New", "new", 0), ("Open", "open", 10), ("Pending", "pending", 20),
            ("On hold", "on_hold", 30), ("Solved", "solved", 40), ("Closed", "closed", 50)]


def create_statuses(apps, schema_editor):
    Status = apps.get_model("desk", "Status")
    for name, category, position in DEFAULTS:
        Status.objects.get_or_create(name=name, defaults={"category": category, "is_default": True, "position": position})


class Migration(migrations.Migration):
    dependencies = [("desk", "0002_initial")]
    operations = [migrations.RunPython(create_statuses, migrations.RunPython.noop)]
