from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "frontline.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from frontline.core import nav

        from . import tasks  # noqa: F401  (registers the transcript and the inactivity tasks)

        nav.register("chat", "Chat", "chat:queue", roles=nav.STAFF, group="desk", order=15)
