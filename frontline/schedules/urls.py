from django.urls import include, path  # noqa: F401

app_name = "schedules"
urlpatterns: list = [
    path("adherence/", include("frontline.schedules.adherence_urls")),
]
