from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "frontline.schedules"
    label = "schedules"
    verbose_name = "Schedules and adherence"

    def ready(self) -> None:
        # tasks registers its background tasks (frontline.core.background); signals connects the sign-in receiver
        from . import signals, tasks  # noqa: F401
