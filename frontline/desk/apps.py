from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "frontline.desk"
    label = "desk"
    verbose_name = "Desk"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers its background tasks: frontline.core.background)
