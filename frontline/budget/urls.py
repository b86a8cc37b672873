from django.urls import path

from . import views

app_name = "budget"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_id>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:plan_id>/lines/", views.line_add, name="line_add"),
    path("<int:plan_id>/lines/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("<int:plan_id>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    path("<int:plan_id>/actuals/", views.actual_add, name="actual_add"),
    path("<int:plan_id>/actuals/<int:actual_id>/delete/", views.actual_delete, name="actual_delete"),
    path("<int:plan_id>/fill-headcount/", views.fill_headcount, name="fill_headcount"),
    path("<int:plan_id>/scenarios/", views.scenario_add, name="scenario_add"),
    path("<int:plan_id>/compare/<int:scenario_id>/", views.compare, name="compare"),
]
