from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "frontline.budget"
    label = "budget"
    verbose_name = "Budget"
