from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "frontline.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers its background tasks: frontline.core.background)
