"""The customer's answer pages, reached from the rating links; no sign-in needed."""

from django.urls import path

from . import public_views

app_name = "surveys_public"
urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
    path("<str:token>/<int:score>/", public_views.answer, name="answer_score"),
]
