from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workforce', '0004_forecast_aht_measured_share'),
    ]

    operations = [
        migrations.AddField(
            model_name='forecastrun',
            name='lead_blocks',
            field=models.JSONField(blank=True, default=list, help_text='Volume: which model serves which forecast days, one object per block of days.'),
        ),
        migrations.AddField(
            model_name='forecastrun',
            name='aht_lead_blocks',
            field=models.JSONField(blank=True, default=list, help_text='Workload: which model serves which forecast days.'),
        ),
    ]
