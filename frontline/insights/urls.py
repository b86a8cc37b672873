from django.urls import path

from .views import home, inbox, problems

app_name = "insights"
urlpatterns = [
    path("", home.home, name="home"),
    path("feedback/", inbox.inbox, name="inbox"),
    path("feedback/<int:item_id>/label/", inbox.label, name="label"),
    path("feedback/sync/", inbox.sync, name="sync"),
    path("import/", inbox.import_upload, name="import_upload"),
    path("import/<int:batch_id>/", inbox.import_map, name="import_map"),
    path("import/<int:batch_id>/status/", inbox.import_status, name="import_status"),
    path("topics/run/", home.run_topics, name="run_topics"),
    path("topics/<int:topic_id>/", home.topic_detail, name="topic_detail"),
    path("topics/<int:topic_id>/edit/", home.topic_edit, name="topic_edit"),
    path("problems/", problems.problem_list, name="problem_list"),
    path("problems/new/", problems.problem_new, name="problem_new"),
    path("problems/<int:problem_id>/", problems.problem_detail, name="problem_detail"),
    path("problems/<int:problem_id>/edit/", problems.problem_edit, name="problem_edit"),
    path("problems/<int:problem_id>/link/", problems.problem_link, name="problem_link"),
    path("report/", problems.report, name="report"),
]
