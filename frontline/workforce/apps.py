from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "frontline.workforce"
    label = "workforce"
    verbose_name = "Workforce"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers its background tasks: frontline.core.background)
