from django.urls import include, path

from . import views

app_name = "workforce"
urlpatterns = [
    path("", views.home, name="home"),
    path("erlang/", views.erlang_calculator, name="erlang"),
    path("forecasts/", include("frontline.workforce.forecast_urls")),
    path("staffing/", include("frontline.workforce.staffing_urls")),
]
