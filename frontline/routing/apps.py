from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "frontline.routing"
    label = "routing"
    verbose_name = "Routing"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the periodic routing)

        on_ticket_event(services.routing_on_ticket_event)
        nav.register("routing", "Routing", "routing:overview", roles=nav.STAFF, group="workforce", order=55)
