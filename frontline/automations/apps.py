from django.apps import AppConfig


class AutomationsConfig(AppConfig):
    name = "frontline.automations"
    label = "automations"
    verbose_name = "Macros and automations"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the run and the schedule)

        on_ticket_event(services.automations_on_ticket_event)
        nav.register("macros", "Macros", "automations:macro_list", roles=nav.STAFF, group="desk", order=58)
        nav.register("automations", "Automations", "automations:rule_list", roles=nav.MANAGERS, group="settings",
                     order=20)
