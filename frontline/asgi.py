import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
django_application = get_asgi_application()

from frontline.chat.asgi import LiveHandler, is_live_path  # noqa: E402  (after Django is set up)

live_application = LiveHandler()


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    """Django, with the chat's long polls on a lean async path (frontline/chat/asgi.py)."""
    if scope["type"] == "http" and is_live_path(scope.get("path", "")):
        return await live_application(scope, receive, send)
    return await django_application(scope, receive, send)
