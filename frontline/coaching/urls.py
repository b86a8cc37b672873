from django.urls import path

from . import views, views_people

app_name = "coaching"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/plan/", views.plan_save, name="plan_save"),
    path("people/<int:person_id>/sessions/new/", views.session_new, name="session_new"),
    path("people/<int:person_id>/reviews/new/", views_people.review_new, name="review_new"),
    path("people/<int:person_id>/onboarding/new/", views_people.enrol_new, name="enrol_new"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/<str:action>/", views.session_post, name="session_post"),
    path("actions/<int:action_id>/done/", views.action_done, name="action_done"),
    path("effects/", views.effects, name="effects"),
    path("reviews/", views_people.review_list, name="reviews"),
    path("reviews/<int:review_id>/", views_people.review_detail, name="review"),
    path("reviews/<int:review_id>/<str:action>/", views_people.review_post, name="review_post"),
    path("kudos/", views_people.kudos, name="kudos"),
    path("onboarding/", views_people.onboarding, name="onboarding"),
    path("onboarding/<int:enrolment_id>/", views_people.enrolment_detail, name="enrolment"),
    path("onboarding/<int:enrolment_id>/modules/<int:module_id>/", views_people.module_post, name="module"),
    path("policies/", views_people.policies, name="policies"),
    path("policies/<int:version_id>/", views_people.policy_detail, name="policy"),
    path("policies/<int:version_id>/<str:action>/", views_people.policy_post, name="policy_post"),
]
