from django.urls import path

from . import views

app_name = "sla"
urlpatterns = [
    path("policies/", views.policy_list, name="policy_list"),
]
