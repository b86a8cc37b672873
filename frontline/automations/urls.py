from django.urls import path

from . import views

app_name = "automations"
urlpatterns = [
    path("", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/tickets/", views.rule_tickets, name="rule_tickets"),
    path("rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("rules/<int:rule_id>/secret/", views.rule_secret_rotate, name="rule_secret_rotate"),
    path("macros/", views.macro_list, name="macro_list"),
    path("macros/new/", views.macro_edit, name="macro_new"),
    path("macros/<int:macro_id>/", views.macro_edit, name="macro_edit"),
    path("macros/<int:macro_id>/delete/", views.macro_delete, name="macro_delete"),
    path("tickets/<int:ticket_id>/macro/", views.macro_use, name="macro_use"),
]
