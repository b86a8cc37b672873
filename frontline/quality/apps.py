from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "frontline.quality"
    label = "quality"
    verbose_name = "Quality"

    def ready(self) -> None:
        from frontline.core import nav

        from . import tasks  # noqa: F401  (registers the periodic auto-QA run)

        nav.register("quality", "Quality", "quality:home", roles=nav.STAFF, group="quality", order=47)
