from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "frontline.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import nav

        # The entries the layout always had, for apps that register none themselves.
        nav.register("tickets", "Tickets", "desk:ticket_list", roles=nav.STAFF, group="desk", order=10)
        nav.register("customers", "Customers", "customers:customer_list", roles=nav.STAFF, group="desk", order=20)
        nav.register("escalations", "Escalations", "escalations:escalation_list", roles=nav.LEADS, group="desk",
                     order=30)
        nav.register("people", "People", "people:people_list", roles=nav.LEADS, group="people", order=10)
        nav.register("workforce", "Workforce", "workforce:home", roles=nav.STAFF, group="workforce", order=10)
        nav.register("sla", "SLA policies", "sla:policy_list", roles=nav.LEADS, group="settings", order=10)
        nav.register("tokens", "API tokens", "people:token_list", roles=nav.STAFF, group="settings", order=80)
        nav.register("admin", "Admin", "admin:index", group="settings", order=90, superuser=True)
