"""The REST API, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

The docs page is ninja's Swagger UI rendered from its own template and static files (``ninja`` is
in INSTALLED_APPS; without it ninja falls back to a CDN), under the app's Content-Security-Policy.

See docs/api.md for authentication, the error shape, pagination and examples.
"""

from __future__ import annotations

from ninja import NinjaAPI

from . import (
    automations,
    chat,
    customers,
    insights,
    messaging,
    metrics,
    people,
    phone,
    quality,
    routing,
    sla,
    surveys,
    tickets,
)
from .auth import any_auth
from .errors import install_error_handlers
from .parser import ApiParser

api = NinjaAPI(
    title="Frontline API",
    version="1",
    description=(
        "Tickets, messages, customers, companies, agents and teams; routing, phone calls, messaging "
        "conversations and chats. Authenticate with a personal "
        "API token (`Authorization: Bearer fl_…`) or a signed-in session (with the CSRF header for "
        "writes). Every error has the shape `{\"detail\": str, \"errors\": [{\"field\", \"message\"}]}`."
    ),
    urls_namespace="api-v1",
    auth=any_auth,
    parser=ApiParser(),
)
install_error_handlers(api)
api.add_router("/tickets", tickets.router)
api.add_router("/sla", sla.router)
api.add_router("/surveys", surveys.router)
api.add_router("/metrics", metrics.router)
api.add_router("/insights", insights.router)
api.add_router("/macros", automations.macros_router)
api.add_router("/automations", automations.rules_router)
api.add_router("/quality", quality.router)
api.add_router("/routing", routing.router)
api.add_router("/phone", phone.router)
api.add_router("/messaging", messaging.router)
api.add_router("/chats", chat.router)
api.add_router("/", customers.router)
api.add_router("/", people.router)
