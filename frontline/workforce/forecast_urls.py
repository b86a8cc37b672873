from django.urls import path

from .views import forecasts as forecast_views

urlpatterns = [
    path("", forecast_views.forecast_list_view, name="forecast_list"),
    path("new/", forecast_views.forecast_new, name="forecast_new"),
    path("<int:run_id>/", forecast_views.forecast_detail, name="forecast_detail"),
    path("<int:run_id>/progress/", forecast_views.forecast_progress, name="forecast_progress"),
    path("<int:run_id>/refresh/", forecast_views.forecast_refresh, name="forecast_refresh"),
]
