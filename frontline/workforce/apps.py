from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "frontline.workforce"
    label = "workforce"
    verbose_name = "Workforce"
