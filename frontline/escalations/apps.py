from django.apps import AppConfig


class EscalationsConfig(AppConfig):
    name = "frontline.escalations"
    label = "escalations"
    verbose_name = "Escalations"

    def ready(self) -> None:
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the notification task)

        on_ticket_event(services.escalations_on_ticket_event)
