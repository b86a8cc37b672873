from django.urls import path

from . import views

app_name = "messaging_webhooks"
urlpatterns = [
    path("<slug:slug>/", views.webhook, name="receive"),
    path("<slug:slug>/echo/", views.echo, name="echo"),
]
