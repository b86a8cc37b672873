from django.urls import path

from .views import staffing as views

urlpatterns = [
    path("", views.staffing_list, name="staffing_list"),
    path("new/", views.staffing_new, name="staffing_new"),
    path("what-if/", views.whatif, name="whatif"),
    path("what-if/save/", views.whatif_save, name="whatif_save"),
    path("<int:plan_id>/", views.staffing_detail, name="staffing_detail"),
    path("<int:plan_id>/edit/", views.staffing_edit, name="staffing_edit"),
    path("<int:plan_id>/delete/", views.staffing_delete, name="staffing_delete"),
]
