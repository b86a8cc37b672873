from django.urls import path

from . import views, widget_views

app_name = "chat"
urlpatterns = [
    path("", views.chat_queue, name="queue"),
    path("agent/poll/", views.agent_poll, name="agent_poll"),
    path("report/", views.chat_report, name="report"),
    path("<int:chat_id>/", views.chat_workspace, name="workspace"),
    path("<int:chat_id>/accept/", views.chat_accept, name="accept"),
    path("<int:chat_id>/say/", views.chat_say, name="say"),
    path("<int:chat_id>/typing/", views.chat_typing, name="typing"),
    path("<int:chat_id>/transfer/", views.chat_transfer, name="transfer"),
    path("<int:chat_id>/end/", views.chat_end, name="end"),
    # The widget (public, cross-origin: see widget_views).
    path("widget.js", widget_views.widget_js, name="widget_js"),
    path("demo/", widget_views.demo_page, name="demo"),
    path("w/<slug:key>/config", widget_views.widget_config, name="w_config"),
    path("w/<slug:key>/chats", widget_views.chat_start, name="w_start"),
    path("w/<slug:key>/messages", widget_views.leave_message, name="w_leave_message"),
    path("w/<slug:key>/chats/<int:chat_id>/poll", widget_views.chat_poll, name="w_poll"),
    path("w/<slug:key>/chats/<int:chat_id>/say", widget_views.chat_say, name="w_say"),
    path("w/<slug:key>/chats/<int:chat_id>/typing", widget_views.chat_typing, name="w_typing"),
    path("w/<slug:key>/chats/<int:chat_id>/end", widget_views.chat_end, name="w_end"),
    path("w/<slug:key>/chats/<int:chat_id>/transcript", widget_views.chat_transcript, name="w_transcript"),
]
