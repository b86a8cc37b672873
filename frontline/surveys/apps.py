from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "frontline.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import services, tasks  # noqa: F401  (tasks registers the send and the NPS schedule)

        on_ticket_event(services.surveys_on_ticket_event)
        nav.register("surveys", "Surveys", "surveys:overview", roles=nav.LEADS, group="insights", order=45)
