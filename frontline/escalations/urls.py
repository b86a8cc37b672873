from django.urls import path

from . import views

app_name = "escalations"
urlpatterns = [
    path("", views.escalation_list, name="escalation_list"),
    path("tickets/<int:ticket_id>/escalate/", views.ticket_escalate, name="ticket_escalate"),
    path("<int:escalation_id>/de-escalate/", views.escalation_de_escalate, name="de_escalate"),
    path("<int:escalation_id>/resolve/", views.escalation_resolve, name="resolve"),
]
