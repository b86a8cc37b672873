from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "frontline.metrics"
    label = "metrics"
    verbose_name = "Metrics"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the periodic refresh)

        on_ticket_event(services.metrics_on_ticket_event)
        nav.register("metrics", "Metrics", "metrics:dashboard", roles=nav.STAFF, group="insights", order=30)
