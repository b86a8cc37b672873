from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "frontline.schedules"
    label = "schedules"
    verbose_name = "Schedules and adherence"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers its background tasks: frontline.core.background)
