from django.urls import path

from . import views

app_name = "routing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("queues/<int:queue_id>/", views.queue_edit, name="queue_edit"),
    path("agents/", views.agent_list, name="agents"),
    path("agents/<int:agent_id>/", views.agent_detail, name="agent"),
    path("log/", views.log, name="log"),
    path("presence/<int:ticket_id>/", views.presence, name="presence"),
]
