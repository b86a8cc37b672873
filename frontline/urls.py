from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from frontline.api.router import api
from frontline.people.views import LoginView, LogoutView, home

admin.site.site_header = "Frontline administration"
admin.site.site_title = "Frontline admin"

urlpatterns = [
    path("", home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("tickets/", include("frontline.desk.urls")),
    path("mail/", include("frontline.mail.urls")),
    path("portal/", include("frontline.desk.portal_urls")),
    path("people/", include("frontline.people.urls")),
    path("sla/", include("frontline.sla.urls")),
    path("escalations/", include("frontline.escalations.urls")),
    path("surveys/", include("frontline.surveys.urls")),
    path("s/", include("frontline.surveys.public_urls")),
    path("chat/", include("frontline.chat.urls")),
    path("routing/", include("frontline.routing.urls")),
    path("phone/", include("frontline.phone.urls")),
    path("webhooks/phone/", include("frontline.phone.webhook_urls")),
    path("messaging/", include("frontline.messaging.urls")),
    path("webhooks/messages/", include("frontline.messaging.webhook_urls")),
    path("metrics/", include("frontline.metrics.urls")),
    path("coaching/", include("frontline.coaching.urls")),
    path("insights/", include("frontline.insights.urls")),
    path("quality/", include("frontline.quality.urls")),
    path("automations/", include("frontline.automations.urls")),
    path("customers/", include("frontline.customers.urls")),
    path("workforce/schedules/", include("frontline.schedules.urls")),
    path("workforce/budget/", include("frontline.budget.urls")),
    path("workforce/", include("frontline.workforce.urls")),
    # One sign-in page for everyone, with its rate limit; the admin uses it too.
    path("admin/login/", RedirectView.as_view(url="/login/?next=/admin/", query_string=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler500 = "frontline.core.http.server_error"  # no database connection free: 503 with Retry-After
