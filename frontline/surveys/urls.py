from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("responses/", views.response_list, name="response_list"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/rules/new/", views.rule_edit, name="rule_new"),
    path("settings/rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("settings/rules/<int:rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("settings/templates/<str:kind>/", views.template_edit, name="template_edit"),
    path("settings/nps/run/", views.nps_run, name="nps_run"),
]
