from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "frontline.schedules"
    label = "schedules"
    verbose_name = "Schedules and adherence"
