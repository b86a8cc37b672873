from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.metrics_dashboard, name="dashboard"),
    path("targets/", views.target_list, name="targets"),
]
