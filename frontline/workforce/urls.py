from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("erlang/", views.erlang_calculator, name="erlang"),
]
