from django.urls import include, path

from . import views

app_name = "schedules"
urlpatterns: list = [
    path("", views.schedule_list, name="schedule_list"),
    path("mine/", views.my_schedule, name="my_schedule"),
    path("mine/time-off/<int:pk>/withdraw/", views.time_off_withdraw, name="time_off_withdraw"),
    path("time-off/", views.time_off_list, name="time_off_list"),
    path("time-off/<int:pk>/decide/", views.time_off_decide, name="time_off_decide"),
    path("shift-types/", views.shift_type_list, name="shift_type_list"),
    path("shift-types/<int:pk>/", views.shift_type_edit, name="shift_type_edit"),
    path("<int:pk>/", views.schedule_board_view, name="schedule_board"),
    path("<int:pk>/progress/", views.schedule_progress, name="schedule_progress"),
    path("<int:pk>/solve/", views.schedule_solve, name="schedule_solve"),
    path("<int:pk>/publish/", views.schedule_publish, name="schedule_publish"),
    path("<int:pk>/unpublish/", views.schedule_unpublish, name="schedule_unpublish"),
    path("<int:pk>/shifts/new/", views.shift_new, name="shift_new"),
    path("<int:pk>/shifts/<int:shift_id>/", views.shift_edit, name="shift_edit"),
    path("<int:pk>/shifts/<int:shift_id>/delete/", views.shift_delete, name="shift_delete"),
    path("adherence/", include("frontline.schedules.adherence_urls")),
]
