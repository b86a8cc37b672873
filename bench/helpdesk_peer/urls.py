"""django-helpdesk mounted at the root; its DRF API is then at /api/tickets/."""

from django.urls import include, path

urlpatterns = [
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
