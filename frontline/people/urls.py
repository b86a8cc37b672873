from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.people_list, name="people_list"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/", views.token_list, name="token_list"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("me/availability/", views.availability, name="availability"),
]
