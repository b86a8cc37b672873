from django.urls import path

from . import views

app_name = "phone"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("log/", views.log_call, name="log"),
    path("tickets/<int:ticket_id>/log/", views.ticket_log_call, name="ticket_log"),
    path("connectors/", views.connector_list, name="connector_list"),
    path("connectors/<int:connector_id>/", views.connector_detail, name="connector_detail"),
]
