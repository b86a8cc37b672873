from django.urls import path

from . import calibration_views, rubric_views, views

app_name = "quality"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/", views.review_list, name="review_list"),
    path("sampling/", views.sampling_run, name="sampling_run"),
    path("calibrations/", calibration_views.calibration_list, name="calibration_list"),
    path("calibrations/<int:calibration_id>/", calibration_views.calibration_detail, name="calibration_detail"),
    path("calibrations/<int:calibration_id>/tickets/<int:ticket_id>/score/", calibration_views.calibration_score,
         name="calibration_score"),
    path("calibrations/<int:calibration_id>/reveal/", calibration_views.calibration_reveal, name="calibration_reveal"),
    path("calibrations/<int:calibration_id>/notes/", calibration_views.calibration_note, name="calibration_note"),
    path("rubrics/", rubric_views.rubric_list, name="rubric_list"),
    path("rubrics/new/", rubric_views.rubric_edit, name="rubric_new"),
    path("rubrics/<int:rubric_id>/edit/", rubric_views.rubric_edit, name="rubric_edit"),
    path("go/", views.review_go, name="review_go"),
    path("mine/", views.mine, name="mine"),
    path("tickets/<int:ticket_id>/review/", views.review_start, name="review_start"),
    path("reviews/<int:review_id>/", views.review_detail, name="review_detail"),
    path("reviews/<int:review_id>/acknowledge/", views.review_acknowledge, name="review_acknowledge"),
    path("reviews/<int:review_id>/dispute/", views.review_dispute, name="review_dispute"),
    path("reviews/<int:review_id>/resolve/", views.review_resolve, name="review_resolve"),
]
