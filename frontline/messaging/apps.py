from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "frontline.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the delivery and its retries)

        on_ticket_event(services.messaging_on_ticket_event)
        nav.register("messaging", "Messaging", "messaging:connector_list", roles=nav.MANAGERS, group="settings", order=30)
