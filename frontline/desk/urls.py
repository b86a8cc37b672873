from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.ticket_list, name="ticket_list"),
    path("new/", views.ticket_new, name="ticket_new"),
    path("<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("<int:ticket_id>/update/", views.ticket_update, name="ticket_update"),
    path("<int:ticket_id>/merge/", views.ticket_merge, name="ticket_merge"),
    path("<int:ticket_id>/take/", views.ticket_take, name="ticket_take"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
