"""Adherence pages, under /workforce/schedules/adherence/ (namespace ``schedules``)."""

from django.urls import path

from . import adherence_views as views

urlpatterns = [
    path("", views.adherence_report, name="adherence"),
    path("now/", views.adherence_live, name="adherence_now"),
    path("agent/<int:agent_id>/", views.adherence_agent, name="adherence_agent"),
]
