from django.urls import path

from . import portal_views as views

app_name = "portal"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("requests/<int:ticket_id>/", views.request_detail, name="request_detail"),
    path("requests/<int:ticket_id>/reply/", views.request_reply, name="request_reply"),
]
