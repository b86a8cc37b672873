from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "frontline.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self) -> None:
        from frontline.core import nav
        from frontline.desk.hooks import on_ticket_event

        from . import tasks  # noqa: F401  (registers the transcript and the inactivity tasks)
        from .services import live_chat_guard

        on_ticket_event(live_chat_guard)  # a ticket with a live chat is neither merged nor closed

        nav.register("chat", "Chat", "chat:queue", roles=nav.STAFF, group="desk", order=15)
