from django.urls import path

from .views import home, inbox

app_name = "insights"
urlpatterns = [
    path("", home.home, name="home"),
    path("feedback/", inbox.inbox, name="inbox"),
    path("feedback/<int:item_id>/label/", inbox.label, name="label"),
    path("feedback/sync/", inbox.sync, name="sync"),
    path("import/", inbox.import_upload, name="import_upload"),
    path("import/<int:batch_id>/", inbox.import_map, name="import_map"),
    path("import/<int:batch_id>/status/", inbox.import_status, name="import_status"),
    path("topics/<int:topic_id>/", home.topic_detail, name="topic_detail"),
]
