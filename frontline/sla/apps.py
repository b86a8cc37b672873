from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "frontline.sla"
    label = "sla"
    verbose_name = "SLAs"

    def ready(self) -> None:
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the periodic check)

        on_ticket_event(services.sla_on_ticket_event)
