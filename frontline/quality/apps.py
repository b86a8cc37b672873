from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "frontline.quality"
    label = "quality"
    verbose_name = "Quality"
