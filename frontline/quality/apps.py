from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "frontline.quality"
    label = "quality"
    verbose_name = "Quality"

    def ready(self) -> None:
        from frontline.core import nav

        nav.register("quality", "Quality", "quality:home", roles=nav.STAFF, order=47)
