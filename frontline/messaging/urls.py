from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("", views.connector_list, name="connector_list"),
    path("connectors/<int:connector_id>/", views.connector_detail, name="connector_detail"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<int:delivery_id>/retry/", views.delivery_retry, name="delivery_retry"),
]
