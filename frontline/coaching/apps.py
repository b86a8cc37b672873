from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "frontline.coaching"
    label = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from frontline.core import nav

        nav.register("coaching", "Coaching", "coaching:home", roles=nav.STAFF, group="people", order=20)
