from django.urls import path

from . import views

app_name = "mail"
urlpatterns = [
    path("messages/<int:message_id>/original/", views.original, name="original"),
    path("messages/<int:message_id>/original.eml", views.original_raw, name="original_raw"),
    path("messages/<int:message_id>/resend/", views.resend, name="resend"),
]
