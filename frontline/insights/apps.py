from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "frontline.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from frontline.core import nav

        from . import tasks  # noqa: F401  (registers the background tasks)

        nav.register("insights", "Feedback", "insights:home", roles=nav.LEADS, group="insights", order=47)
