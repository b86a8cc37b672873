"""Fill the per-team hourly samples (0003) from the facts already there, so an installation that
upgrades shows its team dashboards at once instead of after `manage.py metrics_rebuild`.

A new database has no facts and skips this; an existing one runs the services' own packing (the
one definition of a sample) over its facts."""

from django.db import migrations


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    fact = apps.get_model("metrics", "TicketFact")
    if not fact.objects.using(schema_editor.connection.alias).exists():
        return
    from frontline.metrics.models import TeamHourSample, TicketFact
    from frontline.metrics.services import _team_hours_insert

    TeamHourSample.objects.all().delete()
    _team_hours_insert(TicketFact.objects.all())


def empty(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("metrics", "TeamHourSample").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [("metrics", "0003_team_hour_sample")]

    operations = [migrations.RunPython(fill, empty)]
